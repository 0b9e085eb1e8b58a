"""What happened in a cycle: small frozen dataclasses, named in the past tense.

Each carries what an audit entry needs (who, role, when, what, from and to, reason) and what an
e-mail needs (the cycle, the unit, the instants to quote). ``actor is None`` means the system did
it (a time-driven move performed by the tick). The service writes the audit row and the outbox
message from the event in the same transaction as the change (decision records 0006 and 0007).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import Enum

from domain.authorization import Role
from domain.cycle import CycleTrigger
from domain.sheet import SheetTrigger
from domain.instants import require_aware


def _required(value: str | None, what: str, event: object) -> None:
    if value is None or not str(value).strip():
        raise ValueError(f"{type(event).__name__}: {what} is required")


@dataclass(frozen=True, kw_only=True)
class Event:
    cycle_id: str
    at: dt.datetime                  # when it happened (server time, aware UTC)
    actor: str | None = None         # person id; None = the system (the tick)
    role: Role | None = None         # the role the actor acted in
    from_state: str | None = None    # the machine's state before, for state changes
    to_state: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        _required(self.cycle_id, "cycle_id", self)
        require_aware(self.at, f"{type(self).__name__}.at")
        if (self.actor is None) != (self.role is None):
            raise ValueError(f"{type(self).__name__}: actor and role go together (both or neither)")
        if self.role is not None:
            object.__setattr__(self, "role", Role(self.role))

    @property
    def name(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, object]:
        """JSON-ready fields: instants and dates as ISO strings, enums as values, tuples as lists."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, kw_only=True)
class UnitEvent(Event):
    unit_code: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.unit_code, "unit_code", self)


class _ReasonRequired:
    """Mixin marker: the event is refused without a written reason."""

    def _check_reason(self) -> None:
        _required(self.reason, "reason", self)  # type: ignore[attr-defined]


# --- the cycle ----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class CycleOpened(Event):
    owner: str                 # province code, or a district's unit code for its communes
    year: int
    regime_id: str
    regime_version: str
    rubric_version: str
    level: str | None = None


@dataclass(frozen=True, kw_only=True)
class NoticeIssued(Event):
    notice_date: dt.date
    submission_due: dt.datetime
    acceptance_end: dt.datetime
    notice_ref: str | None = None  # e.g. "697/STTTT-CNTT" (2019)


@dataclass(frozen=True, kw_only=True)
class CollectionStarted(Event):
    submission_due: dt.datetime


@dataclass(frozen=True, kw_only=True)
class SubmissionsClosed(Event):
    """The submission deadline passed; late sheets are still received until `acceptance_end`."""

    acceptance_end: dt.datetime


@dataclass(frozen=True, kw_only=True)
class CycleLocked(Event):
    not_evaluated: tuple[str, ...] = ()  # units marked not evaluated by this lock
    # When the lock was due (the acceptance end): a tick that resumes after downtime locks at
    # `at`, later; the audit must still show the instant the law set (Decision 1867 Art. 8).
    acceptance_end: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class SheetsScored(Event):
    unit_codes: tuple[str, ...]
    rubric_version: str
    preliminary: bool = True


@dataclass(frozen=True, kw_only=True)
class VerificationStarted(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class ApprovalRequested(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class CycleApproved(Event):
    decision_number: str   # e.g. "3012/QĐ-UBND"
    decision_date: dt.date

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.decision_number, "decision_number", self)


@dataclass(frozen=True, kw_only=True)
class ResultsPublished(Event):
    location: str | None = None  # where: the provincial portal, the district's site
    # The audit chain's head before this event ({"seq": n, "hash": sha256 hex}): published with
    # the results so that a later rewrite or cut of the log shows (docs/security.md).
    audit_head: dict | None = None


@dataclass(frozen=True, kw_only=True)
class CycleCancelled(Event, _ReasonRequired):
    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_reason()


@dataclass(frozen=True, kw_only=True)
class StageReopened(Event, _ReasonRequired):
    """`from_state` → `to_state` of the cycle; earlier scores are kept, never overwritten."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_reason()
        _required(self.from_state, "from_state", self)
        _required(self.to_state, "to_state", self)


# --- one unit's sheet ---------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DraftSaved(UnitEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class SheetSubmitted(UnitEvent):
    received_at: dt.datetime
    late: bool

    def __post_init__(self) -> None:
        super().__post_init__()
        require_aware(self.received_at, "SheetSubmitted.received_at")


@dataclass(frozen=True, kw_only=True)
class SheetRefused(UnitEvent):
    """A sheet arrived after the unit's acceptance end and was not received (nothing changed)."""

    received_at: dt.datetime
    acceptance_end: dt.datetime


@dataclass(frozen=True, kw_only=True)
class DeadlineExtended(UnitEvent, _ReasonRequired):
    previous_due: dt.datetime
    extended_until: dt.datetime

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_reason()
        # Whether the new instant is acceptable is `AcceptanceWindow`'s rule (after the cycle's
        # due); the event only records it — a correction may shorten an earlier extension.
        require_aware(self.previous_due, "DeadlineExtended.previous_due")
        require_aware(self.extended_until, "DeadlineExtended.extended_until")


@dataclass(frozen=True, kw_only=True)
class SheetLocked(UnitEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class SheetNotEvaluated(UnitEvent):
    """Nothing was received by the end of grace (Decision 1867 Art. 8: not evaluated, not ranked)."""

    acceptance_end: dt.datetime


@dataclass(frozen=True, kw_only=True)
class ExplanationRequested(UnitEvent):
    request_id: str
    criterion_ids: tuple[str, ...]
    question: str
    due: dt.datetime  # its own working-day deadline from the regime file

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.question, "question", self)
        require_aware(self.due, "ExplanationRequested.due")


@dataclass(frozen=True, kw_only=True)
class ExplanationGiven(UnitEvent):
    request_id: str
    answer: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.answer, "answer", self)


