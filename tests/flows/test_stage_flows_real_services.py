"""The stage flows over the real service layer on SQLite, through `build_app`'s own adapters."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from dtiflow.bootstrap import build_app, build_services, installed
from dtiflow.settings import Settings
from flow_fakes import CountingOutbox, ScriptedTick
from flows import stages
from sqlmodel import Session, select
from store.outbox import OutboxMessage

pytestmark = pytest.mark.prefect

NOTICE_DAY = dt.datetime(2019, 8, 7, 2, 0, tzinfo=dt.timezone.utc)  # 09:00 local, letter 697


@pytest.fixture
def real_app(tmp_path):
    from services.testing import SECRETARIAT, load_sample_units
    from store.schema import create_schema

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'dtiflow.db'}")
    app = build_app(settings, clock=FixedClock(NOTICE_DAY), tick=ScriptedTick(), outbox=CountingOutbox())
    create_schema(app.engine)
    load_sample_units(app.services)
    app.extras["secretariat"] = SECRETARIAT
    with installed(app):
        yield app


def test_opening_a_cycle_from_its_flow_runs_the_service_command_once_per_key(prefect_harness, real_app):
    params = dict(actor_id=real_app.extras["secretariat"], regime_id="binhthuan-2019-it", year=2019,
                  facts={"notice": "2019-08-07"}, idempotency_key="open-bt-2019")
    first = stages.open_cycle(**params)
    again = stages.open_cycle(**params)
    assert again == {**first, "replayed": True}
    with real_app.services.uow() as uow:
        events = [a.event for a in uow.audit.list(first["cycle_id"])]
    assert events == ["CycleOpened", "NoticeIssued"]
    with Session(real_app.engine) as session:
        kinds = set(session.exec(select(OutboxMessage.kind)).all())
    assert kinds == {"notice"}  # the notice e-mails, queued in the command's transaction, once


def test_a_command_the_service_refuses_fails_the_flow_run_with_the_services_message(prefect_harness, real_app):
    from services.errors import ServiceError

    with pytest.raises(ServiceError):
        stages.publish(actor_id=real_app.extras["secretariat"], cycle_id="no-such-cycle", idempotency_key="p-1")


def test_build_services_wires_sql_units_of_work_and_the_clock(tmp_path):
    from store.db import make_engine

    clock = FixedClock(NOTICE_DAY)
    services = build_services(make_engine(f"sqlite:///{tmp_path / 'x.db'}"), clock)
    assert services.clock is clock
    assert type(services.uow()).__name__ == "SqlUnitOfWork"


@pytest.fixture
def production_app(tmp_path):
    """build_app's own pieces end to end: services.tick, MailOutbox, the relay to a maildir."""
    from services.testing import SECRETARIAT, load_sample_units
    from store.schema import create_schema
    from dtiflow.settings import load_settings

    settings = load_settings({"DTIFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'dtiflow.db'}",
                              "DTIFLOW_MAILDIR": str(tmp_path / "mail")})
    app = build_app(settings, clock=FixedClock(NOTICE_DAY))
    create_schema(app.engine)
    load_sample_units(app.services)
    app.extras.update(secretariat=SECRETARIAT, maildir=tmp_path / "mail")
    with installed(app):
        yield app


def test_a_tick_flow_over_the_real_services_sends_the_due_reminders_once(prefect_harness, production_app):
    import mailbox

    from flows.tick import cycle_tick

    stages.open_cycle(actor_id=production_app.extras["secretariat"], regime_id="binhthuan-2019-it", year=2019,
                      facts={"notice": "2019-08-07"}, idempotency_key="open-bt-2019")
    notices = len(mailbox.Maildir(production_app.extras["maildir"], create=False))
    assert notices > 0  # the open-cycle run sent the notices it queued, without waiting for a tick
    first = cycle_tick()
    assert first["messages_sent"] == 0  # nothing left for the tick

    production_app.clock.set(dt.datetime(2019, 9, 12, 2, 0, tzinfo=dt.timezone.utc))  # days before 15/9
    due = cycle_tick()
    again = cycle_tick()
    assert due["reminders_queued"] > 0 and due["messages_sent"] >= due["reminders_queued"]
    assert again == {"moves": 0, "reminders_queued": 0, "messages_sent": 0}
    assert len(mailbox.Maildir(production_app.extras["maildir"], create=False)) == notices + due["messages_sent"]
