"""Repositories over one SQLAlchemy session: the only code that writes our rows.

State columns are written only by `cas_state` / `move_all`: a compare-and-set UPDATE
(`WHERE state = :expected`) whose target the service took from the domain's `next_*_state`.
A false return means another transaction moved the row first; the service refuses the command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import delete, func, insert, or_, select, update

from store.cycle_rows import CycleRow, MilestoneRow, SheetRow
from store.repo_base import _Repo


class SqlCycles(_Repo):
    def get(self, cycle_id: str) -> CycleRow | None:
        return self._one(select(CycleRow).where(CycleRow.id == cycle_id))

    def get_for_share(self, cycle_id: str) -> CycleRow | None:
        """PostgreSQL: FOR SHARE, so a lock (which UPDATEs this row) waits for us or we for it.
        SQLite compiles the clause away; there BEGIN IMMEDIATE already serialises writers."""
        return self._one(select(CycleRow).where(CycleRow.id == cycle_id).with_for_update(read=True))

    def get_for_update(self, cycle_id: str) -> CycleRow | None:
        """PostgreSQL: FOR UPDATE, taken by the lock before it moves any sheet, so it waits for
        every submission holding FOR SHARE and every later submission waits for it — also when
        the cycle is already locked and only extended units' sheets remain (SQLite: no-op)."""
        return self._one(select(CycleRow).where(CycleRow.id == cycle_id).with_for_update())

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

    def replace_milestones(self, cycle_id: str, rows: Iterable[MilestoneRow]) -> None:
        """The timeline recomputed (a notice date given later): computed data, not history —
        the audit event of the change keeps the old and new instants."""
        self.s.execute(delete(MilestoneRow).where(MilestoneRow.cycle_id == cycle_id))
        rows = list(rows)
        self.s.add_all(rows)
        self.s.flush()
        for row in rows:
            self.s.expunge(row)

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

    def state_counts(self, cycle_id: str) -> dict[str, int]:
        """Sheets per state, counted by the database (the tick reads it on every run: no rows loaded)."""
        stmt = (select(SheetRow.state, func.count()).where(SheetRow.cycle_id == cycle_id)
                .group_by(SheetRow.state))
        return {state: n for state, n in self.s.execute(stmt)}

    def unit_codes(self, cycle_id: str) -> list[str]:
        return list(self.s.execute(select(SheetRow.unit_code).where(SheetRow.cycle_id == cycle_id)
                                   .order_by(SheetRow.unit_code)).scalars())

    def add_many(self, rows: list[dict]) -> None:
        if rows:  # Core bulk insert: 11,000 communes in one statement batch (~1 s for 100,000 rows, against ~8.5 s through the ORM)
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
