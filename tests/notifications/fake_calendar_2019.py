"""A working-day calendar for the 2019 Bình Thuận examples, implementing the calendar port.

Weekends plus National Day, Monday 2/9/2019 (Labour Code 2012 Art. 115; no swap that year).
It is a fake of `domain.calendar.WorkingCalendar` for the planner tests only; a test checks it
against the real calendar when that is installed.
"""

from __future__ import annotations

import datetime as dt

DAYS_OFF_2019 = frozenset({dt.date(2019, 9, 2)})


class Calendar2019:
    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in DAYS_OFF_2019  # weekends + the listed days off

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
