"""Repositories of the units register: units, people, role grants."""

from __future__ import annotations

from typing import Iterable

import datetime as dt

from sqlalchemy import delete, insert, or_, select

from store.register_rows import OwnerOfficeRow, PersonRow, RoleGrantRow, UnitLineageRow, UnitRow
from store.repo_base import _Repo, _upsert_many


class SqlUnits(_Repo):
    def get(self, code: str) -> UnitRow | None:
        return self._one(select(UnitRow).where(UnitRow.code == code))

    def list(self, *, kinds: Iterable[str] | None = None, parent: str | None = None,
             valid_on: dt.date | None = None, include_inactive: bool = False) -> list[UnitRow]:
        """Units of these kinds (under this parent), valid on `valid_on` when given; a closed
        cycle's reader passes `include_inactive` to see units as they were."""
        stmt = select(UnitRow).order_by(UnitRow.code)
        if not include_inactive:
            stmt = stmt.where(UnitRow.active.is_(True))
        if valid_on is not None:
            stmt = stmt.where(or_(UnitRow.valid_from.is_(None), UnitRow.valid_from <= valid_on),
                              or_(UnitRow.valid_until.is_(None), UnitRow.valid_until >= valid_on))
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

    def set_lineage(self, rows: list[dict]) -> int:
        """Replace the predecessors of the units named in `rows` ({unit_code, predecessor_code,
        change}); returns how many links are new."""
        codes = sorted({r["unit_code"] for r in rows})
        if not codes:
            return 0
        held = {(r.unit_code, r.predecessor_code, r.change) for r in self.s.execute(
            select(UnitLineageRow).where(UnitLineageRow.unit_code.in_(codes))).scalars()}
        wanted = {(r["unit_code"], r["predecessor_code"], r["change"]) for r in rows}
        if held == wanted:
            return 0
        self.s.execute(delete(UnitLineageRow).where(UnitLineageRow.unit_code.in_(codes)))
        self.s.execute(insert(UnitLineageRow), [dict(zip(("unit_code", "predecessor_code", "change"), w))
                                                for w in sorted(wanted)])
        return len(wanted - held)

    # The owners' offices (secretariat, authority, address, contact) belong to the register too.
    def owner_office(self, owner: str) -> OwnerOfficeRow | None:
        return self._one(select(OwnerOfficeRow).where(OwnerOfficeRow.owner == owner))

    def upsert_owner_offices(self, rows: list[dict]) -> int:
        return _upsert_many(self.s, OwnerOfficeRow, "owner", rows)

    def lineage(self) -> list[UnitLineageRow]:
        return self._all(select(UnitLineageRow).order_by(UnitLineageRow.unit_code, UnitLineageRow.predecessor_code))

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


def _eq_or_null(column, value):
    return column.is_(None) if value is None else column == value