@dataclass(frozen=True, kw_only=True)
class VerificationRecorded(UnitEvent):
    """The council's verified points for some criteria (the actor is the verifier: four-eyes)."""

    criterion_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SheetReopened(UnitEvent, _ReasonRequired):
    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_reason()


@dataclass(frozen=True, kw_only=True)
class CollectionReopened(UnitEvent, _ReasonRequired):
    """A unit marked not evaluated by a move the secretariat corrects gets a new deadline of its
    own; its sheet is not started again (services.collection)."""

    extended_until: dt.datetime

    def __post_init__(self) -> None:
        super().__post_init__()
        self._check_reason()
        require_aware(self.extended_until, "CollectionReopened.extended_until")


@dataclass(frozen=True, kw_only=True)
class DeadlinesRecomputed(Event):
    """The working-day calendar changed (a swap announced late): pending deadlines were
    recomputed on the new calendar (decision record 0002). Each change reads
    'group/milestone: old -> new'; `kept` lists pending ones left as they were, and why."""

    old_calendar: str
    new_calendar: str
    changes: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TickFailed(Event):
    """The heartbeat could not do what was due for this cycle (the others went on). `error`
    says why, in the words a secretariat can act on; recorded once per distinct error a day."""

    error: str


ALL_EVENTS: tuple[type[Event], ...] = (
    CycleOpened, NoticeIssued, CollectionStarted, SubmissionsClosed, CycleLocked, SheetsScored,
    VerificationStarted, ApprovalRequested, CycleApproved, ResultsPublished, CycleCancelled,
    StageReopened, DraftSaved, SheetSubmitted, SheetRefused, DeadlineExtended, SheetLocked,
    SheetNotEvaluated, ExplanationRequested, ExplanationGiven, VerificationRecorded, SheetReopened,
    DeadlinesRecomputed, CollectionReopened, TickFailed,
)

# The event a service records for each move of each machine (a total map: a test checks it).
CYCLE_EVENT_FOR: dict[CycleTrigger, type[Event]] = {
    CycleTrigger.ISSUE_NOTICE: NoticeIssued,
    CycleTrigger.START_COLLECTING: CollectionStarted,
    CycleTrigger.CLOSE_SUBMISSIONS: SubmissionsClosed,
    CycleTrigger.LOCK: CycleLocked,
    CycleTrigger.SCORE: SheetsScored,
    CycleTrigger.START_VERIFICATION: VerificationStarted,
    CycleTrigger.SUBMIT_FOR_APPROVAL: ApprovalRequested,
    CycleTrigger.APPROVE: CycleApproved,
    CycleTrigger.PUBLISH: ResultsPublished,
    CycleTrigger.CANCEL: CycleCancelled,
    CycleTrigger.REOPEN: StageReopened,
}

SHEET_EVENT_FOR: dict[SheetTrigger, type[UnitEvent]] = {
    SheetTrigger.SAVE_DRAFT: DraftSaved,
    SheetTrigger.SUBMIT: SheetSubmitted,
    SheetTrigger.SUBMIT_LATE: SheetSubmitted,  # late=True
    SheetTrigger.LOCK: SheetLocked,
    SheetTrigger.MARK_NOT_EVALUATED: SheetNotEvaluated,
    SheetTrigger.REQUEST_EXPLANATION: ExplanationRequested,
    SheetTrigger.EXPLAIN: ExplanationGiven,
    SheetTrigger.VERIFY: VerificationRecorded,
    SheetTrigger.REOPEN: SheetReopened,
    SheetTrigger.REOPEN_COLLECTION: CollectionReopened,
}
