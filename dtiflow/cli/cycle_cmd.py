"""`dtiflow cycle open|status|tick`: the secretariat opens a cycle and watches it."""

from __future__ import annotations

import argparse
import datetime as dt

from dtiflow.cli import present
from dtiflow.cli.args import parse_date, parse_year
from dtiflow.cli.errors import UserError
from dtiflow.cli.store_wiring import add_actor, add_json, build_services, show
from services import cycles, queries
from services.tick import run_tick


def _fact(text: str) -> tuple[str, dt.date]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"'{text}' không có dạng TÊN=NGÀY (ví dụ submission_due=30/09/2020)")
    key, value = text.split("=", 1)
    return key.strip(), parse_date(value)


def register(sub: argparse._SubParsersAction) -> None:
    cycle = sub.add_parser("cycle", help="open a cycle, see its status, run its time-driven moves")
    csub = cycle.add_subparsers(dest="cycle_command", metavar="ACTION", parser_class=type(cycle))
    csub.required = True
    op = csub.add_parser("open", help="open a cycle: pin versions, compute the timeline, enrol the units")
    op.add_argument("regime", help="regime id, e.g. binhthuan-2019-it")
    op.add_argument("--year", type=parse_year, required=True)
    op.add_argument("--level", default=None, help="only this group / level of the regime (e.g. IV, commune)")
    op.add_argument("--owner", default=cycles.PROVINCE,
                    help="'province' (default) or a district's unit code, for its communes' cycle")
    op.add_argument("--notice-date", type=parse_date, default=None, help="the notice letter's date (issues the notice)")
    op.add_argument("--notice-ref", default=None, metavar="NUMBER",
                    help="the notice letter's number, e.g. 697/STTTT-CNTT (quoted in the notice e-mail)")
    op.add_argument("--fact", type=_fact, action="append", default=[], metavar="FACT=DATE",
                    help="another fact of the cycle the regime asks for")
    op.add_argument("--reference-date", type=parse_date, default=None,
                    help="enrol the units valid on this day (default: the notice's date, else today)")
    op.add_argument("--id", dest="cycle_id", default=None, help="cycle id (default: REGIME-YEAR[-OWNER][-LEVEL])")
    add_actor(op)
    op.set_defaults(handler=_open)
    nt = csub.add_parser("notice", help="issue the notice of a cycle opened without one (recomputes its timeline)")
    nt.add_argument("cycle")
    nt.add_argument("--date", type=parse_date, required=True, help="the notice letter's date")
    nt.add_argument("--ref", default=None, metavar="NUMBER", help="the notice letter's number, e.g. 697/STTTT-CNTT")
    add_actor(nt)
    nt.set_defaults(handler=_notice)
    st = csub.add_parser("status", help="a table of the units with their sheet state, lateness and score")
    st.add_argument("cycle")
    st.add_argument("--unit", default=None, help="one unit only (what a unit's own people may see)")
    add_actor(st, key=False)
    st.set_defaults(handler=_status)
    tk = csub.add_parser("tick", help="do what is due now: time-driven moves, scoring, reminders (what the scheduler does)")
    tk.add_argument("cycle", nargs="?", default=None, help="only this cycle (default: every open cycle)")
    add_json(tk)
    tk.set_defaults(handler=_tick)
    ls = csub.add_parser("list", help="the cycles in the database")
    add_json(ls)
    ls.set_defaults(handler=_list)


def _open(args: argparse.Namespace) -> int:
    facts = dict(args.fact)
    if args.notice_date is not None:
        if "notice" in facts and facts["notice"] != args.notice_date:
            raise UserError("--notice-date and --fact notice=... disagree")
        facts["notice"] = args.notice_date
    result = cycles.open_cycle(build_services(), actor_id=args.actor, regime_id=args.regime, year=args.year,
                               facts=facts, owner=args.owner, level=args.level, cycle_id=args.cycle_id, key=args.key,
                               notice_ref=args.notice_ref, reference_date=args.reference_date)
    show(args, result, _opened_text)
    return 0


