"""The evaluation cycle's state machine: ONE transition table, plus who drives each move.

draft → open (notice issued) → collecting → grace → locked → scored (preliminary) →
verification → approval → approved → published; cancelled from any stage before approval; a
later stage may be reopened to an earlier one with a reason (earlier scores are kept by the
store, never overwritten).

Legal basis of the stages: Decision 1867/QĐ-UBND (Bình Thuận 2019) Art. 8 — notice in August,
sheets before 15/9, a sheet later than 5 working days after 15/9 is not evaluated, summary to
the council before 30/9, field verification before 10/11, approval before 25/11; Decision
265/QĐ-UBND (Bình Thuận 2023) Art. 6 — 15 days from the notice, explanations requested during
verification, the chairman's decision before 15/12, results published on the portal.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from domain.transitions import TransitionTable


class CycleState(StrEnum):
    DRAFT = "draft"                # created, timeline computed, nothing sent yet
    OPEN = "open"                  # the notice letter has been issued
    COLLECTING = "collecting"      # units enter and submit their sheets (on time)
    GRACE = "grace"                # submission deadline passed; late sheets still received
    LOCKED = "locked"              # acceptance ended: no sheet is received any more
    SCORED = "scored"              # preliminary scores computed
    VERIFICATION = "verification"  # secretariat / council verify, ask for explanations
    APPROVAL = "approval"          # submitted to the approver (People's Committee chairman)
    APPROVED = "approved"          # the decision is signed (number and date recorded)
    PUBLISHED = "published"        # results published on the portal
    CANCELLED = "cancelled"


class CycleTrigger(StrEnum):
    ISSUE_NOTICE = "issue_notice"
    START_COLLECTING = "start_collecting"
    CLOSE_SUBMISSIONS = "close_submissions"  # the submission deadline passed: grace begins
    LOCK = "lock"
    SCORE = "score"
    START_VERIFICATION = "start_verification"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    PUBLISH = "publish"
    CANCEL = "cancel"
    REOPEN = "reopen"


S, T = CycleState, CycleTrigger

_FORWARD = {
    (S.DRAFT, T.ISSUE_NOTICE): S.OPEN,
    (S.OPEN, T.START_COLLECTING): S.COLLECTING,
    (S.COLLECTING, T.CLOSE_SUBMISSIONS): S.GRACE,
    (S.GRACE, T.LOCK): S.LOCKED,
    # A regime without a grace period (Decision 265 Art. 6: "within 15 days", nothing after)
    # locks straight from collecting; so does a tick that wakes up after both instants.
    (S.COLLECTING, T.LOCK): S.LOCKED,
    (S.LOCKED, T.SCORE): S.SCORED,
    (S.SCORED, T.START_VERIFICATION): S.VERIFICATION,
    (S.VERIFICATION, T.SUBMIT_FOR_APPROVAL): S.APPROVAL,
    (S.APPROVAL, T.APPROVE): S.APPROVED,
    (S.APPROVED, T.PUBLISH): S.PUBLISHED,
}

# Cancelling is possible until the decision is signed; a signed decision is only ever
# superseded by a new one (reopen), not erased.
_CANCELLABLE = (S.DRAFT, S.OPEN, S.COLLECTING, S.GRACE, S.LOCKED, S.SCORED, S.VERIFICATION, S.APPROVAL)

# REOPEN: the table gives the stage just before; `reopen_to` may name that stage or any stage
# reachable from it by further reopens (published → verification → scored → locked).
# Nothing reopens collection: acceptance is a time predicate on stored deadlines (decision
# record 0004); a unit that deserves more time gets a per-unit extension, not a reopened cycle.
_REOPEN = {
    S.SCORED: S.LOCKED,            # re-run the preliminary scoring
    S.VERIFICATION: S.SCORED,
    S.APPROVAL: S.VERIFICATION,    # the approver sends it back
    S.APPROVED: S.VERIFICATION,    # a correction needs a new decision
    S.PUBLISHED: S.VERIFICATION,   # a complaint upheld after publication
}

CYCLE_TRANSITIONS: Mapping[tuple[CycleState, CycleTrigger], CycleState] = {
    **_FORWARD,
    **{(s, T.CANCEL): S.CANCELLED for s in _CANCELLABLE},
    **{(s, T.REOPEN): target for s, target in _REOPEN.items()},
}

# Triggers that are refused without a written reason (audited).
REASON_REQUIRED: frozenset[CycleTrigger] = frozenset({T.REOPEN, T.CANCEL})

CYCLE_STATE_LABELS_VI: Mapping[CycleState, str] = {
    S.DRAFT: "Khởi tạo",
    S.OPEN: "Đã gửi thông báo",
    S.COLLECTING: "Đang nhận phiếu",
    S.GRACE: "Quá hạn, đang nhận phiếu trễ",
    S.LOCKED: "Đã khóa",
    S.SCORED: "Đã chấm điểm sơ bộ",
    S.VERIFICATION: "Đang thẩm định",
    S.APPROVAL: "Đang trình phê duyệt",
    S.APPROVED: "Đã phê duyệt",
    S.PUBLISHED: "Đã công bố",
    S.CANCELLED: "Đã hủy",
}

TABLE: TransitionTable[CycleState, CycleTrigger] = TransitionTable(
    machine="cycle",
    label="kỳ đánh giá",
    state_type=CycleState,
    trigger_type=CycleTrigger,
    moves=CYCLE_TRANSITIONS,
    state_notes={
        S.CANCELLED: "kỳ đánh giá đã hủy",
        S.PUBLISHED: "kết quả đã công bố; chỉ có thể mở lại một giai đoạn (có lý do)",
        S.APPROVED: "quyết định đã ký; chỉ có thể công bố hoặc mở lại (có lý do)",
        S.LOCKED: "kỳ đánh giá đã khóa, không nhận thêm phiếu",
    },
    move_notes={
        (S.APPROVED, T.CANCEL): "quyết định phê duyệt đã ký, không thể hủy; mở lại giai đoạn để ban hành quyết định thay thế",
        (S.PUBLISHED, T.CANCEL): "kết quả đã công bố, không thể hủy; mở lại giai đoạn để ban hành quyết định thay thế",
        (S.LOCKED, T.REOPEN): "không mở lại việc nhận phiếu: gia hạn cho từng đơn vị thay vì mở lại",
        (S.GRACE, T.REOPEN): "không mở lại việc nhận phiếu: gia hạn cho từng đơn vị thay vì mở lại",
    },
)


def reopen_targets(state: CycleState | str) -> tuple[CycleState, ...]:
    """The stages `state` may be reopened to, nearest first (derived from the table)."""
    found: list[CycleState] = []
    current = CycleState(state)
    while (current, T.REOPEN) in CYCLE_TRANSITIONS:
        current = CYCLE_TRANSITIONS[(current, T.REOPEN)]
        found.append(current)
    return tuple(found)


def next_cycle_state(
    state: CycleState | str,
    trigger: CycleTrigger | str,
    *,
    reopen_to: CycleState | str | None = None,
    reason: str | None = None,
) -> CycleState:
    """The state after `trigger`, or `TransitionNotAllowed` saying why not.

    REOPEN needs `reopen_to` (one of `reopen_targets(state)`) and a reason; CANCEL needs a
    reason; `reopen_to` with any other trigger is refused rather than ignored.
    """
    s, t = TABLE.coerce(state, trigger)
    target = TABLE.next(s, t)
    if t in REASON_REQUIRED and not (reason and reason.strip()):
        raise TABLE.refuse(s, t, "cần ghi rõ lý do")
    if t is T.REOPEN:
        if reopen_to is None:
            raise TABLE.refuse(s, t, f"cần chọn giai đoạn mở lại; có thể mở lại về: {', '.join(reopen_targets(s))}")
        allowed = reopen_targets(s)
        try:
            wanted = CycleState(reopen_to)
        except ValueError:
            wanted = None
        if wanted not in allowed:
            raise TABLE.refuse(s, t, f"không thể mở lại về '{reopen_to}'; có thể mở lại về: {', '.join(allowed)}")
        return wanted
    if reopen_to is not None:
        raise TABLE.refuse(s, t, f"chỉ thao tác 'reopen' nhận giai đoạn mở lại (đã cho '{reopen_to}')")
    return target


# --- who drives each move: the clock (the tick) or a person -------------------------------

Driver = Literal["time", "person"]
DRIVERS: tuple[str, ...] = ("time", "person")

# Used when the regime file is silent. Time: the instants are computed from the regime
# (Decision 1867 Art. 8 deadlines; Decision 265 Art. 6 "within 15 days") and scoring is
# automatic (Decision 265 Art. 6(1) "tự động tính toán điểm số"). Person: sending the
# notice, handing the summary to the council, submitting for approval, signing, publishing.
DEFAULT_DRIVERS: Mapping[CycleTrigger, Driver] = {
    T.ISSUE_NOTICE: "person",
    T.START_COLLECTING: "time",
    T.CLOSE_SUBMISSIONS: "time",
    T.LOCK: "time",
    T.SCORE: "time",
    T.START_VERIFICATION: "person",
    T.SUBMIT_FOR_APPROVAL: "person",
    T.APPROVE: "person",
    T.PUBLISH: "person",
    T.CANCEL: "person",
    T.REOPEN: "person",
}

# A decision, a cancellation or a reopening is never taken by a clock.
ALWAYS_PERSON: frozenset[CycleTrigger] = frozenset({T.APPROVE, T.CANCEL, T.REOPEN})


def check_stage_drivers(stage_drivers: Mapping[str, str]) -> None:
    """Refuse a regime's `stage_drivers` mapping that names an unknown move, an unknown driver,
    or lets the clock approve / cancel / reopen. The message names the key (the regime loader
    adds the file and line)."""
    for key, value in stage_drivers.items():
        try:
            trigger = CycleTrigger(key)
        except ValueError:
            raise ValueError(
                f"stage_drivers: '{key}' không phải thao tác của kỳ đánh giá; hợp lệ: {', '.join(CycleTrigger)}"
            ) from None
        if value not in DRIVERS:
            raise ValueError(f"stage_drivers.{key}: '{value}' phải là 'time' hoặc 'person'")
        if value == "time" and trigger in ALWAYS_PERSON:
            raise ValueError(f"stage_drivers.{key}: thao tác '{key}' phải do một người thực hiện, không theo thời gian")


def driver_of(trigger: CycleTrigger | str, stage_drivers: Mapping[str, str]) -> Driver:
    """'time' if the tick performs `trigger` when its instant comes, 'person' if someone must
    run the command. The regime's mapping wins; `DEFAULT_DRIVERS` fills the gaps."""
    check_stage_drivers(stage_drivers)
    try:
        t = CycleTrigger(trigger)
    except ValueError:
        raise ValueError(f"'{trigger}' không phải thao tác của kỳ đánh giá; hợp lệ: {', '.join(CycleTrigger)}") from None
    return stage_drivers.get(t.value, DEFAULT_DRIVERS[t])  # type: ignore[return-value]
