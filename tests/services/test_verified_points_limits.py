"""The council's verified points are finite and within the criterion's range (or the cap where
the rubric states no maximum, domain.limits), and so is their total: infinity is never stored,
summed or published."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.instants import UTC
from services import cycles, verification
from services.errors import InvalidRequest
from services.testing import COUNCIL, SECRETARIAT
from svc_scenario import CYCLE, END, draft, open_2019, submit


def _scored(svc):
    open_2019(svc)
    draft(svc, "STTTT", points=80)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    svc.clock.set(dt.datetime(2019, 9, 24, 2, tzinfo=UTC))
    verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)


@pytest.mark.parametrize("points", [float("inf"), float("nan"), 1e308, 1001, -1])
def test_verified_points_on_a_criterion_without_a_maximum_are_finite_and_capped(svc, points):
    _scored(svc)
    with pytest.raises(InvalidRequest, match="phải là số từ 0 đến 1000"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={"1": points})
    with svc.uow() as uow:
        assert uow.scores.list(cycle_id=CYCLE, kind="verified") == []


def test_a_verified_total_over_the_cap_is_refused(svc):
    _scored(svc)
    with pytest.raises(InvalidRequest, match="tổng điểm thẩm định 2240 vượt giới hạn 1000"):
        verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT",
                                         points={"1": 1000, "2": 1000})


def test_a_verified_total_within_the_cap_is_recorded(svc):
    _scored(svc)
    result = verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT",
                                              points={"1": 600})
    assert result["verified_total"] == 920.0  # 600 + four criteria of 80
