"""Which reminder is due now: pure planning over the regime's reminder rules (decision record 0005).

The heartbeat (`cycle_tick`) asks this module, for one unit, which reminder belongs to the
current moment, and queues it in the outbox under the returned occasion key; the outbox's unique
key makes a rerun tick a no-op. Missed ticks *merge*: only the single current occasion is ever
returned (the latest one whose time has come and which no later occasion has superseded), so a
tick that wakes up after three dead days sends one up-to-date reminder, not a burst of stale ones.

Schedule, per unit that still owes its sheet (Decision 1867 Art. 8; letter 697/STTTT §3):
- "N working days before" is the N-th working day *before* the last on-time day (the due day has
  its own morning reminder). With the 2019 deadline on Sunday 15/9, 1 -> Friday 13/9,
  3 -> Wednesday 11/9, 7 -> Thursday 5/9 (2/9 is National Day): the last working day before a
  weekend deadline always gets a reminder.
- the morning of the due day (if it is a sending day);
- each working day of the grace period ("5 working days counted from 15/9/2019": 16/9-20/9),
  escalated to the head from the configured grace day.
Nothing is sent on a non-working day unless the rule says so, and never before the local hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from domain.instants import local_date, local_time_on, require_aware

# Message kinds planned here; `notifications.messages.MessageKind` uses the same values.
BEFORE_DUE = "reminder_before_due"
DUE_DAY = "reminder_due_day"
GRACE = "grace_reminder"
STAFF_MILESTONE = "staff_milestone_reminder"

# Sheet states that still owe a sheet: only these units are reminded.
AWAITING_SHEET_STATES = frozenset({"not_started", "draft"})

_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_MAX_LOOKBACK_DAYS = 400  # a guard against a calendar with no working day at all


class WorkingDays(Protocol):
    def is_working_day(self, day: dt.date) -> bool: ...

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]."""


class ReminderRules(Protocol):
    """The fields of `domain.regime.ReminderPolicy` this planner reads."""

    local_hour: int
    before_due_working_days: tuple[int, ...]
    on_due_day: bool
    during_grace_daily: bool
    escalate_to_head_from_grace_day: int | None
    staff_milestones: tuple[str, ...]
    staff_before_working_days: tuple[int, ...]
    send_on_non_working_days: bool


class Deadline(Protocol):
    """The fields of `domain.timeline.DatedMilestone` this planner reads."""

    id: str
    closes_at: dt.datetime


@dataclass(frozen=True)
class Occasion:
    """One scheduled moment of one reminder; `key` is stable across reruns."""

    kind: str
    key: str
    day: dt.date
    send_at: dt.datetime
    deadline: dt.datetime  # the closing instant the reminder is about
    milestone_id: str
    grace_day: int | None = None
    escalate_to_head: bool = False


@dataclass(frozen=True)
class DueReminder:
    """The reminder to queue now, with the figures its text needs (counted from today)."""

    occasion: Occasion
    today: dt.date
    last_day: dt.date  # the last local day still on time
    working_days_left: int  # working days from today to last_day, both included

    @property
    def kind(self) -> str:
        return self.occasion.kind

    @property
    def key(self) -> str:
        return self.occasion.key


def last_day_of(closes_at: dt.datetime) -> dt.date:
    """The last local day before a half-open deadline instant (end of 15/9 -> 15/9)."""
    return local_date(require_aware(closes_at, "deadline") - _ONE_MICROSECOND)


def working_day_before(calendar: WorkingDays, day: dt.date, n: int) -> dt.date:
    """The n-th working day strictly before `day` (n >= 1)."""
    if n < 1:
        raise ValueError(f"a reminder 'working days before' must be at least 1, got {n}")
    cursor, found = day, 0
    for _ in range(_MAX_LOOKBACK_DAYS):
        cursor -= dt.timedelta(days=1)
        if calendar.is_working_day(cursor):
            found += 1
            if found == n:
                return cursor
    raise ValueError(f"no {n}-th working day within {_MAX_LOOKBACK_DAYS} days before {day.isoformat()}")


def _is_sending_day(rules: ReminderRules, calendar: WorkingDays, day: dt.date) -> bool:
    return rules.send_on_non_working_days or calendar.is_working_day(day)


def in_sending_window(rules: ReminderRules, calendar: WorkingDays, now: dt.datetime) -> bool:
    """True on a sending day at or after the configured local hour."""
    today = local_date(now)
    return _is_sending_day(rules, calendar, today) and now >= local_time_on(today, rules.local_hour)


