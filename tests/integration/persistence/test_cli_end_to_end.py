"""The 2019 Bình Thuận cycle driven end to end from the command line, with the shipped units
register, on SQLite and on PostgreSQL: every step as the person who may do it (--as), with
--json, the clock pinned by DTIFLOW_NOW (a testing / demo aid)."""

from __future__ import annotations

import json

import pytest

from sqlalchemy import text

from dtiflow.cli.main import main
from store.db import make_engine
from store.testing import postgres_unreachable, temporary_postgres_database

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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with temporary_postgres_database() as url:
        yield url


class Cli:
    def __init__(self, monkeypatch, capsys, url: str) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys
        monkeypatch.setenv("DTIFLOW_DATABASE_URL", url)

    def __call__(self, *argv: str, now: str | None = None, expect: int = 0):
        if now:
            self.monkeypatch.setenv("DTIFLOW_NOW", now)
        else:
            self.monkeypatch.delenv("DTIFLOW_NOW", raising=False)
        self.capsys.readouterr()
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        assert code == expect, (argv, out, err)
        if expect != 0:
            assert err.startswith("dtiflow: error: ") and "Traceback" not in err
            return err
        return json.loads(out) if "--json" in argv else out


def test_a_cycle_is_driven_end_to_end_from_the_command_line(database_url, tmp_path, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, database_url)
    monkeypatch.setenv("DTIFLOW_FILES_DIR", str(tmp_path / "files"))
    sheet = tmp_path / "stttt.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    evidence = tmp_path / "qd-12.pdf"
    evidence.write_bytes(b"%PDF-1.4 quyet dinh")

    assert cli("db", "upgrade", "--sandbox", "--json")["revision"] == _head()
    assert cli("units", "import", "--json")["by_kind"] == {"commune": 9, "department": 16, "district": 10,
                                                           "office": 2, "public_service_unit": 5}
    opened = cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-08-07",
                 "--as", "thuongtruc.stttt", "--json", now="2019-08-07T02:00:00Z")
    assert (opened["cycle_id"], opened["units"], opened["acceptance_end"]) == (CYCLE, 33, "2019-09-20T17:00:00+00:00")

    cli("sheet", "import", CYCLE, "STTTT", str(sheet), "--evidence", f"1={evidence}", "--as", "daumoi.stttt", "--json",
        now="2019-09-10T02:00:00Z")
    err = cli("sheet", "submit", CYCLE, "STTTT", "--as", "daumoi.stttt", now="2019-09-10T02:00:00Z", expect=2)
    assert "unit_leader" in err  # the focal person drafts; only the leader sends
    sent = cli("sheet", "submit", CYCLE, "STTTT", "--as", "lanhdao.stttt", "--key", "stttt-1", "--json",
               now="2019-09-10T02:00:00Z")
    assert sent["outcome"] == "on_time"
    again = cli("sheet", "submit", CYCLE, "STTTT", "--as", "lanhdao.stttt", "--key", "stttt-1", "--json",
                now="2019-09-12T02:00:00Z")
    assert again["replayed"] is True and again["received_at"] == sent["received_at"]

    cli("unit", "extend", CYCLE, "PT", "--until", "2019-09-27", "--reason", "Sự cố hệ thống QLVB",
        "--as", "thuongtruc.stttt", "--json", now="2019-09-12T02:00:00Z")
    assert "không khóa sớm" in cli("stage", "lock", CYCLE, "--as", "thuongtruc.stttt", now="2019-09-20T16:59:59Z",
                                   expect=2)
    locked = cli("stage", "lock", CYCLE, "--as", "thuongtruc.stttt", "--json", now="2019-09-20T17:00:00Z")
    assert locked["sheets"] == {"locked": 1, "not_evaluated": 31, "not_started": 1}  # PT's extension runs
    refused = cli("sheet", "submit", CYCLE, "SNV", "--as", "lanhdao.snv", now="2019-09-21T02:00:00Z", expect=2)
    assert "không được tiếp nhận" in refused
    cli("stage", "lock", CYCLE, "--as", "thuongtruc.stttt", "--json", now="2019-09-27T17:00:00Z")

    scored = cli("stage", "score", CYCLE, "--as", "thuongtruc.stttt", "--json", now="2019-09-28T02:00:00Z")
    assert scored["totals"] == {"STTTT": 400.0}
    asked = cli("stage", "explain", CYCLE, "STTTT", "--question", "Giải trình tiêu chí 4", "--criterion", "4",
                "--as", "thuongtruc.stttt", "--json", now="2019-10-01T02:00:00Z")
    cli("sheet", "explain", CYCLE, "STTTT", "--request", str(asked["request_id"]), "--answer", "Đã bổ sung minh chứng",
        "--as", "daumoi.stttt", "--json", now="2019-10-02T02:00:00Z")
    verified = cli("stage", "verify", CYCLE, "STTTT", "--points", "4=80", "--as", "hoidong.1", "--json",
                   now="2019-11-05T02:00:00Z")
    assert verified["verified_total"] == 380.0
    assert "approver" in cli("stage", "approve", CYCLE, "--decision", "2912/QĐ-UBND", "--decision-date", "2019-11-20",
                             "--as", "hoidong.1", now="2019-11-20T02:00:00Z", expect=2)
    approved = cli("stage", "approve", CYCLE, "--decision", "2912/QĐ-UBND", "--decision-date", "2019-11-20",
                   "--as", "chutich.ubndtinh", "--json", now="2019-11-20T02:00:00Z")
    assert approved["state"] == "approved"
    cli("stage", "publish", CYCLE, "--as", "thuongtruc.stttt", "--json", now="2019-11-22T02:00:00Z")
    reopened = cli("stage", "reopen", CYCLE, "--to", "verification", "--reason", "Khiếu nại được chấp nhận",
                   "--as", "thuongtruc.stttt", "--json", now="2019-11-25T02:00:00Z")
    assert reopened["score_round"] == 2

    status = cli("cycle", "status", CYCLE, "--as", "thuongtruc.stttt", "--json")
    rows = {s["unit_code"]: s for s in status["sheets"]}
    assert status["state"] == "verification" and len(rows) == 33
    assert (rows["STTTT"]["state"], rows["STTTT"]["computed_total"], rows["STTTT"]["verified_total"]) == ("locked", 400.0, 380.0)
    assert rows["PT"]["state"] == "not_evaluated" and rows["PT"]["extended_until"] == "2019-09-27T17:00:00+00:00"
    assert "chỉ được thao tác trên phiếu của đơn vị mình" in cli("cycle", "status", CYCLE, "--as", "lanhdao.snv", expect=2)

    detail = cli("sheet", "show", CYCLE, "STTTT", "--as", "daumoi.stttt", "--json")
    assert [(s["kind"], s["round"], s["points"]) for s in detail["scores"]["4"]] == [
        ("computed", 1, 100.0), ("verified", 1, 80.0)]
    assert detail["evidence"][0]["file_name"] == "qd-12.pdf" and detail["evidence"][0]["size_bytes"] == 19
    assert "tiêu chí 4: chấm sơ bộ vòng 1: 100, thẩm định vòng 1: 80" in cli("sheet", "show", CYCLE, "STTTT", "--as", "thuongtruc.stttt")

    log = cli("audit", CYCLE, "--as", "thuongtruc.stttt", "--json")
    events = [e["event"] for e in log]
    for event in ("CycleOpened", "NoticeIssued", "DraftSaved", "SheetSubmitted", "DeadlineExtended", "CycleLocked",
                  "SheetRefused", "SheetsScored", "ExplanationRequested", "ExplanationGiven", "VerificationRecorded",
                  "CycleApproved", "ResultsPublished", "StageReopened"):
        assert event in events, event
    extension = next(e for e in log if e["event"] == "DeadlineExtended")
    assert (extension["actor"], extension["role"], extension["reason"]) == ("thuongtruc.stttt", "secretariat",
                                                                           "Sự cố hệ thống QLVB")
    assert "lý do: Khiếu nại được chấp nhận" in cli("audit", CYCLE, "--as", "thuongtruc.stttt")

    # The e-mails were queued in the commands' own transactions (decision record 0007).
    engine = make_engine(database_url)
    with engine.connect() as conn:
        queued = dict(conn.execute(text("SELECT kind, count(*) FROM outbox_message GROUP BY kind")).all())
    engine.dispose()
    assert queued["notice"] == 33 and queued["submission_receipt"] == 1 and queued["not_evaluated_notice"] == 32


def test_commands_before_the_schema_exists_say_to_upgrade(database_url, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, database_url)
    assert "dtiflow db upgrade" in cli("units", "import", expect=2)


def test_a_bad_units_file_is_one_error_per_row_not_a_traceback(database_url, tmp_path, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, database_url)
    cli("db", "upgrade")
    bad = tmp_path / "units.yaml"
    bad.write_text("province: X\nunits:\n  - {code: A1, name: Sở A, kind: ministry, focal: {id: f, name: F, email: f@x.example},"
                   " head: {id: h, name: H, email: h@x.example}}\n", encoding="utf-8")
    err = cli("units", "import", str(bad), expect=2)
    assert "units.yaml:3: unit A1, field 'kind'" in err


def _head() -> str:
    """The newest migration (the one no other names as its `down_revision`)."""
    from alembic.script import ScriptDirectory

    from store.migrations.config import MIGRATIONS_DIR

    (head,) = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    return head
