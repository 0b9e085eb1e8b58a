"""Prefect for the flow tests: one `prefect_test_harness` per test run (10–13 s to start), the
flow-run heartbeat off (it costs ~1 s per sync flow run), and an app of fakes
installed through the composition root."""

from __future__ import annotations

import pytest

from domain.clock import FixedClock
from dtiflow.bootstrap import build_app, installed
from dtiflow.settings import Settings
from flow_fakes import TICK_NOW, CountingOutbox, RecordingCommands, ScriptedTick
from prefect_harness import shared_harness


@pytest.fixture(scope="session")
def prefect_harness():
    # The one harness of the test run, shared with tests/e2e (tests/prefect_harness.py).
    with shared_harness():
        yield


@pytest.fixture
def fake_app(tmp_path):
    """An App whose tick, outbox and commands are fakes, installed for flow runs in this process."""
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'dtiflow.db'}"), clock=FixedClock(TICK_NOW),
                    services=object(), tick=ScriptedTick(moves=3, reminders_queued=40),
                    outbox=CountingOutbox(sent_per_drain=40), commands=RecordingCommands())
    with installed(app):
        yield app


@pytest.fixture
def pg_engine():
    """A fresh PostgreSQL database `dtiflow_sched_<random>` on 127.0.0.1:5432, dropped after."""
    import uuid

    import psycopg

    from store.db import make_engine

    name = f"dtiflow_sched_{uuid.uuid4().hex[:10]}"
    admin = "postgresql://postgres@127.0.0.1:5432/test"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
    engine = make_engine(f"postgresql://postgres@127.0.0.1:5432/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
