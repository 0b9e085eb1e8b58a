"""What the database itself guarantees, on SQLite and PostgreSQL: instants come back aware UTC,
states outside the domain enums are refused, the audit log and score rows are append-only, and
four eyes holds even for a write that bypasses the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import Session, select

from domain.instants import UTC, NaiveInstantError
from store.cycle_rows import ApprovalRow, CycleRow, ScoreRow, SheetRow
from store.repo_records import SqlAudit
from store.register_rows import GrantRevocationRow, PersonRow, RoleGrantRow, UnitRow

HANOI = dt.timezone(dt.timedelta(hours=7))


def _seed(engine) -> None:
    with Session(engine) as s:
        s.add_all([PersonRow(id="a", full_name="Người A", email="a@x.example"),
                   PersonRow(id="b", full_name="Người B", email="b@x.example")])
        s.flush()
        s.add(UnitRow(code="STTTT", name="Sở Thông tin và Truyền thông", kind="department", level="province"))
        s.add(CycleRow(id="c1", regime_id="r", regime_version=1, year=2019, owner="province", calendar_version="v",
                       state="open", opened_at=dt.datetime(2019, 8, 7, 9, 0, tzinfo=HANOI), opened_by="a"))
        s.flush()
        s.add(SheetRow(id=1, cycle_id="c1", unit_code="STTTT", group_id="I", rubric_id="r.I", state="locked"))
        # a verifies for the province, b approves for it (each only for the owner granted).
        s.add_all([RoleGrantRow(person_id="a", role="council_member", owner_scope="province"),
                   RoleGrantRow(person_id="b", role="approver", owner_scope="province")])
        s.commit()


def _regrant(engine, person: str, old: str, new: str) -> None:
    """End `person`'s grant `old` for the province (an appended revocation) and grant `new`."""
    with Session(engine) as s:
        grant = s.exec(select(RoleGrantRow).where(RoleGrantRow.person_id == person, RoleGrantRow.role == old)).one()
        s.add(GrantRevocationRow(grant_id=grant.id, revoked_at=dt.datetime(2019, 11, 1, tzinfo=UTC), revoked_by="ops:test",
                                 reason="đổi nhiệm vụ"))
        s.flush()
        s.add(RoleGrantRow(person_id=person, role=new, owner_scope="province"))
        s.commit()


def test_an_instant_written_in_local_time_comes_back_as_the_same_instant_in_utc(engine):
    _seed(engine)
    with Session(engine) as s:
        back = s.get(CycleRow, "c1")
    assert back.opened_at == dt.datetime(2019, 8, 7, 2, 0, tzinfo=UTC)
    assert back.opened_at.utcoffset() == dt.timedelta(0)


def test_a_naive_instant_is_refused_on_write(engine):
    _seed(engine)
    with Session(engine) as s:
        row = s.get(CycleRow, "c1")
        row.published_at = dt.datetime(2019, 11, 22, 9, 0)
        with pytest.raises(StatementError) as err:
            s.commit()
    assert isinstance(err.value.orig, NaiveInstantError)


@pytest.mark.parametrize("statement", [
    "UPDATE sheet SET state = 'approved_by_hand' WHERE id = 1",
    "UPDATE cycle SET state = 'finished' WHERE id = 'c1'",
    "INSERT INTO role_grant (person_id, role) VALUES ('a', 'superuser')",
    "UPDATE unit SET kind = 'ministry' WHERE code = 'STTTT'",
])
def test_a_value_outside_the_domains_vocabulary_is_refused_by_a_check(engine, statement):
    _seed(engine)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text(statement))


def _score(who: str, round_: int = 1) -> ScoreRow:
    return ScoreRow(cycle_id="c1", sheet_id=1, criterion_id="1", kind="verified", round=round_, points=40,
                    recorded_by=who, recorded_at=dt.datetime(2019, 10, 1, tzinfo=UTC))


def _approval(who: str) -> ApprovalRow:
    return ApprovalRow(cycle_id="c1", round=1, decision_number="1/QĐ-UBND", decision_date=dt.date(2019, 11, 20),
                       approver_id=who, approved_at=dt.datetime(2019, 11, 20, tzinfo=UTC))


def test_the_database_refuses_an_approver_who_recorded_verified_points(engine):
    _seed(engine)
    with Session(engine) as s:
        s.add(_score("a"))
        s.commit()
    _regrant(engine, "a", "council_member", "approver")  # a became an approver since
    with Session(engine) as s, pytest.raises(DBAPIError, match="four eyes"):
        s.add(_approval("a"))
        s.commit()
    with Session(engine) as s:
        s.add(_approval("b"))
        s.commit()


def test_the_database_refuses_verified_points_from_the_person_who_approved_that_round(engine):
    _seed(engine)
    with Session(engine) as s:
        s.add(_approval("b"))
        s.commit()
    _regrant(engine, "b", "approver", "council_member")  # b joined the council since
    with Session(engine) as s, pytest.raises(DBAPIError, match="four eyes"):
        s.add(_score("b"))
        s.commit()


@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {v}", "DELETE FROM {t}"])
@pytest.mark.parametrize("table, column, value", [("audit_event", "reason", "'sửa'"), ("score", "points", "99")])
def test_audit_entries_and_score_rows_are_never_changed_nor_deleted(engine, statement, table, column, value):
    _seed(engine)
    with Session(engine) as s:
        SqlAudit(s).append_many([dict(cycle_id="c1", actor_id="a", role="secretariat", at=dt.datetime(2019, 8, 7, tzinfo=UTC),
                                      command="open_cycle", event="CycleOpened", details={})])
        s.add(_score("a"))
        s.commit()
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement.format(t=table, c=column, v=value)))
