"""The relay's settings, its report, its observation hooks, and its own engine.

A commit flush costs as much as sending a message, so the relay's own connections skip it (`relay_engine`:
SQLite `synchronous=NORMAL` in WAL mode, PostgreSQL `synchronous_commit=off`). Both keep every
commit across a crash of the relay process; only a power cut or an OS crash can roll back the
last few relay transactions — and undoing a `sent` mark, a claim or a retry only makes a message
go again (a duplicate with the same Message-ID), never lose one. Queued rows are written by the
services' own connections, with full durability.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Sequence

from sqlalchemy import event
from sqlalchemy.engine import Engine

from store.db import make_engine


def relay_engine(url: str) -> Engine:
    """An engine of the relay's own, whose commits do not wait for the disk flush (see above)."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _relaxed_flush(dbapi_conn, _record):  # pragma: no cover - exercised by the relay tests
        cur = dbapi_conn.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("PRAGMA synchronous=NORMAL")
        elif engine.dialect.name == "postgresql":
            cur.execute("SET synchronous_commit TO off")
            dbapi_conn.commit()
        cur.close()

    return engine


@dataclass(frozen=True)
class RelayPolicy:
    batch_size: int = 200
    commit_every: int = 20
    commit_interval: float = 0.5  # seconds of wall time between commits at most
    lease: dt.timedelta = dt.timedelta(minutes=5)
    backoff_base: dt.timedelta = dt.timedelta(minutes=1)
    backoff_cap: dt.timedelta = dt.timedelta(hours=2)
    max_attempts: int = 12  # ~1+2+4+...+120 min: about 11 hours of a dead server before parking


@dataclass
class RelayReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    parked: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)  # each distinct reason a message did not go

    def add(self, other: "RelayReport") -> None:
        for name in ("claimed", "sent", "retried", "parked", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason in other.errors:
            self.note(reason)

    def note(self, reason: str) -> None:
        if reason not in self.errors:
            self.errors.append(reason)

    @property
    def failed(self) -> bool:
        """Nothing went out although something was due: the operator must look (exit status 1)."""
        return self.sent == 0 and (self.retried + self.released + self.parked) > 0


@dataclass
class RelayHooks:
    """Observation points, for the crash test and for metrics; they must not raise."""

    claimed: Callable[[Sequence[str]], None] = lambda message_ids: None
    accepted: Callable[[int, str], None] = lambda n, message_id: None  # n counts this relay's 250s
    committed: Callable[[Sequence[str]], None] = lambda message_ids: None
