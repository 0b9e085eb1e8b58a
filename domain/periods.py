"""Periods and deadlines under the Civil Code 2015 (Art. 144–148).

- Art. 147(1): a period counted in days starts on the day after the event that starts it.
- Art. 148(1): a period counted in days ends at the end (24:00) of its last day.
- Art. 148(5): when the last day is a weekly rest day or a public holiday, the period ends at
  the end of the next working day.
A period of N *working* days (the grace period of Decision 1867 Art. 8(1), the 15 working days
of Decision 2392 Art. 4) counts only working days, so its last day is a working day already.

A deadline is an instant (half-open): "end of local day D" is D+1 00:00 Asia/Ho_Chi_Minh, and
a submission is on time when it is received strictly before that instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from domain.instants import end_of_local_day, start_of_local_day


class PeriodUnit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"


class Closing(StrEnum):
    """When on its last day a milestone closes."""

    END_OF_DAY = "end_of_day"  # Civil Code 2015 Art. 148(1): at 24:00 of the day
    START_OF_DAY = "start_of_day"  # a strict "before D": closes at 00:00 of D


class WorkingDays(Protocol):
    """The part of the calendar that periods need (domain.calendar.WorkingCalendar)."""

    def is_working_day(self, d: dt.date) -> bool: ...
    def add_working_days(self, d: dt.date, n: int) -> dt.date: ...
    def roll_forward(self, d: dt.date) -> dt.date: ...
    def is_estimated_between(self, a: dt.date, b: dt.date) -> bool: ...


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: PeriodUnit
    # Art. 148(5) applies to periods counted in days; a regime may state otherwise.
    rolls: bool = True

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"a period cannot be negative ({self.amount} {self.unit})")


@dataclass(frozen=True, slots=True)
class PeriodEnd:
    last_day: dt.date
    rolled_from: dt.date | None  # the nominal last day when Art. 148(5) moved it
    estimated: bool  # some day in the period comes from an estimated calendar year


def period_end(calendar: WorkingDays, event_day: dt.date, period: Period) -> PeriodEnd:
    """The last day of `period` counted from the event on `event_day` (Civil Code 2015 Art. 147–148)."""
    if period.unit is PeriodUnit.WORKING_DAYS:
        last = calendar.add_working_days(event_day, period.amount)
        return PeriodEnd(last, None, calendar.is_estimated_between(event_day, last))
    nominal = event_day + dt.timedelta(days=period.amount)
    last = calendar.roll_forward(nominal) if period.rolls else nominal
    return PeriodEnd(last, nominal if last != nominal else None,
                     calendar.is_estimated_between(event_day, last))


def fixed_day(calendar: WorkingDays, day: dt.date, *, rolls: bool) -> PeriodEnd:
    """A milestone on a fixed date; whether it rolls to a working day is the regime's choice."""
    last = calendar.roll_forward(day) if rolls else day
    return PeriodEnd(last, day if last != day else None, calendar.is_estimated_between(day, last))


def closing_instant(day: dt.date, closing: Closing = Closing.END_OF_DAY) -> dt.datetime:
    """The instant a milestone on local `day` closes, as UTC."""
    if closing is Closing.START_OF_DAY:
        return start_of_local_day(day)
    return end_of_local_day(day)
