"""Repositories over one SQLAlchemy session: the only code that writes our rows.

State columns are written only by `cas_state` / `move_all`: a compare-and-set UPDATE
(`WHERE state = :expected`) whose target the service took from the domain's `next_*_state`.
A false return means another transaction moved the row first; the service refuses the command.
"""

from store.repo_cycle import SqlCycles, SqlSheets
from store.repo_records import (
    SqlAnswers,
    SqlApprovals,
    SqlAudit,
    SqlEvidence,
    SqlExplanations,
    SqlIdempotency,
    SqlScores,
)
from store.repo_register import SqlPeople, SqlUnits

__all__ = ["SqlAnswers", "SqlApprovals", "SqlAudit", "SqlCycles", "SqlEvidence", "SqlExplanations",
           "SqlIdempotency", "SqlPeople", "SqlScores", "SqlSheets", "SqlUnits"]
