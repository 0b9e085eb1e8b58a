"""Tampering with the audit log shows (docs/security.md, "What the audit proves").

SQLite has no roles: whoever holds the file can drop a trigger and rewrite a row. The hash chain
is what shows it: `dtiflow audit verify` names the first broken link and exits 1.
PostgreSQL: see test_app_role.py (the application's role cannot alter, delete or truncate).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.clock import FixedClock
from domain.instants import UTC
from dtiflow.cli.main import main
from services import cycles, sheets
from services.testing import SECRETARIAT, answers_for, load_sample_units, make_services
from store.db import make_engine
from store.schema import create_schema
from store.uow import sql_uow_factory

CYCLE = "binhthuan-2019-it-2019"


def run_small_cycle(engine) -> None:
    """Open the 2019 cycle, one unit drafts and submits, the lock marks the rest not evaluated."""
    clock = FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC))
    svc = make_services(sql_uow_factory(engine), clock)
    load_sample_units(svc)
    cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019,
                      facts={"notice": dt.date(2019, 8, 7)})
    clock.set(dt.datetime(2019, 9, 10, 2, tzinfo=UTC))
    sheets.save_draft(svc, actor_id="daumoi.stttt", cycle_id=CYCLE, unit_code="STTTT",
                      answers=answers_for(svc, "binhthuan-2019-it.I", "STTTT", "I", 70))
    sheets.submit_sheet(svc, actor_id="lanhdao.stttt", cycle_id=CYCLE, unit_code="STTTT")
    clock.set(dt.datetime(2019, 9, 20, 17, tzinfo=UTC))
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tamper.db'}"
    engine = make_engine(url)
    create_schema(engine)
    run_small_cycle(engine)
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", url)
    monkeypatch.delenv("DTIFLOW_NOW", raising=False)
    yield engine
    engine.dispose()


def verify(capsys, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["audit", "verify", CYCLE, "--json", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


def event_id(engine, seq: int) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM audit_event WHERE stream = :s AND seq = :q"),
                            {"s": f"cycle:{CYCLE}", "q": seq}).scalar_one()


def test_an_untouched_log_verifies_and_the_command_says_so(sqlite_db, capsys):
    code, report = verify(capsys)
    assert code == 0 and report["intact"] and report["events"] > 30
    capsys.readouterr()
    assert main(["audit", "verify", CYCLE]) == 0
    assert "nguyên vẹn" in capsys.readouterr().out


def test_the_triggers_refuse_a_rewrite_while_they_are_in_place(sqlite_db):
    with pytest.raises(DBAPIError, match="append-only"), sqlite_db.begin() as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'sửa' WHERE seq = 3"))


def test_a_dropped_trigger_then_a_rewritten_event_is_named_by_verify(sqlite_db, capsys):
    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_update"))
        conn.execute(text("UPDATE audit_event SET actor_id = 'lanhdao.snv' WHERE seq = 3"))
    code, report = verify(capsys)
    assert code == 1 and report["intact"] is False
    assert report["broken"]["seq"] == 3 and report["broken"]["id"] == event_id(sqlite_db, 3)
    assert "đã bị sửa" in report["broken"]["reason"]
    capsys.readouterr()
    assert main(["audit", "verify", CYCLE]) == 1
    assert "BỊ PHÁ VỠ tại #3" in capsys.readouterr().out


def test_a_rewrite_that_recomputes_the_events_own_hash_breaks_the_next_link(sqlite_db, capsys):
    from store.audit_chain import CHAINED_FIELDS, event_hash

    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_update"))
        row = conn.execute(text("SELECT * FROM audit_event WHERE seq = 5")).mappings().one()
        forged = {k: row[k] for k in CHAINED_FIELDS}
        forged["at"] = dt.datetime.fromisoformat(str(row["at"])).replace(tzinfo=UTC)
        forged["details"] = json.loads(row["details"])
        forged["reason"] = "lý do bịa"
        conn.execute(text("UPDATE audit_event SET reason = :r, hash = :h WHERE id = :i"),
                     {"r": forged["reason"], "h": event_hash(forged), "i": row["id"]})
    code, report = verify(capsys)
    assert code == 1 and report["broken"]["seq"] == 6 and "không nối" in report["broken"]["reason"]


def test_a_deleted_event_is_named_as_missing(sqlite_db, capsys):
    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        conn.execute(text("DELETE FROM audit_event WHERE seq = 4"))
    code, report = verify(capsys)
    assert code == 1 and report["broken"]["seq"] == 4 and "thiếu sự kiện #4" in report["broken"]["reason"]


def test_a_log_emptied_of_the_cycles_events_is_a_break(sqlite_db, capsys):
    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        conn.execute(text("DELETE FROM audit_event"))
    code, report = verify(capsys)
    assert code == 1 and "không còn sự kiện nào" in report["broken"]["reason"]


def test_a_cut_tail_shows_against_the_published_head(sqlite_db, capsys):
    _code, whole = verify(capsys)
    head = f"{whole['head']['seq']}:{whole['head']['hash']}"
    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        conn.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": whole["head"]["seq"]})
    assert verify(capsys)[0] == 0  # the chain alone cannot see a cut tail...
    code, report = verify(capsys, "--head", head)  # ...the head published with the results can
    assert code == 1 and "không khớp" in report["broken"]["reason"]


def test_an_event_inserted_outside_the_chain_is_refused_and_if_forced_in_named(sqlite_db, capsys):
    insert = ("INSERT INTO audit_event (cycle_id, actor_id, role, at, command, event, details, stream, seq, prev_hash, hash) "
              "VALUES (:c, 'thuongtruc.stttt', 'secretariat', '2019-09-01 00:00:00', 'lock', 'CycleLocked', '{}', :s, :q, :p, :h)")
    params = {"c": CYCLE, "s": f"cycle:{CYCLE}", "q": 2, "p": "0" * 64, "h": "f" * 64}
    with pytest.raises(DBAPIError), sqlite_db.begin() as conn:  # the position is taken
        conn.execute(text(insert), params)
    with pytest.raises(DBAPIError, match="hash chain"), sqlite_db.begin() as conn:  # not linked to the head
        conn.execute(text(insert), {**params, "q": 10_000})
    with sqlite_db.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_linked"))
        conn.execute(text(insert), {**params, "s": "elsewhere", "q": 1})
    code, report = verify(capsys)
    assert code == 1 and report["broken"]["seq"] is None and "không nằm trong chuỗi" in report["broken"]["reason"]
