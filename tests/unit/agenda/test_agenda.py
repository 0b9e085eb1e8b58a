"""The tick's agenda: the time-driven moves due at an instant, once each, whenever the tick runs."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.agenda import CycleInstants, due_moves, next_wake
from domain.cycle import CycleState as S
from domain.cycle import CycleTrigger as T

UTC = dt.timezone.utc
# Decision 1867 / letter 697, 2019: due end of 15/9, grace end end of 20/9 (local).
DUE = dt.datetime(2019, 9, 15, 17, tzinfo=UTC)
END = dt.datetime(2019, 9, 20, 17, tzinfo=UTC)
WITH_GRACE = CycleInstants(DUE, END)
NO_GRACE = CycleInstants(DUE, DUE)  # Decision 265: acceptance ends with the 15-day window
TIME = {}  # the default drivers: lock and score on time
EPS = dt.timedelta(microseconds=1)


def triggers(state, instants, now, drivers=TIME):
    return [m.trigger for m in due_moves(state, instants, drivers, now)]


@pytest.mark.parametrize(
    "state, now, expected",
    [
        (S.DRAFT, END, []),  # nothing happens before a person issues the notice
        (S.OPEN, DUE - dt.timedelta(days=30), [T.START_COLLECTING]),
        (S.COLLECTING, DUE - EPS, []),
        (S.COLLECTING, DUE, [T.CLOSE_SUBMISSIONS]),  # half-open: at the instant itself
        (S.GRACE, END - EPS, []),
        (S.GRACE, END, [T.LOCK, T.SCORE]),
        # a tick that slept through both instants catches up in order, each move once
        (S.COLLECTING, END + dt.timedelta(days=3), [T.CLOSE_SUBMISSIONS, T.LOCK, T.SCORE]),
        (S.OPEN, END + dt.timedelta(days=3), [T.START_COLLECTING, T.CLOSE_SUBMISSIONS, T.LOCK, T.SCORE]),
        (S.LOCKED, END, [T.SCORE]),
        (S.SCORED, END + dt.timedelta(days=60), []),  # verification is started by a person
        (S.PUBLISHED, END, []),
        (S.CANCELLED, END, []),
    ],
)
def test_the_moves_due_with_a_grace_period(state, now, expected):
    assert triggers(state, WITH_GRACE, now) == expected


def test_without_a_grace_period_the_cycle_locks_at_the_due_instant():
    assert triggers(S.COLLECTING, NO_GRACE, DUE - EPS) == []
    assert triggers(S.COLLECTING, NO_GRACE, DUE) == [T.LOCK, T.SCORE]


def test_a_move_the_regime_gives_to_a_person_is_never_made_by_the_clock():
    assert triggers(S.GRACE, WITH_GRACE, END, {"score": "person"}) == [T.LOCK]
    assert triggers(S.GRACE, WITH_GRACE, END, {"lock": "person"}) == []


def test_an_extension_past_the_grace_end_keeps_the_cycle_open_for_that_unit():
    extended = CycleInstants(DUE, END + dt.timedelta(days=2))
    assert triggers(S.GRACE, extended, END) == []
    assert triggers(S.GRACE, extended, END + dt.timedelta(days=2)) == [T.LOCK, T.SCORE]


def test_each_move_records_the_instant_it_was_due():
    moves = due_moves(S.COLLECTING, WITH_GRACE, TIME, END + dt.timedelta(days=3))
    assert [(m.from_state, m.to_state, m.due_at) for m in moves] == [
        (S.COLLECTING, S.GRACE, DUE), (S.GRACE, S.LOCKED, END), (S.LOCKED, S.SCORED, None)]


def test_the_next_wake_is_the_next_stored_instant():
    assert next_wake(S.COLLECTING, WITH_GRACE) == DUE
    assert next_wake(S.GRACE, WITH_GRACE) == END
    assert next_wake(S.SCORED, WITH_GRACE) is None


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        due_moves(S.GRACE, WITH_GRACE, TIME, dt.datetime(2019, 9, 21))
