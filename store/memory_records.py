"""In-memory repositories of what a cycle accumulates (the fake's half of store.repo_records)."""

from __future__ import annotations

from store import audit_chain
from store.cycle_rows import ApprovalRow, EvidenceRow, ExplanationRow, ScoreRow
from store.log_rows import AuditRow, IdempotencyRow
from store.memory_base import DuplicateKey, _copy, _Repo


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
        for stream, stream_rows in audit_chain.by_stream(rows).items():
            seq, head = self.head(stream)
            for r in audit_chain.link(stream_rows, seq, head):
                rid = self._next_id()
                self.rows[rid] = AuditRow(id=rid, **r)

    def head(self, stream):
        mine = [a for a in self.rows.values() if a.stream == stream]
        last = max(mine, key=lambda a: a.seq, default=None)
        return (last.seq, last.hash) if last else (0, audit_chain.GENESIS)

    def list(self, cycle_id=None):
        return self._select(lambda a: cycle_id is None or a.cycle_id == cycle_id, key=lambda a: a.id)

    def chain(self, stream, cycle_id=None):
        return self._select(lambda a: a.stream == stream or (cycle_id is not None and a.cycle_id == cycle_id),
                            key=lambda a: (a.seq is None, a.seq or 0, a.id))


class MemIdempotency(_Repo):
    table = "idempotency"

    def get(self, key):
        return _copy(self.rows.get(key))

    def put(self, row: IdempotencyRow) -> None:
        if row.key in self.rows:
            raise DuplicateKey(f"idempotency key {row.key}")
        self.rows[row.key] = _copy(row)
