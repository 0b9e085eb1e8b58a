"""Scoring, explanations, verification, approval (four eyes), publication and reopening with
versioned scores (Decision 1867 Art. 8–9; Decision 265 Art. 6)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.authorization import FourEyesViolation
from domain.instants import UTC
from domain.transitions import TransitionNotAllowed
from services import approval, cycles, verification
from services.errors import InvalidRequest
from services.testing import APPROVER, COUNCIL, SECRETARIAT
from svc_scenario import CYCLE, END, audit, draft, focal, open_2019, sheet_state, submit


def _scored(svc):
    open_2019(svc)
    draft(svc, "STTTT", points=80)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    draft(svc, "SNV", points=60)
    submit(svc, "SNV", at=dt.datetime(2019, 9, 17, tzinfo=UTC))
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    svc.clock.set(dt.datetime(2019, 9, 24, 2, tzinfo=UTC))
    return verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


def _verified(svc):
    _scored(svc)
    for unit in ("STTTT", "SNV"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code=unit, points={"1": 40})


def _becomes_approver(svc, person):
    """A council member's grant ends (an appended revocation) and they become the province's
    approver: one person never holds both at once, but may hold them one after the other."""
    with svc.uow() as uow:
        uow.people.revoke(person, "council_member", owner_scope="province", by="ops:test",
                          at=dt.datetime(2019, 10, 1, tzinfo=UTC), reason="chuyển nhiệm vụ")
        uow.people.grant(person, "approver", owner_scope="province")
        uow.commit()


def _scores(svc, kind):
    with svc.uow() as uow:
        return uow.scores.list(cycle_id=CYCLE, kind=kind)


def test_scoring_computes_every_received_sheet_with_its_pinned_rubric(svc):
    result = _scored(svc)
    assert result["state"] == "scored" and result["round"] == 1
    assert result["totals"] == {"SNV": 300.0, "STTTT": 400.0}  # five criteria of group I
    assert len(_scores(svc, "computed")) == 10 and len(_scores(svc, "self")) == 10


def test_a_rubric_changed_after_opening_does_not_rescore_the_cycle(svc):
    open_2019(svc)
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    draft_load = svc.load_rubric
    svc.load_rubric = lambda rid: dataclasses.replace(draft_load(rid), title="sửa đổi")
    with pytest.raises(InvalidRequest, match="đã thay đổi"):
        verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


def test_an_explanation_request_gets_the_regimes_working_day_deadline_and_the_unit_answers_it(svc):
    _scored(svc)
    svc.clock.set(dt.datetime(2019, 10, 1, 2, tzinfo=UTC))  # Tuesday 1/10/2019, 09:00 local
    req = verification.request_explanation(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="SNV",
                                           question="Đề nghị giải trình số liệu tiêu chí 1", criterion_id="1")
    # 5 working days (regime: explanation.answer_within_working_days) from 1/10: Tuesday 8/10, end of day.
    assert req["due"] == dt.datetime(2019, 10, 8, 17, 0, tzinfo=UTC).isoformat()
    assert sheet_state(svc, "SNV") == "explanation_requested"
    ans = verification.answer_explanation(svc, actor_id=focal("SNV"), cycle_id=CYCLE, unit_code="SNV",
                                          request_id=req["request_id"], answer="Bổ sung văn bản số 12/SNV")
    assert ans["late"] is False and sheet_state(svc, "SNV") == "explained"
    with pytest.raises(InvalidRequest, match="đã được trả lời"):
        verification.answer_explanation(svc, actor_id=focal("SNV"), cycle_id=CYCLE, unit_code="SNV",
                                        request_id=req["request_id"], answer="lần hai")


def test_verified_points_replace_the_computed_ones_only_where_the_council_rescored(svc):
    _scored(svc)
    result = verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={"1": 40})
    assert (result["computed_total"], result["verified_total"]) == (400.0, 360.0)
    rows = {s.criterion_id: (s.points, s.recorded_by) for s in _scores(svc, "verified")}
    assert rows == {"1": (40.0, COUNCIL), "2": (80.0, COUNCIL), "3": (80.0, COUNCIL), "4": (80.0, COUNCIL),
                    "5": (80.0, COUNCIL)}  # accepted points are recorded too, under the verifier's name


def test_verified_points_outside_the_criterion_or_its_range_are_refused(svc):
    _scored(svc)
    with pytest.raises(InvalidRequest, match="không có tiêu chí 'X9'"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={"X9": 1})
    with pytest.raises(InvalidRequest, match="phải là số từ 0"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={"1": -1})


def test_approval_needs_every_received_sheet_verified(svc):
    _scored(svc)
    verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={})
    with pytest.raises(InvalidRequest, match="SNV"):
        approval.approve_cycle(svc, actor_id=APPROVER, cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                               decision_date=dt.date(2019, 11, 20))


def test_approval_records_the_decision_and_publication_follows(svc):
    _verified(svc)
    result = approval.approve_cycle(svc, actor_id=APPROVER, cycle_id=CYCLE, decision_number="2912/QĐ-UBND",
                                    decision_date=dt.date(2019, 11, 20))
    assert result["state"] == "approved"
    published = approval.publish_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, location="Cổng thông tin điện tử tỉnh")
    assert published["state"] == "published"
    approved = [a for a in audit(svc) if a.event == "CycleApproved"][0]
    assert approved.details["decision_number"] == "2912/QĐ-UBND" and approved.role == "approver"


def test_the_person_who_verified_cannot_approve_four_eyes_in_the_service(svc):
    _scored(svc)
    for unit in ("STTTT", "SNV"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code=unit, points={})
    _becomes_approver(svc, COUNCIL)  # the verifier is made approver afterwards
    with pytest.raises(FourEyesViolation):
        approval.approve_cycle(svc, actor_id=COUNCIL, cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                               decision_date=dt.date(2019, 11, 20))
    with svc.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "verification"


def test_reopening_needs_a_reason_and_a_stage_it_may_go_back_to(svc):
    _verified(svc)
    with pytest.raises(TransitionNotAllowed, match="lý do"):
        cycles.reopen_stage(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, to_state="scored", reason=" ")
    with pytest.raises(TransitionNotAllowed, match="collecting"):
        cycles.reopen_stage(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, to_state="collecting", reason="Khiếu nại")


def test_reopening_keeps_the_earlier_scores_and_writes_new_ones_beside_them(svc):
    _verified(svc)
    approval.approve_cycle(svc, actor_id=APPROVER, cycle_id=CYCLE, decision_number="2912/QĐ-UBND",
                           decision_date=dt.date(2019, 11, 20))
    reopened = cycles.reopen_stage(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, to_state="verification",
                                   reason="Khiếu nại của Sở Nội vụ được chấp nhận")
    assert reopened["score_round"] == 2 and reopened["sheets_reopened"] == ["SNV", "STTTT"]
    assert sheet_state(svc, "SNV") == "locked"
    verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="SNV", points={"1": 55})
    verified = sorted((s.round, s.points) for s in _scores(svc, "verified")
                      if s.sheet_id == _sheet_id(svc, "SNV") and s.criterion_id == "1")
    assert verified == [(1, 40.0), (2, 55.0)]  # round 1 kept, never overwritten
    reason = [a for a in audit(svc) if a.event == "StageReopened"][0]
    assert (reason.from_state, reason.to_state, reason.reason) == ("approved", "verification",
                                                                  "Khiếu nại của Sở Nội vụ được chấp nhận")


def _sheet_id(svc, unit):
    with svc.uow() as uow:
        return uow.sheets.get(CYCLE, unit).id


def test_every_state_change_is_audited_with_who_role_when_from_and_to(svc):
    _verified(svc)
    changes = [a for a in audit(svc) if a.from_state != a.to_state and a.to_state]
    assert changes and all(a.actor_id and a.role and a.at.tzinfo is not None for a in changes)
    submitted = [a for a in changes if a.event == "SheetSubmitted" and a.unit_code == "SNV"][0]
    assert (submitted.actor_id, submitted.role, submitted.from_state, submitted.to_state) == (
        "lanhdao.snv", "unit_leader", "draft", "submitted_late")


def test_a_rubrics_pin_is_the_same_in_another_process_whatever_its_hash_seed():
    import subprocess
    import sys

    from rubrics.rubric_loader import list_rubrics, load_rubric
    from services.common import rubric_fingerprint

    code = ("from rubrics.rubric_loader import list_rubrics, load_rubric\n"
            "from services.common import rubric_fingerprint\n"
            "print(' '.join(rubric_fingerprint(load_rubric(r)) for r in list_rubrics()))")
    here = " ".join(rubric_fingerprint(load_rubric(r)) for r in list_rubrics())
    for seed in ("1", "12345"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
        assert out.stdout.strip() == here


def test_the_database_still_refuses_the_verifier_as_approver_if_the_service_check_were_missing(svc, monkeypatch):
    if svc.backend == "memory":
        pytest.skip("the in-memory fake does not emulate the database's triggers")
    from sqlalchemy.exc import DBAPIError

    _scored(svc)
    for unit in ("STTTT", "SNV"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code=unit, points={})
    _becomes_approver(svc, COUNCIL)
    monkeypatch.setattr(approval, "check_four_eyes", lambda approver, verifiers: None)
    with pytest.raises(DBAPIError, match="four eyes"):
        approval.approve_cycle(svc, actor_id=COUNCIL, cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                               decision_date=dt.date(2019, 11, 20))
    with svc.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "verification"  # the whole command rolled back
