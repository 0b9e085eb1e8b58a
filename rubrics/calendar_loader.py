"""Reads rubrics/calendar/vn.yaml, checks every entry, and builds the working-day calendar.

Every problem is reported as ``file:line: message`` (a `DataFileError`), never a traceback:
a bad or unreal date, an unknown kind, a date given twice, a missing legal source, a year
without its status. The rules an entry must follow live in `domain.calendar.override_problem`
so the domain and the file agree on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from domain.calendar import CONFIDENCES, KINDS, CalendarOverride, WorkingCalendar, override_problem
from rubrics.holiday_cache import base_days
from rubrics.source import DATA_DIR, DataFileError, Node, Where, display_path, load_yaml

DEFAULT_PATH = DATA_DIR / "calendar" / "vn.yaml"
YEAR_STATUSES = ("official", "estimated")
_TOP_KEYS = {"version", "first_year", "last_year", "years", "overrides"}
_YEAR_KEYS = {"status", "sources", "note"}
_ENTRY_KEYS = {"date", "kind", "name", "source", "confidence"}


@dataclass(frozen=True)
class YearRecord:
    """What the file says about one year: official or estimated, and the documents behind it."""

    year: int
    status: str
    sources: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class CalendarFile:
    calendar: WorkingCalendar
    years: dict[int, YearRecord]
    path: str


def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """The calendar from `path` (default rubrics/calendar/vn.yaml); cached per path."""
    return load_calendar_file(path).calendar


def load_calendar_file(path: Path | None = None) -> CalendarFile:
    return _load_cached(str(Path(path or DEFAULT_PATH).resolve()))


def clear_cache() -> None:
    _load_cached.cache_clear()


@lru_cache(maxsize=8)
def _load_cached(resolved: str) -> CalendarFile:
    path = Path(resolved)
    return _parse(load_yaml(path), display_path(path))


def _parse(root: Node, shown: str) -> CalendarFile:
    root.expect_map("the calendar file")
    root.only_keys(_TOP_KEYS, "the calendar file")
    version = root.req("version", "the calendar file").str("version")
    first = root.req("first_year", "the calendar file").int("first_year", min=1900, max=2200)
    last = root.req("last_year", "the calendar file").int("last_year", min=first, max=2200)
    years = _years(root.req("years", "the calendar file").expect_map("years"), first, last)
    overrides = _overrides(root.req("overrides", "the calendar file").expect_list("overrides"), first, last)
    estimated = [y for y, rec in years.items() if rec.status == "estimated"]
    calendar = WorkingCalendar.build(first, last, overrides, version, estimated, base_days(first, last))
    return CalendarFile(calendar, years, shown)


def _years(node: Node, first: int, last: int) -> dict[int, YearRecord]:
    out: dict[int, YearRecord] = {}
    for key, entry in node.items():
        if not key.isdigit() or not first <= int(key) <= last:
            raise DataFileError(entry.where, f"year '{key}' is not one of the covered years {first}–{last}")
        year = int(key)
        what = f"year {year}"
        entry.expect_map(what).only_keys(_YEAR_KEYS, what)
        status = entry.req("status", what).choice(f"{what} status", YEAR_STATUSES)
        note_node = entry.get("note")
        note = note_node.str(f"{what} note") if note_node is not None else None
        sources: tuple[str, ...] = ()
        if status == "official":
            src = entry.req("sources", what).expect_list(f"{what} sources")
            if len(src) == 0:
                raise DataFileError(src.where, f"{what} is official but lists no source")
            sources = tuple(s.str(f"{what} source") for s in src)
        elif note is None:
            raise DataFileError(entry.where, f"{what} is estimated: say why in a 'note'")
        out[year] = YearRecord(year, status, sources, note)
    missing = [y for y in range(first, last + 1) if y not in out]
    if missing:
        raise DataFileError(node.where, f"years {', '.join(map(str, missing))} have no entry (status official or estimated)")
    return out


def _overrides(node: Node, first: int, last: int) -> list[CalendarOverride]:
    out: list[CalendarOverride] = []
    seen: dict[dt.date, Where] = {}
    for entry in node:
        entry.expect_map("an override").only_keys(_ENTRY_KEYS, "an override")
        day = entry.req("date", "override").date("date")
        what = f"override {day.isoformat()}"
        if not first <= day.year <= last:
            raise DataFileError(entry.req("date").where, f"{what} is outside the covered years {first}–{last}")
        if day in seen:
            raise DataFileError(entry.where, f"{what} is given twice (first on line {seen[day].line})")
        seen[day] = entry.where
        o = CalendarOverride(
            date=day,
            kind=entry.req("kind", what).choice(f"{what} kind", KINDS),
            name=entry.req("name", what).str(f"{what} name"),
            source=entry.req("source", what).str(f"{what} source"),
            confidence=entry.req("confidence", what).choice(f"{what} confidence", CONFIDENCES),
        )
        problem = override_problem(o)
        if problem:
            raise DataFileError(entry.where, f"{what}: {problem}")
        out.append(o)
    return out


