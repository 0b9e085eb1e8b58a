"""`dtiflow timeline REGIME --year YEAR`: a regime's milestones for one year, with the calendar behind them."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from domain.instants import as_local, format_closing_vi, format_date_vi, weekday_vi
from domain.regime import MilestoneKind, Regime, UnknownGroup
from domain.timeline import MissingFact, Timeline, compute_timeline
from dtiflow.clock import SystemClock
from dtiflow.cli.args import parse_date, parse_year
from dtiflow.cli.errors import UserError
from dtiflow.cli.output import emit_json
from dtiflow.ics import IcsEvent, render_calendar
from rubrics.calendar_loader import load_calendar
from rubrics.regime_loader import UnknownRegime, load_regime


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="the dated milestones of a regime for one year",
                       description="Dated milestones of a regime for one year (Civil Code 2015 Art. 144–148).")
    p.add_argument("regime", help="regime id, e.g. binhthuan-2019-it")
    p.add_argument("--year", type=parse_year, required=True, help="the evaluation year")
    p.add_argument("--level", "--group", dest="group", help="group or level, where the dates differ (e.g. commune)")
    p.add_argument("--notice-date", type=parse_date, help="the notice's issue date (YYYY-MM-DD or dd/mm/yyyy)")
    p.add_argument("--received-date", type=parse_date, help="the day the request or survey was received")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="ID=DATE",
                   help="a date set when the cycle opens (e.g. submission_due=2026-09-15); repeatable")
    p.add_argument("--ics", type=Path, metavar="FILE", help="also write the milestones as an iCalendar file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def facts_from_args(regime: Regime, args: argparse.Namespace) -> dict[str, dt.date]:
    facts: dict[str, dt.date] = {}
    for role, value, option in (("notice", args.notice_date, "--notice-date"),
                                ("received", args.received_date, "--received-date")):
        if value is None:
            continue
        fact = regime.fact_with_role(role)
        if fact is None:
            others = ", ".join(f"--{f.role}-date" for f in regime.facts if f.role in ("notice", "received"))
            raise UserError(f"regime {regime.id} has no {role} date; {option} does not apply"
                            + (f" (use {others})" if others else ""))
        facts[fact.id] = value
    for item in args.sets:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set '{item}': write ID=DATE, e.g. submission_due=2026-09-15")
        try:
            facts[key.strip()] = parse_date(text)
        except argparse.ArgumentTypeError as exc:
            raise UserError(f"--set {key.strip()}: {exc}") from None
    return facts


def build_timeline(args: argparse.Namespace) -> tuple[Regime, Timeline]:
    try:
        regime = load_regime(args.regime)
    except UnknownRegime as exc:
        raise UserError(str(exc)) from None
    calendar = load_calendar()
    if not calendar.first_year <= args.year <= calendar.last_year:
        raise UserError(f"năm {args.year} nằm ngoài lịch làm việc ({calendar.first_year}–{calendar.last_year})")
    try:
        timeline = compute_timeline(regime, args.year, args.group, facts_from_args(regime, args),
                                    calendar, calendar.version)
    except (UnknownGroup, MissingFact) as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # a date outside the calendar's years (CalendarRangeError)
        raise UserError(str(exc)) from None
    return regime, timeline


def timeline_json(timeline: Timeline) -> dict:
    return {
        "regime": timeline.regime_id,
        "year": timeline.year,
        "level": timeline.group_id,
        "calendar_version": timeline.calendar_version,
        "milestones": [
            {
                "id": m.id,
                "name": m.name,
                "date": m.date.isoformat() if m.date else None,
                "closes_at": as_local(m.closes_at).isoformat() if m.closes_at else None,
                "rule": m.rule,
                "estimated": m.estimated,
            }
            for m in timeline.milestones
        ],
    }


def render_text(regime: Regime, timeline: Timeline, calendar) -> str:
    level = f", {regime.group(timeline.group_id).name}" if timeline.group_id else ""
    lines = [f"{regime.title}{level} — năm {timeline.year}",
             f"Quy định: {regime.sources[0].title}" + (f" (và {len(regime.sources) - 1} văn bản khác)" if len(regime.sources) > 1 else ""),
             f"Lịch ngày làm việc: phiên bản {timeline.calendar_version}", ""]
    for m in timeline.milestones:
        when = f"{weekday_vi(m.date)}, {format_date_vi(m.date)}" if m.date else "chưa xác định"
        lines.append(f"  {m.name}")
        lines.append(f"      {when}" + (f" — hạn chót {format_closing_vi(m.closes_at)}" if m.closes_at else "")
                     + ("  [ƯỚC TÍNH: lịch nghỉ năm này chưa được công bố chính thức]" if m.estimated else ""))
        lines.append(f"      Cách tính: {m.rule}")
    # The calendar facts behind the dates: from the first dated step of the cycle (not the
    # start of the data period, a year earlier) to its last milestone.
    dated = [m.date for m in timeline.milestones if m.date and m.kind is not MilestoneKind.OPENS]
    if dated:
        lines += ["", "Ngày nghỉ và ngày làm bù trong khoảng các mốc (căn cứ lịch ngày làm việc):"]
        start, end = min(dated), max(dated)
        days = [d for year in range(start.year, end.year + 1)
                if calendar.first_year <= year <= calendar.last_year
                for d in calendar.exceptions(year) if start <= d.date <= end]
        if not days:
            lines.append("  (không có)")
        for d in days:
            flag = " [ước tính]" if d.estimated else ""
            status = "làm việc" if d.working else "nghỉ"
            lines.append(f"  {weekday_vi(d.date)}, {format_date_vi(d.date)}: {status} — {d.name} ({d.source}){flag}")
    return "\n".join(lines)


def ics_events(regime: Regime, timeline: Timeline) -> list[IcsEvent]:
    group = timeline.group_id or "all"
    out = []
    for m in timeline.milestones:
        if not m.date:
            continue
        desc = m.rule + (f"\nHạn chót: {format_closing_vi(m.closes_at)}" if m.closes_at else "")
        if m.source:
            desc += f"\nCăn cứ: {m.source}"
        out.append(IcsEvent(f"{timeline.regime_id}-{timeline.year}-{group}-{m.id}@dtiflow",
                            m.date, f"{m.name} ({regime.id} {timeline.year})", desc))
    return out


def run(args: argparse.Namespace) -> int:
    regime, timeline = build_timeline(args)
    if args.ics:
        text = render_calendar(ics_events(regime, timeline), stamp=SystemClock().now(),
                               name=f"{regime.title} {timeline.year}")
        try:
            args.ics.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"cannot write {args.ics}: {exc.strerror}") from None
    if args.json:
        emit_json(timeline_json(timeline))
    else:
        print(render_text(regime, timeline, load_calendar()))
        if args.ics:
            print(f"\nĐã ghi lịch (.ics): {args.ics}")
    return 0
