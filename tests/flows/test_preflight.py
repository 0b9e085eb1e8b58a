"""A misconfigured worker fails its first flow run at once, with one sentence saying what to fix.

No app is installed here: the flows build theirs from the environment, as on a Prefect worker.
The runs must fail before any task starts (so no task retries), and leave no empty SQLite file
behind where the worker happened to run.
"""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest

from dtiflow.bootstrap import build_app
from dtiflow.preflight import NotReady, check_mail, check_schema, preflight
from dtiflow.settings import load_settings
from store.db import make_engine

NOTICE_DAY = dt.datetime(2019, 8, 7, 2, 0, tzinfo=dt.timezone.utc)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def worker_env(tmp_path, monkeypatch):
    """A worker's environment: no DTIFLOW_* variable set, the working directory a fresh folder."""
    for name in [n for n in os.environ if n.startswith("DTIFLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def _migrated_sqlite(tmp_path) -> str:
    """A database migrated as production does it (`dtiflow db upgrade`: Alembic to head)."""
    from alembic import command

    from store.migrations.config import alembic_config

    url = f"sqlite:///{tmp_path / 'ready.db'}"
    command.upgrade(alembic_config(url), "head")
    return url


CASES = [
    ("no DTIFLOW_DATABASE_URL", {}, "var/dtiflow.db không tồn tại: đặt DTIFLOW_DATABASE_URL"),
    ("an empty database", {"DTIFLOW_DATABASE_URL": "sqlite:///{tmp}/empty.db", "touch": "empty.db"},
     "chưa có bảng nào của dtiflow: chạy 'dtiflow db upgrade'"),
    ("PostgreSQL not listening", {"DTIFLOW_DATABASE_URL": "postgresql://dtiflow:secret@127.0.0.1:{port}/dtiflow"},
     "không kết nối được cơ sở dữ liệu postgresql+psycopg://dtiflow:***@127.0.0.1:"),
    ("a maildir that cannot be written", {"DTIFLOW_DATABASE_URL": "{ready}", "DTIFLOW_MAILDIR": "/proc/dtiflow-mail"},
     "không ghi được vào thư mục thư /proc/dtiflow-mail (DTIFLOW_MAILDIR)"),
    ("a mistyped SMTP port", {"DTIFLOW_DATABASE_URL": "{ready}", "DTIFLOW_MAIL_TRANSPORT": "smtp",
                             "DTIFLOW_SMTP_PORT": "25x"}, "DTIFLOW_SMTP_PORT"),
]


def _apply(case_env: dict, tmp_path, monkeypatch) -> None:
    values = {"tmp": tmp_path, "port": _closed_port()}
    for name, value in case_env.items():
        if name == "touch":
            (tmp_path / value).touch()
        elif value == "{ready}":
            monkeypatch.setenv(name, _migrated_sqlite(tmp_path))
        else:
            monkeypatch.setenv(name, value.format(**values))


@pytest.mark.prefect
@pytest.mark.parametrize("what, env, sentence", CASES, ids=[c[0] for c in CASES])
def test_the_tick_fails_at_once_with_one_sentence_and_runs_no_task(prefect_harness, worker_env, tmp_path, what, env,
                                                                   sentence):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.tick import cycle_tick

    _apply(env, tmp_path, worker_env)
    before = set(p.name for p in tmp_path.iterdir())
    state = cycle_tick(return_state=True)
    assert state.is_failed()
    message = str(state.result(raise_on_failure=False))
    assert sentence in message and "\n" not in message.strip()
    assert "secret" not in message  # the password never reaches the run's message

    async def task_runs():
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))

    import asyncio
    assert asyncio.run(task_runs()) == []  # nothing started, so nothing retried
    if what == "no DTIFLOW_DATABASE_URL":
        assert set(p.name for p in tmp_path.iterdir()) == before  # no var/dtiflow.db created


@pytest.mark.prefect
def test_a_stage_flow_fails_the_same_way(prefect_harness, worker_env, tmp_path):
    from flows.stages import publish

    state = publish(actor_id="stttt-1", cycle_id="bt-2019", idempotency_key="p-1", return_state=True)
    assert state.is_failed()
    assert "không tồn tại: đặt DTIFLOW_DATABASE_URL" in str(state.result(raise_on_failure=False))


def test_a_database_behind_the_code_is_named_with_its_revision_and_the_one_needed(tmp_path):
    from sqlalchemy import text

    engine = make_engine(_migrated_sqlite(tmp_path))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    with pytest.raises(NotReady, match=r"đang ở phiên bản 0000_older, mã nguồn này cần .+: chạy 'dtiflow db upgrade'"):
        check_schema(engine)


def test_a_ready_worker_passes_every_check_and_returns_the_schema_revision(tmp_path):
    settings = load_settings({"DTIFLOW_DATABASE_URL": _migrated_sqlite(tmp_path), "DTIFLOW_MAILDIR": str(tmp_path / "m")})
    app = build_app(settings)
    preflight(settings, app.engine)
    assert check_schema(app.engine)
    assert (tmp_path / "m").is_dir() and list((tmp_path / "m").iterdir()) == []  # the write probe cleans up


def test_the_smtp_transport_needs_no_maildir(tmp_path):
    settings = load_settings({"DTIFLOW_MAIL_TRANSPORT": "smtp", "DTIFLOW_MAILDIR": "/proc/nowhere"})
    check_mail(settings.mail)
