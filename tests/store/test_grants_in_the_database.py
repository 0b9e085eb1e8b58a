"""Grants in the database, on SQLite and PostgreSQL: append-only (a revocation is an appended
row), one person never council member and approver of one owner, and approvals and verified
points accepted only from a person who holds that role for the cycle's owner — even when the
row is written past the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from domain.instants import UTC
from store.cycle_rows import ApprovalRow, CycleRow, ScoreRow, SheetRow
from store.register_rows import GrantRevocationRow, PersonRow, RoleGrantRow, UnitRow

AT = dt.datetime(2019, 8, 1, tzinfo=UTC)


def _seed(engine) -> None:
    with Session(engine) as s:
        s.add_all([PersonRow(id=p, full_name=p, email=f"{p}@x.example") for p in ("a", "b", "pt")])
        s.flush()
        s.add(UnitRow(code="PT", name="UBND thành phố Phan Thiết", kind="district", level="district"))
        s.add(CycleRow(id="c1", regime_id="r", regime_version=1, year=2019, owner="province", calendar_version="v",
                       state="verification", opened_at=AT, opened_by="a"))
        s.flush()
        s.add(SheetRow(id=1, cycle_id="c1", unit_code="PT", group_id="IV", rubric_id="r.IV", state="locked"))
        s.add_all([RoleGrantRow(person_id="a", role="council_member", owner_scope="province"),
                   RoleGrantRow(person_id="pt", role="approver", owner_scope="PT"),
                   RoleGrantRow(person_id="pt", role="council_member", owner_scope="province")])
        s.commit()


def _grant_id(engine, person: str, role: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM role_grant WHERE person_id = :p AND role = :r"),
                            {"p": person, "r": role}).scalar_one()


@pytest.mark.parametrize("statement", [
    "UPDATE role_grant SET owner_scope = 'PT' WHERE person_id = 'a'",
    "UPDATE role_grant SET role = 'approver' WHERE person_id = 'a'",
    "DELETE FROM role_grant WHERE person_id = 'a'",
])
def test_a_grant_is_never_changed_nor_deleted(engine, statement):
    _seed(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


@pytest.mark.parametrize("statement", ["UPDATE grant_revocation SET reason = 'khác'", "DELETE FROM grant_revocation"])
def test_a_revocation_is_never_changed_nor_deleted(engine, statement):
    _seed(engine)
    with Session(engine) as s:
        s.add(GrantRevocationRow(grant_id=_grant_id(engine, "a", "council_member"), revoked_at=AT, revoked_by="ops:x",
                                 reason="nghỉ hưu"))
        s.commit()
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def test_a_grant_is_revoked_once(engine):
    _seed(engine)
    gid = _grant_id(engine, "a", "council_member")
    with Session(engine) as s:
        s.add(GrantRevocationRow(grant_id=gid, revoked_at=AT, revoked_by="ops:x", reason="nghỉ hưu"))
        s.commit()
    with Session(engine) as s, pytest.raises(DBAPIError):
        s.add(GrantRevocationRow(grant_id=gid, revoked_at=AT, revoked_by="ops:x", reason="lần nữa"))
        s.commit()


def test_one_person_is_never_council_member_and_approver_of_the_same_owner(engine):
    _seed(engine)
    with Session(engine) as s, pytest.raises(DBAPIError, match="four eyes"):
        s.add(RoleGrantRow(person_id="a", role="approver", owner_scope="province"))
        s.commit()
    # Once the council grant is revoked (appended), the approver grant may follow.
    with Session(engine) as s:
        s.add(GrantRevocationRow(grant_id=_grant_id(engine, "a", "council_member"), revoked_at=AT, revoked_by="ops:x",
                                 reason="chuyển công tác"))
        s.flush()
        s.add(RoleGrantRow(person_id="a", role="approver", owner_scope="province"))
        s.commit()


@pytest.mark.parametrize("row", [
    {"role": "unit_focal", "owner_scope": "province"},            # a unit role for an owner
    {"role": "secretariat", "unit_code": "PT"},                   # an owner role for a unit
    {"role": "approver"},                                          # no scope at all
    {"role": "unit_leader", "unit_code": "PT", "owner_scope": "PT"},  # two scopes
])
def test_a_grant_has_exactly_the_scope_its_role_takes(engine, row):
    _seed(engine)
    with Session(engine) as s, pytest.raises(DBAPIError):
        s.add(RoleGrantRow(person_id="b", **row))
        s.commit()


def _approval(who: str) -> ApprovalRow:
    return ApprovalRow(cycle_id="c1", round=1, decision_number="1/QĐ-UBND", decision_date=dt.date(2019, 11, 20),
                       approver_id=who, approved_at=AT)


def _verified(who: str) -> ScoreRow:
    return ScoreRow(cycle_id="c1", sheet_id=1, criterion_id="1", kind="verified", round=1, points=4,
                    recorded_by=who, recorded_at=AT)


@pytest.mark.parametrize("who", ["b", "pt"])  # nobody; an approver of district PT only
def test_an_approval_is_refused_from_a_person_not_holding_approver_for_the_cycles_owner(engine, who):
    _seed(engine)
    with Session(engine) as s, pytest.raises(DBAPIError, match="does not hold this role"):
        s.add(_approval(who))
        s.commit()


@pytest.mark.parametrize("who", ["b", "a"])  # nobody; a council member whose grant was revoked
def test_verified_points_are_refused_from_a_person_not_holding_council_member_for_the_cycles_owner(engine, who):
    _seed(engine)
    if who == "a":
        with Session(engine) as s:
            s.add(GrantRevocationRow(grant_id=_grant_id(engine, "a", "council_member"), revoked_at=AT,
                                     revoked_by="ops:x", reason="hết nhiệm kỳ"))
            s.commit()
    with Session(engine) as s, pytest.raises(DBAPIError, match="does not hold this role"):
        s.add(_verified(who))
        s.commit()


def test_a_holder_of_the_role_for_the_cycles_owner_is_accepted(engine):
    _seed(engine)
    with Session(engine) as s:
        s.add(_verified("pt"))  # council member of the province (and approver of PT only)
        s.commit()
