"""Small real implementations of `flows.ports` for the flow tests (no mocks)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from flows.ports import TickCounts

TICK_NOW = dt.datetime(2019, 9, 23, 1, 0, tzinfo=dt.timezone.utc)  # 08:00 local, a Monday


class ScriptedTick:
    """A TickRunner that answers with fixed counts and remembers every call."""

    def __init__(self, moves: int = 0, reminders_queued: int = 0) -> None:
        self.counts = TickCounts(moves, reminders_queued, 0)
        self.calls: list[tuple[dt.datetime, str | None]] = []

    def run_tick(self, now: dt.datetime, cycle_id: str | None = None) -> TickCounts:
        self.calls.append((now, cycle_id))
        return self.counts


class CountingOutbox:
    """An OutboxDrain that 'sends' a fixed number of messages per drain and can fail first."""

    def __init__(self, sent_per_drain: int = 0, failures: int = 0) -> None:
        self.sent_per_drain, self.failures = sent_per_drain, failures
        self.calls: list[dt.datetime] = []

    def drain(self, now: dt.datetime) -> int:
        self.calls.append(now)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("SMTP server unreachable (scripted)")
        return self.sent_per_drain


class RecordingCommands:
    """StageCommands that keep what they were given and echo it back as the result."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _record(self, name: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((name, dict(kwargs)))
        return {"command": name, "key": kwargs["key"]}

    def open_cycle(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("open_cycle", kwargs)

    def record_verification(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("record_verification", kwargs)

    def approve(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("approve", kwargs)

    def publish(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("publish", kwargs)

    def reopen(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("reopen", kwargs)
