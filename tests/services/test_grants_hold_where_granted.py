"""A role holds only where it was granted: a grant is (role, scope), and each command asks
whether the person holds the role it needs for this cycle's owner or this unit. The two cases
below were reproduced on the merged-roles model (every role of a person, with their first unit
and first owner), where both were wrongly allowed or wrongly refused."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.authorization import NotAuthorized
from domain.instants import UTC
from services import approval, cycles, sheets, verification
from services.testing import APPROVER, SECRETARIAT
from svc_scenario import CYCLE, END, audit, draft, focal, open_2019, submit


def _grant(svc, person: str, role: str, *, unit_code: str | None = None, owner_scope: str | None = None) -> None:
    with svc.uow() as uow:
        uow.people.grant(person, role, unit_code=unit_code, owner_scope=owner_scope)
        uow.commit()


def _verified_by(svc, council: str) -> None:
    open_2019(svc)
    draft(svc, "STTTT", points=80)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    svc.clock.set(dt.datetime(2019, 9, 24, 2, tzinfo=UTC))
    verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    verification.record_verification(svc, actor_id=council, cycle_id=CYCLE, unit_code="STTTT", points={})


def test_an_approver_of_a_district_does_not_approve_the_provinces_cycle_as_a_province_council_member(svc):
    # hoidong.1 is a council member of the province; grant them approval for district PT only.
    _grant(svc, "hoidong.1", "approver", owner_scope="PT")
    _verified_by(svc, "hoidong.2")
    with pytest.raises(NotAuthorized, match="approve"):
        approval.approve_cycle(svc, actor_id="hoidong.1", cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                               decision_date=dt.date(2019, 11, 20))
    assert not [e for e in audit(svc) if e.event == "CycleApproved"]
    # The province's own approver still may.
    approval.approve_cycle(svc, actor_id=APPROVER, cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                           decision_date=dt.date(2019, 11, 20))


def test_a_focal_person_of_one_unit_who_leads_another_submits_only_the_unit_they_lead(svc):
    # daumoi.stp enters STP's data; make them also the leader of SCT.
    _grant(svc, focal("STP"), "unit_leader", unit_code="SCT")
    open_2019(svc)
    for unit in ("STP", "SCT"):
        draft(svc, unit)
    svc.clock.set(dt.datetime(2019, 9, 1, tzinfo=UTC))
    with pytest.raises(NotAuthorized, match="submit_sheet"):
        sheets.submit_sheet(svc, actor_id=focal("STP"), cycle_id=CYCLE, unit_code="STP")
    result = sheets.submit_sheet(svc, actor_id=focal("STP"), cycle_id=CYCLE, unit_code="SCT")
    assert result["outcome"] == "on_time"
    submitted = [e for e in audit(svc) if e.event == "SheetSubmitted"]
    assert [(e.unit_code, e.actor_id, e.role) for e in submitted] == [("SCT", focal("STP"), "unit_leader")]
