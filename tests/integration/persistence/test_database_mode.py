"""The business clock cannot be forged (docs/security.md, "Two kinds of database").

A database is created as production (the real clock only) or as a sandbox (`db upgrade
--sandbox`; the demo and the tests): the mode is stored once and never changes. The two findings
reproduced here went through on the code before: `DTIFLOW_NOW=2019-09-21 dtiflow cycle tick`
locked and scored a cycle five weeks early and mailed every unit "not evaluated"; a draft refused
on 25/9 was accepted with `DTIFLOW_NOW=2019-09-14`.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.clock import FixedClock
from domain.instants import UTC
from dtiflow.cli.main import main
from services import cycles, sheets
from services.environment import database_mode
from services.testing import SECRETARIAT, answers_for, load_sample_units, make_services
from store.database_mode import DatabaseMode
from store.db import make_engine
from store.schema import create_schema
from store.uow import sql_uow_factory

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
REFUSED = "môi trường vận hành thật"


def cli(monkeypatch, capsys, *argv: str, now: str | None = None) -> tuple[int, str, str]:
    if now:
        monkeypatch.setenv("DTIFLOW_NOW", now)
    else:
        monkeypatch.delenv("DTIFLOW_NOW", raising=False)
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def production(tmp_path, monkeypatch):
    """A production database on which the 2019 cycle was opened and STTTT drafted (set up through
    the services with a test clock: what the real clock would have done in 2019)."""
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    engine = make_engine(url)
    create_schema(engine, mode=DatabaseMode.PRODUCTION)
    clock = FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC))
    svc = make_services(sql_uow_factory(engine), clock)
    load_sample_units(svc)
    cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019,
                      facts={"notice": dt.date(2019, 8, 7)})
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", url)
    yield engine, svc
    engine.dispose()


def _states(engine) -> tuple[str, dict[str, int]]:
    with engine.connect() as conn:
        cycle = conn.execute(text("SELECT state FROM cycle WHERE id = :c"), {"c": CYCLE}).scalar_one()
        sheets_ = dict(conn.execute(text("SELECT state, count(*) FROM sheet GROUP BY state")).all())
        mails = conn.execute(text("SELECT count(*) FROM outbox_message WHERE kind = 'not_evaluated_notice'")).scalar()
        audit = conn.execute(text("SELECT count(*) FROM audit_event WHERE event = 'CycleLocked'")).scalar()
    return cycle, {**sheets_, "mails": mails, "locks": audit}


def test_a_forged_clock_cannot_tick_a_production_cycle_five_weeks_early(production, monkeypatch, capsys):
    engine, _svc = production
    before = _states(engine)
    code, _out, err = cli(monkeypatch, capsys, "cycle", "tick", CYCLE, now="2019-09-21T00:00:00Z")
    assert code == 2 and REFUSED in err and "DTIFLOW_NOW" in err
    assert _states(engine) == before  # nothing locked, nobody marked not evaluated, nothing mailed
    assert before[1]["locks"] == 0 and before[1]["mails"] == 0


def test_a_forged_date_cannot_get_a_late_draft_accepted_in_production(production, tmp_path, monkeypatch, capsys):
    sheet = tmp_path / "stttt.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    code, _out, err = cli(monkeypatch, capsys, "sheet", "import", CYCLE, "STTTT", str(sheet), "--as", "daumoi.stttt",
                          now="2019-09-14T02:00:00Z")
    assert code == 2 and REFUSED in err
    # On the real clock (years after 2019) the draft is refused for what it is: too late.
    code, _out, err = cli(monkeypatch, capsys, "sheet", "import", CYCLE, "STTTT", str(sheet), "--as", "daumoi.stttt")
    assert code == 2 and "hết thời hạn" in err
    with production[0].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM answer")).scalar() == 0


def test_every_command_on_a_production_database_refuses_a_simulated_clock(production, monkeypatch, capsys):
    code, _out, err = cli(monkeypatch, capsys, "cycle", "status", CYCLE, "--as", SECRETARIAT, now="2019-09-14T02:00:00Z")
    assert code == 2 and REFUSED in err
    code, out, _err = cli(monkeypatch, capsys, "cycle", "status", CYCLE, "--as", SECRETARIAT, "--json")
    assert code == 0 and json.loads(out)["state"] == "open"


def test_the_composition_root_refuses_a_simulated_clock_on_production_too(production):
    from dtiflow.bootstrap import build_app
    from dtiflow.clock import SimulatedClockRefused
    from dtiflow.settings import load_settings

    engine, _svc = production
    with pytest.raises(SimulatedClockRefused, match=REFUSED):
        build_app(load_settings({"DTIFLOW_DATABASE_URL": str(engine.url)}), engine=engine,
                  clock=FixedClock(dt.datetime(2019, 9, 21, tzinfo=UTC)))
    with pytest.raises(SimulatedClockRefused):
        build_app(load_settings({"DTIFLOW_DATABASE_URL": str(engine.url), "DTIFLOW_NOW": "2019-09-21T00:00:00Z"}),
                  engine=engine)
    app = build_app(load_settings({"DTIFLOW_DATABASE_URL": str(engine.url)}), engine=engine)
    assert app.clock.now().year >= 2026  # the system clock


def test_db_upgrade_creates_production_unless_told_sandbox_and_the_mode_never_changes(tmp_path, monkeypatch, capsys):
    prod, sand = tmp_path / "p.db", tmp_path / "s.db"
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{prod}")
    code, out, _ = cli(monkeypatch, capsys, "db", "upgrade", "--json")
    assert code == 0 and json.loads(out)["mode"] == "production"
    code, _out, err = cli(monkeypatch, capsys, "db", "upgrade", "--sandbox")
    assert code == 2 and "không đổi được" in err
    code, out, _ = cli(monkeypatch, capsys, "db", "current")
    assert code == 0 and "vận hành thật" in out

    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{sand}")
    code, out, _ = cli(monkeypatch, capsys, "db", "upgrade", "--sandbox", "--json")
    assert code == 0 and json.loads(out)["mode"] == "sandbox"
    code, out, _ = cli(monkeypatch, capsys, "db", "upgrade", "--json")  # upgrading again keeps the sandbox
    assert code == 0 and json.loads(out)["mode"] == "sandbox"
    engine = make_engine(f"sqlite:///{sand}")
    for statement in ("UPDATE database_mode SET mode = 'production'", "DELETE FROM database_mode",
                      "INSERT INTO database_mode (id, mode, created_at) VALUES (2, 'production', '2019-01-01')"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()


def test_a_sandbox_runs_on_the_simulated_clock_and_every_message_says_it_is_a_test(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    assert cli(monkeypatch, capsys, "db", "upgrade", "--sandbox")[0] == 0
    assert cli(monkeypatch, capsys, "units", "import")[0] == 0
    code, out, err = cli(monkeypatch, capsys, "cycle", "open", "binhthuan-2019-it", "--year", "2019",
                         "--notice-date", "2019-08-07", "--as", SECRETARIAT, "--json", now="2019-08-07T02:00:00Z")
    assert code == 0, err
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    with engine.connect() as conn:
        subjects = [r[0] for r in conn.execute(text("SELECT subject FROM outbox_message"))]
        body = conn.execute(text("SELECT raw FROM outbox_body LIMIT 1")).scalar_one()
    engine.dispose()
    assert subjects and all(s.startswith("[MÔI TRƯỜNG THỬ NGHIỆM] ") for s in subjects)
    message = email.message_from_bytes(body, policy=email.policy.default)
    assert "môi trường thử nghiệm" in message.get_body(("plain",)).get_content()
    assert "môi trường thử nghiệm" in message.get_body(("html",)).get_content()
    svc = make_services(sql_uow_factory(make_engine(f"sqlite:///{tmp_path / 's.db'}")), FixedClock(dt.datetime.now(UTC)))
    shown = database_mode(svc)
    assert shown["mode"] == "sandbox" and shown["sandbox"] and "môi trường thử nghiệm" in shown["banner"]


def test_production_mail_carries_no_test_marker(production):
    engine, _svc = production
    with engine.connect() as conn:
        subjects = [r[0] for r in conn.execute(text("SELECT subject FROM outbox_message"))]
    assert all(not s.startswith("[MÔI TRƯỜNG") for s in subjects)


def test_db_current_and_connection_errors_never_print_the_password(monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", "postgresql://dtiflow:Sup3rS3cret@127.0.0.1:1/dtiflow")
    for argv in (("db", "current"), ("db", "upgrade"), ("cycle", "status", CYCLE, "--as", SECRETARIAT)):
        code, out, err = cli(monkeypatch, capsys, *argv)
        assert code == 2 and "Sup3rS3cret" not in out + err and "dtiflow:***@127.0.0.1:1" in err, (argv, err)


def test_the_secretariat_reopens_collection_from_the_command_line_with_a_reason(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    for argv, now in ((("db", "upgrade", "--sandbox"), None), (("units", "import"), None),
                      (("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-08-07",
                        "--as", SECRETARIAT), "2019-08-07T02:00:00Z"),
                      (("stage", "lock", CYCLE, "--as", SECRETARIAT), "2019-09-20T17:00:00Z")):
        assert cli(monkeypatch, capsys, *argv, now=now)[0] == 0
    with pytest.raises(SystemExit) as usage:  # argparse: the reason is required
        main(["unit", "reopen", CYCLE, "--unit", "SNV", "--until", "2019-09-25", "--as", SECRETARIAT])
    assert usage.value.code == 2 and "--reason" in capsys.readouterr().err
    code, out, err = cli(monkeypatch, capsys, "unit", "reopen", CYCLE, "--unit", "SNV", "--until", "25/09/2019",
                         "--reason", "Phiếu gửi qua QLVB bị thất lạc", "--as", SECRETARIAT, "--json",
                         now="2019-09-23T02:00:00Z")
    assert code == 0, err
    assert json.loads(out)["units"] == ["SNV"]
    code, out, _ = cli(monkeypatch, capsys, "cycle", "status", CYCLE, "--as", SECRETARIAT, "--json",
                       now="2019-09-23T02:00:00Z")
    rows = {s["unit_code"]: s for s in json.loads(out)["sheets"]}
    assert rows["SNV"]["state"] == "not_started" and rows["SNV"]["extended_until"] == "2019-09-25T17:00:00+00:00"
