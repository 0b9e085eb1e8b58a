"""The heartbeat's service (decision record 0005): at `now`, do what is due for every open cycle.

For each cycle not yet published or cancelled: the time-driven moves the regime names (start
collecting, close submissions, lock at the acceptance end, score after the lock when scoring is
time-driven), each a compare-and-set with its audit event; then, when the outbox port is the
e-mail outbox, the reminders due now (`notifications.event_mail.queue_due_reminders`). Reading
what is due from our database and `now`, a missed tick loses nothing and a repeated one does
nothing twice. The flows (`flows.tick`) and `dtiflow serve` call this through
`dtiflow.bootstrap.ServiceTick`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from domain.clock import FixedClock
from domain.cycle import CycleState, CycleTrigger, driver_of
from services import cycles, verification
from services.calendar_change import apply_calendar_change, calendar_is_current
from services.config import Services

FINISHED = frozenset({CycleState.PUBLISHED, CycleState.CANCELLED, CycleState.DRAFT})
# Reminders are asked for in every unfinished state: units are reminded only while their sheet is
# still owed (domain.reminders.AWAITING_SHEET_STATES), but the staff's own milestones (preliminary
# report, verification, approval) fall after the lock, while the cycle is scored,
# in verification or approval.
REMINDING = frozenset(CycleState) - FINISHED


@dataclass
class TickResult:
    moves: int = 0
    reminders_queued: int = 0
    messages_sent: int = 0  # the tick sends nothing itself; the relay drains the outbox
    cycles: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def run_tick(services: Services, *, now: dt.datetime, cycle_id: str | None = None) -> TickResult:
    at_now = dataclasses.replace(services, clock=FixedClock(now))  # one instant for the whole tick
    result = TickResult()
    with services.uow() as uow:
        open_cycles = [(c.id, c.calendar_version) for c in uow.cycles.list()
                       if (cycle_id is None or c.id == cycle_id) and c.state not in FINISHED]
    for cid, calendar_version in open_cycles:
        if not calendar_is_current(at_now, calendar_version):
            # A swap announced after the cycle opened: pending deadlines move first, audited.
            changed = apply_calendar_change(at_now, cycle_id=cid)
            result.cycles.setdefault(cid, []).append(f"DeadlinesRecomputed:{len(changed.get('changes', []))}")
        advanced = cycles.advance(at_now, cycle_id=cid)
        result.moves += advanced["transitions"]
        result.cycles.setdefault(cid, []).extend(advanced["moves"])
        if advanced["state"] == CycleState.LOCKED and _scoring_is_timed(at_now, cid) and _all_closed(advanced):
            scored = verification.score_cycle(at_now, actor_id=None, cycle_id=cid)
            result.moves += 1
            result.cycles[cid].append(f"SheetsScored:{len(scored['totals'])}")
        if advanced["state"] in REMINDING:
            result.reminders_queued += _queue_reminders(at_now, cid, now)
    return result


def _scoring_is_timed(services: Services, cycle_id: str) -> bool:
    with services.uow() as uow:
        regime_id = uow.cycles.get(cycle_id).regime_id
    return driver_of(CycleTrigger.SCORE, services.load_regime(regime_id).stage_drivers) == "time"


def _all_closed(advanced: dict) -> bool:
    """No sheet still open (a unit with a running extension keeps the cycle from scoring)."""
    return not ({"not_started", "draft", "submitted", "submitted_late"} & set(advanced["sheets"]))


def _queue_reminders(services: Services, cycle_id: str, now: dt.datetime) -> int:
    outbox = services.outbox
    if not hasattr(outbox, "directory"):  # not the e-mail outbox (tests, NullOutbox): nothing to remind
        return 0
    from notifications.event_mail import queue_due_reminders

    with services.uow() as uow:
        regime = services.load_regime(uow.cycles.get(cycle_id).regime_id)
        queued = queue_due_reminders(uow.session, outbox, cycle_id, regime.reminders, services.load_calendar(), now)
        uow.commit()
    return queued
