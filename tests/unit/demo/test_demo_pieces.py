"""The demo's scenario and clock loop, without Prefect (the whole year runs in tests/e2e)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter

import pytest

from domain.clock import FixedClock
from domain.instants import local_date
from dtiflow.demo.agenda import Agenda
from dtiflow.demo.scenario import LATE, NEVER, ON_TIME, REFUSED, demo_year

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def year():
    return demo_year()


def test_the_same_seed_gives_the_same_year_and_another_seed_another(year):
    assert demo_year() == year
    assert demo_year(7) != year


@pytest.mark.parametrize("cycle_id, units, behaviours", [
    ("binhthuan-2019-it-2019", 33, {ON_TIME: 26, LATE: 4, NEVER: 2, REFUSED: 1}),
    ("binhthuan-2023-dti-2023-PT-commune", 6, {ON_TIME: 5, REFUSED: 1}),  # Decision 265: no grace period
    ("binhthuan-2023-dti-2023", 28, {ON_TIME: 26, NEVER: 1, REFUSED: 1}),  # with the PPC Office and Inspectorate (QĐ 265 Điều 2)
])
def test_each_cycle_has_units_on_time_late_and_never(year, cycle_id, units, behaviours):
    plan = next(p for p in year if p.cycle_id == cycle_id)
    assert len(plan.units) == units
    assert Counter(u.behaviour for u in plan.units) == behaviours


def test_sheets_are_sent_on_time_inside_grace_or_after_the_end_as_planned(year):
    for plan in year:
        for u in plan.units:
            if u.behaviour == ON_TIME:
                assert plan.notice_at < u.submit_at < plan.due
            elif u.behaviour == LATE:
                assert plan.due <= u.submit_at < plan.acceptance_end
            elif u.behaviour == REFUSED:
                assert u.submit_at >= plan.acceptance_end
            else:
                assert u.submit_at is None


def test_the_2019_heartbeat_wakes_on_the_reminder_days_of_letter_697_and_after_the_lock(year):
    plan = year[0]
    days = [local_date(w) for w in plan.wakeups if w < plan.acceptance_end + dt.timedelta(hours=1)]
    d = dt.date
    assert days == [d(2019, 9, 5), d(2019, 9, 11), d(2019, 9, 13),  # 7, 3, 1 working days before Sunday 15/9
                    d(2019, 9, 16), d(2019, 9, 17), d(2019, 9, 18), d(2019, 9, 19), d(2019, 9, 20),  # grace
                    d(2019, 9, 21)]  # just after 24:00 on 20/9: the lock


def test_the_council_changes_some_totals_and_one_unit_is_asked_to_explain(year):
    for plan in year:
        assert plan.adjustments and len(plan.explanations) == 1
        assert plan.explanations[0].unit == plan.adjustments[0].unit
        assert plan.approver != plan.council  # four eyes


def test_the_agenda_jumps_the_clock_in_time_order_and_runs_one_tick_per_instant():
    clock = FixedClock(dt.datetime(2019, 8, 1, tzinfo=UTC))
    seen: list[tuple[str, dt.datetime]] = []
    agenda = Agenda()
    t1, t2 = dt.datetime(2019, 9, 5, 1, tzinfo=UTC), dt.datetime(2019, 9, 20, 17, tzinfo=UTC)
    agenda.add(t2, "late", lambda: seen.append(("late", clock.now())))
    agenda.tick(t1, lambda: seen.append(("tick", clock.now())))
    agenda.tick(t1, lambda: seen.append(("tick again", clock.now())))
    agenda.add(t1, "after the tick", lambda: seen.append(("after", clock.now())))
    assert agenda.run(clock) == 3
    assert seen == [("tick", t1), ("after", t1), ("late", t2)]


def test_an_output_folder_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = subprocess.run([sys.executable, "-m", "dtiflow.cli.main", "demo", "--out", str(blocker / "demo")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("dtiflow: error: --out") and proc.stderr.count("\n") == 1


def test_a_year_without_timelines_is_refused_in_one_line():
    proc = subprocess.run([sys.executable, "-m", "dtiflow.cli.main", "demo", "--year", "2026"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("dtiflow: error: --year goes with --timelines")


def test_the_hanoi_2026_year_enrols_the_citys_agencies_and_all_126_wards_and_communes():
    """Decision 5279: one cycle of the city for its agencies and its communes (no district level
    since 1/7/2025); the dates the decision leaves to the yearly plan are set when it opens."""
    from dtiflow.demo.scenario import hanoi_year

    (plan,) = hanoi_year()
    assert (plan.cycle_id, plan.owner, plan.level) == ("hanoi-2025-dti-2026", "province", None)
    assert Counter(u.group for u in plan.units) == {"commune": 126, "department": 16}
    assert Counter(u.behaviour for u in plan.units) == {ON_TIME: 137, NEVER: 4, REFUSED: 1}
    assert plan.facts["self_assessment_due"] == dt.date(2026, 10, 20)
    assert local_date(plan.due - dt.timedelta(seconds=1)) == dt.date(2026, 10, 20) and plan.acceptance_end == plan.due
    assert hanoi_year() == [plan]  # seeded
