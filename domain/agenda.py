"""What the clock must do for a cycle at an instant (decision records 0004 and 0005).

The tick asks this module, with the cycle's state, its stored deadline instants, the regime's
stage drivers and `now`, which time-driven moves are due, in order. The answer depends only on
those facts, so a tick that runs late, twice, or after three days of downtime gets the same
answer: the moves that should have happened, once each — a lock that was missed happens when
the tick wakes, and nothing that was accepted or refused depends on when that is (acceptance is
decided inside each write's transaction from the same instants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from domain.cycle import CycleState, CycleTrigger, driver_of, next_cycle_state
from domain.instants import require_aware


@dataclass(frozen=True, slots=True)
class CycleInstants:
    """The instants a cycle stored when it opened (UTC, half-open)."""

    submission_due: dt.datetime | None
    # The last instant any sheet may still arrive: the grace end, or later when the secretariat
    # extended one unit beyond it (the lock waits for that unit rather than cutting it off).
    acceptance_end: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DueMove:
    trigger: CycleTrigger
    from_state: CycleState
    to_state: CycleState
    # The instant the move was due: audit entries record it beside the instant it happened.
    due_at: dt.datetime | None


def due_moves(
    state: CycleState | str,
    instants: CycleInstants,
    stage_drivers: Mapping[str, str],
    now: dt.datetime,
) -> tuple[DueMove, ...]:
    """The time-driven moves due at `now`, in the order they must be made."""
    require_aware(now, "now")
    state = CycleState(state)
    moves: list[DueMove] = []

    def step(trigger: CycleTrigger, due_at: dt.datetime | None) -> bool:
        nonlocal state
        if driver_of(trigger, stage_drivers) != "time":
            return False
        target = next_cycle_state(state, trigger)
        moves.append(DueMove(trigger, state, target, due_at))
        state = target
        return True

    due, end = instants.submission_due, instants.acceptance_end
    if state is CycleState.OPEN:
        step(CycleTrigger.START_COLLECTING, None)
    if state is CycleState.COLLECTING and due is not None and now >= due:
        has_grace = end is not None and end > due
        if has_grace:
            step(CycleTrigger.CLOSE_SUBMISSIONS, due)
        elif driver_of(CycleTrigger.LOCK, stage_drivers) == "time":
            step(CycleTrigger.LOCK, due)  # no grace period: acceptance ends at the due instant
    if state is CycleState.GRACE and end is not None and now >= end:
        step(CycleTrigger.LOCK, end)
    if state is CycleState.LOCKED:
        step(CycleTrigger.SCORE, None)
    return tuple(moves)


def next_wake(state: CycleState | str, instants: CycleInstants) -> dt.datetime | None:
    """The next instant at which a time-driven move may become due (for schedulers and status)."""
    state = CycleState(state)
    if state in (CycleState.OPEN, CycleState.COLLECTING):
        return instants.submission_due
    if state is CycleState.GRACE:
        return instants.acceptance_end
    return None
