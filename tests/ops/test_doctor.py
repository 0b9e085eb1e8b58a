"""`dtiflow doctor`: each check fails when it should and passes when it should; the command exits
1 on a failure (monitoring alerts on it) and 0 otherwise, with `--json` for machines."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from dtiflow import doctor
from dtiflow.settings import load_settings
from store.db import make_engine

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 local, a Tuesday in spring
DTIFLOW = str(Path(sys.executable).with_name("dtiflow"))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database(tmp_path):
    """A database migrated as production does it (`dtiflow db upgrade`: Alembic to head)."""
    from alembic import command

    from store.migrations.config import alembic_config

    url = f"sqlite:///{tmp_path / 'dtiflow.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def _settings(**env):
    return load_settings({k: str(v) for k, v in env.items()})


# --- settings ----------------------------------------------------------------------------------

def test_settings_that_cannot_be_read_fail_naming_the_variable():
    check, settings = doctor.check_settings({"DTIFLOW_SMTP_PORT": "25x"})
    assert (check.status, settings) == ("fail", None) and "DTIFLOW_SMTP_PORT" in check.detail


def test_settings_show_where_the_data_and_the_mail_go_without_the_password():
    check, _ = doctor.check_settings({"DTIFLOW_DATABASE_URL": "postgresql://dtiflow:secret@db.internal/dtiflow"})
    assert check.status == "ok" and "db.internal" in check.detail and "secret" not in check.detail


def test_a_pinned_clock_is_a_warning():
    check, _ = doctor.check_settings({"DTIFLOW_NOW": "2019-09-13T02:00:00Z"})
    assert check.status == "warn" and "DTIFLOW_NOW" in check.detail


# --- database ----------------------------------------------------------------------------------

def test_a_missing_an_empty_and_an_unreachable_database_fail(tmp_path):
    (tmp_path / "empty.db").touch()
    cases = {f"sqlite:///{tmp_path / 'nope.db'}": "không tồn tại",
             f"sqlite:///{tmp_path / 'empty.db'}": "chưa có bảng nào",
             f"postgresql://u:pw@127.0.0.1:{_closed_port()}/x": "không kết nối được"}
    for url, words in cases.items():
        check, engine = doctor.check_database(_settings(DTIFLOW_DATABASE_URL=url))
        assert (check.status, engine) == ("fail", None) and words in check.detail, url


def test_a_migrated_database_passes_with_its_revision(database):
    url, _ = database
    check, engine = doctor.check_database(_settings(DTIFLOW_DATABASE_URL=url))
    assert check.status == "ok" and check.data["revision"] in check.detail
    engine.dispose()


# --- mail --------------------------------------------------------------------------------------

def test_a_maildir_that_cannot_be_written_fails_and_one_that_can_passes(tmp_path):
    assert doctor.check_mail(_settings(DTIFLOW_MAILDIR="/proc/dtiflow-mail")).status == "fail"
    assert doctor.check_mail(_settings(DTIFLOW_MAILDIR=tmp_path / "mail")).status == "ok"


@pytest.fixture
def smtp_with_login():
    """aiosmtpd on loopback that accepts one login (dtiflow / dung-mat-khau)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"dtiflow" and auth_data.password == "dung-mat-khau".encode()
        return AuthResult(success=ok)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    from notifications.testing_smtp import free_port

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    yield controller.port
    controller.stop()


def _smtp(port, password):
    # The loopback test server speaks no TLS: a password over it must be allowed in so many words
    # (a password otherwise means STARTTLS, and a plain login is refused).
    return _settings(DTIFLOW_MAIL_TRANSPORT="smtp", DTIFLOW_SMTP_HOST="127.0.0.1", DTIFLOW_SMTP_PORT=port,
                     DTIFLOW_SMTP_USERNAME="dtiflow", DTIFLOW_SMTP_PASSWORD=password,
                     DTIFLOW_SMTP_SECURITY="none", DTIFLOW_SMTP_ALLOW_PLAIN_LOGIN="1")


def test_an_smtp_server_that_accepts_the_login_passes(smtp_with_login):
    check = doctor.check_mail(_smtp(smtp_with_login, "dung-mat-khau"))
    assert check.status == "ok" and "đăng nhập dtiflow được chấp nhận" in check.detail


def test_a_refused_login_and_an_unreachable_server_fail_without_showing_the_password(smtp_with_login):
    refused = doctor.check_mail(_smtp(smtp_with_login, "sai-mat-khau"))
    assert refused.status == "fail" and "sai-mat-khau" not in refused.detail
    unreachable = doctor.check_mail(_smtp(_closed_port(), "x"))
    assert unreachable.status == "fail" and "cannot reach" in unreachable.detail


