"""Whether a sheet written now is received on time, late, or refused — a time predicate.

decision record 0004: "the lock is a time predicate, not a job". The service calls
`classify_receipt` inside the write's own transaction with the server's time and the deadline
instants stored on the cycle (and the unit's extension), so a late or missed lock job can never
let a late write in.

Decision 1867/QĐ-UBND Art. 8 (Bình Thuận 2019): sheets are sent *before 15 September*; a sheet
sent later than *5 working days counted from 15 September*, or never sent, is not evaluated and
not ranked. So a sheet inside those 5 working days is received, flagged late, and evaluated;
after them it is refused. Both instants are computed by the timeline from the regime file and
are half-open: on time means ``received_at < submission_due`` (decision record 0001).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Conflict
from domain.instants import as_local, format_closing_vi, require_aware
from domain.sheet import SheetTrigger


class Receipt(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"          # inside the grace period: received, flagged, evaluated
    REFUSED = "refused"    # after the acceptance end: not received, not evaluated


@dataclass(frozen=True, slots=True)
class AcceptanceWindow:
    """One unit's window in one cycle. ``submission_due`` and ``acceptance_end`` are the
    cycle's instants; ``extended_until`` is a per-unit extension granted by the secretariat
    (audited), which moves that unit's due to it, and its end too when it is later."""

    submission_due: dt.datetime
    acceptance_end: dt.datetime
    extended_until: dt.datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.submission_due, "submission_due")
        require_aware(self.acceptance_end, "acceptance_end")
        if self.acceptance_end < self.submission_due:
            raise ValueError(
                f"acceptance_end {self.acceptance_end.isoformat()} is before submission_due "
                f"{self.submission_due.isoformat()}: a grace period cannot be negative"
            )
        if self.extended_until is not None:
            require_aware(self.extended_until, "extended_until")
            if self.extended_until <= self.submission_due:
                raise ValueError(
                    f"extended_until {self.extended_until.isoformat()} is not after submission_due "
                    f"{self.submission_due.isoformat()}: an extension must give more time"
                )

    @property
    def due(self) -> dt.datetime:
        """This unit's effective due instant (on time strictly before it)."""
        return self.extended_until if self.extended_until is not None else self.submission_due

    @property
    def end(self) -> dt.datetime:
        """This unit's effective acceptance end (received strictly before it)."""
        if self.extended_until is not None and self.extended_until > self.acceptance_end:
            return self.extended_until
        return self.acceptance_end

    def extended(self, until: dt.datetime) -> "AcceptanceWindow":
        """The window after an extension to `until` (a second extension replaces the first)."""
        return AcceptanceWindow(self.submission_due, self.acceptance_end, until)


def classify_receipt(received_at: dt.datetime, window: AcceptanceWindow) -> Receipt:
    """ON_TIME if ``received_at < due``, LATE if ``< end`` (grace), REFUSED otherwise.
    Raises `NaiveInstantError` for a naive `received_at`: the domain never guesses a zone."""
    require_aware(received_at, "received_at")
    if received_at < window.due:
        return Receipt.ON_TIME
    if received_at < window.end:
        return Receipt.LATE
    return Receipt.REFUSED


class SubmissionRefused(Conflict):
    """A sheet arrived after the unit's acceptance end: it is not received (Decision 1867 Art. 8:
    not evaluated, not ranked). Carries the instants so the CLI and the e-mail can show them."""

    def __init__(self, received_at: dt.datetime | None = None, end: dt.datetime | None = None) -> None:
        self.received_at = received_at
        self.end = end
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.end is None:
            return "phiếu đánh giá không được tiếp nhận: đã hết thời hạn nhận phiếu; đơn vị không được đánh giá, xếp hạng"
        return (
            f"phiếu đánh giá không được tiếp nhận: thời hạn nhận phiếu đã kết thúc lúc {format_closing_vi(self.end)}"
            f"{_received(self.received_at)}; đơn vị không được đánh giá, xếp hạng"
        )

    def __reduce__(self):
        return (SubmissionRefused, (self.received_at, self.end))


def _received(received_at: dt.datetime | None) -> str:
    if received_at is None:
        return ""
    return f" (phiếu nhận lúc {as_local(received_at):%H:%M:%S %d/%m/%Y})"


_TRIGGER_FOR = {Receipt.ON_TIME: SheetTrigger.SUBMIT, Receipt.LATE: SheetTrigger.SUBMIT_LATE}


def sheet_trigger_for(receipt: Receipt | str) -> SheetTrigger:
    """SUBMIT for on time, SUBMIT_LATE for late; a refused receipt raises `SubmissionRefused`."""
    r = Receipt(receipt)
    if r is Receipt.REFUSED:
        raise SubmissionRefused()
    return _TRIGGER_FOR[r]


def accept(received_at: dt.datetime, window: AcceptanceWindow) -> SheetTrigger:
    """Classify and pick the sheet trigger in one call; a refusal names the closing instant."""
    receipt = classify_receipt(received_at, window)
    if receipt is Receipt.REFUSED:
        raise SubmissionRefused(received_at, window.end)
    return _TRIGGER_FOR[receipt]
