"""Production or sandbox: fixed when the database is created, never changed afterwards.

A production database runs on the real clock only; a sandbox (the demo, the tests, a training
copy) may run on a simulated clock, and everything it sends or exports says it is a test
("môi trường thử nghiệm"). The mode is one row, written when `dtiflow db upgrade` first creates
the schema (production unless `--sandbox`), or by `store.schema.create_schema` (sandbox: tests
and the in-process demo). Triggers refuse to update or delete it (store.schema); on PostgreSQL
the application's role may only read it. docs/security.md explains the two modes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, SQLModel

from store.cycle_rows import instant

TABLE = "database_mode"
SANDBOX_LABEL_VI = "môi trường thử nghiệm"


class DatabaseMode(StrEnum):
    PRODUCTION = "production"
    SANDBOX = "sandbox"


MODE_LABELS_VI = {DatabaseMode.PRODUCTION: "vận hành thật", DatabaseMode.SANDBOX: SANDBOX_LABEL_VI}


class DatabaseModeRow(SQLModel, table=True):
    """The single row (id 1) saying which kind of database this is."""

    __tablename__ = TABLE
    __table_args__ = (CheckConstraint("id = 1", name="ck_database_mode_single"),
                      CheckConstraint("mode IN ('production', 'sandbox')", name="ck_database_mode_mode"))

    id: int = Field(default=1, primary_key=True)
    mode: str = Field(max_length=20)
    created_at: dt.datetime | None = instant(nullable=False)


def read_mode(bind: Engine | Connection) -> DatabaseMode | None:
    """The mode stored in the database; None when the schema has not been created yet."""
    if isinstance(bind, Engine):
        return _read_mode_outside_transactions(bind)
    if TABLE not in inspect(bind).get_table_names():
        return None
    value = bind.execute(select(DatabaseModeRow.mode).where(DatabaseModeRow.id == 1)).scalar()
    return DatabaseMode(value) if value is not None else None


def _read_mode_outside_transactions(engine: Engine) -> DatabaseMode | None:
    """On a connection of its own that takes no lock (no BEGIN IMMEDIATE on SQLite): it may be
    asked while a command's transaction holds the database's write lock (a message composed in
    the command's own transaction)."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        try:
            cur.execute(f"SELECT mode FROM {TABLE} WHERE id = 1")
            row = cur.fetchone()
        except engine.dialect.loaded_dbapi.Error:  # no schema yet
            return None
        finally:
            cur.close()
        return DatabaseMode(row[0]) if row else None
    finally:
        raw.close()


def record_mode(conn: Connection, mode: DatabaseMode | str, created_at: dt.datetime) -> DatabaseMode:
    """Write the mode if none is stored yet; return the stored one (which wins: never changed)."""
    stored = read_mode(conn)
    if stored is not None:
        return stored
    conn.execute(insert(DatabaseModeRow), {"id": 1, "mode": DatabaseMode(mode).value, "created_at": created_at})
    return DatabaseMode(mode)


class SandboxProbe:
    """Whether the database behind `engine` is a sandbox: read at the first call that finds the
    schema, then remembered (the mode never changes). False while there is no schema yet."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sandbox: bool | None = None

    def __call__(self) -> bool:
        if self._sandbox is None:
            mode = read_mode(self.engine)
            if mode is None:
                return False
            self._sandbox = mode is DatabaseMode.SANDBOX
        return self._sandbox
