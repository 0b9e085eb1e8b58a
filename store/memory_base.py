"""The in-memory database behind the fake unit of work: tables as dicts, copied per unit of work."""

from __future__ import annotations

import itertools
from typing import Any

TABLES = ("unit", "person", "grant", "revocation", "cycle", "milestone", "sheet", "answer", "evidence", "score",
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

    def __init__(self, uow) -> None:  # a store.memory.MemoryUnitOfWork
        self.uow = uow

    @property
    def rows(self) -> dict[Any, Any]:
        return self.uow.work[self.table]

    def _next_id(self) -> int:
        return next(self.uow.db.sequences[self.table])

    def _select(self, pred=lambda r: True, key=None) -> list:
        found = [_copy(r) for r in self.rows.values() if pred(r)]
        return sorted(found, key=key) if key else found


class _StateRepo(_Repo):
    """A table whose rows carry a `state`: the fake's compare-and-set, as the SQL repositories'
    `UPDATE ... WHERE state = :expected` (a state changes only if it is still the expected one)."""

    def cas_state(self, row_id, expected, new, **fields) -> bool:
        row = self.rows.get(row_id)
        if row is None or row.state != expected:
            return False
        row.state = new
        for k, v in fields.items():
            setattr(row, k, v)
        return True
