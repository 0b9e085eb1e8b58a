"""Civil Code 2015 Art. 144–148: periods start the day after the event and end at the end of their last day."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.instants import end_of_local_day, is_before
from domain.periods import Closing, Period, PeriodUnit, closing_instant, fixed_day, period_end

D = dt.date
UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "event, period, last_day, rolled_from",
    [
        # Art. 147(1): counting starts the day after the event; 15 days from Wed 1/2/2023 is Thu 16/2.
        (D(2023, 2, 1), Period(15, PeriodUnit.DAYS), D(2023, 2, 16), None),
        # Art. 148(5): a last day on Saturday 18/3/2023 rolls to the end of Monday 20/3.
        (D(2023, 3, 3), Period(15, PeriodUnit.DAYS), D(2023, 3, 20), D(2023, 3, 18)),
        # ...unless the regime says the period does not roll.
        (D(2023, 3, 3), Period(15, PeriodUnit.DAYS, rolls=False), D(2023, 3, 18), None),
        # A last day inside Tết 2024 (Sat 10/2) rolls past the whole holiday to Thu 15/2/2024.
        (D(2024, 1, 26), Period(15, PeriodUnit.DAYS), D(2024, 2, 15), D(2024, 2, 10)),
        # Decision 1867 Art. 8(1), letter 697: 5 working days counted from Sunday 15/9/2019 end Fri 20/9.
        (D(2019, 9, 15), Period(5, PeriodUnit.WORKING_DAYS), D(2019, 9, 20), None),
        # Working days skip the 2/9 holiday: 5 working days from Fri 30/8/2019 end Mon 9/9/2019.
        (D(2019, 8, 30), Period(5, PeriodUnit.WORKING_DAYS), D(2019, 9, 9), None),
        # A make-up Saturday counts as a working day: 1 working day after Fri 9/1/2026 is Sat 10/1/2026
        # (letter 12729/VPCP-KGVX of 25/12/2025).
        (D(2026, 1, 9), Period(1, PeriodUnit.WORKING_DAYS), D(2026, 1, 10), None),
    ],
)
def test_a_period_ends_on_the_day_the_civil_code_says(calendar, event, period, last_day, rolled_from):
    end = period_end(calendar, event, period)
    assert (end.last_day, end.rolled_from) == (last_day, rolled_from)


def test_a_fixed_date_rolls_only_when_the_regime_says_so(calendar):
    sunday = D(2019, 9, 15)
    assert fixed_day(calendar, sunday, rolls=False).last_day == sunday
    assert fixed_day(calendar, sunday, rolls=True).last_day == D(2019, 9, 16)


def test_the_end_of_a_local_day_is_midnight_in_vietnam_as_a_utc_instant():
    assert end_of_local_day(D(2019, 9, 20)) == dt.datetime(2019, 9, 20, 17, 0, tzinfo=UTC)
    assert closing_instant(D(2019, 9, 20), Closing.START_OF_DAY) == dt.datetime(2019, 9, 19, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "received, on_time",
    [
        (dt.datetime(2019, 9, 20, 16, 59, 59, 999999, tzinfo=UTC), True),
        (dt.datetime(2019, 9, 20, 17, 0, 0, tzinfo=UTC), False),  # 00:00 on 21/9 local: late
        (dt.datetime(2019, 9, 20, 23, 59, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), True),
    ],
)
def test_on_time_means_strictly_before_the_deadline_instant(received, on_time):
    assert is_before(received, end_of_local_day(D(2019, 9, 20))) is on_time


def test_a_naive_instant_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="no time zone"):
        is_before(dt.datetime(2019, 9, 20, 12), end_of_local_day(D(2019, 9, 20)))


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError, match="negative"):
        Period(-1, PeriodUnit.DAYS)
