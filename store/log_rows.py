"""The append-only audit log and the idempotency ledger."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from store.cycle_rows import instant


class AuditRow(SQLModel, table=True):
    """Who, in which role, when, did what, from which state to which, and why.
    Triggers (store.schema) refuse UPDATE and DELETE on this table, and an insert that does not
    link to its stream's head. Each event is a link of its stream's hash chain
    (store.audit_chain): `seq` from 1, the previous event's hash, its own hash."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("uq_audit_event_stream_seq", "stream", "seq", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str | None = Field(default=None, max_length=120, index=True)
    unit_code: str | None = Field(default=None, max_length=40)
    actor_id: str = Field(max_length=80)
    role: str = Field(max_length=30)
    at: dt.datetime | None = instant(nullable=False)
    command: str = Field(max_length=60)
    event: str = Field(max_length=60)
    from_state: str | None = Field(default=None, max_length=30)
    to_state: str | None = Field(default=None, max_length=30)
    reason: str | None = None
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    stream: str = Field(max_length=160)
    seq: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class IdempotencyRow(SQLModel, table=True):
    """A command's key, the fingerprint of its parameters and its first result."""

    __tablename__ = "idempotency_key"

    key: str = Field(primary_key=True, max_length=200)
    command: str = Field(max_length=60)
    fingerprint: str = Field(max_length=64)
    actor_id: str = Field(max_length=80)
    result: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime | None = instant(nullable=False)
