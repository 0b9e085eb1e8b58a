"""Repositories of what a cycle accumulates: answers, evidence, scores, explanations,
approvals, the audit log and the idempotency ledger (rows appended, rarely updated)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, or_, select, text, update

from store import audit_chain
from store.cycle_rows import AnswerRow, ApprovalRow, EvidenceRow, ExplanationRow, ScoreRow
from store.log_rows import AuditRow, IdempotencyRow
from store.repo_base import _Repo


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
        """Append events to their streams' hash chains. Per stream: take the lock on its head
        (PostgreSQL: a transaction-scoped advisory lock, so two transactions appending to one
        cycle's chain queue instead of forking it; SQLite: writers are serialised already by
        BEGIN IMMEDIATE), read the head, link the rows after it, insert."""
        for stream, stream_rows in audit_chain.by_stream(rows).items():
            if self.s.get_bind().dialect.name == "postgresql":
                self.s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": audit_chain.lock_key(stream)})
            seq, head = self.head(stream)
            self.s.execute(insert(AuditRow), audit_chain.link(stream_rows, seq, head))

    def head(self, stream: str) -> tuple[int, str]:
        """(seq, hash) of the stream's last event; (0, GENESIS) for an empty stream."""
        last = self.s.execute(select(AuditRow.seq, AuditRow.hash).where(AuditRow.stream == stream)
                              .order_by(AuditRow.seq.desc()).limit(1)).first()
        return (last.seq, last.hash) if last else (0, audit_chain.GENESIS)

    def list(self, cycle_id: str | None = None) -> list[AuditRow]:
        stmt = select(AuditRow).order_by(AuditRow.id)
        if cycle_id is not None:
            stmt = stmt.where(AuditRow.cycle_id == cycle_id)
        return self._all(stmt)

    def chain(self, stream: str, cycle_id: str | None = None) -> list[AuditRow]:
        """The stream's events, and any event of `cycle_id` outside it, by position then id."""
        cond = AuditRow.stream == stream if cycle_id is None else or_(AuditRow.stream == stream,
                                                                      AuditRow.cycle_id == cycle_id)
        return self._all(select(AuditRow).where(cond).order_by(AuditRow.seq.is_(None), AuditRow.seq, AuditRow.id))


class SqlIdempotency(_Repo):
    def get(self, key: str) -> IdempotencyRow | None:
        return self._one(select(IdempotencyRow).where(IdempotencyRow.key == key))

    def put(self, row: IdempotencyRow) -> None:
        self.s.add(row)
        self.s.flush()
        self.s.expunge(row)
