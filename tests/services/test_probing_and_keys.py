"""Nobody learns what they may not see: a cycle or unit they hold no grant in answers exactly as
an unknown one, and an idempotency key is its sender's own, replayed only after the permission
check passes again. Each case was reproduced on the code that looked rows up first and kept
keys global."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.authorization import NotAuthorized
from domain.instants import UTC
from services import cycles, queries, sheets
from services.errors import NotFound
from services.testing import answers_for
from svc_scenario import CYCLE, REGIME, draft, leader, open_2019

PQ_CYCLE = "binhthuan-2023-dti-2023-PQ-commune"


def _pq_cycle(svc):
    return cycles.open_cycle(svc, actor_id="vhtt.pq", regime_id="binhthuan-2023-dti", year=2023, owner="PQ",
                             level="commune", facts={"notice": dt.date(2023, 10, 2)})


def _answer(call) -> tuple[type, str]:
    try:
        call()
    except (NotFound, NotAuthorized) as exc:
        return type(exc), str(exc)
    raise AssertionError("not refused")


CALLS = {
    "status": lambda svc, who, cid: queries.cycle_status(svc, actor_id=who, cycle_id=cid),
    "audit": lambda svc, who, cid: queries.audit_log(svc, actor_id=who, cycle_id=cid),
    "lock": lambda svc, who, cid: cycles.lock_cycle(svc, actor_id=who, cycle_id=cid),
    "submit": lambda svc, who, cid: sheets.submit_sheet(svc, actor_id=who, cycle_id=cid, unit_code="PQ-TAMTHANH"),
}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("who", ["thuongtruc.stttt", "lanhdao.stttt", "chutich.pt"])
def test_another_owners_cycle_answers_exactly_as_an_unknown_one(svc, who, call):
    assert _pq_cycle(svc)["cycle_id"] == PQ_CYCLE
    kind_a, foreign = _answer(lambda: CALLS[call](svc, who, PQ_CYCLE))
    kind_b, unknown = _answer(lambda: CALLS[call](svc, who, "khong-ton-tai"))
    assert kind_a is kind_b and foreign.replace(PQ_CYCLE, "X") == unknown.replace("khong-ton-tai", "X")


@pytest.mark.parametrize("call", ["draft", "submit", "status"])
def test_another_units_sheet_answers_exactly_as_an_unknown_unit(svc, call):
    open_2019(svc)
    do = {
        "draft": lambda unit: sheets.save_draft(svc, actor_id="daumoi.stttt", cycle_id=CYCLE, unit_code=unit,
                                                answers=answers_for(svc, f"{REGIME}.I", unit, "I")),
        "submit": lambda unit: sheets.submit_sheet(svc, actor_id="lanhdao.stttt", cycle_id=CYCLE, unit_code=unit),
        "status": lambda unit: queries.sheet_detail(svc, actor_id="lanhdao.stttt", cycle_id=CYCLE, unit_code=unit),
    }[call]
    kind_a, other = _answer(lambda: do("SNV"))
    kind_b, unknown = _answer(lambda: do("KHONG-CO"))
    assert kind_a is kind_b is NotAuthorized
    assert other.replace("SNV", "X") == unknown.replace("KHONG-CO", "X")


def test_the_same_key_from_two_people_is_two_requests(svc):
    open_2019(svc)
    for unit in ("STTTT", "SNV"):
        draft(svc, unit)
    svc.clock.set(dt.datetime(2019, 9, 1, tzinfo=UTC))
    first = sheets.submit_sheet(svc, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT", key="gui-phieu")
    second = sheets.submit_sheet(svc, actor_id=leader("SNV"), cycle_id=CYCLE, unit_code="SNV", key="gui-phieu")
    assert (first["unit_code"], second["unit_code"]) == ("STTTT", "SNV") and "replayed" not in second
    again = sheets.submit_sheet(svc, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT", key="gui-phieu")
    assert again["replayed"] and again["received_at"] == first["received_at"]


def test_someone_elses_key_reveals_nothing_and_replays_nothing(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    svc.clock.set(dt.datetime(2019, 9, 1, tzinfo=UTC))
    sheets.submit_sheet(svc, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT", key="k-1")
    with pytest.raises(NotAuthorized, match="submit_sheet"):
        sheets.submit_sheet(svc, actor_id=leader("SNV"), cycle_id=CYCLE, unit_code="STTTT", key="k-1")


def test_a_repeated_key_is_not_replayed_once_the_grant_is_gone(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    svc.clock.set(dt.datetime(2019, 9, 1, tzinfo=UTC))
    sheets.submit_sheet(svc, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT", key="k-2")
    with svc.uow() as uow:
        uow.people.revoke(leader("STTTT"), "unit_leader", unit_code="STTTT", by="quantri.stttt",
                          at=dt.datetime(2019, 9, 2, tzinfo=UTC), reason="chuyển công tác")
        uow.commit()
    with pytest.raises(NotFound, match="không có kỳ đánh giá"):
        sheets.submit_sheet(svc, actor_id=leader("STTTT"), cycle_id=CYCLE, unit_code="STTTT", key="k-2")
