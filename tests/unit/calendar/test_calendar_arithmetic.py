"""The index answers exactly what a naive day-by-day walk answers, over the whole range.

The reference reads only `day_info(d).working` (the per-day facts) and walks one day at a
time; the calendar answers from its precomputed arrays. Every start day is tried for the
period lengths the regimes use, and a seeded sample of pairs for counting.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from domain.calendar import CalendarOverride, CalendarRangeError, WorkingCalendar
from domain.errors import InvalidInput

ONE = dt.timedelta(days=1)
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2027, 12, 31)


@pytest.fixture(scope="module")
def days(calendar):
    out, d = [], FIRST
    while d <= LAST:
        out.append(d)
        d += ONE
    return out


@pytest.fixture(scope="module")
def truth(calendar, days):
    return {d: calendar.day_info(d).working for d in days}


def naive_add(truth, d, n):
    while n:
        d += ONE
        if d > LAST:
            return None
        n -= truth[d]
    return d


def naive_count(truth, a, b):
    n, d = 0, a + ONE
    while d <= b:
        n += truth[d]
        d += ONE
    return n


def test_is_working_day_agrees_with_the_day_facts_on_every_day(calendar, days, truth):
    assert [calendar.is_working_day(d) for d in days] == [truth[d] for d in days]


def test_a_working_day_is_never_a_plain_weekday_rule_in_disguise(calendar, days, truth):
    # a classic mistake: `weekday() < 5` is wrong on at least the swaps and holidays
    assert sum(truth[d] != (d.weekday() < 5) for d in days) > 100


@pytest.mark.parametrize("n", [1, 5, 15, 30, 120])
def test_adding_working_days_matches_a_day_by_day_walk_from_every_start(calendar, days, truth, n):
    for d in days:
        expected = naive_add(truth, d, n)
        if expected is None:
            with pytest.raises(CalendarRangeError):
                calendar.add_working_days(d, n)
        else:
            assert calendar.add_working_days(d, n) == expected, d


def test_counting_working_days_matches_a_day_by_day_walk_on_random_pairs(calendar, days, truth):
    rng = random.Random(20260126)
    for _ in range(3000):
        a, b = sorted(rng.sample(days, 2))
        if rng.random() < 0.5:  # also short spans, the common case
            b = min(a + dt.timedelta(days=rng.randint(0, 40)), LAST)
        assert calendar.count_working_days(a, b) == naive_count(truth, a, b), (a, b)


def test_counting_then_adding_comes_back_to_the_same_working_day(calendar, days, truth):
    rng = random.Random(7)
    for a in rng.sample(days, 500):
        b = rng.choice(days[days.index(a):])
        n = calendar.count_working_days(a, b)
        if n and truth[b]:
            assert calendar.add_working_days(a, n) == b


def test_next_working_day_and_roll_forward_match_the_walk(calendar, days, truth):
    for d in days[:-10]:
        nxt = naive_add(truth, d, 1)
        assert calendar.next_working_day(d) == nxt
        assert calendar.roll_forward(d) == (d if truth[d] else nxt)


def test_adding_zero_working_days_returns_the_day_itself(calendar):
    sunday = dt.date(2026, 1, 4)
    assert calendar.add_working_days(sunday, 0) == sunday


def test_counting_from_a_day_to_itself_is_zero(calendar):
    assert calendar.count_working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == 0


@pytest.mark.parametrize("start,n,expected", [
    (dt.date(2019, 9, 15), 5, dt.date(2019, 9, 20)),   # grace end of binhthuan-2019-it
    (dt.date(2026, 1, 1), 1, dt.date(2026, 1, 5)),     # 2/1 off by swap, 3–4 weekend
    (dt.date(2026, 1, 9), 1, dt.date(2026, 1, 10)),    # the make-up Saturday counts
    (dt.date(2026, 2, 13), 1, dt.date(2026, 2, 23)),   # Tết Bính Ngọ 14/02–22/02
    (dt.date(2026, 8, 21), 1, dt.date(2026, 8, 22)),   # make-up Saturday 22/8
    (dt.date(2026, 8, 28), 1, dt.date(2026, 9, 3)),    # Quốc khánh 29/8–2/9
])
def test_known_answers_around_the_days_off(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize("call", [
    lambda c: c.is_working_day(dt.date(2014, 12, 31)),
    lambda c: c.is_working_day(dt.date(2028, 1, 1)),
    lambda c: c.day_info(dt.date(2014, 1, 1)),
    lambda c: c.add_working_days(dt.date(2014, 12, 31), 1),
    lambda c: c.add_working_days(dt.date(2027, 12, 30), 2),
    lambda c: c.count_working_days(dt.date(2014, 12, 31), dt.date(2015, 1, 5)),
    lambda c: c.count_working_days(dt.date(2027, 12, 1), dt.date(2028, 1, 5)),
    lambda c: c.next_working_day(dt.date(2027, 12, 31)),
    lambda c: c.exceptions(2028),
    lambda c: c.is_estimated(dt.date(2030, 1, 1)),
])
def test_anything_outside_2015_2027_is_a_range_error(calendar, call):
    with pytest.raises(CalendarRangeError, match=r"nằm ngoài lịch làm việc \(2015–2027\)"):
        call(calendar)


def test_the_range_error_names_the_date_as_vietnamese_documents_write_it(calendar):
    with pytest.raises(CalendarRangeError, match=r"^ngày 01/01/2014 nằm ngoài lịch làm việc \(2015–2027\)$"):
        calendar.is_working_day(dt.date(2014, 1, 1))


def test_a_negative_number_of_working_days_is_refused(calendar):
    with pytest.raises(InvalidInput, match="phải từ 0 trở lên"):
        calendar.add_working_days(dt.date(2026, 1, 5), -1)


def test_counting_backwards_is_refused(calendar):
    with pytest.raises(InvalidInput, match="ở trước ngày"):
        calendar.count_working_days(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_an_override_always_wins_over_the_holidays_package():
    # a (fictional) swap: Monday 5/1/2026 off, Saturday 17/1/2026 worked
    cal = WorkingCalendar.build(2026, 2026, [
        CalendarOverride(dt.date(2026, 1, 5), "swap_day_off", "Nghỉ hoán đổi", "Thử nghiệm", "official"),
        CalendarOverride(dt.date(2026, 1, 17), "swap_working_day", "Làm bù", "Thử nghiệm", "official"),
        CalendarOverride(dt.date(2026, 4, 30), "working_day", "Đi làm", "Thử nghiệm", "estimated"),
    ], version="t")
    assert not cal.is_working_day(dt.date(2026, 1, 5))
    assert cal.is_working_day(dt.date(2026, 1, 17))
    assert cal.is_working_day(dt.date(2026, 4, 30)) and cal.is_estimated(dt.date(2026, 4, 30))
    assert cal.add_working_days(dt.date(2026, 1, 16), 1) == dt.date(2026, 1, 17)


@pytest.mark.parametrize("override,message", [
    (CalendarOverride(dt.date(2026, 1, 5), "swap_working_day", "x", "y", "official"), "Saturday or Sunday"),
    (CalendarOverride(dt.date(2026, 1, 3), "swap_day_off", "x", "y", "official"), "needs a weekday"),
    (CalendarOverride(dt.date(2026, 1, 5), "holiday", "x", "y", "official"), "unknown kind"),
    (CalendarOverride(dt.date(2026, 1, 5), "public_holiday", "x", "y", "sure"), "confidence"),
    (CalendarOverride(dt.date(2025, 1, 6), "public_holiday", "x", "y", "official"), "outside"),
])
def test_the_domain_refuses_an_override_that_cannot_be_true(override, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar.build(2026, 2026, [override], version="t")


def test_the_domain_refuses_the_same_date_twice():
    o = CalendarOverride(dt.date(2026, 1, 5), "swap_day_off", "x", "y", "official")
    with pytest.raises(ValueError, match="twice"):
        WorkingCalendar.build(2026, 2026, [o, o], version="t")
