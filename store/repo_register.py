"""Repositories of the units register: units, people, role grants."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from sqlalchemy import delete, insert, or_, select

from store.register_rows import GrantRevocationRow, OwnerOfficeRow, PersonRow, RoleGrantRow, UnitLineageRow, UnitRow
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

    def list(self, *, active_only: bool = False) -> list[PersonRow]:
        stmt = select(PersonRow).order_by(PersonRow.id)
        return self._all(stmt.where(PersonRow.active.is_(True)) if active_only else stmt)

    def upsert_many(self, rows: list[dict]) -> int:
        return _upsert_many(self.s, PersonRow, "id", rows)

    # --- grants: append-only; the active ones are those no revocation names ------------------
    def _active(self):
        revoked = select(GrantRevocationRow.grant_id)
        return select(RoleGrantRow).where(RoleGrantRow.id.not_in(revoked))

    def grants(self, person_id: str) -> list[RoleGrantRow]:
        """The grants a person holds now (revoked ones are history, not returned)."""
        return self._all(self._active().where(RoleGrantRow.person_id == person_id).order_by(RoleGrantRow.id))

    def active_grants(self) -> list[RoleGrantRow]:
        return self._all(self._active().order_by(RoleGrantRow.id))

    def grant_history(self, person_id: str | None = None) -> list[tuple[RoleGrantRow, GrantRevocationRow | None]]:
        """Every grant ever given (to one person, or to all), each with its revocation if any."""
        stmt = (select(RoleGrantRow, GrantRevocationRow)
                .join(GrantRevocationRow, GrantRevocationRow.grant_id == RoleGrantRow.id, isouter=True)
                .order_by(RoleGrantRow.id))
        if person_id is not None:
            stmt = stmt.where(RoleGrantRow.person_id == person_id)
        out = []
        for g, r in self.s.execute(stmt.execution_options(populate_existing=True)):
            self.s.expunge(g)
            if r is not None:
                self.s.expunge(r)
            out.append((g, r))
        return out

    def grant_many(self, grants: list[tuple[str, str, str | None, str | None]], *, by: str | None = None,
                   at: dt.datetime | None = None) -> int:
        """(person, role, unit, owner) grants; those already held (and not revoked) are left as
        they are. Returns how many were granted."""
        held = {(g.person_id, g.role, g.unit_code, g.owner_scope) for g in self.active_grants()}
        new = [{"person_id": p, "role": r, "unit_code": u, "owner_scope": o, "granted_at": at, "granted_by": by}
               for p, r, u, o in dict.fromkeys(grants) if (p, r, u, o) not in held]
        if new:
            self.s.execute(insert(RoleGrantRow), new)
        return len(new)

    def grant(self, person_id: str, role: str, *, unit_code: str | None = None, owner_scope: str | None = None,
              by: str | None = None, at: dt.datetime | None = None) -> None:
        self.grant_many([(person_id, role, unit_code, owner_scope)], by=by, at=at)

    def revoke_many(self, grant_ids: Iterable[int], *, by: str, at: dt.datetime, reason: str) -> int:
        """End these grants by appending a revocation each (the grant row itself never changes)."""
        rows = [{"grant_id": gid, "revoked_by": by, "revoked_at": at, "reason": reason} for gid in dict.fromkeys(grant_ids)]
        if rows:
            self.s.execute(insert(GrantRevocationRow), rows)
        return len(rows)

    def revoke(self, person_id: str, role: str, *, unit_code: str | None = None, owner_scope: str | None = None,
               by: str, at: dt.datetime, reason: str) -> int:
        ids = [g.id for g in self.grants(person_id)
               if (g.role, g.unit_code, g.owner_scope) == (role, unit_code, owner_scope)]
        return self.revoke_many(ids, by=by, at=at, reason=reason)

    def holders(self, role: str, *, unit_code: str | None = None, owner_scope: str | None = None) -> list[PersonRow]:
        active = self._active().subquery()
        stmt = (select(PersonRow).join(active, active.c.person_id == PersonRow.id)
                .where(active.c.role == role).order_by(PersonRow.id).distinct())
        if unit_code is not None:
            stmt = stmt.where(active.c.unit_code == unit_code)
        if owner_scope is not None:
            stmt = stmt.where(active.c.owner_scope == owner_scope)
        return self._all(stmt)

