"""One unit's sheet: every allowed move, every refused move, and the reasons given."""

from __future__ import annotations

import pytest

from domain.sheet import (
    SHEET_STATE_LABELS_VI,
    SHEET_TRANSITIONS,
    SheetState as S,
    SheetTrigger as T,
    is_received,
    next_sheet_state,
)
from domain.transitions import TransitionNotAllowed

# Decision 265 Art. 6(1)(b)–(d), Decision 1867 Art. 8, written out by hand.
ALLOWED = [
    (S.NOT_STARTED, T.SAVE_DRAFT, S.DRAFT),
    (S.DRAFT, T.SAVE_DRAFT, S.DRAFT),
    (S.DRAFT, T.SUBMIT, S.SUBMITTED),
    (S.DRAFT, T.SUBMIT_LATE, S.SUBMITTED_LATE),
    (S.SUBMITTED, T.LOCK, S.LOCKED),
    (S.SUBMITTED_LATE, T.LOCK, S.LOCKED),
    (S.NOT_STARTED, T.MARK_NOT_EVALUATED, S.NOT_EVALUATED),
    (S.DRAFT, T.MARK_NOT_EVALUATED, S.NOT_EVALUATED),
    (S.LOCKED, T.REQUEST_EXPLANATION, S.EXPLANATION_REQUESTED),
    (S.EXPLAINED, T.REQUEST_EXPLANATION, S.EXPLANATION_REQUESTED),
    (S.EXPLANATION_REQUESTED, T.EXPLAIN, S.EXPLAINED),
    (S.LOCKED, T.VERIFY, S.VERIFIED),
    (S.EXPLAINED, T.VERIFY, S.VERIFIED),
    (S.EXPLANATION_REQUESTED, T.VERIFY, S.VERIFIED),
    (S.EXPLANATION_REQUESTED, T.REOPEN, S.LOCKED),
    (S.EXPLAINED, T.REOPEN, S.LOCKED),
    (S.VERIFIED, T.REOPEN, S.LOCKED),
    (S.NOT_EVALUATED, T.REOPEN, S.LOCKED),
    # The secretariat corrects a wrong lock: a new deadline of the unit's own (services.collection).
    (S.NOT_EVALUATED, T.REOPEN_COLLECTION, S.NOT_STARTED),
]

REFUSED = [(s, t) for s in S for t in T if (s, t) not in SHEET_TRANSITIONS]


def _reason(trigger: T) -> str | None:
    return "Sở TT&TT xác nhận đã nhận phiếu qua hệ thống QLVB đúng hạn" if trigger in (T.REOPEN, T.REOPEN_COLLECTION) else None


def test_the_table_is_exactly_the_documented_machine():
    assert dict(SHEET_TRANSITIONS) == {(s, t): target for s, t, target in ALLOWED}


@pytest.mark.parametrize(("state", "trigger", "target"), ALLOWED, ids=lambda v: str(v))
def test_an_allowed_move_reaches_its_target(state, trigger, target):
    assert next_sheet_state(state, trigger, reason=_reason(trigger)) is target
    assert next_sheet_state(state.value, trigger.value, reason=_reason(trigger)) is target


def test_every_refused_pair_is_generated():
    assert len(REFUSED) == len(S) * len(T) - len(ALLOWED) > 0


@pytest.mark.parametrize(("state", "trigger"), REFUSED, ids=lambda v: str(v))
def test_a_move_not_in_the_table_is_refused_naming_machine_state_and_trigger(state, trigger):
    with pytest.raises(TransitionNotAllowed) as caught:
        next_sheet_state(state, trigger, reason="một lý do")
    error = caught.value
    assert (error.machine, error.state, error.trigger) == ("sheet", state.value, trigger.value)
    message = str(error)
    assert message.startswith(f"phiếu đánh giá (sheet): không thể '{trigger.value}' từ trạng thái '{state.value}': ")
    assert error.reason and message.endswith(error.reason)


