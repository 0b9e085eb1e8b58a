"""The composition root: an App from the environment, and installed apps for flow runs."""

from __future__ import annotations

import datetime as dt

from domain.clock import FixedClock
from dtiflow import bootstrap
from dtiflow.clock import SystemClock
from dtiflow.settings import Settings, load_settings


def test_a_worker_without_an_installed_app_builds_one_from_its_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("DTIFLOW_NOW", "2019-09-13T02:00:00Z")
    app = bootstrap.current_app()
    assert str(app.engine.url) == f"sqlite:///{tmp_path / 'w.db'}"
    assert isinstance(app.clock, FixedClock) and app.clock.now() == dt.datetime(2019, 9, 13, 2, tzinfo=dt.timezone.utc)
    assert (type(app.tick), type(app.outbox), type(app.commands)) == (
        bootstrap.ServiceTick, bootstrap.RelayDrain, bootstrap.ServiceCommands)
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
