"""Every role on every command through the services, in scope (the sheet's own unit, the
cycle's own owner) and out of scope (another unit, another owner), on the in-memory fake,
SQLite and PostgreSQL. The expectations are generated from the authorization table
(`domain.authorization.POLICY`) and each person's grants, so a rule changed there is a rule
changed here; what this proves is that each service asks "does this person hold role R for
this scope" — the grants come from the database, one scope each, never merged."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.authorization import POLICY, Command, NotAuthorized, Role, Scope
from domain.clock import FixedClock
from domain.instants import UTC, end_of_local_day
from domain.transitions import TransitionNotAllowed
from rubrics.units_loader import load_units_register
from services import approval, cycles, queries, register, sheets, verification
from services.errors import InvalidRequest, NotFound
from services.testing import answers_for, load_sample_units, make_services
from store.db import make_engine
from store.memory import MemoryDatabase, MemoryUnitOfWork
from store.schema import create_schema, metadata
from store.uow import sql_uow_factory
from svc_scenario import CYCLE, NOTICE, REGIME, open_2019

TARGET = "STTTT"  # the sheet every sheet command acts on
OWNER = "province"

# person -> (role, unit, owner) as granted by rubrics/units/binhthuan.yaml: for every role, one
# person who holds it in scope and one who holds it out of scope.
ACTORS = {
    "daumoi.stttt": ("unit_focal", "STTTT", None),      # the sheet's own focal person
    "lanhdao.stttt": ("unit_leader", "STTTT", None),    # the sheet's own leader
    "daumoi.snv": ("unit_focal", "SNV", None),          # another unit's focal person
    "lanhdao.snv": ("unit_leader", "SNV", None),        # another unit's leader
    "thuongtruc.stttt": ("secretariat", None, OWNER),
    "hoidong.1": ("council_member", None, OWNER),
    "chutich.ubndtinh": ("approver", None, OWNER),
    "quantri.stttt": ("administrator", None, OWNER),
    "vhtt.pq": ("secretariat", None, "PQ"),             # a district's secretariat: another owner
    "hoidong.pq": ("council_member", None, "PQ"),
    "chutich.pq": ("approver", None, "PQ"),
    "quantri.pq": ("administrator", None, "PQ"),        # granted below: an administrator elsewhere
}
assert {role for role, _u, _o in ACTORS.values()} == {str(r) for r in Role}

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
    Command.IMPORT_REGISTER: lambda s, a: register.import_register(s, load_units_register(), actor_id=a, dry_run=True),
    Command.VIEW_REGISTER_AUDIT: lambda s, a: register.register_log(s, actor_id=a),
}

SHEET_COMMANDS = {c for c, rule in POLICY.items() if rule.target.value == "sheet"}


def expected(person: str, command: Command) -> bool:
    """Read straight from the table: the person's one role is granted and held for the scope."""
    role, unit, owner = ACTORS[person]
    scope = POLICY[command].grants.get(Role(role))
    target_unit = TARGET if command in SHEET_COMMANDS else None
    return (scope is Scope.CYCLE_OWNER and owner == OWNER) or (
        scope is Scope.OWN_UNIT and target_unit is not None and unit == target_unit)


@pytest.fixture(scope="module", params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request, tmp_path_factory):
    """One world per backend: the register, a PQ administrator, the 2019 cycle. Every call runs
    in its own transaction; whether it is refused depends on grants and owners only, which no
    call changes (the register import is a dry run)."""
    clock = FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC))
    if request.param == "memory":
        db = MemoryDatabase()
        services = make_services(lambda: MemoryUnitOfWork(db), clock)
    else:
        url = (f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'm.db'}" if request.param == "sqlite"
               else request.getfixturevalue("pg_url"))
        engine = make_engine(url)
        metadata.drop_all(engine)
        create_schema(engine)
        services = make_services(sql_uow_factory(engine), clock)
    load_sample_units(services)
    with services.uow() as uow:
        uow.people.upsert_many([{"id": "quantri.pq", "full_name": "Quản trị huyện", "email": "quantri.pq@x.example",
                                 "active": True}])
        uow.people.grant("quantri.pq", "administrator", owner_scope="PQ")
        uow.commit()
    open_2019(services)
    clock.set(dt.datetime(2019, 9, 1, tzinfo=UTC))
    return services


def test_every_command_of_the_table_has_a_service_in_this_matrix():
    assert set(CALLS) == set(Command) == set(POLICY)


@pytest.mark.parametrize("command", list(Command), ids=str)
@pytest.mark.parametrize("person", list(ACTORS))
def test_a_role_may_run_a_command_exactly_where_it_is_granted(world, person, command):
    try:
        CALLS[command](world, person)
        refused = False
    except NotAuthorized:
        refused = True
    except NotFound as exc:
        # A cycle the person holds no grant in answers as an unknown one (a refusal too); the
        # explanation request 999, which does not exist, is found missing past the check.
        refused = "không có kỳ đánh giá" in str(exc)
        assert refused or command is Command.ANSWER_EXPLANATION, exc
    except (InvalidRequest, TransitionNotAllowed):  # past the check; the stage or input said no
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

