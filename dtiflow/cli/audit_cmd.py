"""`dtiflow audit CYCLE`: the append-only audit log of a cycle (who, role, when, what, from, to, why).
`dtiflow audit verify CYCLE [--head SEQ:HASH]`: recompute the cycle's hash chain; exit 0 when it
is intact, 1 naming the first broken link (docs/security.md)."""

from __future__ import annotations

import argparse

from dtiflow.cli import present
from dtiflow.cli.errors import UserError
from dtiflow.cli.store_wiring import add_json, build_services, show
from services import queries
from services.audit_verify import parse_published_head, verify_cycle_audit

EXIT_BROKEN = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit log of a cycle; 'audit verify CYCLE' checks its hash chain",
                       description="dtiflow audit CYCLE --as PERSON: the log.  dtiflow audit verify CYCLE: "
                                   "recompute the hash chain (exit 1 and the first broken link if it was tampered with).")
    p.add_argument("target", nargs="+", metavar="[verify] CYCLE")
    p.add_argument("--as", dest="actor", default=None, metavar="PERSON",
                   help="who is reading (a person id from the units register); required to show the log")
    p.add_argument("--head", default=None, metavar="SEQ:HASH",
                   help="verify: the chain head published with the results, which the chain must still contain")
    add_json(p)
    p.set_defaults(handler=_audit)


def _line(e: dict) -> str:
    label = present.sheet_state if e["unit_code"] else present.cycle_state
    move = (f" {label(e['from']) if e['from'] else '—'} → {label(e['to']) if e['to'] else '—'}"
            if e["from"] or e["to"] else "")
    why = f" — lý do: {e['reason']}" if e["reason"] else ""
    unit = f" [{e['unit_code']}]" if e["unit_code"] else ""
    return f"{present.moment(e['at'])}  {e['actor']} ({e['role']})  {e['event']}{unit}{move}{why}"


def _audit(args: argparse.Namespace) -> int:
    words = args.target
    if words[0] == "verify":
        if len(words) != 2:
            raise UserError("cách dùng: dtiflow audit verify CYCLE [--head SỐ:MÃ_BĂM]")
        return _verify(args, words[1])
    if len(words) != 1:
        raise UserError(f"thừa tham số: {' '.join(words[1:])} (cách dùng: dtiflow audit CYCLE --as NGƯỜI)")
    if args.head is not None:
        raise UserError("--head chỉ dùng với 'dtiflow audit verify CYCLE'")
    if args.actor is None:
        raise UserError("xem nhật ký cần cho biết ai đang xem: --as NGƯỜI")
    show(args, queries.audit_log(build_services(), actor_id=args.actor, cycle_id=words[0]),
         lambda rows: "\n".join(_line(e) for e in rows))
    return 0


def _verify(args: argparse.Namespace, cycle_id: str) -> int:
    published = parse_published_head(args.head) if args.head is not None else None
    result = verify_cycle_audit(build_services(), cycle_id=cycle_id, actor_id=args.actor, published=published)
    show(args, result, _verdict)
    return 0 if result["intact"] else EXIT_BROKEN


def _verdict(r: dict) -> str:
    head = f"đầu chuỗi #{r['head']['seq']} {r['head']['hash']}"
    if r["intact"]:
        return f"Nhật ký của kỳ {r['cycle_id']} nguyên vẹn: {r['events']} sự kiện nối liền; {head}"
    b = r["broken"]
    where = f"tại #{b['seq']}" if b["seq"] is not None else "ngoài chuỗi"
    return (f"Nhật ký của kỳ {r['cycle_id']} BỊ PHÁ VỠ {where}: {b['reason']}\n"
            f"(phần còn nguyên: {r['events']} sự kiện đầu; {head})")
