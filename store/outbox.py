"""The outbox table: e-mail written in the same transaction as the event that causes it (decision record 0007).

One row per (cycle, unit, kind, occasion): the unique constraint is what makes a retried command
or a rerun tick queue a message at most once. The finished RFC 5322 bytes are written once, so
the relay only moves bytes and a template change never alters a message already queued.

The bytes live in a sibling table, `outbox_body`, keyed by the Message-ID: the status row is
updated two or three times per message, and SQLite rewrites a whole record (5 KB of mail
included) on every UPDATE — measured 3.3 ms per commit of 20 "sent" marks with the bytes in the
row against 0.9 ms without. PostgreSQL is spared the same churn (no TOAST rewrites, HOT updates).

Status moves queued -> sending (claimed, with a lease in `next_attempt_at`) -> sent, or back to
queued with a later `next_attempt_at` (transient failure), or to parked (permanent failure).
Only `notifications.outbox` and `notifications.relay` write these rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime

QUEUED, SENDING, SENT, PARKED = "queued", "sending", "sent", "parked"
OUTBOX_STATUSES = (QUEUED, SENDING, SENT, PARKED)

# Messages to the secretariat or council, not to one unit, use this unit id: a NULL would not
# take part in the unique key (NULLs are all distinct in SQL).
NO_UNIT = ""


def _instant(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("cycle_id", "unit_id", "kind", "occasion", name="uq_outbox_key"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'parked')", name="ck_outbox_status"),
        CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        # The relay's claim reads "status in (queued, sending) and next_attempt_at <= now".
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str = Field(max_length=120)
    unit_id: str = Field(default=NO_UNIT, max_length=80)
    kind: str = Field(max_length=40)
    occasion: str = Field(max_length=160)
    message_id: str = Field(max_length=200, unique=True)  # "<sha1(key)@domain>", in the bytes too
    sender: str = Field(max_length=320)
    recipients: str = Field(sa_column=Column(Text, nullable=False))  # envelope, comma-separated
    subject: str = Field(sa_column=Column(Text, nullable=False))  # for ops listings; bytes are final
    status: str = Field(default=QUEUED, max_length=10)
    attempts: int = 0
    next_attempt_at: dt.datetime | None = _instant(nullable=False)
    claimed_by: str | None = Field(default=None, max_length=80)  # fences a relay's "mark sent"
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime | None = _instant(nullable=False)
    sent_at: dt.datetime | None = _instant()


class OutboxBody(SQLModel, table=True):
    """The finished message bytes (RFC 5322, CRLF line ends), written once, never updated."""

    __tablename__ = "outbox_body"

    message_id: str = Field(primary_key=True, max_length=200, foreign_key="outbox_message.message_id")
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


def create_outbox_table(engine) -> None:
    """Tests and the embedded mode without migrations: create just these two tables."""
    SQLModel.metadata.create_all(engine, tables=[OutboxMessage.__table__, OutboxBody.__table__])
