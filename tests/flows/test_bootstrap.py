"""The composition root: an App from the environment, and installed apps for flow runs."""

from __future__ import annotations

import datetime as dt

from domain.clock import FixedClock
from dtiflow import bootstrap
from dtiflow.clock import SandboxOnlyClock, SystemClock
from dtiflow.settings import Settings, load_settings


def test_a_worker_without_an_installed_app_builds_one_from_its_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("DTIFLOW_NOW", "2019-09-13T02:00:00Z")
    app = bootstrap.current_app()
    assert str(app.engine.url) == f"sqlite:///{tmp_path / 'w.db'}"
    # DTIFLOW_NOW, guarded: the database (not created yet) is asked its mode at the first reading.
    assert isinstance(app.clock, SandboxOnlyClock) and isinstance(app.clock.inner, FixedClock)
    assert app.clock.now() == dt.datetime(2019, 9, 13, 2, tzinfo=dt.timezone.utc)
    assert (type(app.tick), type(app.outbox), type(app.commands)) == (
        bootstrap.ServiceTick, bootstrap.RelayDrain, bootstrap.ServiceCommands)
    assert type(app.services.outbox).__name__ == "MailOutbox"  # commands queue their e-mail
    assert bootstrap.current_app() is app  # one engine per process and settings, not per flow run


def test_without_dtiflow_now_the_clock_is_the_system_clock(tmp_path):
    app = bootstrap.build_app(load_settings({"DTIFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}))
    assert isinstance(app.clock, SystemClock)


def test_an_installed_app_is_used_only_inside_its_block(tmp_path, monkeypatch):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    mine = bootstrap.build_app(Settings(database_url=f"sqlite:///{tmp_path / 'mine.db'}"))
    with bootstrap.installed(mine):
        assert bootstrap.current_app() is mine
    assert bootstrap.current_app() is not mine


def test_the_default_outbox_drain_delivers_what_is_queued_to_the_configured_maildir(tmp_path):
    import mailbox

    from sqlmodel import Session

    from notifications.outbox import OutgoingMail, enqueue
    from store.schema import create_schema

    now = dt.datetime(2019, 9, 11, 2, 0, tzinfo=dt.timezone.utc)
    settings = load_settings({"DTIFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
                              "DTIFLOW_MAILDIR": str(tmp_path / "mail")})
    app = bootstrap.build_app(settings, clock=FixedClock(now))
    create_schema(app.engine)
    raw = (b"From: noreply@dtiflow.local\r\nTo: daumoi@test.example\r\nSubject: nhac han\r\n"
           b"Message-ID: <r1@dtiflow.local>\r\n\r\nNhac han nop phieu.\r\n")
    with Session(app.engine) as session:
        enqueue(session, OutgoingMail("c", "u", "reminder_before_due", "d-3", "<r1@dtiflow.local>",
                                      "noreply@dtiflow.local", ("daumoi@test.example",), "nhac han", raw), now)
        session.commit()
    assert app.outbox.drain(now) == 1
    assert app.outbox.drain(now) == 0  # sent once, not again
    assert len(mailbox.Maildir(tmp_path / "mail", create=False)) == 1
