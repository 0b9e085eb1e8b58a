"""The lock and the other time-driven moves (decision record 0004: the lock is a time predicate).

`lock_cycle` is the secretariat's command (refused before the acceptance end, idempotent);
`advance` is what the tick calls: start collecting, close submissions at the due instant, lock
at the acceptance end — each a compare-and-set with its audit event, performed once however
often it is called. Sheets move set-based: one UPDATE per source state.
Decision 1867/QĐ-UBND Art. 8: a sheet not sent by the end of the 5 working days is not evaluated.
"""

from __future__ import annotations

from typing import Any

from domain.agenda import CycleInstants, due_moves
from domain.authorization import Command
from domain.cycle import CYCLE_STATE_LABELS_VI, CycleState, CycleTrigger, driver_of
from domain.events import CollectionStarted, CycleLocked, SheetLocked, SheetNotEvaluated, SubmissionsClosed
from domain.instants import format_closing_vi
from domain.sheet import SheetTrigger
from services.common import cycle_bounds, get_cycle, iso, move_all_sheets, move_cycle
from services.config import Services
from services.errors import InvalidRequest
from services.runner import Tx, run_command

TICK = "tick"  # the audit's command name for time-driven moves (no person, no authorization)


# The event each time-driven cycle move is audited with, and the instants it records.
_MOVE_EVENTS = {
    CycleTrigger.START_COLLECTING: (CollectionStarted, lambda due, end: {"submission_due": due}),
    CycleTrigger.CLOSE_SUBMISSIONS: (SubmissionsClosed, lambda due, end: {"acceptance_end": end}),
    CycleTrigger.LOCK: (CycleLocked, lambda due, end: {"acceptance_end": end}),
}


def _catch_up(tx: Tx, cycle, *, lock: bool) -> list[str]:
    """Perform the moves the domain says are due now (`domain.agenda.due_moves`), in order;
    returns the events' names (a sheet batch as 'SheetsLocked:<locked>:NotEvaluated:<n>').
    `lock` is whether this call may lock: the tick when the regime makes the lock time-driven,
    or the secretariat's own lock command. Scoring is `services.verification.score_cycle`."""
    done: list[str] = []
    now = tx.now()
    due, end = cycle_bounds(tx, cycle.id)
    drivers = dict(tx.services.load_regime(cycle.regime_id).stage_drivers)
    drivers["lock"] = "time" if lock else "person"
    for move in due_moves(cycle.state, CycleInstants(due, end), drivers, now):
        if move.trigger not in _MOVE_EVENTS:
            continue
        event_cls, instants = _MOVE_EVENTS[move.trigger]
        # For the lock the caller holds FOR UPDATE on the cycle row (PostgreSQL): every
        # submission holding FOR SHARE has committed, later ones wait and then see the locked
        # row (decision record 0004).
        move_cycle(tx, cycle, move.trigger, event_cls, **instants(due, end))
        done.append(event_cls.__name__)
    if lock and cycle.state == CycleState.LOCKED:
        locked = move_all_sheets(tx, cycle.id, SheetTrigger.LOCK, SheetLocked, unless_extended_after=now, notify=False)
        missing = move_all_sheets(tx, cycle.id, SheetTrigger.MARK_NOT_EVALUATED, SheetNotEvaluated,
                                  unless_extended_after=now, acceptance_end=end)
        if locked or missing:
            done.append(f"SheetsLocked:{len(locked)}:NotEvaluated:{len(missing)}")
    return done


def lock_cycle(services: Services, *, actor_id: str | None, cycle_id: str, key: str | None = None) -> dict[str, Any]:
    """Lock (idempotent): refused before the acceptance end; after it, moves the cycle to locked
    and every open sheet at once (received -> locked, never submitted -> not evaluated). A unit
    with an extension still running keeps its sheet open; a later lock catches it."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, exclusive=True)
        tx.authorize(cycle.owner)
        _due, end = cycle_bounds(tx, cycle_id)
        if cycle.state in (CycleState.DRAFT, CycleState.CANCELLED):
            raise InvalidRequest(f"kỳ '{cycle_id}' đang ở trạng thái '{CYCLE_STATE_LABELS_VI[CycleState(cycle.state)]}': "
                                 f"không thể khóa")
        if end is None or tx.now() < end:
            raise InvalidRequest(f"chưa hết thời hạn nhận phiếu ({format_closing_vi(end) if end else 'chưa xác định'}): "
                                 f"không khóa sớm")
        before = cycle.state
        done = _catch_up(tx, cycle, lock=True)
        return _lock_result(tx, cycle_id, before, done)

    return run_command(services, Command.LOCK, actor_id=actor_id, key=key, params={"cycle_id": cycle_id}, body=body)


def _lock_result(tx: Tx, cycle_id: str, before: str, done: list[str]) -> dict[str, Any]:
    counts = tx.uow.sheets.state_counts(cycle_id)  # counted in SQL: the tick runs this every time
    cycle = tx.uow.cycles.get(cycle_id)
    return {"cycle_id": cycle_id, "from_state": before, "state": cycle.state, "moves": done,
            "transitions": count_transitions(done), "sheets": dict(sorted(counts.items())),
            "already_locked": not done}


def count_transitions(moves: list[str]) -> int:
    """Cycle moves count one each; a sheet batch counts its sheets."""
    total = 0
    for move in moves:
        parts = move.split(":")
        total += sum(int(p) for p in parts[1::2]) if len(parts) > 1 else 1
    return total


def advance(services: Services, *, cycle_id: str) -> dict[str, Any]:
    """The tick's entry point: do the time-driven moves that are due now (the regime says which
    moves are time-driven). Safe to call as often as you like: a move happens once."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, exclusive=True)
        regime = tx.services.load_regime(cycle.regime_id)
        before = cycle.state
        lock = driver_of(CycleTrigger.LOCK, regime.stage_drivers) == "time"
        done = _catch_up(tx, cycle, lock=lock) if cycle.state not in (CycleState.DRAFT, CycleState.CANCELLED) else []
        return _lock_result(tx, cycle_id, before, done)

    return run_command(services, TICK, actor_id=None, key=None, params={"cycle_id": cycle_id}, body=body)