# --- Prefect (skipped and unreachable; a passing case needs a Prefect server, not yet tested) --

def test_without_prefect_api_url_prefect_is_skipped():
    check, last = doctor.check_prefect({})
    assert (check.status, last) == ("skip", None)


def test_an_unreachable_prefect_api_fails():
    check, _ = doctor.check_prefect({"PREFECT_API_URL": f"http://127.0.0.1:{_closed_port()}/api"})
    assert check.status == "fail" and "không gọi được API Prefect" in check.detail


# --- calendar ----------------------------------------------------------------------------------

@pytest.mark.parametrize("now, status, words", [
    (NOW, "ok", "phủ đến 10/03/2027"),
    (dt.datetime(2026, 10, 1, 3, 0, tzinfo=UTC), "warn", "ngày nghỉ năm 2027 trong lịch vẫn là ước tính"),
    (dt.datetime(2027, 6, 1, 3, 0, tzinfo=UTC), "fail", "chưa đủ 12 tháng tới"),
], ids=["spring 2026", "autumn 2026: 2027 estimated", "mid 2027: 2028 missing"])
def test_the_calendar_covers_the_next_twelve_months(now, status, words):
    check = doctor.check_calendar(now)
    assert check.status == status and words in check.detail


# --- outbox ------------------------------------------------------------------------------------

def _queue(engine, message_id, created, status):
    from store.outbox import OutboxMessage

    with Session(engine) as session:
        session.add(OutboxMessage(cycle_id="c", kind="reminder", occasion=message_id, message_id=message_id,
                                  sender="a@b.vn", recipients="c@d.vn", subject="s", status=status,
                                  next_attempt_at=created, created_at=created))
        session.commit()


def test_an_empty_outbox_passes(database):
    assert doctor.check_outbox(database[1], NOW).status == "ok"


def test_a_message_waiting_over_30_minutes_warns_with_its_time(database):
    _queue(database[1], "<old@x>", NOW - dt.timedelta(hours=2), "queued")
    check = doctor.check_outbox(database[1], NOW)
    assert check.status == "warn" and "cũ nhất từ 08:00 10/03/2026" in check.detail and check.data["waiting"] == 1


def test_parked_messages_warn(database):
    _queue(database[1], "<parked@x>", NOW, "parked")
    check = doctor.check_outbox(database[1], NOW)
    assert check.status == "warn" and check.data["parked"] == 1


# --- last tick ---------------------------------------------------------------------------------

def _lease(engine, renewed):
    from store import scheduler_lease

    scheduler_lease.acquire(engine, "cycle-tick", "host:1:x", renewed, dt.timedelta(minutes=3))


def test_no_tick_yet_warns_a_recent_one_passes_an_old_one_fails(database):
    engine = database[1]
    assert doctor.check_last_tick(engine, NOW, None).status == "warn"
    assert doctor.check_last_tick(engine, NOW, NOW - dt.timedelta(minutes=14)).status == "ok"  # Prefect's last run
    _lease(engine, NOW - dt.timedelta(hours=2))  # `dtiflow serve` renewed its lease at its last tick
    check = doctor.check_last_tick(engine, NOW, None)
    assert check.status == "fail" and "lúc 08:00 10/03/2026, đã quá 1 giờ" in check.detail


# --- the command -------------------------------------------------------------------------------

def _doctor(env: dict, *args: str):
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DTIFLOW_", "PREFECT_API_URL"))}
    return subprocess.run([DTIFLOW, "doctor", *args], env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_the_command_exits_1_on_a_failure_and_0_otherwise(database, tmp_path):
    url, engine = database
    _lease(engine, NOW - dt.timedelta(minutes=5))
    env = {"DTIFLOW_DATABASE_URL": url, "DTIFLOW_MAILDIR": str(tmp_path / "mail"), "DTIFLOW_NOW": NOW.isoformat()}
    healthy = _doctor(env, "--json")
    report = json.loads(healthy.stdout)
    assert healthy.returncode == 0 and report["ok"] is True
    assert {c["name"]: c["status"] for c in report["checks"]} == {
        "settings": "warn", "database": "ok", "mail": "ok", "prefect": "skip", "calendar": "ok", "outbox": "ok",
        "last_tick": "ok"}
    broken = _doctor({**env, "DTIFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'nope.db'}"})
    assert broken.returncode == 1
    assert "LỖI" in broken.stdout and "không tồn tại" in broken.stdout and "Traceback" not in broken.stdout + broken.stderr
