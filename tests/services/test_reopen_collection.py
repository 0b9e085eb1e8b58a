"""A secretariat that made a wrong move corrects it with an audited, reasoned command: collection
reopened for named units with a new deadline, checked against the calendar and the cycle's
milestones (Decision 1867/QĐ-UBND Art. 8: a sheet counts against the deadline the unit was given)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.authorization import NotAuthorized
from domain.instants import UTC, end_of_local_day
from services import cycles, verification
from services.audit_verify import verify_cycle_audit
from services.collection import reopen_collection
from services.errors import InvalidRequest
from services.testing import SECRETARIAT
from svc_scenario import CYCLE, END, audit, draft, leader, open_2019, sheet_state, submit

MONDAY_23_9 = dt.datetime(2019, 9, 23, 2, tzinfo=UTC)  # 09:00 local, after the lock of 20/9


def _locked(svc):
    open_2019(svc)
    draft(svc, "STTTT", points=80)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 10, 2, tzinfo=UTC))
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    svc.clock.set(MONDAY_23_9)


def _reopen(svc, units=("SNV",), until=dt.date(2019, 9, 25), reason="Văn bản gửi qua hệ thống QLVB bị thất lạc",
            actor=SECRETARIAT):
    return reopen_collection(svc, actor_id=actor, cycle_id=CYCLE, unit_codes=list(units), until=until, reason=reason)


def test_named_units_marked_not_evaluated_get_a_new_deadline_and_may_then_submit(svc):
    _locked(svc)
    assert sheet_state(svc, "SNV") == "not_evaluated"
    result = _reopen(svc, units=["SNV", "STP"])
    assert result["units"] == ["SNV", "STP"] and result["until"] == end_of_local_day(dt.date(2019, 9, 25)).isoformat()
    assert (sheet_state(svc, "SNV"), sheet_state(svc, "STP")) == ("not_started", "not_started")
    assert sheet_state(svc, "DPTTH") == "not_evaluated"  # only the units named
    draft(svc, "SNV", points=60)
    sent = submit(svc, "SNV", at=dt.datetime(2019, 9, 25, 9, tzinfo=UTC))
    assert sent["outcome"] != "refused" and sheet_state(svc, "SNV") in ("submitted", "submitted_late")
    reopened = [a for a in audit(svc) if a.event == "CollectionReopened"]
    assert {(a.unit_code, a.actor_id, a.role, a.from_state, a.to_state) for a in reopened} == {
        ("SNV", SECRETARIAT, "secretariat", "not_evaluated", "not_started"),
        ("STP", SECRETARIAT, "secretariat", "not_evaluated", "not_started")}
    assert all(a.reason == "Văn bản gửi qua hệ thống QLVB bị thất lạc" for a in reopened)
    assert verify_cycle_audit(svc, cycle_id=CYCLE)["intact"]


def test_after_the_new_deadline_the_lock_catches_the_reopened_units(svc):
    _locked(svc)
    _reopen(svc)
    svc.clock.set(end_of_local_day(dt.date(2019, 9, 25)))
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    assert sheet_state(svc, "SNV") == "not_evaluated"


def test_a_scored_cycle_goes_back_to_locked_with_a_new_score_round(svc):
    _locked(svc)
    verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    result = _reopen(svc)
    assert (result["from_state"], result["state"], result["score_round"]) == ("scored", "locked", 2)
    back = [a for a in audit(svc) if a.event == "StageReopened"]
    assert back and back[-1].reason and (back[-1].from_state, back[-1].to_state) == ("scored", "locked")


@pytest.mark.parametrize("change, refusal", [
    ({"reason": "  "}, "lý do"),
    ({"until": dt.date(2019, 9, 28)}, "không phải ngày làm việc"),      # a Saturday
    ({"until": dt.date(2019, 9, 20)}, "đã qua"),
    ({"until": dt.date(2019, 9, 30)}, "phải trước ngày 30/09/2019"),   # the preliminary report's day
    ({"units": ["STTTT"]}, r"đã nhận phiếu của: STTTT \(locked\)"),   # it was received
    ({"units": []}, "ít nhất một đơn vị"),
])
def test_a_reopening_that_breaks_a_rule_is_refused_and_changes_nothing(svc, change, refusal):
    _locked(svc)
    before = len(audit(svc))
    with pytest.raises(InvalidRequest, match=refusal):
        _reopen(svc, **change)
    assert sheet_state(svc, "SNV") == "not_evaluated" and len(audit(svc)) == before


def test_only_the_cycle_owners_secretariat_may_reopen_collection(svc):
    _locked(svc)
    with pytest.raises(NotAuthorized):
        _reopen(svc, actor=leader("SNV"))


def test_collection_is_not_reopened_on_a_cycle_still_collecting(svc):
    open_2019(svc)
    with pytest.raises(InvalidRequest, match="chỉ mở lại việc nhận phiếu khi kỳ"):
        _reopen(svc)
