"""PostgreSQL with two roles (docs/security.md): the migrations run as the owner; the application
connects as a role that may read and insert, and never alter, delete from, truncate or disable a
trigger on the append-only tables. What the owner can still do, the hash chain shows.

Roles are global to the server: the test creates its own (`dtiflow_test_*_<random>`) and drops
them with its database.
"""

from __future__ import annotations

import contextlib
import json
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dtiflow.cli.main import main
from store.privileges import TABLE_PRIVILEGES
from store.schema import metadata
from store.testing import DEFAULT_ADMIN_URL, postgres_unreachable, temporary_postgres_database

pytestmark = pytest.mark.postgres

CYCLE = "binhthuan-2019-it-2019"
SHEET = """unit: Sở Thông tin và Truyền thông
group: I
rubric: binhthuan-2019-it.I
answers:
  "1": {points: 80, self_points: 80}
  "2": {points: 90, self_points: 90}
  "3": {points: 70}
  "4": {points: 100}
  "5": {points: 60}
"""


class Deployment:
    def __init__(self, admin_url: str, owner: str, app: str) -> None:
        self.admin_url, self.owner, self.app = admin_url, owner, app
        self.app_url = make_url(admin_url).set(username=app).render_as_string(hide_password=False)
        self.owner_url = make_url(admin_url).set(username=owner).render_as_string(hide_password=False)

    def run(self, monkeypatch, capsys, *argv: str, url: str | None = None, now: str | None = None, expect: int = 0):
        monkeypatch.setenv("DTIFLOW_DATABASE_URL", url or self.app_url)
        if now:
            monkeypatch.setenv("DTIFLOW_NOW", now)
        else:
            monkeypatch.delenv("DTIFLOW_NOW", raising=False)
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        assert code == expect, (argv, out, err)
        return json.loads(out) if "--json" in argv and out.strip() else (out + err)


@pytest.fixture
def deployment(tmp_path, monkeypatch, capsys):
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    tag = secrets.token_hex(4)
    owner, app = f"dtiflow_test_owner_{tag}", f"dtiflow_test_app_{tag}"
    with contextlib.ExitStack() as stack:
        stack.callback(_drop_roles, owner, app)  # after the database (and what they own in it) is gone
        url = stack.enter_context(temporary_postgres_database())
        d = Deployment(url, owner, app)
        # The administrator (here the superuser) creates the schema as the owner, and the app role.
        up = d.run(monkeypatch, capsys, "db", "upgrade", "--sandbox", "--owner-role", owner, "--app-role", app,
                   "--json", url=url)
        assert up["roles"] == {"app": app, "owner": owner} and up["mode"] == "sandbox"
        # The application, as its own role, runs a cycle up to the lock.
        sheet = tmp_path / "stttt.yaml"
        sheet.write_text(SHEET, encoding="utf-8")
        d.run(monkeypatch, capsys, "units", "import")
        d.run(monkeypatch, capsys, "cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date",
              "2019-08-07", "--as", "thuongtruc.stttt", now="2019-08-07T02:00:00Z")
        d.run(monkeypatch, capsys, "sheet", "import", CYCLE, "STTTT", str(sheet), "--as", "daumoi.stttt",
              now="2019-09-10T02:00:00Z")
        d.run(monkeypatch, capsys, "sheet", "submit", CYCLE, "STTTT", "--as", "lanhdao.stttt", now="2019-09-10T03:00:00Z")
        d.run(monkeypatch, capsys, "stage", "lock", CYCLE, "--as", "thuongtruc.stttt", now="2019-09-20T17:00:00Z")
        yield d


def _drop_roles(*roles: str) -> None:
    admin = create_engine(DEFAULT_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in roles:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


def _as(url: str, statement: str, params: dict | None = None) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params or {})
    finally:
        engine.dispose()


def _verify(d: Deployment, monkeypatch, capsys, expect: int) -> dict:
    return d.run(monkeypatch, capsys, "audit", "verify", CYCLE, "--json", expect=expect)


APP_REFUSED = [
    ("UPDATE audit_event SET reason = 'sửa' WHERE seq = 3", "permission denied"),
    ("DELETE FROM audit_event WHERE seq = 3", "permission denied"),
    ("TRUNCATE audit_event", "permission denied"),
    ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER audit_event_append_only ON audit_event", "must be owner"),
    ("UPDATE score SET points = 100", "permission denied"),
    ("UPDATE approval SET round = 2", "permission denied"),
    ("UPDATE database_mode SET mode = 'production'", "permission denied"),
    ("UPDATE sheet SET received_at = received_at - interval '10 days' WHERE unit_code = 'STTTT'", "received sheet"),
    ("DELETE FROM answer", "received sheet"),
    ("INSERT INTO audit_event (cycle_id, actor_id, role, at, command, event, details, stream, seq, prev_hash, hash) "
     f"VALUES ('{CYCLE}', 'lanhdao.snv', 'unit_leader', now(), 'submit_sheet', 'SheetSubmitted', '{{}}', "
     f"'cycle:{CYCLE}', 3, (SELECT hash FROM audit_event WHERE seq = 2), repeat('f', 64))", "duplicate key"),
    ("INSERT INTO audit_event (cycle_id, actor_id, role, at, command, event, details, stream, seq, prev_hash, hash) "
     f"VALUES ('{CYCLE}', 'lanhdao.snv', 'unit_leader', now(), 'submit_sheet', 'SheetSubmitted', '{{}}', "
     f"'cycle:{CYCLE}', 100000, repeat('0', 64), repeat('f', 64))", "hash chain"),
]


def test_the_application_role_cannot_forge_delete_or_truncate(deployment, monkeypatch, capsys):
    for statement, refusal in APP_REFUSED:
        with pytest.raises(DBAPIError, match=refusal):
            _as(deployment.app_url, statement)
    assert _verify(deployment, monkeypatch, capsys, expect=0)["intact"] is True


def test_the_owner_can_rewrite_delete_or_truncate_but_audit_verify_names_the_break(deployment, monkeypatch, capsys):
    owner = deployment.owner_url
    _as(owner, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    _as(owner, "UPDATE audit_event SET reason = 'lý do viết thêm' WHERE seq = 4 AND reason IS NULL")
    report = _verify(deployment, monkeypatch, capsys, expect=1)
    assert report["broken"]["seq"] == 4 and "đã bị sửa" in report["broken"]["reason"]

    _as(owner, "UPDATE audit_event SET reason = NULL WHERE seq = 4")  # put back: intact again
    assert _verify(deployment, monkeypatch, capsys, expect=0)["intact"] is True
    _as(owner, "DELETE FROM audit_event WHERE seq = 5")
    report = _verify(deployment, monkeypatch, capsys, expect=1)
    assert report["broken"]["seq"] == 5 and "thiếu sự kiện #5" in report["broken"]["reason"]

    with pytest.raises(DBAPIError, match="append-only"):  # even the owner meets the trigger first
        _as(owner, "TRUNCATE audit_event")
    _as(owner, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate")
    _as(owner, "TRUNCATE audit_event")
    report = _verify(deployment, monkeypatch, capsys, expect=1)
    assert "không còn sự kiện nào" in report["broken"]["reason"]


def test_every_table_states_what_the_application_may_do():
    missing = sorted({t.name for t in metadata.sorted_tables} - set(TABLE_PRIVILEGES))
    assert missing == [], f"add the application's privileges for {missing} to store/privileges.py"
