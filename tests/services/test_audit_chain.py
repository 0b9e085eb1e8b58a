"""Every audit event of a cycle is a link of the cycle's hash chain, and `audit verify` proves it
(docs/security.md, "What the audit proves")."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.instants import UTC
from services import approval, cycles, verification
from services.audit_verify import parse_published_head, verify_cycle_audit
from services.errors import InvalidRequest, NotFound
from services.testing import APPROVER, COUNCIL, SECRETARIAT
from store.audit_chain import GENESIS, cycle_stream, event_hash
from svc_scenario import CYCLE, END, audit, draft, open_2019, submit


def test_each_event_of_a_cycle_links_to_the_one_before_it(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 10, 2, tzinfo=UTC))
    rows = audit(svc)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 4
    assert {r.stream for r in rows} == {cycle_stream(CYCLE)}
    assert rows[0].prev_hash == GENESIS
    for before, after in zip(rows, rows[1:]):
        assert after.prev_hash == before.hash
    assert all(r.hash == event_hash(r.model_dump()) for r in rows)


def test_verify_proves_an_untouched_chain_and_gives_its_head(svc):
    open_2019(svc)
    draft(svc, "STTTT")
    report = verify_cycle_audit(svc, cycle_id=CYCLE)
    last = audit(svc)[-1]
    assert report["intact"] is True and "broken" not in report
    assert report["head"] == {"seq": last.seq, "hash": last.hash}
    again = verify_cycle_audit(svc, cycle_id=CYCLE, published=(last.seq, last.hash))
    assert again["intact"] is True


def test_a_published_head_the_chain_no_longer_holds_is_a_break(svc):
    open_2019(svc)
    report = verify_cycle_audit(svc, cycle_id=CYCLE, published=(99, "a" * 64))
    assert report["intact"] is False and "#99" in report["broken"]["reason"]


def test_the_time_driven_moves_are_audited_as_the_system_not_as_a_person(svc):
    open_2019(svc)
    svc.clock.set(END + dt.timedelta(hours=1))
    cycles.advance(svc, cycle_id=CYCLE)
    moves = [r for r in audit(svc) if r.command == "tick"]
    assert moves and {(r.actor_id, r.role) for r in moves} == {("system:tick", "system")}
    assert verify_cycle_audit(svc, cycle_id=CYCLE)["intact"] is True


def test_verify_of_an_unknown_cycle_says_so(svc):
    with pytest.raises(NotFound, match="không có kỳ đánh giá"):
        verify_cycle_audit(svc, cycle_id="khong-co")


@pytest.mark.parametrize("text", ["12", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64])
def test_a_malformed_published_head_is_refused_with_its_form(text):
    with pytest.raises(InvalidRequest, match="SỐ:MÃ_BĂM"):
        parse_published_head(text)


def test_the_published_results_carry_the_chain_head(svc):
    open_2019(svc)
    draft(svc, "STTTT", points=80)
    submit(svc, "STTTT", at=dt.datetime(2019, 9, 1, tzinfo=UTC))
    svc.clock.set(END)
    cycles.lock_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    verification.score_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    verification.record_verification(svc, actor_id=COUNCIL, cycle_id=CYCLE, unit_code="STTTT", points={"1": 40})
    approval.approve_cycle(svc, actor_id=APPROVER, cycle_id=CYCLE, decision_number="2912/QĐ-UBND",
                           decision_date=dt.date(2019, 11, 20))
    before = audit(svc)[-1]
    published = approval.publish_cycle(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    assert published["audit_head"] == {"seq": before.seq, "hash": before.hash}
    event = audit(svc)[-1]
    assert event.event == "ResultsPublished" and event.details["audit_head"] == published["audit_head"]


def test_the_result_e_mail_quotes_the_published_head_for_the_unit_to_keep():
    from notifications import messages as m
    from notifications.render import Renderer
    from notifications.samples import CYCLE as SAMPLE_CYCLE, UNIT

    head = {"seq": 42, "hash": "ab" * 32}
    message = m.result_published(SAMPLE_CYCLE, UNIT, round_no=1, decision="Quyết định số 1/QĐ-UBND", audit_head=head)
    rendered = Renderer().render(message, uid="x@y", stamp=dt.datetime(2019, 11, 22, tzinfo=UTC))
    assert f"#42 {'ab' * 32}" in rendered.text and "ab" * 32 in rendered.html
