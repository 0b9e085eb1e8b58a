"""The ports the services write through besides the unit of work: the outbox.

E-mails leave through an outbox written in the same transaction as the event that causes them
(decision record 0007). The services hand every event with its recipients to `Outbox.enqueue`;
the notifications package decides which events become which messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from domain.events import Event


@dataclass(frozen=True)
class Recipient:
    person_id: str
    email: str
    role: str  # unit_focal, unit_leader, secretariat...
    unit_code: str | None = None


@dataclass(frozen=True)
class MessageRequest:
    """One event to tell people about. `idempotency_key` is stable for the event: the same
    command replayed (same idempotency key) never enqueues twice because it never runs twice."""

    event: Event
    recipients: tuple[Recipient, ...]
    idempotency_key: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.event.name


class Outbox(Protocol):
    def enqueue(self, session: Any, request: MessageRequest) -> None:
        """Write the request with `session` (same transaction as the event)."""


class NullOutbox:
    """No e-mail: the default when the notifications package is not wired."""

    def enqueue(self, session: Any, request: MessageRequest) -> None:
        return None


class RecordingOutbox:
    """A fake that keeps what it was given (tests). Entries written in a transaction that rolls
    back are dropped at `discard_uncommitted` time by the runner."""

    def __init__(self) -> None:
        self.requests: list[MessageRequest] = []
        self._pending: list[MessageRequest] = []

    def enqueue(self, session: Any, request: MessageRequest) -> None:
        self._pending.append(request)

    def committed(self) -> None:
        self.requests.extend(self._pending)
        self._pending.clear()

    def rolled_back(self) -> None:
        self._pending.clear()

    def kinds(self) -> list[str]:
        return [r.kind for r in self.requests]
