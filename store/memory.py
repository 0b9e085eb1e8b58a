"""An in-memory unit of work: the same port as `SqlUnitOfWork`, for fast service tests.

A fake that implements the real port (no mocks): each unit of work works on a copy of the
tables and publishes it on commit, so a command that fails leaves nothing behind, as with a
database transaction. It does not emulate locking (one thread at a time) nor the triggers:
the database tests cover those.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any, Iterable

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

TABLES = ("unit", "person", "grant", "cycle", "milestone", "sheet", "answer", "evidence", "score",
          "explanation", "approval", "audit", "idempotency")


class DuplicateKey(Exception):
    pass


class MemoryDatabase:
    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Any]] = {t: {} for t in TABLES}
        self.sequences = {t: itertools.count(1) for t in TABLES}


def _copy(row):
    return row.model_copy(deep=True) if row is not None else None


class _Repo:
    table = ""

    def __init__(self, uow: "MemoryUnitOfWork") -> None:
        self.uow = uow

    @property
    def rows(self) -> dict[Any, Any]:
        return self.uow.work[self.table]

    def _next_id(self) -> int:
        return next(self.uow.db.sequences[self.table])

    def _select(self, pred=lambda r: True, key=None) -> list:
        found = [_copy(r) for r in self.rows.values() if pred(r)]
        return sorted(found, key=key) if key else found


class MemUnits(_Repo):
    table = "unit"

    def get(self, code):
        return _copy(self.rows.get(code))

    def list(self, *, kinds: Iterable[str] | None = None, parent: str | None = None):
        kinds = set(kinds) if kinds is not None else None
        return self._select(lambda u: u.active and (kinds is None or u.kind in kinds)
                            and (parent is None or u.parent_code == parent), key=lambda u: u.code)

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

    def list(self):
        return self._select(key=lambda p: p.id)

    def upsert_many(self, rows):
        for r in rows:
            self.rows[r["id"]] = PersonRow(**r)
        return len(rows)

    def grant_many(self, grants):
        before = len(self.uow.work["grant"])
        for person_id, role, unit_code, owner_scope in grants:
            self.grant(person_id, role, unit_code=unit_code, owner_scope=owner_scope)
        return len(self.uow.work["grant"]) - before

    def grants(self, person_id):
        return sorted((_copy(g) for g in self.uow.work["grant"].values() if g.person_id == person_id), key=lambda g: g.id)

    def grant(self, person_id, role, *, unit_code=None, owner_scope=None) -> None:
        grants = self.uow.work["grant"]
        key = (person_id, role, unit_code, owner_scope)
        if key not in grants:
            grants[key] = RoleGrantRow(id=next(self.uow.db.sequences["grant"]), person_id=person_id, role=role,
                                       unit_code=unit_code, owner_scope=owner_scope)

    def holders(self, role, *, unit_code=None, owner_scope=None):
        ids = {g.person_id for g in self.uow.work["grant"].values() if g.role == role
               and (unit_code is None or g.unit_code == unit_code) and (owner_scope is None or g.owner_scope == owner_scope)}
        return [self.get(pid) for pid in sorted(ids)]


class MemCycles(_Repo):
    table = "cycle"

    def get(self, cycle_id):
        return _copy(self.rows.get(cycle_id))

    get_for_share = get  # one thread at a time: nothing to lock

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

    def cas_state(self, cycle_id, expected, new, **fields) -> bool:
        row = self.rows.get(cycle_id)
        if row is None or row.state != expected:
            return False
        row.state = new
        for k, v in fields.items():
            setattr(row, k, v)
        return True

    def set_fields(self, cycle_id, **fields) -> None:
        assert "state" not in fields
        for k, v in fields.items():
            setattr(self.rows[cycle_id], k, v)


class MemSheets(_Repo):
    table = "sheet"

    def get(self, cycle_id, unit_code):
        return next((_copy(s) for s in self.rows.values() if s.cycle_id == cycle_id and s.unit_code == unit_code), None)

    def get_by_id(self, sheet_id):
        return _copy(self.rows.get(sheet_id))

    def unit_codes(self, cycle_id):
        return sorted(s.unit_code for s in self.rows.values() if s.cycle_id == cycle_id)

    def list(self, cycle_id):
        return self._select(lambda s: s.cycle_id == cycle_id, key=lambda s: (s.group_id, s.unit_code))

    def add_many(self, rows: list[dict]) -> None:
        for r in rows:
            if self.get(r["cycle_id"], r["unit_code"]) is not None:
                raise DuplicateKey(f"sheet {r['cycle_id']}/{r['unit_code']}")
            sid = self._next_id()
            self.rows[sid] = SheetRow(id=sid, **r)

    def cas_state(self, sheet_id, expected, new, **fields) -> bool:
        row = self.rows.get(sheet_id)
        if row is None or row.state != expected:
            return False
        row.state = new
        for k, v in fields.items():
            setattr(row, k, v)
        return True

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


class MemAnswers(_Repo):
    table = "answer"

    def replace(self, sheet_id, rows) -> None:
        for key in [k for k in self.rows if k[0] == sheet_id]:
            del self.rows[key]
        for r in rows:
            self.rows[(sheet_id, r.criterion_id)] = _copy(r)

    def list(self, sheet_id):
        return self._select(lambda a: a.sheet_id == sheet_id, key=lambda a: a.criterion_id)


class MemEvidence(_Repo):
    table = "evidence"

    def add(self, row: EvidenceRow) -> None:
        row = _copy(row)
        row.id = self._next_id()
        self.rows[row.id] = row

    def list(self, sheet_id):
        return self._select(lambda e: e.sheet_id == sheet_id, key=lambda e: e.id)


class MemScores(_Repo):
    table = "score"

    def add_many(self, rows: list[dict]) -> None:
        for r in rows:
            key = (r["sheet_id"], r["criterion_id"], r["kind"], r["round"])
            if key in self.rows:
                raise DuplicateKey(f"score {key}: score rows are never overwritten")
            self.rows[key] = ScoreRow(id=self._next_id(), **r)

    def list(self, *, cycle_id=None, sheet_id=None, kind=None, round=None):
        def keep(r):
            return all(v is None or getattr(r, f) == v for f, v in
                       (("cycle_id", cycle_id), ("sheet_id", sheet_id), ("kind", kind), ("round", round)))
        return self._select(keep, key=lambda r: (r.sheet_id, r.round, r.kind, r.criterion_id))


class MemExplanations(_Repo):
    table = "explanation"

    def add(self, row: ExplanationRow) -> ExplanationRow:
        row = _copy(row)
        row.id = self._next_id()
        self.rows[row.id] = row
        return _copy(row)

    def get(self, request_id):
        return _copy(self.rows.get(request_id))

    def answer(self, request_id, *, answer, answered_by, answered_at) -> bool:
        row = self.rows.get(request_id)
        if row is None or row.answered_at is not None:
            return False
        row.answer, row.answered_by, row.answered_at = answer, answered_by, answered_at
        return True

    def list(self, cycle_id):
        return self._select(lambda e: e.cycle_id == cycle_id, key=lambda e: e.id)


class MemApprovals(_Repo):
    table = "approval"

    def add(self, row: ApprovalRow) -> None:
        key = (row.cycle_id, row.round)
        if key in self.rows:
            raise DuplicateKey(f"approval {key}")
        row = _copy(row)
        row.id = self._next_id()
        self.rows[key] = row

    def list(self, cycle_id):
        return self._select(lambda a: a.cycle_id == cycle_id, key=lambda a: a.round)


class MemAudit(_Repo):
    table = "audit"

    def append_many(self, rows: list[dict]) -> None:
        for r in rows:
            rid = self._next_id()
            self.rows[rid] = AuditRow(id=rid, **r)

    def list(self, cycle_id=None):
        return self._select(lambda a: cycle_id is None or a.cycle_id == cycle_id, key=lambda a: a.id)


class MemIdempotency(_Repo):
    table = "idempotency"

    def get(self, key):
        return _copy(self.rows.get(key))

    def put(self, row: IdempotencyRow) -> None:
        if row.key in self.rows:
            raise DuplicateKey(f"idempotency key {row.key}")
        self.rows[row.key] = _copy(row)


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


def memory_uow_factory(db: MemoryDatabase | None = None):
    db = db or MemoryDatabase()
    return lambda: MemoryUnitOfWork(db)
