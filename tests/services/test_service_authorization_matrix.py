"""Every role on every command through the services, on its own unit's sheet and on another
unit's, for its own owner and for another owner. The expectations are generated from the
authorization table (`domain.authorization.POLICY`), so a rule changed there is a rule changed
here; what this proves is that each service asks the table the right question."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from domain.authorization import POLICY, Command, NotAuthorized, Scope
from domain.clock import FixedClock
from domain.instants import UTC, end_of_local_day
from services import approval, cycles, queries, sheets, verification
from domain.transitions import TransitionNotAllowed
from services.errors import InvalidRequest, NotFound
from services.testing import answers_for, load_sample_units, make_services
from store.memory import MemoryDatabase, MemoryUnitOfWork
from svc_scenario import CYCLE, NOTICE, REGIME, open_2019

TARGET = "STTTT"  # the sheet every sheet command acts on
OWNER = "province"

# person -> (roles, unit, owner) as granted by rubrics/units/binhthuan.yaml
ACTORS = {
    "daumoi.stttt": ({"unit_focal"}, "STTTT", None),      # the sheet's own focal person
    "lanhdao.stttt": ({"unit_leader"}, "STTTT", None),    # the sheet's own leader
    "daumoi.snv": ({"unit_focal"}, "SNV", None),          # another unit's focal person
    "lanhdao.snv": ({"unit_leader"}, "SNV", None),        # another unit's leader
    "thuongtruc.stttt": ({"secretariat"}, None, OWNER),
    "hoidong.1": ({"council_member"}, None, OWNER),
    "chutich.ubndtinh": ({"approver"}, None, OWNER),
    "vhtt.pq": ({"secretariat"}, None, "PQ"),             # a district's secretariat: another owner
    "hoidong.pq": ({"council_member"}, None, "PQ"),
    "chutich.pq": ({"approver"}, None, "PQ"),
}

UNTIL = end_of_local_day(dt.date(2019, 9, 27))

CALLS = {
    Command.OPEN_CYCLE: lambda s, a: cycles.open_cycle(s, actor_id=a, regime_id=REGIME, year=2019, cycle_id="another",
                                                       facts={"notice": NOTICE}),
    Command.SAVE_DRAFT: lambda s, a: sheets.save_draft(s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET,
                                                       answers=answers_for(s, f"{REGIME}.I", TARGET, "I")),
    Command.SUBMIT_SHEET: lambda s, a: sheets.submit_sheet(s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET),
    Command.EXTEND_DEADLINE: lambda s, a: cycles.extend_deadline(s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET,
                                                                 until=UNTIL, reason="Bão"),
    Command.LOCK: lambda s, a: cycles.lock_cycle(s, actor_id=a, cycle_id=CYCLE),
    Command.SCORE: lambda s, a: verification.score_cycle(s, actor_id=a, cycle_id=CYCLE),
    Command.REQUEST_EXPLANATION: lambda s, a: verification.request_explanation(
        s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET, question="Giải trình"),
    Command.ANSWER_EXPLANATION: lambda s, a: verification.answer_explanation(
        s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET, request_id=999, answer="Trả lời"),
    Command.RECORD_VERIFICATION: lambda s, a: verification.record_verification(
        s, actor_id=a, cycle_id=CYCLE, unit_code=TARGET, points={}),
    Command.APPROVE: lambda s, a: approval.approve_cycle(s, actor_id=a, cycle_id=CYCLE, decision_number="1/QĐ-UBND",
                                                         decision_date=dt.date(2019, 11, 20)),
    Command.PUBLISH: lambda s, a: approval.publish_cycle(s, actor_id=a, cycle_id=CYCLE),
    Command.REOPEN: lambda s, a: cycles.reopen_stage(s, actor_id=a, cycle_id=CYCLE, to_state="scored", reason="Khiếu nại"),
    Command.CANCEL_CYCLE: lambda s, a: cycles.cancel_cycle(s, actor_id=a, cycle_id=CYCLE, reason="Sai quy trình"),
    Command.VIEW_STATUS: lambda s, a: queries.cycle_status(s, actor_id=a, cycle_id=CYCLE),
    Command.VIEW_AUDIT: lambda s, a: queries.audit_log(s, actor_id=a, cycle_id=CYCLE),
}

SHEET_COMMANDS = {c for c, rule in POLICY.items() if rule.target.value == "sheet"}


def expected(person: str, command: Command) -> bool:
    """Read straight from the table: some role of the person is granted and its scope holds."""
    roles, unit, owner = ACTORS[person]
    rule = POLICY[command]
    target_unit = TARGET if command in SHEET_COMMANDS else None
    for role, scope in rule.grants.items():
        if role.value not in roles:
            continue
        if scope is Scope.ANY or (scope is Scope.CYCLE_OWNER and owner == OWNER) or (
                scope is Scope.OWN_UNIT and target_unit is not None and unit == target_unit):
            return True
    return False


@pytest.fixture(scope="module")
def prepared() -> MemoryDatabase:
    db = MemoryDatabase()
    services = make_services(lambda: MemoryUnitOfWork(db), FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC)))
    load_sample_units(services)
    open_2019(services)
    return db


def test_every_command_of_the_table_has_a_service_in_this_matrix():
    assert set(CALLS) == set(Command) == set(POLICY)


@pytest.mark.parametrize("command", list(Command), ids=str)
@pytest.mark.parametrize("person", list(ACTORS))
def test_a_role_may_run_a_command_exactly_when_the_table_grants_it(prepared, person, command):
    db = copy.deepcopy(prepared)
    services = make_services(lambda: MemoryUnitOfWork(db), FixedClock(dt.datetime(2019, 9, 1, tzinfo=UTC)))
    try:
        CALLS[command](services, person)
        refused = False
    except NotAuthorized:
        refused = True
    except (InvalidRequest, TransitionNotAllowed):  # past the check; the stage or input said no
        refused = False
    except NotFound:  # only the explanation request 999, which does not exist, past the check
        assert command is Command.ANSWER_EXPLANATION
        refused = False
    assert refused is not expected(person, command), (person, command)


def test_the_matrix_covers_both_outcomes_for_every_command():
    for command in Command:
        outcomes = {expected(p, command) for p in ACTORS}
        assert outcomes == {True, False}, command


def test_a_unit_person_sees_the_status_of_their_own_unit_only():
    db = MemoryDatabase()
    services = make_services(lambda: MemoryUnitOfWork(db), FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC)))
    load_sample_units(services)
    open_2019(services)
    own = queries.cycle_status(services, actor_id="lanhdao.snv", cycle_id=CYCLE, unit_code="SNV")
    assert [s["unit_code"] for s in own["sheets"]] == ["SNV"]
    with pytest.raises(NotAuthorized):
        queries.cycle_status(services, actor_id="lanhdao.snv", cycle_id=CYCLE, unit_code="STTTT")


def test_an_unknown_person_is_refused_by_name():
    db = MemoryDatabase()
    services = make_services(lambda: MemoryUnitOfWork(db), FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC)))
    load_sample_units(services)
    with pytest.raises(NotFound, match="ai.do"):
        cycles.open_cycle(services, actor_id="ai.do", regime_id=REGIME, year=2019, facts={"notice": NOTICE})

