"""What every SQL repository shares: detached snapshots, and bulk upserts."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlmodel import Session


class _Repo:
    def __init__(self, session: Session) -> None:
        self.s = session

    # Rows come back detached: a snapshot the service may read (and even modify) freely, since
    # the only writes are the explicit statements below (compare-and-set for states).
    def _all(self, stmt) -> list:
        rows = list(self.s.execute(stmt.execution_options(populate_existing=True)).scalars())
        for row in rows:
            self.s.expunge(row)
        return rows

    def _one(self, stmt):
        rows = self._all(stmt.limit(1))
        return rows[0] if rows else None


def _upsert_many(session: Session, model, key: str, rows: list[dict]) -> int:
    """Insert the new rows in one bulk statement; update only those that changed. Returns the
    number of rows written (a register import run twice writes nothing the second time)."""
    if not rows:
        return 0
    key_col = getattr(model, key)
    columns = [getattr(model, c) for c in rows[0]]
    existing = {}
    keys = [row[key] for row in rows]
    for i in range(0, len(keys), 5000):  # SQLite caps the number of bound parameters
        for r in session.execute(select(*columns).where(key_col.in_(keys[i:i + 5000]))):
            existing[getattr(r, key)] = dict(r._mapping)
    new = [row for row in rows if row[key] not in existing]
    changed = [row for row in rows if row[key] in existing and existing[row[key]] != row]
    if new:
        session.execute(insert(model), new)
    for row in changed:
        session.execute(update(model).where(key_col == row[key]).values(**row)
                        .execution_options(synchronize_session=False))
    return len(new) + len(changed)