def unit_occasions(
    rules: ReminderRules, due: Deadline, grace_end: Deadline | None, calendar: WorkingDays
) -> list[Occasion]:
    """Every reminder occasion of one unit's submission, in time order."""
    due_day = last_day_of(due.closes_at)
    hour = rules.local_hour
    found: list[Occasion] = []
    for n in sorted(set(rules.before_due_working_days), reverse=True):
        day = working_day_before(calendar, due_day, n)
        found.append(Occasion(BEFORE_DUE, f"reminder:due-{n}wd:{day.isoformat()}", day,
                              local_time_on(day, hour), due.closes_at, due.id))
    if rules.on_due_day and _is_sending_day(rules, calendar, due_day):
        found.append(Occasion(DUE_DAY, f"reminder:due-day:{due_day.isoformat()}", due_day,
                              local_time_on(due_day, hour), due.closes_at, due.id))
    if grace_end is not None and rules.during_grace_daily:
        found.extend(_grace_occasions(rules, due_day, grace_end, calendar))
    return sorted(found, key=lambda o: o.send_at)


def _grace_occasions(
    rules: ReminderRules, due_day: dt.date, grace_end: Deadline, calendar: WorkingDays
) -> Iterable[Occasion]:
    grace_last = last_day_of(grace_end.closes_at)
    escalate_from = rules.escalate_to_head_from_grace_day
    day, grace_day = due_day, 0
    while day < grace_last:
        day += dt.timedelta(days=1)
        if not calendar.is_working_day(day):
            if rules.send_on_non_working_days:
                # Grace days are counted in working days; a non-working day is reminded under
                # the number of the last working grace day (none before the first).
                if grace_day:
                    yield _grace(rules, day, grace_day, grace_end, escalate_from, suffix="+")
            continue
        grace_day += 1
        yield _grace(rules, day, grace_day, grace_end, escalate_from)


def _grace(rules, day, grace_day, grace_end, escalate_from, suffix=""):
    escalate = escalate_from is not None and grace_day >= escalate_from
    return Occasion(GRACE, f"reminder:grace-{grace_day}{suffix}:{day.isoformat()}", day,
                    local_time_on(day, rules.local_hour), grace_end.closes_at, grace_end.id,
                    grace_day=grace_day, escalate_to_head=escalate)


def current_occasion(occasions: Sequence[Occasion], phase_end: dt.datetime, now: dt.datetime) -> Occasion | None:
    """The latest occasion whose time has come, if no later one superseded it and its phase is open."""
    require_aware(now, "now")
    current = None
    for occasion in occasions:
        if occasion.send_at <= now:
            current = occasion
        else:
            break
    if current is None or now >= min(current.deadline, phase_end):
        return None
    return current


def due_unit_reminder(
    rules: ReminderRules,
    due: Deadline,
    grace_end: Deadline | None,
    calendar: WorkingDays,
    sheet_state: str,
    now: dt.datetime,
) -> DueReminder | None:
    """The one reminder this unit should get now, or None."""
    if str(getattr(sheet_state, "value", sheet_state)) not in AWAITING_SHEET_STATES:
        return None
    if not in_sending_window(rules, calendar, now):
        return None
    phase_end = grace_end.closes_at if grace_end is not None else due.closes_at
    occasion = current_occasion(unit_occasions(rules, due, grace_end, calendar), phase_end, now)
    return None if occasion is None else _with_figures(occasion, calendar, now)


def staff_occasions(rules: ReminderRules, milestone: Deadline, calendar: WorkingDays) -> list[Occasion]:
    """Reminders to the secretariat and council before one of their own milestones."""
    last = last_day_of(milestone.closes_at)
    found = []
    for n in sorted(set(rules.staff_before_working_days), reverse=True):
        day = working_day_before(calendar, last, n)
        found.append(Occasion(STAFF_MILESTONE, f"staff:{milestone.id}-{n}wd:{day.isoformat()}", day,
                              local_time_on(day, rules.local_hour), milestone.closes_at, milestone.id))
    return found


def due_staff_reminders(
    rules: ReminderRules, milestones: Sequence[Deadline], calendar: WorkingDays, now: dt.datetime
) -> list[DueReminder]:
    """At most one current reminder per staff milestone named in the rules."""
    if not in_sending_window(rules, calendar, now):
        return []
    wanted = set(rules.staff_milestones)
    due: list[DueReminder] = []
    for milestone in milestones:
        if milestone.id not in wanted:
            continue
        occasion = current_occasion(staff_occasions(rules, milestone, calendar), milestone.closes_at, now)
        if occasion is not None:
            due.append(_with_figures(occasion, calendar, now))
    return due


def _with_figures(occasion: Occasion, calendar: WorkingDays, now: dt.datetime) -> DueReminder:
    today = local_date(now)
    last = last_day_of(occasion.deadline)
    left = calendar.count_working_days(today - dt.timedelta(days=1), last) if last >= today else 0
    return DueReminder(occasion, today, last, left)
