"""The event-jumping clock: the year as steps in time order, and the loop that runs them.

Time travel, not sleeps (as Temporal's time-skipping test server does): a `FixedClock` shared by the
services and the flows jumps from one step's instant to the next, so a whole year runs in seconds.
Steps at the same instant run in the order they were added (`seq`). Heartbeat steps at the same
instant are one tick, whatever the number of cycles that asked for it (the tick serves every open
cycle, as in production).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from domain.clock import FixedClock


@dataclass(frozen=True, order=True)
class Step:
    at: dt.datetime
    seq: int
    name: str = field(compare=False)
    action: Callable[[], None] = field(compare=False, repr=False)


class Agenda:
    def __init__(self) -> None:
        self._steps: list[Step] = []
        self._ticks: set[dt.datetime] = set()

    def add(self, at: dt.datetime, name: str, action: Callable[[], None]) -> None:
        self._steps.append(Step(at, len(self._steps), name, action))

    def tick(self, at: dt.datetime, action: Callable[[], None]) -> None:
        """The heartbeat at `at` (once, however many cycles want it)."""
        if at not in self._ticks:
            self._ticks.add(at)
            self.add(at, "tick", action)

    def steps(self) -> list[Step]:
        return sorted(self._steps)

    def run(self, clock: FixedClock) -> int:
        """Jump the clock to each step in turn and run it; returns the number of steps run."""
        steps = self.steps()
        for step in steps:
            clock.set(step.at)
            step.action()
        return len(steps)
