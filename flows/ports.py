"""What the flows (and `dtiflow serve`) need from the application, as small protocols.

The flows are thin: they read the clock, call these ports inside Prefect tasks (batches, with
retries on I/O) and return counts. The implementations live in the service layer and the
notifications package and are put together by one composition function,
`dtiflow.bootstrap.build_app(settings)`; tests hand it small fakes that implement these
protocols (cosmicpython `bootstrap.py`), never mocks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Protocol


class TickReport(Protocol):
    """What one tick did, as counts (the service's own result type only needs these fields)."""

    @property
    def moves(self) -> int: ...  # cycle and sheet transitions made (lock, scoring, ...)

    @property
    def reminders_queued(self) -> int: ...  # messages written to the outbox

    @property
    def messages_sent(self) -> int: ...  # messages the tick itself handed to a transport (usually 0)


class TickRunner(Protocol):
    def run_tick(self, now: dt.datetime, cycle_id: str | None = None) -> TickReport:
        """Do what is due at `now` (aware UTC) for every open cycle, or only `cycle_id`.

        Idempotent: the moves are compare-and-set in our database and the outbox keys are
        unique, so a retried or overlapping tick does nothing twice, and a late one catches up
        (missed reminders merge into one current reminder; decision record 0005)."""


class OutboxDrain(Protocol):
    def drain(self, now: dt.datetime) -> int:
        """Send what the outbox holds (claims with SKIP LOCKED, one reused SMTP connection);
        returns how many messages the server accepted. Raises on a transport failure that is
        worth retrying as a whole (the flow's task retries with backoff)."""


class StageCommands(Protocol):
    """The manual stages a person starts (decision record 0006). Each returns the service's result
    (a JSON-able mapping); the service checks the role, audits, and answers a repeated
    `key` with the first result."""

    def open_cycle(self, *, actor_id: str, regime_id: str, year: int, facts: Mapping[str, dt.date],
                   owner: str, level: str | None, cycle_id: str | None, key: str) -> Mapping[str, Any]: ...

    def record_verification(self, *, actor_id: str, cycle_id: str, unit_code: str,
                            points: Mapping[str, float], note: str, key: str) -> Mapping[str, Any]: ...

    def approve(self, *, actor_id: str, cycle_id: str, decision_number: str, decision_date: dt.date,
                key: str) -> Mapping[str, Any]: ...

    def publish(self, *, actor_id: str, cycle_id: str, location: str | None, key: str) -> Mapping[str, Any]: ...

    def reopen(self, *, actor_id: str, cycle_id: str, to_state: str, reason: str, key: str) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class TickCounts:
    """A plain TickReport: what the flow returns (JSON-able, persisted by Prefect if asked)."""

    moves: int = 0
    reminders_queued: int = 0
    messages_sent: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # cycle id -> why it failed (the others went on)

    @classmethod
    def of(cls, report: TickReport, sent_by_relay: int = 0) -> "TickCounts":
        return cls(int(report.moves), int(report.reminders_queued), int(report.messages_sent) + sent_by_relay,
                   dict(getattr(report, "errors", None) or {}))

    def as_dict(self) -> dict[str, Any]:
        """The counts; `errors` only when a cycle failed."""
        out = asdict(self)
        if not out["errors"]:
            del out["errors"]
        return out
