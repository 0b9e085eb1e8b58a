"""When a unit is reminded: the 2019 Bình Thuận cycle (letter 697/STTTT, Decision 1867 Art. 8).

Due "before 15/9/2019" taken as the end of Sunday 15/9; grace "5 working days counted from
15/9/2019" ends at the end of Friday 20/9. 2/9/2019 is National Day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from domain.instants import end_of_local_day, local_time_on
from domain.reminders import (
    DUE_DAY,
    GRACE,
    STAFF_MILESTONE,
    due_staff_reminders,
    due_unit_reminder,
    unit_occasions,
    working_day_before,
)
from fake_calendar_2019 import Calendar2019

CAL = Calendar2019()


@dataclass(frozen=True)
class Rules:
    """Same fields and defaults as `domain.regime.ReminderPolicy`."""

    local_hour: int = 8
    before_due_working_days: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    during_grace_daily: bool = True
    escalate_to_head_from_grace_day: int | None = 3
    staff_milestones: tuple[str, ...] = ("preliminary_due", "verification_due", "approval_due")
    staff_before_working_days: tuple[int, ...] = (3, 1)
    send_on_non_working_days: bool = False


@dataclass(frozen=True)
class Milestone:
    id: str
    closes_at: dt.datetime


RULES = Rules()
DUE = Milestone("submission_due", end_of_local_day(dt.date(2019, 9, 15)))
GRACE_END = Milestone("grace_end", end_of_local_day(dt.date(2019, 9, 20)))


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return local_time_on(dt.date.fromisoformat(day), hour, minute)


def test_the_full_2019_schedule_of_a_unit_that_never_submits():
    keys = [o.key for o in unit_occasions(RULES, DUE, GRACE_END, CAL)]
    assert keys == [
        "reminder:due-7wd:2019-09-05",  # 13,12,11,10,9,6,5: Monday 2/9 is National Day
        "reminder:due-3wd:2019-09-11",
        "reminder:due-1wd:2019-09-13",  # the Friday before the Sunday deadline
        # no due-day reminder: Sunday 15/9 is not a working day
        "reminder:grace-1:2019-09-16",
        "reminder:grace-2:2019-09-17",
        "reminder:grace-3:2019-09-18",
        "reminder:grace-4:2019-09-19",
        "reminder:grace-5:2019-09-20",
    ]


@pytest.mark.parametrize(
    "now, expected_key, days_left",
    [
        (at("2019-08-07"), None, None),  # the notice day: nothing yet
        (at("2019-09-05", 7, 59), None, None),  # before the local hour
        (at("2019-09-05", 8, 0), "reminder:due-7wd:2019-09-05", 7),
        (at("2019-09-05", 17), "reminder:due-7wd:2019-09-05", 7),
        (at("2019-09-06"), "reminder:due-7wd:2019-09-05", 6),  # caught up a day late: today's count
        (at("2019-09-07"), None, None),  # Saturday
        (at("2019-09-09"), "reminder:due-7wd:2019-09-05", 5),
        (at("2019-09-11", 8), "reminder:due-3wd:2019-09-11", 3),
        (at("2019-09-12"), "reminder:due-3wd:2019-09-11", 2),
        (at("2019-09-13", 8), "reminder:due-1wd:2019-09-13", 1),
        (at("2019-09-14"), None, None),  # Saturday
        (at("2019-09-15"), None, None),  # the Sunday deadline itself
        (at("2019-09-16", 7), None, None),  # Monday before the hour: no stale Friday reminder
        (at("2019-09-16", 8), "reminder:grace-1:2019-09-16", 5),
        (at("2019-09-18", 8), "reminder:grace-3:2019-09-18", 3),
        (at("2019-09-20", 8), "reminder:grace-5:2019-09-20", 1),
        (at("2019-09-20", 23, 59), "reminder:grace-5:2019-09-20", 1),
        (end_of_local_day(dt.date(2019, 9, 20)), None, None),  # the grace has ended: the lock speaks
        (at("2019-09-23"), None, None),
    ],
)
def test_a_unit_that_has_not_submitted_gets_the_current_reminder_only(now, expected_key, days_left):
    due = due_unit_reminder(RULES, DUE, GRACE_END, CAL, "not_started", now)
    assert (due.key if due else None) == expected_key
    assert (due.working_days_left if due else None) == days_left


def test_a_tick_that_slept_for_a_week_sends_one_current_reminder_not_a_burst():
    # Last tick on 4/9; the next one on Thursday 12/9: only the 3-working-day reminder is due.
    due = due_unit_reminder(RULES, DUE, GRACE_END, CAL, "draft", at("2019-09-12", 10))
    assert due.key == "reminder:due-3wd:2019-09-11"
    assert due.working_days_left == 2
    assert due.last_day == dt.date(2019, 9, 15)


@pytest.mark.parametrize("state", ["submitted", "submitted_late", "locked", "not_evaluated"])
def test_a_unit_that_has_submitted_or_is_closed_is_not_reminded(state):
    assert due_unit_reminder(RULES, DUE, GRACE_END, CAL, state, at("2019-09-13", 9)) is None
    assert due_unit_reminder(RULES, DUE, GRACE_END, CAL, state, at("2019-09-17", 9)) is None


@pytest.mark.parametrize("state", ["not_started", "draft"])
def test_a_unit_with_a_draft_or_nothing_is_reminded(state):
    assert due_unit_reminder(RULES, DUE, GRACE_END, CAL, state, at("2019-09-13", 9)) is not None


@pytest.mark.parametrize(
    "day, escalated",
    [("2019-09-16", False), ("2019-09-17", False), ("2019-09-18", True), ("2019-09-20", True)],
)
def test_grace_reminders_go_to_the_head_from_the_configured_grace_day(day, escalated):
    due = due_unit_reminder(RULES, DUE, GRACE_END, CAL, "draft", at(day))
    assert due.kind == GRACE
    assert due.occasion.escalate_to_head is escalated


def test_without_escalation_no_grace_reminder_goes_to_the_head():
    rules = replace(RULES, escalate_to_head_from_grace_day=None)
    occasions = unit_occasions(rules, DUE, GRACE_END, CAL)
    assert not any(o.escalate_to_head for o in occasions)


def test_a_rule_that_allows_non_working_days_reminds_on_the_sunday_deadline():
    rules = replace(RULES, send_on_non_working_days=True)
    due = due_unit_reminder(rules, DUE, GRACE_END, CAL, "draft", at("2019-09-15", 8))
    assert due.kind == DUE_DAY
    assert due.key == "reminder:due-day:2019-09-15"
    assert due.working_days_left == 0  # Sunday: no working day is left, only the day itself


def test_a_working_due_day_gets_a_morning_reminder_and_the_day_before_is_the_1wd_one():
    due_wed = Milestone("submission_due", end_of_local_day(dt.date(2019, 9, 11)))
    keys = [o.key for o in unit_occasions(replace(RULES, before_due_working_days=(1,)), due_wed, None, CAL)]
    assert keys == ["reminder:due-1wd:2019-09-10", "reminder:due-day:2019-09-11"]
    due = due_unit_reminder(RULES, due_wed, None, CAL, "draft", at("2019-09-11", 8))
    assert (due.kind, due.working_days_left) == (DUE_DAY, 1)


def test_without_a_grace_period_nothing_is_due_after_the_deadline():
    assert due_unit_reminder(RULES, DUE, None, CAL, "draft", at("2019-09-16", 9)) is None


def test_a_different_local_hour_moves_every_occasion():
    rules = replace(RULES, local_hour=14)
    assert due_unit_reminder(rules, DUE, GRACE_END, CAL, "draft", at("2019-09-13", 13)) is None
    assert due_unit_reminder(rules, DUE, GRACE_END, CAL, "draft", at("2019-09-13", 14)).key == (
        "reminder:due-1wd:2019-09-13")


def test_occasion_keys_are_stable_across_calls():
    first = [o.key for o in unit_occasions(RULES, DUE, GRACE_END, CAL)]
    assert first == [o.key for o in unit_occasions(RULES, DUE, GRACE_END, CAL)]


@pytest.mark.parametrize("n, expected", [(1, "2019-09-13"), (3, "2019-09-11"), (5, "2019-09-09"), (6, "2019-09-06")])
def test_the_nth_working_day_before_the_sunday_deadline(n, expected):
    assert working_day_before(CAL, dt.date(2019, 9, 15), n) == dt.date.fromisoformat(expected)


def test_zero_working_days_before_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least 1"):
        working_day_before(CAL, dt.date(2019, 9, 15), 0)


# Staff: the preliminary summary is due "before 30/9/2019" (letter 697 §4), taken as the end of
# Sunday 29/9; verification before 10/11 and approval before 25/11.
PRELIMINARY = Milestone("preliminary_due", end_of_local_day(dt.date(2019, 9, 29)))
VERIFICATION = Milestone("verification_due", end_of_local_day(dt.date(2019, 11, 9)))
SUBMISSION = Milestone("submission_due", DUE.closes_at)


@pytest.mark.parametrize(
    "now, expected",
    [
        (at("2019-09-24"), []),
        (at("2019-09-25", 8), ["staff:preliminary_due-3wd:2019-09-25"]),
        (at("2019-09-26"), ["staff:preliminary_due-3wd:2019-09-25"]),
        (at("2019-09-27", 8), ["staff:preliminary_due-1wd:2019-09-27"]),
        (at("2019-09-30"), []),
        (at("2019-11-08"), ["staff:verification_due-1wd:2019-11-08"]),
    ],
)
def test_the_secretariat_is_reminded_before_its_own_milestones(now, expected):
    due = due_staff_reminders(RULES, [SUBMISSION, PRELIMINARY, VERIFICATION], CAL, now)
    assert [d.key for d in due] == expected
    assert all(d.kind == STAFF_MILESTONE for d in due)


def test_the_fake_calendar_agrees_with_the_real_one_in_august_and_september_2019():
    loader = pytest.importorskip("rubrics.calendar_loader")
    real = loader.load_calendar()
    day = dt.date(2019, 8, 1)
    while day <= dt.date(2019, 9, 30):
        assert real.is_working_day(day) == CAL.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_a_rule_that_allows_non_working_days_also_reminds_on_a_weekend_inside_the_grace():
    rules = replace(RULES, send_on_non_working_days=True, before_due_working_days=(), on_due_day=False)
    due_wed = Milestone("submission_due", end_of_local_day(dt.date(2019, 9, 11)))
    grace_tue = Milestone("grace_end", end_of_local_day(dt.date(2019, 9, 17)))
    keys = [o.key for o in unit_occasions(rules, due_wed, grace_tue, CAL)]
    assert keys == ["reminder:grace-1:2019-09-12", "reminder:grace-2:2019-09-13", "reminder:grace-2+:2019-09-14",
                    "reminder:grace-2+:2019-09-15", "reminder:grace-3:2019-09-16", "reminder:grace-4:2019-09-17"]
    saturday = due_unit_reminder(rules, due_wed, grace_tue, CAL, "draft", at("2019-09-14", 8))
    assert (saturday.key, saturday.working_days_left) == ("reminder:grace-2+:2019-09-14", 2)
