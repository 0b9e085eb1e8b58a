"""The seeds' years give exactly the results they gave before the units register learnt time and
before the Hà Nội 2026 year joined the demo: every unit's state, lateness, computed and verified
totals, classification, rank, award and reason in the 2019 and both 2023 cycles, compared with
the results the demo exported before those changes (tests/e2e/golden/seed-years-results.json,
written from `dtiflow demo` on the code before them)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from dtiflow.demo.results import ranking

pytestmark = pytest.mark.prefect

GOLDEN = Path(__file__).with_name("golden") / "seed-years-results.json"


def test_the_2019_and_2023_years_give_exactly_the_results_they_gave_before(year):
    before = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = {plan.cycle_id: [asdict(r) for r in ranking(year.world.app.services, actor_id=plan.secretariat,
                                                      cycle_id=plan.cycle_id)]
           for plan in year.plans}
    assert sorted(now) == sorted(before) == sorted(
        ["binhthuan-2019-it-2019", "binhthuan-2023-dti-2023-PT-commune", "binhthuan-2023-dti-2023"])
    for cycle_id, rows in before.items():
        assert now[cycle_id] == rows, cycle_id
