"""Three working days without a heartbeat across the grace end (decision records 0004, 0005).

The 2019 Bình Thuận cycle (Decision 1867 Art. 8, letter 697): sheets due by the end of Sunday
15/9/2019, received late for 5 working days (16/9–20/9), then not evaluated. The tick runs every
morning at 08:00 local up to Wednesday 18/9, then nothing runs on Thursday 19/9, Friday 20/9 (the
grace end) and Monday 23/9; the tick resumes on Tuesday 24/9 at 08:00. Meanwhile units keep
writing: one sends on Friday afternoon (late, received), one tries on Saturday (refused at its
own instant: the lock is a time predicate, not a job). The resumed tick locks once, marks the
silent units not evaluated, scores the rest, and sends no stale grace-day reminders.

Everything is the production wiring (`dtiflow.bootstrap.build_app`: services.tick, the e-mail
outbox, the relay to a maildir), on SQLite and, when it is running, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import mailbox
from collections import Counter

import pytest
from sqlmodel import Session, select

from domain.clock import FixedClock
from domain.instants import local_time_on
from dtiflow.bootstrap import build_app
from dtiflow.settings import load_settings
from services.testing import load_sample_units
from store.outbox import SENT, OutboxMessage
from store.schema import create_schema
from svc_scenario import CYCLE, END, NOTICE, audit, draft, open_2019, sheet_state, submit

LAST_TICK_DAY = dt.date(2019, 9, 18)   # Wednesday: the last morning the heartbeat ran
DEAD_DAYS = (dt.date(2019, 9, 19), dt.date(2019, 9, 20), dt.date(2019, 9, 23))  # Thu, Fri (grace end), Mon
RESUMED = local_time_on(dt.date(2019, 9, 24), 8)  # Tuesday 08:00 local

ON_TIME = "STTTT"                                   # sent on 10/9
LATE_WHILE_TICKING = "SNV"                          # sent on Tuesday 17/9 (grace day 2)
LATE_DURING_DOWNTIME = "STP"                        # sent on Friday 20/9 at 16:30, 30 minutes before the end
REFUSED_DURING_DOWNTIME = "VPUBND"                  # draft saved in time, sent on Saturday 21/9: refused
SILENT = ("DPTTH", "PT", "PQ")                      # never sent (a few of the units that never did)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    if request.param == "sqlite":
        yield _app(tmp_path, f"sqlite:///{tmp_path / 'dtiflow.db'}")
        return
    from store.testing import postgres_unreachable, temporary_postgres_database

    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with temporary_postgres_database() as url:
        built = _app(tmp_path, url)
        yield built
        built.engine.dispose()


def _app(tmp_path, url):
    settings = load_settings({"DTIFLOW_DATABASE_URL": url, "DTIFLOW_MAILDIR": str(tmp_path / "mail")})
    built = build_app(settings, clock=FixedClock(local_time_on(NOTICE, 9)))
    create_schema(built.engine)
    load_sample_units(built.services)
    built.extras["maildir"] = tmp_path / "mail"
    return built


def _tick(app, at: dt.datetime):
    app.clock.set(at)
    return app.tick_once(at)


def _run_until_the_downtime(app) -> None:
    """The cycle as it went: notice on 7/8, a tick every morning from 8/8 to Wednesday 18/9, submissions."""
    svc = app.services
    open_2019(svc)
    for unit in (ON_TIME, LATE_WHILE_TICKING, LATE_DURING_DOWNTIME, REFUSED_DURING_DOWNTIME):
        draft(svc, unit)
    day = NOTICE + dt.timedelta(days=1)
    while day <= LAST_TICK_DAY:
        _tick(app, local_time_on(day, 8))
        if day == dt.date(2019, 9, 10):
            assert submit(svc, ON_TIME, at=local_time_on(day, 10))["outcome"] == "on_time"
        if day == dt.date(2019, 9, 17):
            assert submit(svc, LATE_WHILE_TICKING, at=local_time_on(day, 10))["outcome"] == "late"
        day += dt.timedelta(days=1)


def _downtime(app) -> dict:
    """No tick runs; the units' own writes still happen, each judged at its own instant."""
    svc = app.services
    friday = submit(svc, LATE_DURING_DOWNTIME, at=END - dt.timedelta(minutes=30))
    saturday = submit(svc, REFUSED_DURING_DOWNTIME, at=local_time_on(dt.date(2019, 9, 21), 9))
    return {"friday": friday, "saturday": saturday}


def _outbox(app) -> list[OutboxMessage]:
    with Session(app.engine) as s:
        return list(s.exec(select(OutboxMessage)).all())


def _delivered_ids(app) -> list[str]:
    box = mailbox.Maildir(app.extras["maildir"], create=False)
    return [msg["Message-ID"] for msg in box]


def test_a_unit_writing_during_the_downtime_is_judged_at_its_own_instant_not_at_the_next_tick(app):
    _run_until_the_downtime(app)
    with app.services.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "grace"  # the heartbeat stopped before the grace end
    writes = _downtime(app)
    assert writes["friday"]["outcome"] == "late" and writes["friday"]["state"] == "submitted_late"
    assert writes["saturday"]["outcome"] == "refused" and writes["saturday"]["state"] == "draft"
    with app.services.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "grace"  # nothing locked it: only the time predicate refused
    [refusal] = [a for a in audit(app.services) if a.event == "SheetRefused"]
    assert refusal.unit_code == REFUSED_DURING_DOWNTIME
    assert refusal.at == local_time_on(dt.date(2019, 9, 21), 9)  # its own instant, not the resumed tick's


