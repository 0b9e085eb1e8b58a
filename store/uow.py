"""The unit of work: one transaction, its repositories, commit or roll back.

Services take a factory of these (`SqlUnitOfWork(engine)` in production, `MemoryUnitOfWork`
in fast tests) and never see an engine or a dialect.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.database_mode import DatabaseMode, read_mode
from store.repositories import (
    SqlAnswers,
    SqlApprovals,
    SqlAudit,
    SqlCycles,
    SqlEvidence,
    SqlExplanations,
    SqlIdempotency,
    SqlPeople,
    SqlScores,
    SqlSheets,
    SqlUnits,
)


class UnitOfWork(Protocol):
    """The port the services use. `session` is what the outbox port writes with (None in the
    in-memory fake, whose outbox records in memory)."""

    session: object
    units: SqlUnits
    people: SqlPeople
    cycles: SqlCycles
    sheets: SqlSheets
    answers: SqlAnswers
    evidence: SqlEvidence
    scores: SqlScores
    explanations: SqlExplanations
    approvals: SqlApprovals
    audit: SqlAudit
    idempotency: SqlIdempotency
    dialect: str

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def database_mode(self) -> DatabaseMode | None: ...


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def __enter__(self) -> "SqlUnitOfWork":
        # expire_on_commit=False: a service returns plain values built from rows after commit.
        self.session = Session(self.engine, expire_on_commit=False)
        s = self.session
        self.units, self.people, self.cycles = SqlUnits(s), SqlPeople(s), SqlCycles(s)
        self.sheets, self.answers, self.evidence = SqlSheets(s), SqlAnswers(s), SqlEvidence(s)
        self.scores, self.explanations, self.approvals = SqlScores(s), SqlExplanations(s), SqlApprovals(s)
        self.audit, self.idempotency = SqlAudit(s), SqlIdempotency(s)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()  # no-op after commit; undoes everything on an error
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def database_mode(self) -> DatabaseMode | None:
        return read_mode(self.session.connection())


def sql_uow_factory(engine: Engine):
    return lambda: SqlUnitOfWork(engine)
