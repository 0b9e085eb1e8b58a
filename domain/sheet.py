"""One unit's score sheet in one cycle: its state machine, as ONE transition table.

not started → draft → submitted (the unit's leader confirms and sends, on time) or submitted
late (inside the grace period) → locked; never submitted by the end of grace → not evaluated;
during verification: explanation requested → explained → verified.

Legal basis: Decision 265/QĐ-UBND Art. 6(1)(b)(c) — a focal person enters the data, the
unit's leader confirms it and sends it; Art. 6(1)(d) — the secretariat asks for explanations
where figures look wrong. Decision 1867/QĐ-UBND Art. 8 — a sheet later than 5 working days
after 15/9, or never sent, is not evaluated and not ranked.

The sheet machine does not look at the clock or the cycle: whether a write is on time, late or
refused is `domain.acceptance` (a time predicate), and the service picks SUBMIT or SUBMIT_LATE
from it. A unit with a per-unit extension may still submit after the cycle itself locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domain.transitions import TransitionTable


class SheetState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    LOCKED = "locked"
    NOT_EVALUATED = "not_evaluated"
    EXPLANATION_REQUESTED = "explanation_requested"
    EXPLAINED = "explained"
    VERIFIED = "verified"


class SheetTrigger(StrEnum):
    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"                  # the leader confirms and sends, before the due instant
    SUBMIT_LATE = "submit_late"        # the same, inside the grace period (flagged late)
    LOCK = "lock"
    MARK_NOT_EVALUATED = "mark_not_evaluated"  # nothing sent by the end of grace
    REQUEST_EXPLANATION = "request_explanation"
    EXPLAIN = "explain"
    VERIFY = "verify"
    REOPEN = "reopen"
    # The secretariat's correction of a wrong lock: a unit marked not evaluated gets a new
    # deadline of its own (services.collection), with a reason.
    REOPEN_COLLECTION = "reopen_collection"


S, T = SheetState, SheetTrigger

SHEET_TRANSITIONS: Mapping[tuple[SheetState, SheetTrigger], SheetState] = {
    (S.NOT_STARTED, T.SAVE_DRAFT): S.DRAFT,
    (S.DRAFT, T.SAVE_DRAFT): S.DRAFT,
    # A sheet is sent once: what the leader confirmed is what was received (a signed
    # document, Decision 1867 Art. 8). Corrections come through explanations.
    (S.DRAFT, T.SUBMIT): S.SUBMITTED,
    (S.DRAFT, T.SUBMIT_LATE): S.SUBMITTED_LATE,
    (S.SUBMITTED, T.LOCK): S.LOCKED,
    (S.SUBMITTED_LATE, T.LOCK): S.LOCKED,
    (S.NOT_STARTED, T.MARK_NOT_EVALUATED): S.NOT_EVALUATED,
    (S.DRAFT, T.MARK_NOT_EVALUATED): S.NOT_EVALUATED,
    (S.LOCKED, T.REQUEST_EXPLANATION): S.EXPLANATION_REQUESTED,
    (S.EXPLAINED, T.REQUEST_EXPLANATION): S.EXPLANATION_REQUESTED,  # another round
    (S.EXPLANATION_REQUESTED, T.EXPLAIN): S.EXPLAINED,
    (S.LOCKED, T.VERIFY): S.VERIFIED,
    (S.EXPLAINED, T.VERIFY): S.VERIFIED,
    # The explanation's deadline passed unanswered: the council verifies with what it has.
    (S.EXPLANATION_REQUESTED, T.VERIFY): S.VERIFIED,
    # Reopening the verification stage sends a sheet back to "locked, awaiting verification"
    # (its earlier verified points are kept). A not-evaluated sheet is reopened only when the
    # secretariat finds it was in fact received in time (e.g. through the document system or
    # the official mailbox, Decision 1867 Art. 8) — with a reason, audited.
    (S.EXPLANATION_REQUESTED, T.REOPEN): S.LOCKED,
    (S.EXPLAINED, T.REOPEN): S.LOCKED,
    (S.VERIFIED, T.REOPEN): S.LOCKED,
    (S.NOT_EVALUATED, T.REOPEN): S.LOCKED,
    (S.NOT_EVALUATED, T.REOPEN_COLLECTION): S.NOT_STARTED,
}

REASON_REQUIRED: frozenset[SheetTrigger] = frozenset({T.REOPEN, T.REOPEN_COLLECTION})

SHEET_STATE_LABELS_VI: Mapping[SheetState, str] = {
    S.NOT_STARTED: "Chưa nhập",
    S.DRAFT: "Đang nhập (bản nháp)",
    S.SUBMITTED: "Đã gửi đúng hạn",
    S.SUBMITTED_LATE: "Đã gửi trễ hạn",
    S.LOCKED: "Đã khóa",
    S.NOT_EVALUATED: "Không được đánh giá",
    S.EXPLANATION_REQUESTED: "Được yêu cầu giải trình",
    S.EXPLAINED: "Đã giải trình",
    S.VERIFIED: "Đã thẩm định",
}

_NOT_SENT = "phiếu chưa được gửi: hết hạn nhận phiếu thì đánh dấu 'mark_not_evaluated'"
_NO_DRAFT = "phiếu chưa có số liệu: lưu bản nháp ('save_draft') trước khi gửi"
_SENT = "phiếu đã được lãnh đạo xác nhận và gửi, không sửa hay gửi lại được"

TABLE: TransitionTable[SheetState, SheetTrigger] = TransitionTable(
    machine="sheet",
    label="phiếu đánh giá",
    state_type=SheetState,
    trigger_type=SheetTrigger,
    moves=SHEET_TRANSITIONS,
    state_notes={
        S.SUBMITTED: _SENT,
        S.SUBMITTED_LATE: _SENT,
        S.LOCKED: "phiếu đã khóa",
        S.NOT_EVALUATED: "đơn vị không gửi phiếu trong thời hạn nên không được đánh giá, xếp hạng",
        S.EXPLANATION_REQUESTED: "phiếu đang chờ đơn vị giải trình",
        S.EXPLAINED: "phiếu đã khóa, đang thẩm định",
        S.VERIFIED: "phiếu đã thẩm định xong",
    },
    move_notes={
        (S.NOT_STARTED, T.SUBMIT): _NO_DRAFT,
        (S.NOT_STARTED, T.SUBMIT_LATE): _NO_DRAFT,
        (S.NOT_STARTED, T.LOCK): _NOT_SENT,
        (S.DRAFT, T.LOCK): _NOT_SENT,
        (S.SUBMITTED, T.MARK_NOT_EVALUATED): "phiếu đã gửi đúng hạn, không thể đánh dấu không được đánh giá",
        (S.SUBMITTED_LATE, T.MARK_NOT_EVALUATED): "phiếu đã gửi trong thời gian cho phép nộp trễ, không thể đánh dấu không được đánh giá",
        (S.SUBMITTED, T.REQUEST_EXPLANATION): "chỉ yêu cầu giải trình sau khi phiếu đã khóa",
        (S.SUBMITTED_LATE, T.REQUEST_EXPLANATION): "chỉ yêu cầu giải trình sau khi phiếu đã khóa",
        (S.LOCKED, T.EXPLAIN): "chưa có yêu cầu giải trình",
        (S.EXPLAINED, T.EXPLAIN): "đã giải trình; chờ yêu cầu giải trình mới",
        (S.VERIFIED, T.EXPLAIN): "phiếu đã thẩm định xong",
    },
)


def next_sheet_state(state: SheetState | str, trigger: SheetTrigger | str, *, reason: str | None = None) -> SheetState:
    """The state after `trigger`, or `TransitionNotAllowed` saying why not (REOPEN needs a reason)."""
    s, t = TABLE.coerce(state, trigger)
    target = TABLE.next(s, t)
    if t in REASON_REQUIRED and not (reason and reason.strip()):
        raise TABLE.refuse(s, t, "cần ghi rõ lý do")
    return target


def is_received(state: SheetState | str) -> bool:
    """Whether the sheet was received (on time or in grace) — the ones that are evaluated."""
    return SheetState(state) not in (S.NOT_STARTED, S.DRAFT, S.NOT_EVALUATED)
