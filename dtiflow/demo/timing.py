"""When things happen in the demo year: the cycle's deadlines from the regime's timeline, the
days units send their sheets, and the instants the heartbeat has work (the regime's reminder
schedule; Decision 1867 Art. 8; letter 697/STTTT §3)."""

from __future__ import annotations

import datetime as dt
import random

from domain.instants import local_time_on
from domain.reminders import last_day_of, staff_occasions, unit_occasions, working_day_before
from domain.timeline import compute_timeline


def bounds(regime, year: int, group: str, notice: dt.date, calendar, facts: dict | None = None):
    """The group's timeline, its due and its end of acceptance; `facts` are the days a regime
    leaves to the yearly plan (`set_at_opening`), as the secretariat sets them when it opens."""
    timeline = compute_timeline(regime, year, group, {"notice": notice, **(facts or {})}, calendar, calendar.version)
    due = next(m for m in timeline.milestones if "submission" in {str(r) for r in m.roles})
    end = next((m for m in timeline.milestones if "lock" in {str(r) for r in m.roles}), due)
    return timeline, due, end


def wakeups(regime, timelines, calendar, end: dt.datetime) -> tuple[dt.datetime, ...]:
    """The instants the heartbeat has work: every reminder occasion (Decision 1867 Art. 8 and the
    regime's reminder schedule), the staff's milestone reminders, and just after the lock instant.
    In production the tick runs every few minutes; the demo's clock jumps to these."""
    rules = regime.reminders
    found: set[dt.datetime] = set()
    for timeline, due, grace in timelines:
        found.update(o.send_at for o in unit_occasions(rules, due, grace if grace is not due else None, calendar))
        for m in timeline.milestones:
            if m.id in set(rules.staff_milestones) and m.closes_at is not None:
                found.update(o.send_at for o in staff_occasions(rules, m, calendar))
    found.add(end + dt.timedelta(minutes=5))  # the tick after the end of acceptance: the lock
    return tuple(sorted(found))


def on_time_days(due: dt.datetime, notice: dt.date, calendar) -> list[dt.date]:
    last = last_day_of(due)
    days = [working_day_before(calendar, last, n) for n in (12, 7, 3, 1)] + [last]
    return [day for day in days if day > notice]


def grace_days(due: dt.datetime, end: dt.datetime, calendar) -> list[dt.date]:
    day, last, out = last_day_of(due), last_day_of(end), []
    while day < last:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            out.append(day)
    return out


def sending_time(day: dt.date, index: int, rng: random.Random, *, evening: bool = False) -> dt.datetime:
    if evening:  # someone sends from home on the evening of the last day: still on time
        return local_time_on(day, 21, 30)
    minutes = 8 * 60 + 30 + (index * 53 + rng.randrange(0, 40)) % (8 * 60)
    return local_time_on(day, minutes // 60, minutes % 60)
