"""The heartbeat's service: what is due at `now`, done once; a late tick catches up."""

from __future__ import annotations

import datetime as dt

from domain.instants import UTC
from services.tick import run_tick
from svc_scenario import CYCLE, END, audit, draft, open_2019, submit


def test_a_tick_after_the_acceptance_end_locks_and_scores_in_one_go_and_the_next_does_nothing(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    first = run_tick(svc, now=END + dt.timedelta(hours=3))  # the lock job ran three hours late
    assert first.cycles[CYCLE][0] == "CollectionStarted" and first.cycles[CYCLE][-1] == "SheetsScored:1"
    assert first.moves == 1 + 1 + 1 + 33 + 1  # collecting, grace, locked, 33 sheets, scored
    again = run_tick(svc, now=END + dt.timedelta(hours=4))
    assert again.moves == 0 and again.cycles == {CYCLE: []}
    with svc.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "scored"
    scored = [a for a in audit(svc) if a.event == "SheetsScored"]
    assert len(scored) == 1 and (scored[0].actor_id, scored[0].role) == ("system:tick", "system")


def test_a_tick_before_any_deadline_only_starts_collecting(svc):
    open_2019(svc)
    result = run_tick(svc, now=dt.datetime(2019, 8, 8, tzinfo=UTC))
    assert result.cycles == {CYCLE: ["CollectionStarted"]} and result.moves == 1
