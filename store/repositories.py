"""Repositories over one SQLAlchemy session: the only code that writes our rows.

State columns are written only by `cas_state` / `move_all`: a compare-and-set UPDATE
(`WHERE state = :expected`) whose target the service took from the domain's `next_*_state`.
A false return means another transaction moved the row first; the service refuses the command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import delete, insert, or_, select, update
from sqlmodel import Session

from store.cycle_rows import (
    AnswerRow,
    ApprovalRow,
    CycleRow,
    EvidenceRow,
    ExplanationRow,
    MilestoneRow,
    ScoreRow,
    SheetRow,
)
from store.log_rows import AuditRow, IdempotencyRow
from store.register_rows import PersonRow, RoleGrantRow, UnitRow


class _Repo:
    def __init__(self, session: Session) -> None:
        self.s = session

    # Rows come back detached: a snapshot the service may read (and even modify) freely, since
    # the only writes are the explicit statements below (compare-and-set for states).
    def _all(self, stmt) -> list:
        rows = list(self.s.execute(stmt.execution_options(populate_existing=True)).scalars())
        for row in rows:
            self.s.expunge(row)
        return rows

    def _one(self, stmt):
        rows = self._all(stmt.limit(1))
        return rows[0] if rows else None


class SqlUnits(_Repo):
    def get(self, code: str) -> UnitRow | None:
        return self._one(select(UnitRow).where(UnitRow.code == code))

    def list(self, *, kinds: Iterable[str] | None = None, parent: str | None = None) -> list[UnitRow]:
        stmt = select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.code)
        if kinds is not None:
            stmt = stmt.where(UnitRow.kind.in_(list(kinds)))
        if parent is not None:
            stmt = stmt.where(UnitRow.parent_code == parent)
        return self._all(stmt)

    def upsert(self, row: UnitRow) -> None:
        self.s.merge(row)
        self.s.flush()

    def upsert_many(self, rows: list[dict]) -> int:
        return _upsert_many(self.s, UnitRow, "code", rows)

    def contacts(self) -> list[tuple[str, str, str, str]]:
        """(unit code, person id, e-mail, role) of every unit's focal person and head, as plain
        tuples in one query: the e-mails of 11,000 communes without loading 22,000 objects."""
        out: list[tuple[str, str, str, str]] = []
        for column, role in ((UnitRow.focal_person_id, "unit_focal"), (UnitRow.head_person_id, "unit_leader")):
            stmt = (select(UnitRow.code, PersonRow.id, PersonRow.email)
                    .join(PersonRow, PersonRow.id == column).where(UnitRow.active.is_(True)))
            out += [(code, pid, email, role) for code, pid, email in self.s.execute(stmt)]
        return out


class SqlPeople(_Repo):
    def get(self, person_id: str) -> PersonRow | None:
        return self._one(select(PersonRow).where(PersonRow.id == person_id))

    def upsert(self, row: PersonRow) -> None:
        self.s.merge(row)
        self.s.flush()

    def list(self) -> list[PersonRow]:
        return self._all(select(PersonRow).order_by(PersonRow.id))

    def upsert_many(self, rows: list[dict]) -> int:
        return _upsert_many(self.s, PersonRow, "id", rows)

    def grant_many(self, grants: list[tuple[str, str, str | None, str | None]]) -> int:
        """(person, role, unit, owner) grants; those already held are left as they are."""
        held = {(g.person_id, g.role, g.unit_code, g.owner_scope) for g in self.s.execute(
            select(RoleGrantRow.person_id, RoleGrantRow.role, RoleGrantRow.unit_code, RoleGrantRow.owner_scope))}
        new = [dict(zip(("person_id", "role", "unit_code", "owner_scope"), g)) for g in dict.fromkeys(grants)
               if g not in held]
        if new:
            self.s.execute(insert(RoleGrantRow), new)
        return len(new)

    def grants(self, person_id: str) -> list[RoleGrantRow]:
        return self._all(select(RoleGrantRow).where(RoleGrantRow.person_id == person_id).order_by(RoleGrantRow.id))

    def grant(self, person_id: str, role: str, *, unit_code: str | None = None, owner_scope: str | None = None) -> None:
        exists = self._one(select(RoleGrantRow).where(
            RoleGrantRow.person_id == person_id, RoleGrantRow.role == role,
            _eq_or_null(RoleGrantRow.unit_code, unit_code), _eq_or_null(RoleGrantRow.owner_scope, owner_scope)))
        if exists is None:
            self.s.add(RoleGrantRow(person_id=person_id, role=role, unit_code=unit_code, owner_scope=owner_scope))
            self.s.flush()

    def holders(self, role: str, *, unit_code: str | None = None, owner_scope: str | None = None) -> list[PersonRow]:
        stmt = (select(PersonRow).join(RoleGrantRow, RoleGrantRow.person_id == PersonRow.id)
                .where(RoleGrantRow.role == role).order_by(PersonRow.id))
        if unit_code is not None:
            stmt = stmt.where(RoleGrantRow.unit_code == unit_code)
        if owner_scope is not None:
            stmt = stmt.where(RoleGrantRow.owner_scope == owner_scope)
        return self._all(stmt)


def _upsert_many(session: Session, model, key: str, rows: list[dict]) -> int:
    """Insert the new rows in one bulk statement; update only those that changed. Returns the
    number of rows written (a register import run twice writes nothing the second time)."""
    if not rows:
        return 0
    key_col = getattr(model, key)
    columns = [getattr(model, c) for c in rows[0]]
    existing = {}
    keys = [row[key] for row in rows]
    for i in range(0, len(keys), 5000):  # SQLite caps the number of bound parameters
        for r in session.execute(select(*columns).where(key_col.in_(keys[i:i + 5000]))):
            existing[getattr(r, key)] = dict(r._mapping)
    new = [row for row in rows if row[key] not in existing]
    changed = [row for row in rows if row[key] in existing and existing[row[key]] != row]
    if new:
        session.execute(insert(model), new)
    for row in changed:
        session.execute(update(model).where(key_col == row[key]).values(**row)
                        .execution_options(synchronize_session=False))
    return len(new) + len(changed)


def _eq_or_null(column, value):
    return column.is_(None) if value is None else column == value


class SqlCycles(_Repo):
    def get(self, cycle_id: str) -> CycleRow | None:
        return self._one(select(CycleRow).where(CycleRow.id == cycle_id))

    def get_for_share(self, cycle_id: str) -> CycleRow | None:
        """PostgreSQL: FOR SHARE, so a lock (which UPDATEs this row) waits for us or we for it.
        SQLite compiles the clause away; there BEGIN IMMEDIATE already serialises writers."""
        return self._one(select(CycleRow).where(CycleRow.id == cycle_id).with_for_update(read=True))

    def list(self) -> list[CycleRow]:
        return self._all(select(CycleRow).order_by(CycleRow.id))

    def add(self, row: CycleRow, milestones: Iterable[MilestoneRow]) -> None:
        milestones = list(milestones)
        self.s.add(row)
        self.s.flush()
        self.s.add_all(milestones)
        self.s.flush()
        for obj in (row, *milestones):
            self.s.expunge(obj)

    def milestones(self, cycle_id: str, group_id: str | None = None) -> list[MilestoneRow]:
        stmt = select(MilestoneRow).where(MilestoneRow.cycle_id == cycle_id)
        if group_id is not None:
            stmt = stmt.where(MilestoneRow.group_id == group_id)
        return self._all(stmt.order_by(MilestoneRow.group_id, MilestoneRow.date, MilestoneRow.milestone_id))

    def cas_state(self, cycle_id: str, expected: str, new: str, **fields: Any) -> bool:
        res = self.s.execute(
            update(CycleRow).where(CycleRow.id == cycle_id, CycleRow.state == expected)
            .values(state=new, **fields).execution_options(synchronize_session=False))
        return res.rowcount == 1

    def set_fields(self, cycle_id: str, **fields: Any) -> None:
        assert "state" not in fields, "states change only by cas_state"
        self.s.execute(update(CycleRow).where(CycleRow.id == cycle_id).values(**fields)
                       .execution_options(synchronize_session=False))


class SqlSheets(_Repo):
    def get(self, cycle_id: str, unit_code: str) -> SheetRow | None:
        return self._one(select(SheetRow).where(SheetRow.cycle_id == cycle_id, SheetRow.unit_code == unit_code))

    def get_by_id(self, sheet_id: int) -> SheetRow | None:
        return self._one(select(SheetRow).where(SheetRow.id == sheet_id))

    def list(self, cycle_id: str) -> list[SheetRow]:
        return self._all(select(SheetRow).where(SheetRow.cycle_id == cycle_id).order_by(SheetRow.group_id, SheetRow.unit_code))

    def unit_codes(self, cycle_id: str) -> list[str]:
        return list(self.s.execute(select(SheetRow.unit_code).where(SheetRow.cycle_id == cycle_id)
                                   .order_by(SheetRow.unit_code)).scalars())

    def add_many(self, rows: list[dict]) -> None:
        if rows:  # Core bulk insert: 11,000 communes in one statement batch (STACK.md)
            self.s.execute(insert(SheetRow), rows)

    def cas_state(self, sheet_id: int, expected: str, new: str, **fields: Any) -> bool:
        res = self.s.execute(
            update(SheetRow).where(SheetRow.id == sheet_id, SheetRow.state == expected)
            .values(state=new, **fields).execution_options(synchronize_session=False))
        return res.rowcount == 1

    def move_all(self, cycle_id: str, expected: str, new: str, *, unless_extended_after: dt.datetime | None = None
                 ) -> list[tuple[int, str]]:
        """One set-based UPDATE of every sheet of the cycle in `expected`; returns (id, unit)."""
        stmt = update(SheetRow).where(SheetRow.cycle_id == cycle_id, SheetRow.state == expected)
        if unless_extended_after is not None:
            stmt = stmt.where(or_(SheetRow.extended_until.is_(None), SheetRow.extended_until <= unless_extended_after))
        stmt = stmt.values(state=new).returning(SheetRow.id, SheetRow.unit_code)
        return [(r[0], r[1]) for r in self.s.execute(stmt.execution_options(synchronize_session=False))]

    def set_fields(self, sheet_id: int, **fields: Any) -> None:
        assert "state" not in fields, "states change only by cas_state"
        self.s.execute(update(SheetRow).where(SheetRow.id == sheet_id).values(**fields)
                       .execution_options(synchronize_session=False))


class SqlAnswers(_Repo):
    def replace(self, sheet_id: int, rows: list[AnswerRow]) -> None:
        self.s.execute(delete(AnswerRow).where(AnswerRow.sheet_id == sheet_id))
        self.s.add_all(rows)
        self.s.flush()
        for row in rows:
            self.s.expunge(row)

    def list(self, sheet_id: int) -> list[AnswerRow]:
        return self._all(select(AnswerRow).where(AnswerRow.sheet_id == sheet_id).order_by(AnswerRow.criterion_id))


class SqlEvidence(_Repo):
    def add(self, row: EvidenceRow) -> None:
        self.s.add(row)
        self.s.flush()
        self.s.expunge(row)

    def list(self, sheet_id: int) -> list[EvidenceRow]:
        return self._all(select(EvidenceRow).where(EvidenceRow.sheet_id == sheet_id).order_by(EvidenceRow.id))


class SqlScores(_Repo):
    def add_many(self, rows: list[dict]) -> None:
        if rows:
            self.s.execute(insert(ScoreRow), rows)

    def list(self, *, cycle_id: str | None = None, sheet_id: int | None = None, kind: str | None = None,
             round: int | None = None) -> list[ScoreRow]:
        stmt = select(ScoreRow)
        for column, value in ((ScoreRow.cycle_id, cycle_id), (ScoreRow.sheet_id, sheet_id),
                              (ScoreRow.kind, kind), (ScoreRow.round, round)):
            if value is not None:
                stmt = stmt.where(column == value)
        return self._all(stmt.order_by(ScoreRow.sheet_id, ScoreRow.round, ScoreRow.kind, ScoreRow.criterion_id))


class SqlExplanations(_Repo):
    def add(self, row: ExplanationRow) -> ExplanationRow:
        self.s.add(row)
        self.s.flush()
        self.s.expunge(row)
        return row

    def get(self, request_id: int) -> ExplanationRow | None:
        return self._one(select(ExplanationRow).where(ExplanationRow.id == request_id))

    def answer(self, request_id: int, *, answer: str, answered_by: str, answered_at: dt.datetime) -> bool:
        res = self.s.execute(
            update(ExplanationRow).where(ExplanationRow.id == request_id, ExplanationRow.answered_at.is_(None))
            .values(answer=answer, answered_by=answered_by, answered_at=answered_at)
            .execution_options(synchronize_session=False))
        return res.rowcount == 1

    def list(self, cycle_id: str) -> list[ExplanationRow]:
        return self._all(select(ExplanationRow).where(ExplanationRow.cycle_id == cycle_id).order_by(ExplanationRow.id))


class SqlApprovals(_Repo):
    def add(self, row: ApprovalRow) -> None:
        self.s.add(row)
        self.s.flush()  # the four-eyes trigger fires here
        self.s.expunge(row)

    def list(self, cycle_id: str) -> list[ApprovalRow]:
        return self._all(select(ApprovalRow).where(ApprovalRow.cycle_id == cycle_id).order_by(ApprovalRow.round))


class SqlAudit(_Repo):
    def append_many(self, rows: list[dict]) -> None:
        if rows:
            self.s.execute(insert(AuditRow), rows)

    def list(self, cycle_id: str | None = None) -> list[AuditRow]:
        stmt = select(AuditRow).order_by(AuditRow.id)
        if cycle_id is not None:
            stmt = stmt.where(AuditRow.cycle_id == cycle_id)
        return self._all(stmt)


class SqlIdempotency(_Repo):
    def get(self, key: str) -> IdempotencyRow | None:
        return self._one(select(IdempotencyRow).where(IdempotencyRow.key == key))

    def put(self, row: IdempotencyRow) -> None:
        self.s.add(row)
        self.s.flush()
        self.s.expunge(row)
