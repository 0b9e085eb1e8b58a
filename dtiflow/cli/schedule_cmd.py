"""`dtiflow schedule rrule --from YEAR --to YEAR --at HH:MM`: a Prefect schedule for working days.

Prints the iCalendar rule set(s) that fire at HH:MM Asia/Ho_Chi_Minh on every Vietnamese working
day of the years asked (weekdays off excluded, make-up Saturdays added), generated from the
working-day calendar. With --json, a list of {"rrule", "timezone", ...} objects: each one's
`rrule` and `timezone` is what a prefect.yaml `schedules:` entry (or `RRuleSchedule(**...)`)
takes; --yaml prints them as a ready `schedules:` block. Long ranges come out as several schedules, one per group of whole years (Prefect caps a
rule at 6,500 characters).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dtiflow.cli.args import parse_year
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from flows.schedules import ScheduleRequestError, parse_time_of_day, working_day_schedules
from rubrics.calendar_loader import load_calendar

ESTIMATED_NOTE = ("Lưu ý: lịch năm {years} chỉ là dự kiến (chưa có thông báo chính thức về nghỉ lễ, "
                  "hoán đổi ngày làm việc); hãy sinh lại lịch khi có thông báo.")


def register(subparsers: argparse._SubParsersAction) -> None:
    sched = subparsers.add_parser("schedule", help="Prefect schedules from the working-day calendar",
                                  description=__doc__.splitlines()[0])
    sub = sched.add_subparsers(dest="schedule_command", metavar="WHAT", parser_class=type(sched))
    sub.required = True
    p = sub.add_parser("rrule", help="an RRULE firing at HH:MM local on every working day of the years")
    p.add_argument("--from", dest="first", type=parse_year, required=True, metavar="YEAR")
    p.add_argument("--to", dest="last", type=parse_year, required=True, metavar="YEAR")
    p.add_argument("--at", default="08:00", metavar="HH:MM", help="local time of day (default 08:00)")
    p.add_argument("--calendar", type=Path, default=None, metavar="FILE",
                   help="override file to use (default: rubrics/calendar/vn.yaml)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON instead of text")
    out.add_argument("--yaml", action="store_true",
                     help="print a `schedules:` block to paste into a prefect.yaml deployment")
    p.set_defaults(handler=_rrule)


def _rrule(args: argparse.Namespace) -> int:
    try:
        at = parse_time_of_day(args.at)
        schedules = working_day_schedules(load_calendar(args.calendar), args.first, args.last, at)
    except ScheduleRequestError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        emit_json([{**s.prefect_schedule(), "first_year": s.first_year, "last_year": s.last_year,
                    "length": len(s.rrule), "estimated_years": list(s.estimated_years)} for s in schedules])
        return 0
    if args.yaml:
        print(_yaml_block(schedules, at))
        return 0
    for i, s in enumerate(schedules):
        if i:
            print()
        print(f"# {s.first_year}–{s.last_year}, {at:%H:%M} {s.timezone}, {len(s.rrule)} ký tự")
        print(s.rrule)
    estimated = sorted({y for s in schedules for y in s.estimated_years})
    if estimated:
        print()
        print("# " + ESTIMATED_NOTE.format(years=", ".join(map(str, estimated))))
    return 0


def _yaml_block(schedules, at) -> str:
    """A prefect.yaml `schedules:` list; each rule as a literal block (one iCalendar line each)."""
    lines = ["schedules:"]
    for s in schedules:
        estimated = f"; ước tính: {', '.join(map(str, s.estimated_years))}" if s.estimated_years else ""
        lines.append(f"  # {s.first_year}–{s.last_year}, {at:%H:%M} giờ Việt Nam, ngày làm việc{estimated}")
        lines.append("  - rrule: |")
        lines += [f"      {line}" for line in s.rrule.splitlines()]
        lines.append(f"    timezone: {s.timezone}")
    return "\n".join(lines)
