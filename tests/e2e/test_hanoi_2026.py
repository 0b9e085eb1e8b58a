"""A whole 2026 cycle of post-reform Hà Nội through the Prefect flows (Decision 5279/QĐ-UBND of
23/10/2025): the city's agencies and its 126 wards and communes (Resolution 1656/NQ-UBTVQH15),
all enrolled directly under the city, the Department of Science and Technology as secretariat;
reminders, the lock, scoring, and the ranking within the decision's two groups."""

from __future__ import annotations

from collections import Counter
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest

from domain.reminders import unit_occasions
from dtiflow.demo.results import ranking
from dtiflow.demo.scenario import LATE, NEVER, ON_TIME, REFUSED

pytestmark = pytest.mark.prefect


def _parsed(message):
    return message_from_bytes(message.raw, policy=policy.default)


@pytest.fixture(scope="module")
def plan(hanoi):
    (plan,) = hanoi.plans
    return plan


def test_every_commune_is_enrolled_directly_under_the_city(hanoi, plan):
    with hanoi.world.app.services.uow() as uow:
        cycle = uow.cycles.get(plan.cycle_id)
        sheets = uow.sheets.list(plan.cycle_id)
        units = {u.code: u for u in uow.units.list()}
    communes = [s for s in sheets if units[s.unit_code].level == "commune"]
    assert (cycle.owner, cycle.year, cycle.regime_id) == ("province", 2026, "hanoi-2025-dti")
    assert len(communes) == 126 and {s.group_id for s in communes} == {"commune"}
    assert all(units[s.unit_code].parent_code is None for s in communes)
    assert Counter(s.group_id for s in sheets)["department"] == 16


def test_each_unit_gets_its_notice_reminders_and_receipt_or_not_evaluated_notice(hanoi, plan):
    regime = hanoi.world.app.services.load_regime(plan.regime_id)
    calendar = hanoi.world.app.services.load_calendar()
    due = SimpleNamespace(id="self_assessment_due", closes_at=plan.due)
    occasions = unit_occasions(regime.reminders, due, None, calendar)
    assert [o.kind for o in occasions] == ["reminder_before_due"] * 3 + ["reminder_due_day"]
    for unit in plan.units:
        kinds = Counter(hanoi.kind(m) for m in hanoi.messages(plan.cycle_id, unit.code))
        sent = unit.submit_at if unit.behaviour == ON_TIME else plan.acceptance_end
        expected = Counter(["notice", "result_published", *(o.kind for o in occasions if o.send_at < sent)])
        expected["submission_receipt" if unit.behaviour == ON_TIME else "not_evaluated_notice"] += 1
        if any(e.unit == unit.code for e in plan.explanations):
            expected["explanation_request"] += 1
        assert kinds == expected, f"{unit.code} ({unit.behaviour})"


def test_the_lock_leaves_the_silent_units_not_evaluated_and_tells_the_secretariat(hanoi, plan):
    by = Counter(u.behaviour for u in plan.units)
    assert by[LATE] == 0 and by[NEVER] + by[REFUSED] == 5
    with hanoi.world.app.services.uow() as uow:
        states = {s.unit_code: s.state for s in uow.sheets.list(plan.cycle_id)}
    for unit in plan.units:
        assert states[unit.code] == ("verified" if unit.behaviour == ON_TIME else "not_evaluated"), unit.code
    (digest,) = [m for m in hanoi.delivered if hanoi.outbox[m.message_id][::2] == (plan.cycle_id, "lock_digest")]
    assert f"{by[ON_TIME]} đúng hạn, 0 gửi trễ, 5 không gửi" in str(_parsed(digest)["Subject"])
    assert {a.lower() for a in digest.recipients} == {"vanthu.skhcn@hanoi.example"}


def _verified_total(plan, unit) -> float:
    points = {cid: a.points for cid, a in unit.answers.answers.items()}
    for a in plan.adjustments:
        if a.unit == unit.code:
            points.update(a.points)
    return sum(points.values())


def test_the_ranking_is_within_the_decisions_two_groups_on_the_councils_points(hanoi, plan):
    rows = {r.unit: r for r in ranking(hanoi.world.app.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)}
    assert {r.group for r in rows.values()} == {"department", "commune"}
    for unit in plan.units:
        row = rows[unit.code]
        if unit.behaviour != ON_TIME:
            assert (row.rank, row.total) == (None, None)
            continue
        total = _verified_total(plan, unit)
        peers = [_verified_total(plan, u) for u in plan.units if u.group == unit.group and u.behaviour == ON_TIME]
        assert row.total == pytest.approx(total)
        assert row.rank == 1 + sum(1 for t in peers if t > total + 1e-9), unit.code
    firsts = Counter(r.group for r in rows.values() if r.rank == 1)
    assert firsts == {"department": 1, "commune": 1}  # one ranking per group, not one for the city


def test_every_message_speaks_for_the_department_of_science_and_technology(hanoi, plan):
    for message in hanoi.delivered:
        parsed = _parsed(message)
        assert parsed["From"].addresses[0].display_name == "Sở Khoa học và Công nghệ thành phố Hà Nội"
        if hanoi.kind(message) != "lock_digest":
            assert parsed["Reply-To"].addresses[0].addr_spec == "vanthu.skhcn@hanoi.example"
        text = parsed.get_body(("plain",)).get_content()
        assert "Người liên hệ: Bà Nguyễn Thu Hằng (Phòng Chuyển đổi số), ĐT 024 0000 0000" in text
        assert "Thông tin và Truyền thông" not in text