def _opened_text(r: dict) -> str:
    head = (f"Đã mở kỳ {r['cycle_id']} ({present.cycle_state(r['state'])}): {r['units']} đơn vị, "
            f"nhóm {', '.join(r['groups'])}")
    if r["submission_due"] is None:
        missing = r.get("missing_facts") or []
        why = f"chưa có ngày: {', '.join(missing)}" if missing else "chưa có ngày thông báo"
        return (f"{head}.\nKỳ chưa gửi thông báo, chưa có hạn gửi phiếu ({why}). Khi có văn bản triển khai: "
                f"dtiflow cycle notice {r['cycle_id']} --date dd/mm/yyyy")
    return (f"{head}; hạn gửi phiếu {present.deadline(r['submission_due'])}, "
            f"hết nhận phiếu {present.deadline(r['acceptance_end'])}")


def _notice(args: argparse.Namespace) -> int:
    result = cycles.issue_notice(build_services(), actor_id=args.actor, cycle_id=args.cycle, notice_date=args.date,
                                 key=args.key, notice_ref=args.ref)
    show(args, result, lambda r: f"Đã gửi thông báo kỳ {r['cycle_id']}: hạn gửi phiếu {present.deadline(r['submission_due'])}, "
                                 f"hết nhận phiếu {present.deadline(r['acceptance_end'])}")
    return 0


def _status_text(r: dict) -> str:
    lines = [f"Kỳ {r['cycle_id']} — {present.cycle_state(r['state'])} (vòng chấm {r['score_round']}); "
             f"hạn gửi phiếu {present.deadline(r['submission_due'])}; hết nhận phiếu {present.deadline(r['acceptance_end'])}",
             f"{'Đơn vị':<16} {'Nhóm':<6} {'Trạng thái':<24} {'Trễ':<4} {'Điểm':>8} {'Thẩm định':>10}  Tên"]
    for s in r["sheets"]:
        score = present.number(s["computed_total"])
        verified = present.number(s["verified_total"])
        lines.append(f"{s['unit_code']:<16} {s['group']:<6} {present.sheet_state(s['state']):<24} {'có' if s['late'] else '':<4} "
                     f"{score:>8} {verified:>10}  {s['name']}")
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    show(args, queries.cycle_status(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit),
         _status_text)
    return 0


def _tick(args: argparse.Namespace) -> int:
    services = build_services()
    result = run_tick(services, now=services.clock.now(), cycle_id=args.cycle)
    show(args, {"moves": result.moves, "reminders_queued": result.reminders_queued, "cycles": result.cycles,
                "errors": result.errors}, _tick_text)
    return 1 if result.errors else 0


# The tick's move names, as the secretariat reads them (a sheet batch is 'Name:count[:Name:count]').
_MOVE_VI = {
    "CollectionStarted": "bắt đầu nhận phiếu", "SubmissionsClosed": "hết hạn gửi phiếu, nhận phiếu trễ",
    "CycleLocked": "khóa kỳ đánh giá", "SheetsLocked": "phiếu đã khóa", "NotEvaluated": "đơn vị không được đánh giá",
    "SheetsScored": "phiếu được chấm sơ bộ", "DeadlinesRecomputed": "thời hạn tính lại theo lịch mới",
}


def _move_text(move: str) -> str:
    parts = move.split(":")
    if len(parts) == 1:
        return _MOVE_VI.get(move, move)
    return ", ".join(f"{_MOVE_VI.get(name, name)}: {n}" for name, n in zip(parts[0::2], parts[1::2]))


def _tick_text(r: dict) -> str:
    lines = [f"{r['moves']} bước chuyển, {r['reminders_queued']} thư nhắc hạn đưa vào hàng đợi"]
    for cid, moves in r["cycles"].items():
        lines.append(f"  Kỳ {cid}: {'; '.join(_move_text(m) for m in moves) if moves else 'không có gì đến hạn'}")
    for cid, why in r["errors"].items():
        lines.append(f"  Kỳ {cid}: KHÔNG thực hiện được — {why} (đã ghi nhật ký và báo Cơ quan thường trực)")
    if not r["cycles"] and not r["errors"]:
        lines.append("  Không có kỳ đánh giá nào đang chạy.")
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> int:
    services = build_services()
    with services.uow() as uow:
        out = [{"cycle_id": c.id, "regime_id": c.regime_id, "year": c.year, "owner": c.owner, "state": c.state}
               for c in uow.cycles.list()]
    show(args, out, lambda rs: "\n".join(f"{r['cycle_id']:<40} {r['state']:<14} {r['owner']}" for r in rs))
    return 0
