"""The clock port. The domain never asks the time; callers pass `now` or a `Clock`."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from domain.instants import require_aware, to_utc


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC."""


class FixedClock:
    """A clock that only moves when told to: tests and the simulated-time demo travel with it."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = to_utc(require_aware(start, "clock start"))

    def now(self) -> dt.datetime:
        return self._now

    def set(self, instant: dt.datetime) -> None:
        instant = to_utc(require_aware(instant, "clock time"))
        if instant < self._now:
            raise ValueError(f"the clock cannot go back from {self._now.isoformat()} to {instant.isoformat()}")
        self._now = instant

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        if delta < dt.timedelta(0):
            raise ValueError("the clock cannot go back")
        self._now = self._now + delta
        return self._now
