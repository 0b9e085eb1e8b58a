"""The cycle's state machine: every allowed move, every refused move, reopen and cancel rules."""

from __future__ import annotations

import pickle

import pytest

from domain.cycle import (
    CYCLE_TRANSITIONS,
    CycleState as S,
    CycleTrigger as T,
    next_cycle_state,
    reopen_targets,
)
from domain.transitions import TransitionNotAllowed

# The machine as Decision 1867 Art. 8 / Decision 265 Art. 6 describe it, written
# out by hand so that a change to the table has to be a change to this list too.
ALLOWED = [
    (S.DRAFT, T.ISSUE_NOTICE, S.OPEN),
    (S.OPEN, T.START_COLLECTING, S.COLLECTING),
    (S.COLLECTING, T.CLOSE_SUBMISSIONS, S.GRACE),
    (S.GRACE, T.LOCK, S.LOCKED),
    (S.COLLECTING, T.LOCK, S.LOCKED),
    (S.LOCKED, T.SCORE, S.SCORED),
    (S.SCORED, T.START_VERIFICATION, S.VERIFICATION),
    (S.VERIFICATION, T.SUBMIT_FOR_APPROVAL, S.APPROVAL),
    (S.APPROVAL, T.APPROVE, S.APPROVED),
    (S.APPROVED, T.PUBLISH, S.PUBLISHED),
    (S.DRAFT, T.CANCEL, S.CANCELLED),
    (S.OPEN, T.CANCEL, S.CANCELLED),
    (S.COLLECTING, T.CANCEL, S.CANCELLED),
    (S.GRACE, T.CANCEL, S.CANCELLED),
    (S.LOCKED, T.CANCEL, S.CANCELLED),
    (S.SCORED, T.CANCEL, S.CANCELLED),
    (S.VERIFICATION, T.CANCEL, S.CANCELLED),
    (S.APPROVAL, T.CANCEL, S.CANCELLED),
    (S.SCORED, T.REOPEN, S.LOCKED),
    (S.VERIFICATION, T.REOPEN, S.SCORED),
    (S.APPROVAL, T.REOPEN, S.VERIFICATION),
    (S.APPROVED, T.REOPEN, S.VERIFICATION),
    (S.PUBLISHED, T.REOPEN, S.VERIFICATION),
]

REFUSED = [(s, t) for s in S for t in T if (s, t) not in CYCLE_TRANSITIONS]


def _kwargs(trigger: T, target: S) -> dict:
    if trigger is T.REOPEN:
        return {"reopen_to": target, "reason": "Hội đồng phát hiện sai số liệu"}
    if trigger is T.CANCEL:
        return {"reason": "UBND tỉnh dừng đánh giá năm nay"}
    return {}


def test_the_table_is_exactly_the_documented_machine():
    assert dict(CYCLE_TRANSITIONS) == {(s, t): target for s, t, target in ALLOWED}


@pytest.mark.parametrize(("state", "trigger", "target"), ALLOWED, ids=lambda v: str(v))
def test_an_allowed_move_reaches_its_target(state, trigger, target):
    assert next_cycle_state(state, trigger, **_kwargs(trigger, target)) is target


@pytest.mark.parametrize(("state", "trigger", "target"), ALLOWED, ids=lambda v: str(v))
def test_an_allowed_move_accepts_the_stored_string_values(state, trigger, target):
    kwargs = _kwargs(trigger, target)
    if "reopen_to" in kwargs:
        kwargs["reopen_to"] = str(target)
    assert next_cycle_state(state.value, trigger.value, **kwargs) is target


def test_every_refused_pair_is_generated():
    assert len(REFUSED) == len(S) * len(T) - len(ALLOWED)
    assert REFUSED, "a machine that allows everything would be no machine"


@pytest.mark.parametrize(("state", "trigger"), REFUSED, ids=lambda v: str(v))
def test_a_move_not_in_the_table_is_refused_naming_machine_state_and_trigger(state, trigger):
    with pytest.raises(TransitionNotAllowed) as caught:
        next_cycle_state(state, trigger, reason="một lý do", reopen_to=S.VERIFICATION if trigger is T.REOPEN else None)
    error = caught.value
    assert (error.machine, error.state, error.trigger) == ("cycle", state.value, trigger.value)
    message = str(error)
    assert "kỳ đánh giá (cycle)" in message
    assert f"'{trigger.value}'" in message and f"'{state.value}'" in message
    assert error.reason and error.reason in message


@pytest.mark.parametrize(("state", "trigger"), REFUSED, ids=lambda v: str(v))
def test_a_refusal_says_from_which_states_the_move_is_allowed(state, trigger):
    with pytest.raises(TransitionNotAllowed) as caught:
        next_cycle_state(state, trigger, reason="x", reopen_to=S.VERIFICATION if trigger is T.REOPEN else None)
    sources = [s.value for s in S if (s, trigger) in CYCLE_TRANSITIONS]
    assert f"chỉ hợp lệ từ: {', '.join(sources)}" in caught.value.reason


def test_the_happy_path_walks_from_draft_to_published():
    state = S.DRAFT
    for trigger in (T.ISSUE_NOTICE, T.START_COLLECTING, T.CLOSE_SUBMISSIONS, T.LOCK, T.SCORE,
                    T.START_VERIFICATION, T.SUBMIT_FOR_APPROVAL, T.APPROVE, T.PUBLISH):
        state = next_cycle_state(state, trigger)
    assert state is S.PUBLISHED