def test_a_locked_sheet_cannot_be_submitted_and_says_it_is_locked():
    with pytest.raises(TransitionNotAllowed) as caught:
        next_sheet_state(S.LOCKED, T.SUBMIT)
    assert str(caught.value) == (
        "phiếu đánh giá (sheet): không thể 'submit' từ trạng thái 'locked': phiếu đã khóa; 'submit' chỉ hợp lệ từ: draft"
    )


@pytest.mark.parametrize("trigger", [T.SUBMIT, T.SUBMIT_LATE])
def test_a_sheet_with_nothing_entered_cannot_be_submitted(trigger):
    with pytest.raises(TransitionNotAllowed, match="lưu bản nháp"):
        next_sheet_state(S.NOT_STARTED, trigger)


@pytest.mark.parametrize("state", [S.NOT_STARTED, S.DRAFT])
def test_a_sheet_never_sent_is_not_locked_but_marked_not_evaluated(state):
    with pytest.raises(TransitionNotAllowed, match="mark_not_evaluated"):
        next_sheet_state(state, T.LOCK)
    assert next_sheet_state(state, T.MARK_NOT_EVALUATED) is S.NOT_EVALUATED


@pytest.mark.parametrize("state", [S.SUBMITTED, S.SUBMITTED_LATE])
@pytest.mark.parametrize("trigger", [T.SAVE_DRAFT, T.SUBMIT, T.SUBMIT_LATE])
def test_a_sent_sheet_is_final_for_the_unit(state, trigger):
    with pytest.raises(TransitionNotAllowed, match="đã được lãnh đạo xác nhận và gửi"):
        next_sheet_state(state, trigger)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.SUBMITTED_LATE])
def test_a_received_sheet_cannot_be_marked_not_evaluated(state):
    with pytest.raises(TransitionNotAllowed, match="không thể đánh dấu không được đánh giá"):
        next_sheet_state(state, T.MARK_NOT_EVALUATED)


def test_an_unevaluated_unit_is_told_why_it_cannot_submit():
    with pytest.raises(TransitionNotAllowed, match="không được đánh giá, xếp hạng"):
        next_sheet_state(S.NOT_EVALUATED, T.SUBMIT_LATE)


def test_an_explanation_cannot_be_given_before_it_is_asked():
    with pytest.raises(TransitionNotAllowed, match="chưa có yêu cầu giải trình"):
        next_sheet_state(S.LOCKED, T.EXPLAIN)


def test_explanations_can_go_several_rounds_before_verification():
    state = S.LOCKED
    for trigger in (T.REQUEST_EXPLANATION, T.EXPLAIN, T.REQUEST_EXPLANATION, T.EXPLAIN, T.VERIFY):
        state = next_sheet_state(state, trigger)
    assert state is S.VERIFIED


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_reopening_a_sheet_without_a_reason_is_refused(reason):
    with pytest.raises(TransitionNotAllowed, match="cần ghi rõ lý do"):
        next_sheet_state(S.VERIFIED, T.REOPEN, reason=reason)


@pytest.mark.parametrize(("state", "received"), [
    (S.NOT_STARTED, False), (S.DRAFT, False), (S.NOT_EVALUATED, False),
    (S.SUBMITTED, True), (S.SUBMITTED_LATE, True), (S.LOCKED, True),
    (S.EXPLANATION_REQUESTED, True), (S.EXPLAINED, True), (S.VERIFIED, True),
])
def test_only_received_sheets_count_as_received(state, received):
    assert is_received(state) is received


def test_every_sheet_state_has_a_vietnamese_label():
    assert set(SHEET_STATE_LABELS_VI) == set(S)


def test_an_unknown_sheet_state_is_refused_by_name():
    with pytest.raises(TransitionNotAllowed, match="'archived'"):
        next_sheet_state("archived", T.LOCK)
