"""A swap announced after a cycle opened: the next tick recomputes the pending deadlines, once,
with an audit entry, and submissions are judged against the new instants (decision record 0002)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.instants import UTC, end_of_local_day
from rubrics.calendar_loader import DEFAULT_PATH, load_calendar
from services import queries, sheets
from services.testing import SECRETARIAT
from services.tick import run_tick
from svc_scenario import CYCLE, DUE, END, draft, leader, open_2019


SWAP = """
  - date: 2019-09-19
    kind: swap_day_off
    name: "Nghỉ hoán đổi (giả định cho kiểm thử)"
    source: "Công văn giả định số 1/TEST"
    confidence: official
  - date: 2019-09-28
    kind: swap_working_day
    name: "Làm bù cho ngày 19/09/2019 (giả định cho kiểm thử)"
    source: "Công văn giả định số 1/TEST"
    confidence: official
"""


@pytest.fixture
def swapped_calendar(tmp_path):
    """The shipped calendar file plus a swap announced late: Thursday 19/9/2019 off, Saturday
    28/9 worked — written as ops would ship it (a new entry and a new version)."""
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace(f'version: "{load_calendar().version}"', 'version: "test-swap"', 1) + SWAP
    path = tmp_path / "vn.yaml"
    path.write_text(text, encoding="utf-8")
    return lambda: load_calendar(path)


def milestone(svc, mid):
    with svc.uow() as uow:
        return next(m for m in uow.cycles.milestones(CYCLE, "I") if m.milestone_id == mid)


def audit_events(svc, name):
    return [e for e in queries.audit_log(svc, actor_id=SECRETARIAT, cycle_id=CYCLE) if e["event"] == name]


def test_a_late_swap_moves_the_pending_grace_end_once_and_audits_it(svc, swapped_calendar):
    open_2019(svc)
    draft(svc, "STTTT")
    changed = dataclasses.replace(svc, load_calendar=swapped_calendar)
    tick_at = dt.datetime(2019, 9, 10, 1, 0, tzinfo=UTC)
    run_tick(changed, now=tick_at)
    run_tick(changed, now=tick_at + dt.timedelta(hours=1))  # nothing more to do

    new_end = end_of_local_day(dt.date(2019, 9, 23))  # 16, 17, 18, 20, 23: the 19th is now off
    assert milestone(svc, "grace_end").closes_at == new_end
    assert milestone(svc, "submission_due").closes_at == DUE  # a fixed date: unchanged
    events = audit_events(svc, "DeadlinesRecomputed")
    assert len(events) == 1
    details = events[0]["details"]
    assert (details["old_calendar"], details["new_calendar"]) == (load_calendar().version, "test-swap")
    assert details["changes"] == [f"{g}/grace_end: 24:00 Thứ Sáu, 20/09/2019 -> 24:00 Thứ Hai, 23/09/2019"
                                  for g in ("I", "II", "III", "IV")]

    # A sheet received on Saturday 21/9, after the old grace end, is now late but accepted.
    changed.clock.set(END + dt.timedelta(hours=10))
    result = sheets.submit_sheet(changed, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT")
    assert result["outcome"] == "late"


def test_a_swap_announced_after_the_grace_end_rewrites_nothing(svc, swapped_calendar):
    open_2019(svc)
    changed = dataclasses.replace(svc, load_calendar=swapped_calendar)
    run_tick(changed, now=END + dt.timedelta(days=3))
    assert milestone(svc, "grace_end").closes_at == END
    assert audit_events(svc, "DeadlinesRecomputed")[0]["details"]["changes"] == []
