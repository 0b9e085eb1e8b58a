"""A whole year in simulated time, end to end: the demo's scenario through the real
Prefect flows, SQLite, the e-mail outbox and relay, and a real SMTP server on loopback.

Each unit's mail is read back from what the SMTP server received (kinds, recipients, subjects
with their dates), each sheet's final state from the database, each unit's rank, classification
and award from the published results, against the rules of Decision 1867 (Art. 8, 10, 12) and
Decision 265 (Art. 6, 8, 9).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from types import SimpleNamespace

import pytest

from domain.instants import local_date
from domain.reminders import unit_occasions
from dtiflow.demo.results import ranking
from dtiflow.demo.scenario import LATE, NEVER, ON_TIME, REFUSED

pytestmark = pytest.mark.prefect

BT2019 = "binhthuan-2019-it"
DTI = "binhthuan-2023-dti"


def _parsed(message):
    return message_from_bytes(message.raw, policy=policy.default)


def _sent_on(message) -> dt.date:
    return local_date(parsedate_to_datetime(_parsed(message)["Date"]))


def _addresses(message) -> set[str]:
    return {a.lower() for a in message.recipients}


def _expected_reminders(year, plan, unit) -> list[str]:
    """The reminder kinds the unit should have received: every occasion of the regime's schedule
    that came before the unit sent its sheet (a unit that sent is reminded no more)."""
    regime = year.world.app.services.load_regime(plan.regime_id)
    calendar = year.world.app.services.load_calendar()
    due = SimpleNamespace(id="submission_due", closes_at=plan.due)
    grace = SimpleNamespace(id="grace_end", closes_at=plan.acceptance_end) if plan.acceptance_end > plan.due else None
    sent = unit.submit_at if unit.behaviour in (ON_TIME, LATE) else plan.acceptance_end
    return [o.kind for o in unit_occasions(regime.reminders, due, grace, calendar) if o.send_at < sent]


# --- mail -----------------------------------------------------------------------------------------

def test_every_message_reached_the_smtp_server_exactly_once(year):
    ids = [m.message_id for m in year.delivered]
    assert len(ids) == len(set(ids)) > 0
    assert set(ids) <= set(year.outbox), "every delivered message has its outbox row"


@pytest.mark.parametrize("regime_id, owner", [(BT2019, "province"), (DTI, "PT"), (DTI, "province")])
def test_each_unit_gets_the_messages_its_year_calls_for(year, regime_id, owner):
    plan = year.plan(regime_id, owner)
    for unit in plan.units:
        kinds = Counter(year.kind(m) for m in year.messages(plan.cycle_id, unit.code))
        expected = Counter(["notice", "result_published", *_expected_reminders(year, plan, unit)])
        if unit.behaviour in (ON_TIME, LATE):
            expected["submission_receipt"] += 1
        else:
            expected["not_evaluated_notice"] += 1
        if any(e.unit == unit.code for e in plan.explanations):
            expected["explanation_request"] += 1
        assert kinds == expected, f"{plan.cycle_id} {unit.code} ({unit.behaviour})"


def test_the_unit_that_never_sends_in_2019_is_reminded_on_the_days_of_letter_697(year):
    """7, 3 and 1 working days before Sunday 15/9/2019 (2/9 is National Day), no reminder on the
    Sunday itself, then each of the 5 working days of grace (Decision 1867 Art. 8.1), the head
    copied from the third grace day on; then told it is not evaluated."""
    plan = year.plan(BT2019)
    unit = next(u for u in plan.units if u.behaviour == NEVER)
    head = f"lanhdao.{unit.code.lower()}@binhthuan.example"
    got = [(year.kind(m), _sent_on(m), head in _addresses(m), str(_parsed(m)["Subject"]))
           for m in year.messages(plan.cycle_id, unit.code) if year.kind(m) != "notice"]
    d = dt.date
    expected = [
        ("reminder_before_due", d(2019, 9, 5), True, "còn 7 ngày làm việc"),
        ("reminder_before_due", d(2019, 9, 11), True, "còn 3 ngày làm việc"),
        ("reminder_before_due", d(2019, 9, 13), True, "còn 1 ngày làm việc"),
        ("grace_reminder", d(2019, 9, 16), False, "còn 5 ngày làm việc"),
        ("grace_reminder", d(2019, 9, 17), False, "còn 4 ngày làm việc"),
        ("grace_reminder", d(2019, 9, 18), True, "còn 3 ngày làm việc"),
        ("grace_reminder", d(2019, 9, 19), True, "còn 2 ngày làm việc"),
        ("grace_reminder", d(2019, 9, 20), True, "còn 1 ngày làm việc"),
        ("not_evaluated_notice", d(2019, 9, 21), True, "không được đánh giá, xếp hạng năm 2019"),
        ("result_published", d(2019, 11, 26), True, "Kết quả đánh giá, xếp hạng năm 2019"),
    ]
    assert [(k, day, h) for k, day, h, _ in got] == [(k, day, h) for k, day, h, _ in expected]
    for (_, _, _, subject), (_, _, _, words) in zip(got, expected):
        assert words in subject
    before_due = [s for k, _, _, s in got if k == "reminder_before_due"]
    assert all("Chủ nhật, 15/09/2019" in s for s in before_due)


@pytest.mark.parametrize("regime_id, owner, closing", [
    (BT2019, "province", "Chủ nhật, 15/09/2019"),  # Decision 1867 Art. 8.1: before 15 September
    (DTI, "PT", "Thứ Ba, 31/10/2023"),  # Decision 265 Art. 6.2: 15 days from the district's 16/10 notice
    (DTI, "province", "Thứ Ba, 28/11/2023"),  # Decision 265 Art. 6.1: 15 days from the 13/11 notice
])
def test_the_notice_goes_to_focal_person_and_head_with_the_closing_moment(year, regime_id, owner, closing):
    plan = year.plan(regime_id, owner)
    for unit in plan.units:
        (notice,) = [m for m in year.messages(plan.cycle_id, unit.code) if year.kind(m) == "notice"]
        assert _addresses(notice) == {f"{unit.focal}@binhthuan.example", f"{unit.leader}@binhthuan.example"}
        assert closing in str(_parsed(notice)["Subject"])
        assert _sent_on(notice) == plan.notice


def test_a_late_sheet_gets_a_receipt_that_says_late(year):
    plan = year.plan(BT2019)
    for unit in plan.units:
        receipts = [m for m in year.messages(plan.cycle_id, unit.code) if year.kind(m) == "submission_receipt"]
        if unit.behaviour in (ON_TIME, LATE):
            (receipt,) = receipts
            assert ("gửi trễ" if unit.behaviour == LATE else "đúng hạn") in str(_parsed(receipt)["Subject"])


def test_the_secretariat_gets_one_lock_digest_per_cycle_with_the_counts(year):
    for plan in year.plans:
        digests = [m for m in year.delivered if year.outbox[m.message_id][::2] == (plan.cycle_id, "lock_digest")]
        (digest,) = digests
        by = Counter(u.behaviour for u in plan.units)
        subject = str(_parsed(digest)["Subject"])
        assert f"{by[ON_TIME]} đúng hạn, {by[LATE]} gửi trễ, {by[NEVER] + by[REFUSED]} không gửi" in subject


# --- states ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("behaviour, state, late", [
    (ON_TIME, "verified", False),
    (LATE, "verified", True),  # Decision 1867 Art. 8.1: inside the 5 working days, flagged late
    (NEVER, "not_evaluated", False),
    (REFUSED, "not_evaluated", False),  # sent after the end of acceptance: refused, then not evaluated
])
def test_every_sheet_ends_in_the_state_its_behaviour_calls_for(year, behaviour, state, late):
    for plan in year.plans:
        with year.world.app.services.uow() as uow:
            sheets = {s.unit_code: s for s in uow.sheets.list(plan.cycle_id)}
        for unit in plan.units:
            if unit.behaviour == behaviour:
                assert (sheets[unit.code].state, sheets[unit.code].late) == (state, late), unit.code


def test_a_sheet_sent_after_the_end_of_acceptance_is_refused_and_audited(year):
    for plan in year.plans:
        unit = next(u for u in plan.units if u.behaviour == REFUSED)
        assert year.run.outcomes.refusals[(plan.cycle_id, unit.code)]
        with year.world.app.services.uow() as uow:
            events = [a.event for a in uow.audit.list(plan.cycle_id) if a.unit_code == unit.code]
        assert "SheetRefused" in events and "SheetSubmitted" not in events


def test_every_cycle_is_published_and_approved_by_someone_who_did_not_verify(year):
    for plan in year.plans:
        with year.world.app.services.uow() as uow:
            cycle = uow.cycles.get(plan.cycle_id)
            verifiers = {r.recorded_by for r in uow.scores.list(cycle_id=plan.cycle_id, kind="verified")}
        assert cycle.state == "published"
        assert verifiers == {plan.council} and plan.approver not in verifiers


# --- results --------------------------------------------------------------------------------------

# Decision 1867 Art. 10 (points) and Decision 265 Art. 8.3 (share of the level's maximum).
BANDS_1867 = {"I": (450, 350, 250), "III": (450, 350, 250), "IV": (450, 350, 250), "II": (380, 280, 190)}
LABELS_1867 = ("Tốt", "Khá", "Trung bình", "Yếu")
LABELS_265 = ("Tốt", "Khá", "Trung bình", "Kém")
MAX_265 = {"department": 500, "district": 600, "commune": 330}


def _verified_total(plan, unit) -> float:
    points = {cid: a.points for cid, a in unit.answers.answers.items()}
    for a in plan.adjustments:
        if a.unit == unit.code:
            points.update(a.points)
    return sum(points.values())


def _classification(plan, group: str, total: float) -> str:
    if plan.regime_id == BT2019:
        cuts, labels = BANDS_1867[group], LABELS_1867
    else:
        cuts, labels = tuple(p * MAX_265[group] / 100 for p in (85, 70, 50)), LABELS_265
    return next((label for cut, label in zip(cuts, labels) if total >= cut), labels[-1])


@pytest.mark.parametrize("regime_id, owner", [(BT2019, "province"), (DTI, "PT"), (DTI, "province")])
def test_final_rank_classification_and_award_follow_the_decision(year, regime_id, owner):
    plan = year.plan(regime_id, owner)
    rows = {r.unit: r for r in ranking(year.world.app.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)}
    award_line = {"II": 1}  # Decision 1867 Art. 12: group II awards only the unit ranked 1st
    for unit in plan.units:
        row = rows[unit.code]
        if unit.behaviour in (NEVER, REFUSED):
            assert (row.rank, row.total, row.award) == (None, None, None)
            assert "Không gửi Phiếu đánh giá trong thời hạn" in row.reason
            continue
        total = _verified_total(plan, unit)
        peers = [_verified_total(plan, u) for u in plan.units
                 if u.group == unit.group and u.behaviour in (ON_TIME, LATE)]
        assert row.total == pytest.approx(total)
        assert row.rank == 1 + sum(1 for t in peers if t > total + 1e-9)  # ties share a rank
        assert row.classification == _classification(plan, unit.group, total)
        awarded = (row.classification == "Tốt" and row.rank <= award_line.get(unit.group, 3)
                   and unit.group != "commune")  # Decision 265 Art. 9: the district rewards communes
        assert (row.award is not None) == awarded, unit.code


def test_the_councils_adjustments_are_what_the_ranking_uses(year):
    for plan in year.plans:
        for a in plan.adjustments:
            result = year.run.outcomes.verifications[(plan.cycle_id, a.unit)]
            assert result["verified_total"] != result["computed_total"]
            assert result["verified_total"] == pytest.approx(_verified_total(plan, plan.unit(a.unit)))


def test_the_published_result_tells_each_unit_its_own_decision_rank_classification_and_award(year):
    for plan in year.plans:
        rows = {r.unit: r for r in ranking(year.world.app.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)}
        for unit in plan.units:
            (message,) = [m for m in year.messages(plan.cycle_id, unit.code) if year.kind(m) == "result_published"]
            body = _parsed(message).get_body(("plain",)).get_content()
            row = rows[unit.code]
            assert f"Quyết định số {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y}" in body
            if row.rank is None:
                assert "Không được đánh giá, xếp hạng" in body, unit.code
                continue
            assert f"Xếp loại: {row.classification}" in body and f"thứ {row.rank} trong nhóm" in body, unit.code
            assert (row.award is not None) == ("Khen thưởng:" in body), unit.code
