"""`dtiflow unit extend`: the secretariat gives one unit more time (with a reason, audited).
`dtiflow unit reopen`: the secretariat reopens collection for units wrongly marked not evaluated,
with a new deadline and a reason (services.collection)."""

from __future__ import annotations

import argparse
import datetime as dt

from domain.instants import end_of_local_day, format_closing_vi
from dtiflow.cli.args import parse_date
from dtiflow.cli.store_wiring import add_actor, build_services, show
from dtiflow.cli import present
from services import cycles
from services.collection import reopen_collection


def _until(text: str) -> dt.datetime:
    """A local date (the extension ends at the end of that day, Civil Code Art. 148) or an
    ISO instant with its zone."""
    if "T" in text:
        try:
            instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not an ISO instant") from None
        if instant.tzinfo is None:
            raise argparse.ArgumentTypeError(f"'{text}' has no time zone: add Z or +07:00")
        return instant.astimezone(dt.timezone.utc)
    from domain.instants import end_of_local_day

    return end_of_local_day(parse_date(text))


def register(sub: argparse._SubParsersAction) -> None:
    unit = sub.add_parser("unit", help="one unit's terms in a cycle")
    usub = unit.add_subparsers(dest="unit_command", metavar="ACTION", parser_class=type(unit))
    usub.required = True
    ex = usub.add_parser("extend", help="extend the deadline for one unit (secretariat; reason required)")
    ex.add_argument("cycle")
    ex.add_argument("unit")
    ex.add_argument("--until", type=_until, required=True, metavar="DATE|INSTANT",
                    help="a local date (ends at 24:00 that day) or an ISO instant")
    ex.add_argument("--reason", required=True)
    add_actor(ex)
    ex.set_defaults(handler=_extend)
    ro = usub.add_parser("reopen", help="reopen collection for units marked not evaluated by a wrong move "
                                        "(secretariat; new deadline and reason required, audited)")
    ro.add_argument("cycle")
    ro.add_argument("--unit", dest="units", action="append", required=True, metavar="UNIT",
                    help="a unit to reopen (repeat for several)")
    ro.add_argument("--until", type=parse_date, required=True, metavar="DATE",
                    help="the new deadline: a working day (ends at 24:00 local time), before the cycle's next stage")
    ro.add_argument("--reason", required=True)
    add_actor(ro)
    ro.set_defaults(handler=_reopen)


def _extend(args: argparse.Namespace) -> int:
    result = cycles.extend_deadline(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit,
                                    until=args.until, reason=args.reason, key=args.key)
    show(args, result, lambda r: (f"Đã gia hạn cho {r['unit_code']} đến {present.deadline(r['extended_until'])} "
                                 f"(hạn cũ {present.deadline(r['previous_due'])})"))
    return 0


def _reopen(args: argparse.Namespace) -> int:
    result = reopen_collection(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_codes=args.units,
                               until=args.until, reason=args.reason, key=args.key)
    show(args, result, lambda r: f"Đã mở lại việc nhận phiếu cho {', '.join(r['units'])} đến "
                                 f"{format_closing_vi(end_of_local_day(args.until))}; kỳ ở trạng thái '{r['state']}'")
    return 0
