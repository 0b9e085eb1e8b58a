"""A changed working-day calendar recomputes a cycle's pending deadlines, with an audit entry.

The cycle pinned the calendar version it opened with. When ops ship a new calendar file (a swap
announced after the cycle opened), the tick finds the versions differ and calls this: the
timeline is recomputed from the cycle's own facts on the new calendar, pending milestones take
their new instants (`domain.recompute`), passed ones stay, and the cycle records the new
version — in one transaction with a `DeadlinesRecomputed` event (decision record 0002).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.events import DeadlinesRecomputed
from domain.recompute import Dated, recompute_pending
from services.common import get_cycle
from services.config import Services
from services.cycles import milestone_rows
from services.runner import Tx, run_command

COMMAND = "apply_calendar"  # audited under the clock: ops shipped the file, the tick applies it


def calendar_is_current(services: Services, calendar_version: str) -> bool:
    return services.load_calendar().version == calendar_version


def apply_calendar_change(services: Services, *, cycle_id: str) -> dict[str, Any]:
    """Recompute `cycle_id`'s pending deadlines on the current calendar (no-op when current)."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, exclusive=True)
        calendar = tx.services.load_calendar()
        if calendar.version == cycle.calendar_version:
            return {"cycle_id": cycle_id, "changed": False, "calendar_version": calendar.version}
        regime = tx.services.load_regime(cycle.regime_id)
        facts = {k: dt.date.fromisoformat(v) for k, v in (cycle.facts or {}).items()}
        stored = tx.uow.cycles.milestones(cycle_id)
        fresh = [r for g in sorted(cycle.rubric_versions)
                 for r in milestone_rows(cycle_id, regime, cycle.year, g, facts, calendar)]
        plan = recompute_pending([_dated(r) for r in stored], [_dated(r) for r in fresh], tx.now())
        by_key = {(r.group_id, r.milestone_id): r for r in stored}
        rows = []
        for r in fresh:
            key = (r.group_id, r.milestone_id)
            if key in plan.take_new:
                rows.append(r)
            elif key in by_key:
                rows.append(_copy(by_key[key]))  # passed, unchanged, or kept: as stored
        tx.uow.cycles.replace_milestones(cycle_id, rows)
        tx.uow.cycles.set_fields(cycle_id, calendar_version=calendar.version)
        tx.emit(tx.event(DeadlinesRecomputed, cycle_id=cycle_id, old_calendar=cycle.calendar_version,
                         new_calendar=calendar.version, changes=plan.changes, kept=plan.kept), notify=False)
        return {"cycle_id": cycle_id, "changed": True, "old_calendar": cycle.calendar_version,
                "calendar_version": calendar.version, "changes": list(plan.changes), "kept": list(plan.kept)}

    return run_command(services, COMMAND, actor_id=None, key=None, params={"cycle_id": cycle_id}, body=body)


def _dated(row) -> Dated:
    return Dated(row.group_id, row.milestone_id, row.date, row.closes_at)


def _copy(row):
    # A row loaded by the repository is detached; write a fresh one with the same values.
    return type(row)(**{c: getattr(row, c) for c in type(row).model_fields})
