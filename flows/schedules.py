"""Prefect schedules that fire only on Vietnamese working days, generated from the calendar.

"At HH:MM local on every working day from year A to year B" is written as an iCalendar rule set
that Prefect's `RRuleSchedule` (dateutil underneath) expands:

    DTSTART:20190101T080000
    RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0;BYSECOND=0;UNTIL=20191231T080000
    EXDATE:20190101T080000,20190204T080000,...     weekdays off (holidays, compensatory, swaps)
    RDATE:20190105T080000,...                      Saturdays worked in official swaps

Every date is a PLAIN LOCAL time (no `Z`, no `TZID=`): Prefect attaches the schedule's
`timezone` ("Asia/Ho_Chi_Minh") to DTSTART, UNTIL, EXDATE and RDATE alike. UTC `Z` values shift
the exclusions off the occurrences (they never match, so holidays fire), and `TZID=` is refused
by Prefect's validator (measured with Prefect 3.9).

Length: Prefect refuses a rule longer than 6,500 characters. A year costs about 500 (16
characters per exception), so one rule holds a dozen years. We split the requested years into
consecutive whole-year chunks, each one schedule, as few as fit under the cap; a deployment
takes a list of schedules, so the chunks are simply listed one after the other. Whole years
keep each chunk readable and let ops add next year's chunk once the government announces its
swaps (the calendar marks years without an official notice as estimated, and so do we).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput
from domain.instants import LOCAL_TZ_NAME

MAX_RRULE_LENGTH = 6500  # prefect._internal.schemas.validators.MAX_RRULE_LENGTH (Prefect 3.9)
WEEKDAYS = "MO,TU,WE,TH,FR"  # Decision 188/1999/QĐ-TTg: Saturday and Sunday are the weekly rest days


class ScheduleRequestError(InvalidInput):
    """The years or the time asked for cannot make a schedule; the message says why."""


@dataclass(frozen=True)
class WorkingDaySchedule:
    """One Prefect RRULE schedule covering `first_year`..`last_year` (whole years)."""

    first_year: int
    last_year: int
    rrule: str
    timezone: str
    estimated_years: tuple[int, ...]  # years whose calendar has no official notice yet

    def prefect_schedule(self) -> dict[str, str]:
        """The mapping `RRuleSchedule(**...)` and a prefect.yaml `schedules:` entry accept."""
        return {"rrule": self.rrule, "timezone": self.timezone}


def parse_time_of_day(text: str) -> dt.time:
    """'08:00' -> 08:00. Whole minutes only: the rule has no BYSECOND other than 0."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        raise ScheduleRequestError(f"'{text}' is not a time of day: write HH:MM (e.g. 08:00)")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ScheduleRequestError(f"'{text}' is not a time of day (hours 00–23, minutes 00–59)")
    return dt.time(hour, minute)


def _stamp(day: dt.date, at: dt.time) -> str:
    return f"{day:%Y%m%d}T{at.hour:02d}{at.minute:02d}00"


def _exceptions(calendar: WorkingCalendar, year: int, at: dt.time) -> tuple[list[str], list[str]]:
    """(EXDATE values, RDATE values) of one year: weekdays off and Saturdays/Sundays worked."""
    exdates, rdates = [], []
    for info in calendar.exceptions(year):
        (rdates if info.working else exdates).append(_stamp(info.date, at))
    return exdates, rdates


def _rule(calendar: WorkingCalendar, first: int, last: int, at: dt.time) -> str:
    exdates, rdates = [], []
    for year in range(first, last + 1):
        ex, rd = _exceptions(calendar, year, at)
        exdates += ex
        rdates += rd
    lines = [
        f"DTSTART:{_stamp(dt.date(first, 1, 1), at)}",
        f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS};BYHOUR={at.hour};BYMINUTE={at.minute};BYSECOND=0;"
        f"UNTIL={_stamp(dt.date(last, 12, 31), at)}",
    ]
    if exdates:
        lines.append("EXDATE:" + ",".join(exdates))
    if rdates:
        lines.append("RDATE:" + ",".join(rdates))
    return "\n".join(lines)


def working_day_schedules(calendar: WorkingCalendar, first_year: int, last_year: int, at: dt.time, *,
                          max_length: int = MAX_RRULE_LENGTH) -> list[WorkingDaySchedule]:
    """Schedules firing at `at` local time on every working day of `first_year`..`last_year`.

    Consecutive years share one rule while it stays within `max_length` characters; a year that
    alone exceeds it (it cannot happen with real calendars: ~30 exceptions a year) is an error.
    """
    if first_year > last_year:
        raise ScheduleRequestError(f"--from {first_year} is after --to {last_year}")
    if not (calendar.first_year <= first_year and last_year <= calendar.last_year):
        raise ScheduleRequestError(
            f"the calendar covers {calendar.first_year}–{calendar.last_year}; "
            f"{first_year}–{last_year} is outside it (add the years to rubrics/calendar/vn.yaml first)")
    if at.second or at.microsecond:
        raise ScheduleRequestError("the time of day must be whole minutes")
    out: list[WorkingDaySchedule] = []
    start = first_year
    while start <= last_year:
        end = start
        text = _rule(calendar, start, end, at)
        if len(text) > max_length:
            raise ScheduleRequestError(
                f"the rule for {start} alone is {len(text)} characters, over Prefect's cap of {max_length}")
        while end < last_year:
            longer = _rule(calendar, start, end + 1, at)
            if len(longer) > max_length:
                break
            end, text = end + 1, longer
        estimated = tuple(y for y in range(start, end + 1) if calendar.is_year_estimated(y))
        out.append(WorkingDaySchedule(start, end, text, LOCAL_TZ_NAME, estimated))
        start = end + 1
    return out
