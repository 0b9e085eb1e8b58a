"""On time, late or refused: the lock as a time predicate (decision record 0004), at its exact edges.

Decision 1867/QĐ-UBND Art. 8, 2019 figures: sheets before 15/9/2019 — the regime reads it as
"15/9 is the last day", so the due instant is the end of 15/9 local = 2019-09-15T17:00Z; a sheet
later than 5 working days counted from 15/9 (16, 17, 18, 19, 20/9) is not evaluated, so
acceptance ends at the end of 20/9 local = 2019-09-20T17:00Z.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.acceptance import (
    AcceptanceWindow,
    Receipt,
    SubmissionRefused,
    accept,
    classify_receipt,
    sheet_trigger_for,
)
from domain.instants import NaiveInstantError, end_of_local_day
from domain.sheet import SheetState, SheetTrigger, next_sheet_state

UTC = dt.timezone.utc
ICT = dt.timezone(dt.timedelta(hours=7))
US = dt.timedelta(microseconds=1)

DUE_2019 = dt.datetime(2019, 9, 15, 17, tzinfo=UTC)
END_2019 = dt.datetime(2019, 9, 20, 17, tzinfo=UTC)
WINDOW_2019 = AcceptanceWindow(DUE_2019, END_2019)


def test_the_2019_instants_are_the_ends_of_the_local_days():
    assert end_of_local_day(dt.date(2019, 9, 15)) == DUE_2019
    assert end_of_local_day(dt.date(2019, 9, 20)) == END_2019


@pytest.mark.parametrize(("received_at", "receipt"), [
    (dt.datetime(2019, 8, 7, 1, tzinfo=UTC), Receipt.ON_TIME),             # the day of letter 697
    (DUE_2019 - US, Receipt.ON_TIME),                                      # one microsecond before
    (dt.datetime(2019, 9, 15, 23, 59, 59, 999999, tzinfo=ICT), Receipt.ON_TIME),  # 23:59:59.999999 local
    (DUE_2019, Receipt.LATE),                                              # exactly at the due instant
    (dt.datetime(2019, 9, 16, 0, 0, tzinfo=ICT), Receipt.LATE),            # 00:00 local on 16/9
    (DUE_2019 + US, Receipt.LATE),
    (dt.datetime(2019, 9, 18, 9, 30, tzinfo=ICT), Receipt.LATE),           # inside the 5 working days
    (END_2019 - US, Receipt.LATE),
    (dt.datetime(2019, 9, 20, 23, 59, 59, 999999, tzinfo=ICT), Receipt.LATE),
    (END_2019, Receipt.REFUSED),                                           # exactly at the end
    (dt.datetime(2019, 9, 21, 0, 0, tzinfo=ICT), Receipt.REFUSED),
    (END_2019 + US, Receipt.REFUSED),
    (dt.datetime(2019, 11, 1, tzinfo=UTC), Receipt.REFUSED),
])
def test_decision_1867_receipts_at_the_edges(received_at, receipt):
    assert classify_receipt(received_at, WINDOW_2019) is receipt


# Extensions granted by the secretariat to one unit (audited): the due moves to the extension;
# the end moves too when the extension is later than it.
INSIDE_GRACE = dt.datetime(2019, 9, 18, 17, tzinfo=UTC)   # end of 18/9 local
BEYOND_GRACE = dt.datetime(2019, 9, 27, 17, tzinfo=UTC)   # end of 27/9 local


@pytest.mark.parametrize(("extended_until", "received_at", "receipt"), [
    (INSIDE_GRACE, DUE_2019, Receipt.ON_TIME),
    (INSIDE_GRACE, INSIDE_GRACE - US, Receipt.ON_TIME),
    (INSIDE_GRACE, INSIDE_GRACE, Receipt.LATE),
    (INSIDE_GRACE, END_2019 - US, Receipt.LATE),
    (INSIDE_GRACE, END_2019, Receipt.REFUSED),
    (BEYOND_GRACE, END_2019, Receipt.ON_TIME),
    (BEYOND_GRACE, BEYOND_GRACE - US, Receipt.ON_TIME),
    (BEYOND_GRACE, BEYOND_GRACE, Receipt.REFUSED),     # no grace after an extension past the end
    (END_2019, END_2019 - US, Receipt.ON_TIME),
    (END_2019, END_2019, Receipt.REFUSED),
    (DUE_2019 + US, DUE_2019, Receipt.ON_TIME),
])
def test_a_units_extension_moves_its_due_and_its_end_when_later(extended_until, received_at, receipt):
    window = AcceptanceWindow(DUE_2019, END_2019, extended_until)
    assert classify_receipt(received_at, window) is receipt


@pytest.mark.parametrize(("extended_until", "due", "end"), [
    (None, DUE_2019, END_2019),
    (INSIDE_GRACE, INSIDE_GRACE, END_2019),
    (BEYOND_GRACE, BEYOND_GRACE, BEYOND_GRACE),
])
def test_the_effective_due_and_end_of_a_window(extended_until, due, end):
    window = AcceptanceWindow(DUE_2019, END_2019, extended_until)
    assert (window.due, window.end) == (due, end)


def test_a_second_extension_replaces_the_first():
    window = WINDOW_2019.extended(INSIDE_GRACE).extended(BEYOND_GRACE)
    assert window == AcceptanceWindow(DUE_2019, END_2019, BEYOND_GRACE)


def test_a_regime_without_grace_has_no_late_receipts():
    window = AcceptanceWindow(DUE_2019, DUE_2019)
    assert classify_receipt(DUE_2019 - US, window) is Receipt.ON_TIME
    assert classify_receipt(DUE_2019, window) is Receipt.REFUSED


def test_the_receipt_never_goes_back_as_time_moves_forward():
    order = [Receipt.ON_TIME, Receipt.LATE, Receipt.REFUSED]
    for window in (WINDOW_2019, WINDOW_2019.extended(INSIDE_GRACE), WINDOW_2019.extended(BEYOND_GRACE)):
        start = dt.datetime(2019, 9, 1, tzinfo=UTC)
        seen = [classify_receipt(start + dt.timedelta(minutes=37 * i), window) for i in range(1500)]
        ranks = [order.index(r) for r in seen]
        assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2


# --- bad input ------------------------------------------------------------------------------

def test_a_naive_received_instant_is_refused():
    with pytest.raises(NaiveInstantError, match="received_at"):
        classify_receipt(dt.datetime(2019, 9, 15, 12), WINDOW_2019)


@pytest.mark.parametrize("field", ["submission_due", "acceptance_end", "extended_until"])
def test_a_window_with_a_naive_instant_is_refused(field):
    values = {"submission_due": DUE_2019, "acceptance_end": END_2019, "extended_until": INSIDE_GRACE}
    values[field] = values[field].replace(tzinfo=None)
    with pytest.raises(NaiveInstantError, match=field):
        AcceptanceWindow(**values)


def test_a_window_that_ends_before_it_is_due_is_refused():
    with pytest.raises(ValueError, match="a grace period cannot be negative"):
        AcceptanceWindow(END_2019, DUE_2019)


@pytest.mark.parametrize("until", [DUE_2019, DUE_2019 - dt.timedelta(days=1)])
def test_an_extension_that_gives_no_more_time_is_refused(until):
    with pytest.raises(ValueError, match="an extension must give more time"):
        AcceptanceWindow(DUE_2019, END_2019, until)


# --- from the receipt to the sheet machine --------------------------------------------------

@pytest.mark.parametrize(("receipt", "trigger", "state"), [
    (Receipt.ON_TIME, SheetTrigger.SUBMIT, SheetState.SUBMITTED),
    (Receipt.LATE, SheetTrigger.SUBMIT_LATE, SheetState.SUBMITTED_LATE),
    ("late", SheetTrigger.SUBMIT_LATE, SheetState.SUBMITTED_LATE),
])
def test_a_received_sheet_gets_its_trigger(receipt, trigger, state):
    assert sheet_trigger_for(receipt) is trigger
    assert next_sheet_state(SheetState.DRAFT, sheet_trigger_for(receipt)) is state


def test_a_refused_receipt_has_no_trigger_and_says_the_unit_is_not_ranked():
    with pytest.raises(SubmissionRefused, match="không được đánh giá, xếp hạng"):
        sheet_trigger_for(Receipt.REFUSED)


def test_a_sheet_received_after_the_grace_end_is_refused_naming_the_closing_time():
    with pytest.raises(SubmissionRefused) as caught:
        accept(dt.datetime(2019, 9, 21, 8, 15, tzinfo=ICT), WINDOW_2019)
    message = str(caught.value)
    assert "24:00 Thứ Sáu, 20/09/2019" in message
    assert "08:15:00 21/09/2019" in message
    assert caught.value.end == END_2019


@pytest.mark.parametrize(("received_at", "trigger"), [
    (DUE_2019 - US, SheetTrigger.SUBMIT),
    (DUE_2019, SheetTrigger.SUBMIT_LATE),
])
def test_accept_picks_the_sheet_trigger(received_at, trigger):
    assert accept(received_at, WINDOW_2019) is trigger
