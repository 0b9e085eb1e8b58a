"""`dtiflow calendar ...`: ask the working-day calendar of state agencies.

    dtiflow calendar is-working-day DATE
    dtiflow calendar add-working-days DATE N      (counting starts the day after DATE)
    dtiflow calendar count-working-days FROM TO   (working days after FROM up to and including TO)
    dtiflow calendar year YEAR                    (every day off on a weekday, every Saturday worked)

Dates are YYYY-MM-DD or dd/mm/yyyy; every command takes --json. An answer that depends on a
year (or an entry) with no official notice yet says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from domain.calendar import DayInfo, WorkingCalendar
from domain.instants import format_date_vi, weekday_vi
from dtiflow.cli.args import parse_date, parse_int, parse_year
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from rubrics.calendar_loader import CalendarFile, load_calendar_file

ESTIMATED_NOTE = "Lưu ý: kết quả dựa trên lịch dự kiến (chưa có thông báo chính thức cho ngày/năm liên quan)."


def register(subparsers: argparse._SubParsersAction) -> None:
    cal = subparsers.add_parser("calendar", help="working days of state agencies (Vietnam)",
                                description=__doc__.splitlines()[0])
    sub = cal.add_subparsers(dest="calendar_command", metavar="QUESTION", parser_class=type(cal))
    sub.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.add_argument("--calendar", type=Path, default=None, metavar="FILE",
                       help="override file to use (default: rubrics/calendar/vn.yaml)")

    p = sub.add_parser("is-working-day", help="is DATE a working day, and why")
    p.add_argument("date", type=parse_date, metavar="DATE")
    common(p)
    p.set_defaults(handler=_is_working_day)

    p = sub.add_parser("add-working-days", help="the date N working days after DATE")
    p.add_argument("date", type=parse_date, metavar="DATE")
    p.add_argument("n", type=parse_int, metavar="N")
    common(p)
    p.set_defaults(handler=_add_working_days)

    p = sub.add_parser("count-working-days", help="working days after FROM up to and including TO")
    p.add_argument("start", type=parse_date, metavar="FROM")
    p.add_argument("end", type=parse_date, metavar="TO")
    common(p)
    p.set_defaults(handler=_count_working_days)

    p = sub.add_parser("year", help="every day of YEAR that breaks the Monday–Friday pattern")
    p.add_argument("year", type=parse_year, metavar="YEAR")
    common(p)
    p.set_defaults(handler=_year)


def _file(args: argparse.Namespace) -> CalendarFile:
    return load_calendar_file(args.calendar)


def _ask(fn, *a):
    """Run a calendar question; its errors become one line for the user (exit 2)."""
    try:
        return fn(*a)
    except ValueError as exc:  # CalendarRangeError, a negative N, FROM after TO
        raise UserError(str(exc)) from None


def _day(d: dt.date) -> str:
    return f"{weekday_vi(d)} {format_date_vi(d)}"


def _reason(info: DayInfo) -> str:
    if info.kind == "working_day":
        return f"{info.name} ({weekday_vi(info.date)})"
    if info.kind == "weekend":
        return f"{info.name}, nghỉ hằng tuần"
    return f"{info.name} ({info.source})"


def _is_working_day(args: argparse.Namespace) -> int:
    cal = _file(args).calendar
    info = _ask(cal.day_info, args.date)
    if args.json:
        emit_json({"date": args.date.isoformat(), "working_day": info.working,
                   "reason": _reason(info), "estimated": info.estimated})
        return 0
    verdict = "ngày làm việc" if info.working else "ngày nghỉ"
    print(f"{_day(args.date)}: {verdict} — {_reason(info)}")
    if info.estimated:
        print(ESTIMATED_NOTE)
    return 0


def _add_working_days(args: argparse.Namespace) -> int:
    cal = _file(args).calendar
    result = _ask(cal.add_working_days, args.date, args.n)
    estimated = _ask(cal.is_estimated_between, args.date, result)
    if args.json:
        emit_json({"start": args.date.isoformat(), "working_days": args.n,
                   "date": result.isoformat(), "estimated": estimated})
        return 0
    print(f"{args.n} ngày làm việc sau {_day(args.date)} (tính từ ngày hôm sau): {_day(result)}")
    if estimated:
        print(ESTIMATED_NOTE)
    return 0


def _count_working_days(args: argparse.Namespace) -> int:
    cal = _file(args).calendar
    count = _ask(cal.count_working_days, args.start, args.end)
    estimated = _ask(cal.is_estimated_between, args.start, args.end)
    if args.json:
        emit_json({"from": args.start.isoformat(), "to": args.end.isoformat(),
                   "working_days": count, "estimated": estimated})
        return 0
    print(f"Từ sau {_day(args.start)} đến hết {_day(args.end)}: {count} ngày làm việc")
    if estimated:
        print(ESTIMATED_NOTE)
    return 0


def _year(args: argparse.Namespace) -> int:
    f = _file(args)
    cal: WorkingCalendar = f.calendar
    days = _ask(cal.exceptions, args.year)
    estimated = cal.is_year_estimated(args.year)
    if args.json:
        emit_json({"year": args.year, "estimated": estimated, "days": [
            {"date": d.date.isoformat(), "working_day": d.working, "kind": d.kind,
             "name": d.name, "source": d.source, "estimated": d.estimated} for d in days]})
        return 0
    record = f.years.get(args.year)
    if record and record.status == "estimated":
        status = "dự kiến (chưa có thông báo chính thức)"
    elif estimated:  # an official year with an entry still estimated: the header must not overstate it
        status = "chính thức, trừ các ngày ghi (dự kiến)"
    else:
        status = "chính thức"
    print(f"Lịch làm việc năm {args.year} — {status}; phiên bản lịch {cal.version}")
    for d in days:
        what = "làm việc" if d.working else "nghỉ"
        mark = " (dự kiến)" if d.estimated else ""
        print(f"  {_day(d.date):<20} {what:<9} {d.name}{mark} — {d.source}")
    if record:
        for s in record.sources:
            print(f"Nguồn: {s}")
        if record.note:
            print(f"Ghi chú: {record.note}")
    if estimated:
        print(ESTIMATED_NOTE)
    return 0