def test_the_resumed_tick_locks_once_recording_when_the_lock_was_due(app):
    _run_until_the_downtime(app)
    _downtime(app)
    resumed = _tick(app, RESUMED)
    again = _tick(app, RESUMED + dt.timedelta(hours=1))
    assert resumed.moves > 0 and again.moves == 0

    [locked] = [a for a in audit(app.services) if a.event == "CycleLocked"]
    assert locked.at == RESUMED and (locked.actor_id, locked.role) == ("system:tick", "system")
    assert locked.details["acceptance_end"] == END.isoformat()  # when it was due: the end of 20/9 local
    with app.services.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "scored"  # scoring is time-driven in this regime
    assert Counter(a.event for a in audit(app.services))["SheetsScored"] == 1


def test_after_the_downtime_silent_units_are_not_evaluated_and_late_sheets_are_locked_and_flagged(app):
    _run_until_the_downtime(app)
    _downtime(app)
    _tick(app, RESUMED)
    with app.services.uow() as uow:
        sheets = {s.unit_code: s for s in uow.sheets.list(CYCLE)}
        scored = {row.sheet_id for row in uow.scores.list(cycle_id=CYCLE)}
    for unit in SILENT + (REFUSED_DURING_DOWNTIME,):
        assert sheet_state(app.services, unit) == "not_evaluated"
        assert sheets[unit].id not in scored
    for unit, late in ((ON_TIME, False), (LATE_WHILE_TICKING, True), (LATE_DURING_DOWNTIME, True)):
        assert sheets[unit].late is late and sheets[unit].received_at is not None
        assert sheets[unit].id in scored
    assert sheets[LATE_DURING_DOWNTIME].received_at == END - dt.timedelta(minutes=30)
    not_evaluated = [s for s in sheets.values() if s.state == "not_evaluated"]
    assert len(not_evaluated) == len(sheets) - 3  # all but the three sheets received


def test_the_resumed_tick_sends_no_burst_of_stale_reminders(app):
    _run_until_the_downtime(app)
    before = {m.message_id for m in _outbox(app)}
    _downtime(app)
    _tick(app, RESUMED)
    _tick(app, RESUMED + dt.timedelta(hours=1))

    rows = _outbox(app)
    new = [m for m in rows if m.message_id not in before]
    kinds = Counter(m.kind for m in new)
    silent = sum(1 for m in rows if m.kind == "not_evaluated_notice")
    # After the fact: one lock digest to the secretariat, one not-evaluated notice per silent unit,
    # and the receipt of the Friday sheet (queued by the submission itself); no reminder at all.
    assert kinds == {"lock_digest": 1, "not_evaluated_notice": silent, "submission_receipt": 1}
    assert not any("reminder" in kind for kind in kinds)
    stale_days = {d.isoformat() for d in DEAD_DAYS}
    assert not [m.occasion for m in rows if m.kind == "grace_reminder" and m.occasion.rsplit(":", 1)[-1] in stale_days]
    per_unit = Counter(m.unit_id for m in new if m.unit_id)
    assert max(per_unit.values()) == 1  # at most the single current message per unit

    # Every message queued was delivered once (Message-IDs unique in the maildir).
    delivered = _delivered_ids(app)
    assert len(delivered) == len(set(delivered)) == len(rows)
    assert all(m.status == SENT for m in rows)


def test_while_the_heartbeat_ran_each_grace_morning_reminded_each_silent_unit_once(app):
    _run_until_the_downtime(app)
    rows = [m for m in _outbox(app) if m.kind == "grace_reminder"]
    days = Counter(m.occasion.rsplit(":", 1)[-1] for m in rows)
    # Grace days 1–3 (16/9–18/9) were ticked; the units still silent each morning got one reminder.
    assert sorted(days) == ["2019-09-16", "2019-09-17", "2019-09-18"]
    assert days["2019-09-17"] == days["2019-09-16"] and days["2019-09-18"] == days["2019-09-17"] - 1  # SNV sent
    assert max(Counter((m.unit_id, m.occasion) for m in rows).values()) == 1


def test_a_heartbeat_back_inside_the_grace_sends_each_silent_unit_one_current_reminder_not_the_missed_ones(app):
    _run_until_the_downtime(app)  # the last tick: Wednesday 18/9 08:00 (grace day 3)
    friday = local_time_on(dt.date(2019, 9, 20), 8)  # Thursday's tick never ran
    before = {m.message_id for m in _outbox(app)}
    _tick(app, friday)
    new = [m for m in _outbox(app) if m.message_id not in before]
    assert {m.kind for m in new} == {"grace_reminder"}
    assert {m.occasion for m in new} == {"reminder:grace-5:2019-09-20"}  # nothing for Thursday 19/9
    waiting = [s for s in _sheets(app) if s.state in ("not_started", "draft")]
    assert sorted(m.unit_id for m in new) == sorted(s.unit_code for s in waiting)  # one each
    assert _tick(app, friday + dt.timedelta(hours=2)).reminders_queued == 0


def _sheets(app):
    with app.services.uow() as uow:
        return uow.sheets.list(CYCLE)
