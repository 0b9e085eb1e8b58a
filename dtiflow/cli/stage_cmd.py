"""`dtiflow stage lock|score|explain|verify|approve|publish|reopen|cancel`: the secretariat's,
the council's and the approver's stage commands."""

from __future__ import annotations

import argparse
import math

from dtiflow.cli import present
from dtiflow.cli.args import parse_date, parse_points
from dtiflow.cli.store_wiring import add_actor, build_services, show
from services import approval, cycles, verification


def _points(text: str) -> tuple[str, float]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"'{text}' không có dạng TIÊU_CHÍ=ĐIỂM (ví dụ 4=80 hoặc 4=2,5)")
    criterion, value = text.split("=", 1)
    try:
        points = float(value.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of points") from None
    if not math.isfinite(points):  # float() reads "inf" and "nan"
        raise argparse.ArgumentTypeError(f"'{value}' không phải số điểm hữu hạn")
    return criterion.strip(), points


def register(sub: argparse._SubParsersAction) -> None:
    stage = sub.add_parser("stage", help="move a cycle through its stages (lock, score, verify, approve, publish, reopen)")
    ssub = stage.add_subparsers(dest="stage_command", metavar="ACTION", parser_class=type(stage))
    ssub.required = True

    def cmd(name: str, help: str, handler, *, unit: bool = False):
        p = ssub.add_parser(name, help=help)
        p.add_argument("cycle")
        if unit:
            p.add_argument("unit")
        p.set_defaults(handler=handler)
        return p

    add_actor(cmd("lock", "lock the cycle (idempotent; refused before the acceptance end)", _lock))
    add_actor(cmd("score", "compute the preliminary scores of every received sheet", _score))
    p = cmd("explain", "ask a unit for an explanation (its deadline comes from the regime)", _request, unit=True)
    p.add_argument("--question", required=True)
    p.add_argument("--criterion", default=None)
    add_actor(p)
    p = cmd("verify", "record the council's verified points for a unit", _verify, unit=True)
    p.add_argument("--points", type=_points, action="append", default=[], metavar="CRITERION=POINTS")
    p.add_argument("--note", default="")
    add_actor(p)
    p = cmd("approve", "approve the results (the decision's number and date)", _approve)
    p.add_argument("--decision", required=True, help="decision number, e.g. 2912/QĐ-UBND")
    p.add_argument("--decision-date", type=parse_date, required=True)
    add_actor(p)
    p = cmd("publish", "publish the approved results", _publish)
    p.add_argument("--location", default=None, help="where, e.g. the provincial portal")
    add_actor(p)
    p = cmd("reopen", "reopen a stage (reason required; earlier scores are kept)", _reopen)
    p.add_argument("--to", dest="to_state", required=True, help="the stage to reopen to (locked, scored, verification)")
    p.add_argument("--reason", required=True)
    add_actor(p)
    p = cmd("cancel", "cancel the cycle (reason required)", _cancel)
    p.add_argument("--reason", required=True)
    add_actor(p)


def _lock(args):
    show(args, cycles.lock_cycle(build_services(), actor_id=args.actor, cycle_id=args.cycle, key=args.key),
         lambda r: (f"Kỳ {r['cycle_id']} đã khóa trước đó, không thay đổi ({present.cycle_state(r['state'])}); "
                    if r.get("already_locked") else
                    f"Kỳ {r['cycle_id']}: {present.cycle_state(r['from_state'])} → {present.cycle_state(r['state'])}; ")
         + f"phiếu: {present.counts(r['sheets'], present.sheet_state)}")


def _score(args):
    show(args, verification.score_cycle(build_services(), actor_id=args.actor, cycle_id=args.cycle, key=args.key),
         lambda r: f"Đã chấm sơ bộ {len(r['totals'])} phiếu (vòng {r['round']})")


def _request(args):
    show(args, verification.request_explanation(build_services(), actor_id=args.actor, cycle_id=args.cycle,
                                                unit_code=args.unit, question=args.question,
                                                criterion_id=args.criterion, key=args.key),
         lambda r: f"Yêu cầu giải trình số {r['request_id']} gửi {r['unit_code']}, hạn {present.deadline(r['due'])}")


def _verify(args):
    show(args, verification.record_verification(build_services(), actor_id=args.actor, cycle_id=args.cycle,
                                                unit_code=args.unit, points=dict(args.points), note=args.note,
                                                key=args.key),
         lambda r: f"Đã ghi kết quả thẩm định của {r['unit_code']}: {present.number(r['verified_total'])} điểm")


def _approve(args):
    show(args, approval.approve_cycle(build_services(), actor_id=args.actor, cycle_id=args.cycle,
                                      decision_number=args.decision, decision_date=args.decision_date, key=args.key),
         lambda r: f"Kỳ {r['cycle_id']} đã được phê duyệt theo Quyết định số {r['decision_number']} ngày {present.day(r['decision_date'])}")


def _publish(args):
    show(args, approval.publish_cycle(build_services(), actor_id=args.actor, cycle_id=args.cycle,
                                      location=args.location, key=args.key),
         lambda r: f"Đã công bố kết quả kỳ {r['cycle_id']}")


def _reopen(args):
    show(args, cycles.reopen_stage(build_services(), actor_id=args.actor, cycle_id=args.cycle, to_state=args.to_state,
                                   reason=args.reason, key=args.key),
         lambda r: (f"Kỳ {r['cycle_id']}: mở lại từ {present.cycle_state(r['from_state'])} về "
                    f"{present.cycle_state(r['state'])} (vòng chấm {r['score_round']})"))


def _cancel(args):
    show(args, cycles.cancel_cycle(build_services(), actor_id=args.actor, cycle_id=args.cycle, reason=args.reason,
                                   key=args.key),
         lambda r: f"Đã hủy kỳ {r['cycle_id']}")
