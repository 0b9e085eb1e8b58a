"""Staff reminders before their own milestones keep coming after the lock (the
preliminary report, verification and approval), while the cycle is scored or in verification."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from domain.clock import FixedClock
from domain.instants import local_time_on
from dtiflow.bootstrap import build_app
from dtiflow.settings import load_settings
from services.cycles import open_cycle
from services.testing import SECRETARIAT, load_sample_units
from services.tick import run_tick
from store.outbox import OutboxMessage
from store.schema import create_schema

CYCLE = "binhthuan-2019-it-2019"


@pytest.fixture
def app(tmp_path):
    settings = load_settings({"DTIFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'dtiflow.db'}",
                              "DTIFLOW_MAILDIR": str(tmp_path / "mail")})
    app = build_app(settings, clock=FixedClock(local_time_on(dt.date(2019, 8, 7), 9)))
    create_schema(app.engine)
    load_sample_units(app.services)
    open_cycle(app.services, actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019,
               facts={"notice": dt.date(2019, 8, 7)}, key="open")
    return app


def _staff_reminders(app) -> list[str]:
    with Session(app.engine) as session:
        return sorted(session.exec(select(OutboxMessage.occasion)
                                   .where(OutboxMessage.kind == "staff_milestone_reminder")).all())


@pytest.mark.parametrize("day, occasion", [
    (dt.date(2019, 9, 25), "staff:preliminary_due-3wd:2019-09-25"),  # 3 working days before 30/9 (Art. 8.2)
    (dt.date(2019, 11, 6), "staff:verification_due-3wd:2019-11-06"),  # 3 working days before 10/11
    (dt.date(2019, 11, 22), "staff:approval_due-1wd:2019-11-22"),  # 1 working day before 25/11 (Art. 8.3)
])
def test_a_tick_after_the_lock_still_reminds_the_staff_of_their_milestones(app, day, occasion):
    run_tick(app.services, now=local_time_on(dt.date(2019, 9, 21), 1))  # locks and scores
    with app.services.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "scored"
    run_tick(app.services, now=local_time_on(day, 8))
    assert _staff_reminders(app) == [occasion]


def test_once_the_council_has_verified_every_sheet_the_verification_reminders_stop(app):
    from services import sheets, verification
    from services.testing import answers_for

    app.services.clock.set(local_time_on(dt.date(2019, 9, 10), 9))
    sheets.save_draft(app.services, actor_id="daumoi.stttt", cycle_id=CYCLE, unit_code="STTTT",
                      answers=answers_for(app.services, "binhthuan-2019-it.I", "STTTT", "I", 50.0))
    sheets.submit_sheet(app.services, actor_id="lanhdao.stttt", cycle_id=CYCLE, unit_code="STTTT")
    run_tick(app.services, now=local_time_on(dt.date(2019, 9, 21), 1))  # locks and scores
    app.services.clock.set(local_time_on(dt.date(2019, 11, 1), 9))
    verification.record_verification(app.services, actor_id="hoidong.1", cycle_id=CYCLE, unit_code="STTTT",
                                     points={})
    run_tick(app.services, now=local_time_on(dt.date(2019, 11, 6), 8))
    assert _staff_reminders(app) == []  # nothing left to verify
    run_tick(app.services, now=local_time_on(dt.date(2019, 11, 22), 8))
    assert _staff_reminders(app) == ["staff:approval_due-1wd:2019-11-22"]  # the approval still is
