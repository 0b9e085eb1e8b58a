"""An in-memory unit of work: the same port as `SqlUnitOfWork`, for fast service tests.

A fake that implements the real port (no mocks): each unit of work works on a copy of the
tables and publishes it on commit, so a command that fails leaves nothing behind, as with a
database transaction. It does not emulate locking (one thread at a time) nor the triggers:
the database tests cover those.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Iterable

from store.cycle_rows import CycleRow, MilestoneRow, SheetRow
from store.database_mode import DatabaseMode
from store.memory_base import DuplicateKey, MemoryDatabase, _copy, _Repo, _StateRepo
from store.memory_records import (
    MemAnswers,
    MemApprovals,
    MemAudit,
    MemEvidence,
    MemExplanations,
    MemIdempotency,
    MemScores,
)
from store.register_rows import GrantRevocationRow, OwnerOfficeRow, PersonRow, RoleGrantRow, UnitLineageRow, UnitRow

__all__ = ["DuplicateKey", "MemoryDatabase", "MemoryUnitOfWork", "memory_uow_factory"]


class MemUnits(_Repo):
    table = "unit"

    def get(self, code):
        return _copy(self.rows.get(code))

    def list(self, *, kinds: Iterable[str] | None = None, parent: str | None = None, valid_on=None,
             include_inactive: bool = False):
        kinds = set(kinds) if kinds is not None else None

        def valid(u) -> bool:
            return valid_on is None or ((u.valid_from is None or u.valid_from <= valid_on)
                                        and (u.valid_until is None or valid_on <= u.valid_until))
        return self._select(lambda u: (u.active or include_inactive) and (kinds is None or u.kind in kinds)
                            and (parent is None or u.parent_code == parent) and valid(u), key=lambda u: u.code)

    def set_lineage(self, rows):
        links = self.uow.work.setdefault("unit_lineage", {})
        codes = {r["unit_code"] for r in rows}
        before = {k for k in links if k[0] in codes}
        for k in before:
            del links[k]
        for r in rows:
            links[(r["unit_code"], r["predecessor_code"])] = UnitLineageRow(**r)
        return len({(r["unit_code"], r["predecessor_code"]) for r in rows} - before)

    def lineage(self):
        return [_copy(v) for _, v in sorted(self.uow.work.get("unit_lineage", {}).items())]

    def owner_office(self, owner):
        return _copy(self.uow.work.get("owner_office", {}).get(owner))

    def upsert_owner_offices(self, rows):
        offices = self.uow.work.setdefault("owner_office", {})
        for r in rows:
            offices[r["owner"]] = OwnerOfficeRow(**r)
        return len(rows)

    def upsert(self, row: UnitRow) -> None:
        self.rows[row.code] = _copy(row)

    def upsert_many(self, rows):
        for r in rows:
            self.rows[r["code"]] = UnitRow(**r)
        return len(rows)

    def contacts(self):
        people = self.uow.work["person"]
        out = []
        for attr, role in (("focal_person_id", "unit_focal"), ("head_person_id", "unit_leader")):
            for u in sorted(self.rows.values(), key=lambda u: u.code):
                pid = getattr(u, attr)
                if u.active and pid in people:
                    out.append((u.code, pid, people[pid].email, role))
        return out


class MemPeople(_Repo):
    table = "person"

    def get(self, person_id):
        return _copy(self.rows.get(person_id))

    def upsert(self, row: PersonRow) -> None:
        self.rows[row.id] = _copy(row)

    def list(self, *, active_only: bool = False):
        return self._select(lambda p: p.active or not active_only, key=lambda p: p.id)

    def upsert_many(self, rows):
        for r in rows:
            self.rows[r["id"]] = PersonRow(**r)
        return len(rows)

    # --- grants: append-only, as in the database ---------------------------------------------
    def _active(self):
        revoked = {r.grant_id for r in self.uow.work["revocation"].values()}
        return [g for g in sorted(self.uow.work["grant"].values(), key=lambda g: g.id) if g.id not in revoked]

    def grants(self, person_id):
        return [_copy(g) for g in self._active() if g.person_id == person_id]

    def active_grants(self):
        return [_copy(g) for g in self._active()]

    def grant_history(self, person_id=None):
        by_grant = {r.grant_id: r for r in self.uow.work["revocation"].values()}
        return [(_copy(g), _copy(by_grant.get(g.id))) for g in sorted(self.uow.work["grant"].values(), key=lambda g: g.id)
                if person_id is None or g.person_id == person_id]

    def grant_many(self, grants, *, by=None, at=None):
        held = {(g.person_id, g.role, g.unit_code, g.owner_scope) for g in self._active()}
        count = 0
        for person_id, role, unit_code, owner_scope in dict.fromkeys(grants):
            if (person_id, role, unit_code, owner_scope) in held:
                continue
            gid = next(self.uow.db.sequences["grant"])
            self.uow.work["grant"][gid] = RoleGrantRow(id=gid, person_id=person_id, role=role, unit_code=unit_code,
                                                       owner_scope=owner_scope, granted_at=at, granted_by=by)
            count += 1
        return count

    def grant(self, person_id, role, *, unit_code=None, owner_scope=None, by=None, at=None) -> None:
        self.grant_many([(person_id, role, unit_code, owner_scope)], by=by, at=at)

    def revoke_many(self, grant_ids, *, by, at, reason):
        table = self.uow.work["revocation"]
        count = 0
        for gid in dict.fromkeys(grant_ids):
            if any(r.grant_id == gid for r in table.values()):
                raise DuplicateKey(f"grant {gid} is already revoked")
            rid = next(self.uow.db.sequences["revocation"])
            table[rid] = GrantRevocationRow(id=rid, grant_id=gid, revoked_at=at, revoked_by=by, reason=reason)
            count += 1
        return count

    def revoke(self, person_id, role, *, unit_code=None, owner_scope=None, by, at, reason):
        ids = [g.id for g in self._active() if g.person_id == person_id
               and (g.role, g.unit_code, g.owner_scope) == (role, unit_code, owner_scope)]
        return self.revoke_many(ids, by=by, at=at, reason=reason)

    def holders(self, role, *, unit_code=None, owner_scope=None):
        ids = {g.person_id for g in self._active() if g.role == role
               and (unit_code is None or g.unit_code == unit_code) and (owner_scope is None or g.owner_scope == owner_scope)}
        return [self.get(pid) for pid in sorted(ids)]


class MemCycles(_StateRepo):
    table = "cycle"

    def get(self, cycle_id):
        return _copy(self.rows.get(cycle_id))

    get_for_share = get_for_update = get  # one thread at a time: nothing to lock

    def list(self):
        return self._select(key=lambda c: c.id)

    def add(self, row: CycleRow, milestones: Iterable[MilestoneRow]) -> None:
        if row.id in self.rows:
            raise DuplicateKey(f"cycle {row.id}")
        self.rows[row.id] = _copy(row)
        for m in milestones:
            self.uow.work["milestone"][(m.cycle_id, m.group_id, m.milestone_id)] = _copy(m)

    def milestones(self, cycle_id, group_id=None):
        found = [_copy(m) for m in self.uow.work["milestone"].values()
                 if m.cycle_id == cycle_id and (group_id is None or m.group_id == group_id)]
        return sorted(found, key=lambda m: (m.group_id, m.date or dt.date.min, m.milestone_id))

    def replace_milestones(self, cycle_id, rows) -> None:
        table = self.uow.work["milestone"]
        for key in [k for k in table if k[0] == cycle_id]:
            del table[key]
        for m in rows:
            table[(m.cycle_id, m.group_id, m.milestone_id)] = _copy(m)


    def set_fields(self, cycle_id, **fields) -> None:
        assert "state" not in fields
        for k, v in fields.items():
            setattr(self.rows[cycle_id], k, v)


class MemSheets(_StateRepo):
    table = "sheet"

    def get(self, cycle_id, unit_code):
        return next((_copy(s) for s in self.rows.values() if s.cycle_id == cycle_id and s.unit_code == unit_code), None)

    def get_by_id(self, sheet_id):
        return _copy(self.rows.get(sheet_id))

    def unit_codes(self, cycle_id):
        return sorted(s.unit_code for s in self.rows.values() if s.cycle_id == cycle_id)

    def state_counts(self, cycle_id):
        counts: dict[str, int] = {}
        for s in self.rows.values():
            if s.cycle_id == cycle_id:
                counts[s.state] = counts.get(s.state, 0) + 1
        return counts

    def list(self, cycle_id):
        return self._select(lambda s: s.cycle_id == cycle_id, key=lambda s: (s.group_id, s.unit_code))

    def add_many(self, rows: list[dict]) -> None:
        for r in rows:
            if self.get(r["cycle_id"], r["unit_code"]) is not None:
                raise DuplicateKey(f"sheet {r['cycle_id']}/{r['unit_code']}")
            sid = self._next_id()
            self.rows[sid] = SheetRow(id=sid, **r)


    def move_all(self, cycle_id, expected, new, *, unless_extended_after=None):
        moved = []
        for s in sorted(self.rows.values(), key=lambda s: s.id):
            if s.cycle_id == cycle_id and s.state == expected and (
                    unless_extended_after is None or s.extended_until is None or s.extended_until <= unless_extended_after):
                s.state = new
                moved.append((s.id, s.unit_code))
        return moved

    def set_fields(self, sheet_id, **fields) -> None:
        assert "state" not in fields
        for k, v in fields.items():
            setattr(self.rows[sheet_id], k, v)


class MemoryUnitOfWork:
    dialect = "memory"
    session = None  # the outbox port receives None: use a RecordingOutbox with this fake

    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db

    def __enter__(self) -> "MemoryUnitOfWork":
        self.work = copy.deepcopy(self.db.tables)
        self.units, self.people, self.cycles = MemUnits(self), MemPeople(self), MemCycles(self)
        self.sheets, self.answers, self.evidence = MemSheets(self), MemAnswers(self), MemEvidence(self)
        self.scores, self.explanations, self.approvals = MemScores(self), MemExplanations(self), MemApprovals(self)
        self.audit, self.idempotency = MemAudit(self), MemIdempotency(self)
        return self

    def __exit__(self, *exc) -> None:
        self.work = {}

    def commit(self) -> None:
        self.db.tables = self.work
        self.work = copy.deepcopy(self.db.tables)

    def rollback(self) -> None:
        self.work = copy.deepcopy(self.db.tables)

    def database_mode(self) -> DatabaseMode:
        return DatabaseMode.SANDBOX  # a fake is a test, never production


def memory_uow_factory(db: MemoryDatabase | None = None):
    db = db or MemoryDatabase()
    return lambda: MemoryUnitOfWork(db)
