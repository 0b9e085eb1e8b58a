"""Opening a cycle and receiving sheets: on time, late, refused — decided in the write's own
transaction from the instants stored on the cycle (decision record 0004; Decision 1867 Art. 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.instants import UTC
from domain.transitions import TransitionNotAllowed
from services import cycles
from services.errors import IdempotencyConflict, InvalidRequest
from services.testing import SECRETARIAT
from svc_scenario import CYCLE, DUE, END, NOTICE, REGIME, audit, draft, open_2019, sheet_state, submit


def test_opening_the_2019_cycle_enrols_the_four_groups_and_issues_the_notice(svc):
    result = open_2019(svc)
    assert result["cycle_id"] == CYCLE
    assert result["state"] == "open"
    assert result["groups"] == ["I", "II", "III", "IV"]
    assert result["units"] == 16 + 2 + 5 + 10  # departments, office & inspectorate, public service units, districts
    assert result["submission_due"] == DUE.isoformat()
    assert result["acceptance_end"] == END.isoformat()
    with svc.uow() as uow:
        cycle = uow.cycles.get(CYCLE)
        assert (cycle.regime_id, cycle.regime_version, cycle.year, cycle.owner) == (REGIME, 1, 2019, "province")
        assert set(cycle.rubric_versions) == {"I", "II", "III", "IV"}
        assert cycle.calendar_version
        lock = [m for m in uow.cycles.milestones(CYCLE, "I") if "lock" in m.roles.split(",")]
        assert [m.closes_at for m in lock] == [END]
        assert lock[0].closes_at.tzinfo is not None
        communes = [s for s in uow.sheets.list(CYCLE) if s.unit_code.startswith("PQ-")]
        assert communes == []  # communes belong to their district's cycle (Decision 265 Art. 6.2)
    assert [a.event for a in audit(svc)] == ["CycleOpened", "NoticeIssued"]


def test_a_district_opens_its_communes_cycle_and_the_province_may_not(svc):
    from domain.authorization import NotAuthorized

    with pytest.raises(NotAuthorized):
        cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2023-dti", year=2023, owner="PQ",
                          level="commune", facts={"notice": dt.date(2023, 9, 1)})
    result = cycles.open_cycle(svc, actor_id="vhtt.pq", regime_id="binhthuan-2023-dti", year=2023, owner="PQ",
                               level="commune", facts={"notice": dt.date(2023, 9, 1)})
    assert result["units"] == 3
    with svc.uow() as uow:
        assert sorted(s.unit_code for s in uow.sheets.list(result["cycle_id"])) == ["PQ-LONGHAI", "PQ-NGUPHUNG", "PQ-TAMTHANH"]


def test_a_repeated_key_returns_the_first_result_and_a_reused_key_with_other_parameters_is_refused(svc):
    first = open_2019(svc, key="open-2019")
    again = open_2019(svc, key="open-2019")
    assert {k: v for k, v in again.items() if k != "replayed"} == first and again["replayed"] is True
    with pytest.raises(IdempotencyConflict, match="open-2019"):
        cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id=REGIME, year=2019, cycle_id="other",
                          facts={"notice": NOTICE}, key="open-2019")
    assert [a.event for a in audit(svc)] == ["CycleOpened", "NoticeIssued"]  # nothing ran twice


def test_opening_a_cycle_that_exists_is_refused(svc):
    open_2019(svc)
    with pytest.raises(InvalidRequest, match="đã tồn tại"):
        open_2019(svc)


# Decision 1867 Art. 8: before 15/9 on time; 5 working days from 15/9 late (evaluated, flagged);
# later refused. Half-open instants: the due instant itself is late, the end instant refused.
@pytest.mark.parametrize("received, outcome, state", [
    (dt.datetime(2019, 9, 10, 3, 0, tzinfo=UTC), "on_time", "submitted"),
    (DUE - dt.timedelta(microseconds=1), "on_time", "submitted"),
    (DUE, "late", "submitted_late"),
    (dt.datetime(2019, 9, 18, 3, 0, tzinfo=UTC), "late", "submitted_late"),
    (END - dt.timedelta(microseconds=1), "late", "submitted_late"),
    (END, "refused", "draft"),
    (dt.datetime(2019, 10, 1, tzinfo=UTC), "refused", "draft"),
])
def test_a_sheet_is_on_time_late_or_refused_by_its_received_instant(svc, received, outcome, state):
    open_2019(svc)
    draft(svc, "STTTT")
    result = submit(svc, "STTTT", at=received)
    assert (result["outcome"], result["state"]) == (outcome, state)
    assert sheet_state(svc, "STTTT") == state
    with svc.uow() as uow:
        row = uow.sheets.get(CYCLE, "STTTT")
    if outcome == "refused":
        assert row.received_at is None
        assert audit(svc)[-1].event == "SheetRefused"
    else:
        assert row.received_at == received and row.late is (outcome == "late")


def test_a_late_submission_is_refused_even_when_no_lock_ever_ran(svc):
    open_2019(svc)
    draft(svc, "SNV")
    cycles.advance(svc, cycle_id=CYCLE)  # collecting; the lock job then never runs
    assert submit(svc, "SNV", at=END + dt.timedelta(hours=1))["outcome"] == "refused"
    with svc.uow() as uow:
        assert uow.cycles.get(CYCLE).state == "collecting"


def test_only_a_drafted_sheet_can_be_submitted(svc):
    open_2019(svc)
    with pytest.raises(TransitionNotAllowed, match="not_started"):
        submit(svc, "STP", at=dt.datetime(2019, 9, 1, tzinfo=UTC))


def test_a_submitted_sheet_cannot_be_submitted_again_or_redrafted(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    with pytest.raises(TransitionNotAllowed):
        submit(svc, "STTTT")
    with pytest.raises(TransitionNotAllowed):
        draft(svc, "STTTT")


def test_a_submission_enqueues_its_message_to_the_units_focal_person_and_head_in_the_same_transaction(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    before = len(svc.outbox.requests)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    new = svc.outbox.requests[before:]
    assert [r.kind for r in new] == ["SheetSubmitted"]
    assert {r.email for r in new[0].recipients} == {"daumoi.stttt@binhthuan.example", "lanhdao.stttt@binhthuan.example"}


def test_a_refused_command_leaves_no_row_no_audit_entry_and_no_message(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    events, messages = len(audit(svc)), len(svc.outbox.requests)
    with pytest.raises(TransitionNotAllowed):
        submit(svc, "STP", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    assert len(audit(svc)) == events and len(svc.outbox.requests) == messages


def test_a_draft_is_not_saved_after_the_acceptance_end(svc):
    open_2019(svc)
    svc.clock.set(END)
    with pytest.raises(InvalidRequest, match="không lưu bản nháp"):
        draft(svc, "STTTT")


def test_a_cycle_opened_before_its_notice_gets_its_deadlines_when_the_notice_is_issued(svc):
    # Decision 265 Art. 6: units enter their figures "within 15 days of the notice's issue date".
    opened = cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id="binhthuan-2023-dti", year=2023,
                               level="department", facts={})
    assert opened["state"] == "draft" and opened["submission_due"] is None
    noticed = cycles.issue_notice(svc, actor_id=SECRETARIAT, cycle_id=opened["cycle_id"], notice_date=dt.date(2023, 9, 1))
    assert noticed["state"] == "open" and noticed["submission_due"] is not None
    due = dt.datetime.fromisoformat(noticed["submission_due"])
    assert dt.datetime(2023, 9, 16, 17, 0, tzinfo=UTC) <= due <= dt.datetime(2023, 9, 20, 17, 0, tzinfo=UTC)
    with pytest.raises(TransitionNotAllowed):
        cycles.issue_notice(svc, actor_id=SECRETARIAT, cycle_id=opened["cycle_id"], notice_date=dt.date(2023, 9, 2))


def test_a_draft_records_its_evidence_files_metadata_once(svc):
    from services import sheets
    from services.sheets import EvidenceFile
    from services.testing import answers_for

    open_2019(svc)
    evidence = [EvidenceFile("1", "qd-12-qd-ubnd.pdf", 48213, "ab" * 32, "application/pdf")]
    for _ in range(2):  # saved twice: the same file is recorded once
        sheets.save_draft(svc, actor_id="daumoi.stttt", cycle_id=CYCLE, unit_code="STTTT",
                          answers=answers_for(svc, f"{REGIME}.I", "STTTT", "I"), evidence=evidence)
    with svc.uow() as uow:
        rows = uow.evidence.list(uow.sheets.get(CYCLE, "STTTT").id)
    assert [(r.criterion_id, r.file_name, r.size_bytes, r.sha256, r.media_type, r.added_by) for r in rows] == [
        ("1", "qd-12-qd-ubnd.pdf", 48213, "ab" * 32, "application/pdf", "daumoi.stttt")]


def test_a_cycle_for_a_year_its_regime_does_not_cover_is_refused_naming_the_regime_file_and_line(svc):
    # Hà Nội Decision 5279/QĐ-UBND (23/10/2025) replaced the 2024 index: its first year is 2025.
    with pytest.raises(InvalidRequest, match=r"hanoi-2025-dti\.yaml:\d+: chế độ hanoi-2025-dti áp dụng cho các năm "
                                             r"từ 2025; không mở được kỳ đánh giá năm 2024"):
        cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id="hanoi-2025-dti", year=2024, level="department",
                          facts={"notice": dt.date(2024, 10, 1)})
    with svc.uow() as uow:
        assert uow.cycles.get("hanoi-2025-dti-2024-department") is None