def test_every_state_is_reachable_from_draft():
    seen, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        current = frontier.pop()
        for (source, _), target in CYCLE_TRANSITIONS.items():
            if source is current and target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S)


def test_a_cancelled_cycle_accepts_no_move_and_says_it_is_cancelled():
    assert not [pair for pair in CYCLE_TRANSITIONS if pair[0] is S.CANCELLED]
    with pytest.raises(TransitionNotAllowed, match="kỳ đánh giá đã hủy"):
        next_cycle_state(S.CANCELLED, T.ISSUE_NOTICE)


def test_a_locked_cycle_refuses_more_submissions_closing_saying_it_is_locked():
    with pytest.raises(TransitionNotAllowed, match="kỳ đánh giá đã khóa"):
        next_cycle_state(S.LOCKED, T.CLOSE_SUBMISSIONS)


# --- reopen ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "targets"), [
    (S.SCORED, (S.LOCKED,)),
    (S.VERIFICATION, (S.SCORED, S.LOCKED)),
    (S.APPROVAL, (S.VERIFICATION, S.SCORED, S.LOCKED)),
    (S.APPROVED, (S.VERIFICATION, S.SCORED, S.LOCKED)),
    (S.PUBLISHED, (S.VERIFICATION, S.SCORED, S.LOCKED)),
    (S.LOCKED, ()),
    (S.COLLECTING, ()),
    (S.CANCELLED, ()),
])
def test_a_stage_reopens_to_the_stages_its_reopen_chain_reaches(state, targets):
    assert reopen_targets(state) == targets


@pytest.mark.parametrize("state", [s for s in S if reopen_targets(s)])
def test_a_stage_can_be_reopened_to_each_of_its_earlier_stages(state):
    for target in reopen_targets(state):
        assert next_cycle_state(state, T.REOPEN, reopen_to=target, reason="khiếu nại được chấp nhận") is target


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reopening_without_a_reason_is_refused(reason):
    with pytest.raises(TransitionNotAllowed, match="cần ghi rõ lý do"):
        next_cycle_state(S.VERIFICATION, T.REOPEN, reopen_to=S.SCORED, reason=reason)


def test_reopening_without_a_target_stage_is_refused_listing_the_possible_ones():
    with pytest.raises(TransitionNotAllowed, match="có thể mở lại về: verification, scored, locked"):
        next_cycle_state(S.PUBLISHED, T.REOPEN, reason="khiếu nại")


@pytest.mark.parametrize("target", [S.COLLECTING, S.GRACE, S.DRAFT, S.PUBLISHED, S.APPROVAL, "nowhere"])
def test_reopening_to_a_stage_outside_the_chain_is_refused(target):
    with pytest.raises(TransitionNotAllowed, match=f"không thể mở lại về '{target}'"):
        next_cycle_state(S.PUBLISHED, T.REOPEN, reopen_to=target, reason="khiếu nại")


def test_collection_is_never_reopened_and_the_refusal_points_to_an_extension():
    with pytest.raises(TransitionNotAllowed, match="gia hạn cho từng đơn vị"):
        next_cycle_state(S.LOCKED, T.REOPEN, reopen_to=S.COLLECTING, reason="mất điện")


def test_a_reopen_target_given_with_another_move_is_refused_not_ignored():
    with pytest.raises(TransitionNotAllowed, match="chỉ thao tác 'reopen'"):
        next_cycle_state(S.APPROVAL, T.APPROVE, reopen_to=S.VERIFICATION)


def test_an_illegal_reopen_is_reported_as_illegal_before_a_missing_reason():
    with pytest.raises(TransitionNotAllowed) as caught:
        next_cycle_state(S.DRAFT, T.REOPEN)
    assert "chỉ hợp lệ từ" in caught.value.reason


# --- cancel ---------------------------------------------------------------------------------

def test_cancelling_without_a_reason_is_refused():
    with pytest.raises(TransitionNotAllowed, match="cần ghi rõ lý do"):
        next_cycle_state(S.COLLECTING, T.CANCEL)


@pytest.mark.parametrize("state", [S.APPROVED, S.PUBLISHED])
def test_a_signed_decision_cannot_be_cancelled_only_superseded(state):
    with pytest.raises(TransitionNotAllowed, match="quyết định thay thế"):
        next_cycle_state(state, T.CANCEL, reason="nhầm")


# --- bad input ------------------------------------------------------------------------------

def test_an_unknown_state_is_refused_by_name():
    with pytest.raises(TransitionNotAllowed, match="trạng thái không xác định") as caught:
        next_cycle_state("frozen", T.LOCK)
    assert caught.value.state == "frozen"


def test_an_unknown_trigger_is_refused_by_name():
    with pytest.raises(TransitionNotAllowed, match="thao tác không xác định") as caught:
        next_cycle_state(S.GRACE, "freeze")
    assert caught.value.trigger == "freeze"


def test_the_refusal_survives_pickling_with_its_attributes():
    with pytest.raises(TransitionNotAllowed) as caught:
        next_cycle_state(S.PUBLISHED, T.LOCK)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.machine, copy.state, copy.trigger, copy.reason, str(copy)) == (
        "cycle", "published", "lock", caught.value.reason, str(caught.value))
