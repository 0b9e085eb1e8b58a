"""The heartbeat's service (decision record 0005): at `now`, do what is due for every open cycle.

For each cycle not yet published or cancelled: the time-driven moves the regime names (start
collecting, close submissions, lock at the acceptance end, score after the lock when scoring is
time-driven), each a compare-and-set with its audit event; then, when the outbox port is the
e-mail outbox, the reminders due now (`notifications.event_mail.queue_due_reminders`). Reading
what is due from our database and `now`, a missed tick loses nothing and a repeated one does
nothing twice. The flows (`flows.tick`) and `dtiflow serve` call this through
`dtiflow.bootstrap.ServiceTick`.

Each cycle is done on its own: one that fails (a date outside the calendar, a broken rule) is
reported in `TickResult.errors`, in its audit log (`TickFailed`) and to the secretariat by
e-mail (once per distinct error a day), and the other cycles go on. The next tick tries it
again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from domain.clock import FixedClock
from domain.cycle import CycleState, CycleTrigger, driver_of
from domain.events import TickFailed
from domain.instants import local_date
from services import cycles, verification
from services.calendar_change import apply_calendar_change, calendar_is_current
from services.config import Services
from services.errors import NotFound
from services.runner import Tx, run_command

log = logging.getLogger(__name__)
TICK_FAILURE = "tick"  # the audit's command name, as for the other time-driven moves

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
    """Do what is due at `now` for every open cycle (or the one named: an unknown id is
    refused, NotFound). A cycle that fails is reported and skipped; the others go on."""
    at_now = dataclasses.replace(services, clock=FixedClock(now))  # one instant for the whole tick
    result = TickResult()
    with services.uow() as uow:
        if cycle_id is not None and uow.cycles.get(cycle_id) is None:
            raise NotFound(f"không có kỳ đánh giá '{cycle_id}'")
        open_cycles = [(c.id, c.calendar_version) for c in uow.cycles.list()
                       if (cycle_id is None or c.id == cycle_id) and c.state not in FINISHED]
    for cid, calendar_version in open_cycles:
        try:
            _tick_cycle(at_now, cid, calendar_version, now, result)
        except Exception as exc:  # noqa: BLE001 - one cycle's failure must not stop the others
            result.errors[cid] = failure_text(exc)
            log.exception("tick: cycle %s failed", cid)
            _report_failure(at_now, cid, result.errors[cid], now)
    return result


def failure_text(exc: BaseException) -> str:
    """What went wrong, for the secretariat: the refusal's own sentence (our errors are written
    for people); anything else is named as an internal error."""
    from services.errors import ServiceError

    if isinstance(exc, (ServiceError, ValueError, LookupError)):
        return str(exc)
    return f"lỗi nội bộ ({type(exc).__name__}): {exc}"


def _report_failure(services: Services, cycle_id: str, error: str, now: dt.datetime) -> None:
    """Audit and e-mail the failure in one transaction, once per distinct error a local day
    (the idempotency key), so a tick every few minutes does not flood the secretariat."""
    digest = hashlib.sha1(error.encode("utf-8")).hexdigest()[:10]
    key = f"tick-failure:{cycle_id}:{local_date(now).isoformat()}:{digest}"

    def body(tx: Tx) -> dict:
        tx.emit(tx.event(TickFailed, cycle_id=cycle_id, error=error))
        return {"cycle_id": cycle_id, "error": error}

    try:
        run_command(services, TICK_FAILURE, actor_id=None, key=key, params={"cycle_id": cycle_id, "error": error},
                    body=body)
    except Exception:  # noqa: BLE001 - the report must not stop the other cycles either
        log.exception("tick: cycle %s: the failure could not be recorded", cycle_id)


def _tick_cycle(at_now: Services, cid: str, calendar_version: str, now: dt.datetime, result: TickResult) -> None:
    """One cycle's due work, each step its own transaction; what succeeded is counted even when
    a later step fails."""
    done = result.cycles.setdefault(cid, [])
    if not calendar_is_current(at_now, calendar_version):
        # A swap announced after the cycle opened: pending deadlines move first, audited.
        changed = apply_calendar_change(at_now, cycle_id=cid)
        done.append(f"DeadlinesRecomputed:{len(changed.get('changes', []))}")
    advanced = cycles.advance(at_now, cycle_id=cid)
    result.moves += advanced["transitions"]
    done.extend(advanced["moves"])
    if advanced["state"] == CycleState.LOCKED and _scoring_is_timed(at_now, cid) and _all_closed(advanced):
        scored = verification.score_cycle(at_now, actor_id=None, cycle_id=cid)
        result.moves += 1
        done.append(f"SheetsScored:{len(scored['totals'])}")
    if advanced["state"] in REMINDING:
        result.reminders_queued += _queue_reminders(at_now, cid, now)


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
