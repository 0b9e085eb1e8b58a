"""The lock (idempotent, set-based, never early) and the per-unit extension (Decision 1867 Art. 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.instants import UTC, end_of_local_day
from services import cycles
from services.errors import InvalidRequest
from services.testing import SECRETARIAT
from svc_scenario import CYCLE, END, audit, draft, open_2019, sheet_state, submit


def _lock(svc, at):
    svc.clock.set(at)
    return cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


def test_the_lock_is_refused_before_the_acceptance_end(svc):
    open_2019(svc)
    svc.clock.set(END - dt.timedelta(seconds=1))
    with pytest.raises(InvalidRequest, match="không khóa sớm"):
        cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


def test_locking_moves_received_sheets_to_locked_and_never_submitted_ones_to_not_evaluated(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    draft(svc, "SNV")
    submit(svc, "SNV", at=dt.datetime(2019, 9, 17, tzinfo=UTC))
    draft(svc, "PT")  # a draft never sent
    result = _lock(svc, END)
    assert result["state"] == "locked"
    assert result["sheets"] == {"locked": 2, "not_evaluated": 31}
    assert [sheet_state(svc, u) for u in ("STTTT", "SNV", "PT", "VPUBND")] == ["locked", "locked", "not_evaluated", "not_evaluated"]
    events = [a.event for a in audit(svc)]
    assert events.count("SheetLocked") == 2 and events.count("SheetNotEvaluated") == 31
    assert events.index("CycleLocked") < events.index("SheetLocked")


def test_locking_twice_changes_nothing_the_second_time(svc):
    open_2019(svc)
    first = _lock(svc, END)
    n = len(audit(svc))
    second = _lock(svc, END + dt.timedelta(days=1))
    assert second["already_locked"] is True and second["sheets"] == first["sheets"]
    assert len(audit(svc)) == n


def test_an_extension_lets_one_unit_submit_after_the_others_are_locked_until_its_own_instant(svc):
    open_2019(svc)
    draft(svc, "PT")
    until = end_of_local_day(dt.date(2019, 9, 27))
    cycles.extend_deadline(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="PT", until=until,
                           reason="Sự cố hệ thống quản lý văn bản của UBND thành phố")
    _lock(svc, END)
    assert sheet_state(svc, "PT") == "draft"  # still open: its extension runs
    assert submit(svc, "PT", at=dt.datetime(2019, 9, 25, tzinfo=UTC))["outcome"] == "on_time"
    _lock(svc, until)
    assert sheet_state(svc, "PT") == "locked"
    extended = [a for a in audit(svc) if a.event == "DeadlineExtended"][0]
    assert (extended.actor_id, extended.role, extended.unit_code) == (SECRETARIAT, "secretariat", "PT")
    assert extended.reason.startswith("Sự cố")


def test_an_extended_unit_that_still_does_not_submit_is_not_evaluated_at_its_own_end(svc):
    open_2019(svc)
    until = end_of_local_day(dt.date(2019, 9, 27))
    cycles.extend_deadline(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="PQ", until=until, reason="Bão")
    _lock(svc, END)
    assert sheet_state(svc, "PQ") == "not_started"
    assert submit(svc, "PQ", at=until)["outcome"] == "refused"
    _lock(svc, until)
    assert sheet_state(svc, "PQ") == "not_evaluated"


@pytest.mark.parametrize("reason, until, message", [
    ("", end_of_local_day(dt.date(2019, 9, 27)), "lý do"),
    ("   ", end_of_local_day(dt.date(2019, 9, 27)), "lý do"),
    ("Bão", end_of_local_day(dt.date(2019, 9, 10)), "phải sau hạn gửi phiếu"),
])
def test_an_extension_needs_a_reason_and_more_time(svc, reason, until, message):
    open_2019(svc)
    with pytest.raises(InvalidRequest, match=message):
        cycles.extend_deadline(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="PT", until=until, reason=reason)


def test_a_sheet_already_sent_is_not_extended(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    with pytest.raises(InvalidRequest, match="chưa gửi"):
        cycles.extend_deadline(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="STTTT",
                               until=end_of_local_day(dt.date(2019, 9, 27)), reason="Bão")


def test_the_tick_moves_the_cycle_through_collecting_and_grace_to_locked_on_time(svc):
    open_2019(svc)
    states = []
    for at in (dt.datetime(2019, 8, 8, tzinfo=UTC), dt.datetime(2019, 9, 16, tzinfo=UTC), END):
        svc.clock.set(at)
        states.append(cycles.advance(svc, cycle_id=CYCLE)["state"])
    assert states == ["collecting", "grace", "locked"]
    clock_moves = [a for a in audit(svc) if a.event in ("CollectionStarted", "SubmissionsClosed", "CycleLocked")]
    assert {(a.actor_id, a.role) for a in clock_moves} == {("system:tick", "system")}
