"""A changed calendar moves pending deadlines only (decision record 0002)."""

from __future__ import annotations

import datetime as dt

from domain.instants import end_of_local_day
from domain.recompute import Dated, recompute_pending

D = dt.date
UTC = dt.timezone.utc


def deadline(mid, day, group="I"):
    return Dated(group, mid, day, end_of_local_day(day))


OLD = [deadline("submission_due", D(2026, 9, 15)), deadline("grace_end", D(2026, 9, 22)),
       Dated("I", "notice", D(2026, 8, 7), None)]
NEW = [deadline("submission_due", D(2026, 9, 15)), deadline("grace_end", D(2026, 9, 23)),
       Dated("I", "notice", D(2026, 8, 7), None)]


def test_a_pending_deadline_takes_its_new_instant_and_the_change_is_described():
    plan = recompute_pending(OLD, NEW, dt.datetime(2026, 9, 10, tzinfo=UTC))
    assert plan.take_new == {("I", "grace_end")}
    assert plan.changes == ("I/grace_end: 24:00 Thứ Ba, 22/09/2026 -> 24:00 Thứ Tư, 23/09/2026",)
    assert plan.kept == ()


def test_a_deadline_that_has_passed_is_history_and_never_rewritten():
    plan = recompute_pending(OLD, NEW, end_of_local_day(D(2026, 9, 22)))
    assert plan.take_new == frozenset() and plan.changes == ()


def test_a_pending_deadline_is_never_moved_into_the_past():
    earlier = [deadline("submission_due", D(2026, 9, 15)), deadline("grace_end", D(2026, 9, 18))]
    plan = recompute_pending(OLD, earlier, dt.datetime(2026, 9, 20, tzinfo=UTC))
    assert plan.take_new == frozenset()
    assert plan.kept == ("I/grace_end: giữ 24:00 Thứ Ba, 22/09/2026 (lịch mới đưa về 24:00 Thứ Sáu, 18/09/2026, đã qua)",)


def test_an_undated_milestone_that_becomes_dated_is_taken():
    old = [Dated("I", "approval_due", None, None)]
    new = [deadline("approval_due", D(2026, 11, 25))]
    assert recompute_pending(old, new, dt.datetime(2026, 9, 1, tzinfo=UTC)).take_new == {("I", "approval_due")}
