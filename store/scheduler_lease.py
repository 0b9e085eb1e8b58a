"""Exactly one scheduler per database: a lease row, taken and kept by compare-and-set.

decision record 0005 ("never two owners of one deadline") and the APScheduler pitfall (two
scheduler processes on one job store run every job twice): `dtiflow serve` holds the lease row
named after its job while it runs. The lease is a time interval [acquired_at, expires_at):

- acquire: one transaction. An UPDATE takes the row over only if it has expired (or is already
  ours); if no row exists, an INSERT ... ON CONFLICT DO NOTHING creates it. Then the row is read
  back: whoever's name is in it holds the lease. On PostgreSQL the UPDATE re-checks its WHERE on
  the row version a concurrent winner committed, so two takers of one expired lease cannot both
  succeed; on SQLite every transaction starts with BEGIN IMMEDIATE (one writer at a time).
- renew: pushes `expires_at` forward only while the holder is still us.
- release: deletes the row only if it is ours, so a standby takes over at once.

Times come from the caller's clock (tests use a FixedClock). Hosts sharing a database must keep
their clocks in sync (NTP) to well within the lease length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, String, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, SQLModel

from domain.instants import require_aware, to_utc
from store.types import UTCDateTime


class SchedulerLease(SQLModel, table=True):
    __tablename__ = "scheduler_lease"

    name: str = Field(sa_column=Column(String(64), primary_key=True))
    holder: str = Field(sa_column=Column(String(200), nullable=False))
    acquired_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    renewed_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


T = SchedulerLease.__table__
C = T.c


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    acquired_at: dt.datetime
    renewed_at: dt.datetime
    expires_at: dt.datetime

    def is_held_at(self, now: dt.datetime) -> bool:
        return now < self.expires_at


@dataclass(frozen=True)
class Acquisition:
    acquired: bool
    lease: Lease  # ours when acquired, else the current holder's


def ensure_table(engine: Engine) -> None:
    """Create the lease table if it is missing (the embedded mode needs no migration step)."""
    T.create(engine, checkfirst=True)


def _instant(now: dt.datetime) -> dt.datetime:
    return to_utc(require_aware(now, "lease time"))


def _insert(conn: Connection):
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(T)


def _read(conn: Connection, name: str) -> Lease | None:
    row = conn.execute(select(C.name, C.holder, C.acquired_at, C.renewed_at, C.expires_at)
                       .where(C.name == name)).one_or_none()
    return Lease(*row) if row is not None else None


def acquire(engine: Engine, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> Acquisition:
    """Take the lease `name` for `holder` until `now + ttl`, if it is free, expired, or ours."""
    if ttl <= dt.timedelta(0):
        raise ValueError(f"a lease must last a positive time, not {ttl}")
    now = _instant(now)
    values = dict(holder=holder, acquired_at=now, renewed_at=now, expires_at=now + ttl)
    for _ in range(3):
        with engine.begin() as conn:
            taken = conn.execute(update(T).where(C.name == name, or_(C.expires_at <= now, C.holder == holder))
                                 .values(**values)).rowcount
            if not taken:
                conn.execute(_insert(conn).values(name=name, **values)
                             .on_conflict_do_nothing(index_elements=["name"]))
            lease = _read(conn, name)
        if lease is not None:
            return Acquisition(lease.holder == holder, lease)
        # The winner released it between our insert and our read (PostgreSQL, read committed).
    raise RuntimeError(f"the lease '{name}' kept changing hands while {holder} tried to take it")


def renew(engine: Engine, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
    """Extend our lease to `now + ttl`; False if it is no longer ours (taken over or released)."""
    now = _instant(now)
    with engine.begin() as conn:
        return conn.execute(update(T).where(C.name == name, C.holder == holder)
                            .values(renewed_at=now, expires_at=now + ttl)).rowcount == 1


def release(engine: Engine, name: str, holder: str) -> bool:
    """Give the lease up (only if ours): a standby may take it at once."""
    with engine.begin() as conn:
        return conn.execute(delete(T).where(C.name == name, C.holder == holder)).rowcount == 1


def current(engine: Engine, name: str) -> Lease | None:
    with engine.connect() as conn:
        return _read(conn, name)
