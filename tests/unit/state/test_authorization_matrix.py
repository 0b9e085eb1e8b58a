"""Every role on every command, on its own unit's sheet, another unit's, another owner's cycle.

The matrix is generated from `POLICY` (so a new command or role is covered the day it is
added); the expectation is computed here from the scope's plain meaning, and a hand-written
table pins what the issue's roles may do.
"""

from __future__ import annotations

import itertools
import pickle

import pytest

from domain.authorization import (
    POLICY,
    ROLE_LABELS_VI,
    UNIT_ROLES,
    Actor,
    Grant,
    Command as C,
    FourEyesViolation,
    NotAuthorized,
    Role as R,
    Scope,
    Target,
    authorize,
    check_four_eyes,
    four_eyes_conflicts,
)

HOME_UNIT, OTHER_UNIT = "SO_TTTT", "SO_YTE"
HOME_OWNER, OTHER_OWNER = "BTH", "BTH.PHANTHIET"  # the province; a district owning its communes

# (name, cycle_owner, unit_code)
SITUATIONS = [
    ("own unit's sheet, own owner's cycle", HOME_OWNER, HOME_UNIT),
    ("another unit's sheet, own owner's cycle", HOME_OWNER, OTHER_UNIT),
    ("own unit's sheet, another owner's cycle", OTHER_OWNER, HOME_UNIT),
    ("another unit's sheet, another owner's cycle", OTHER_OWNER, OTHER_UNIT),
    ("the whole cycle, own owner", HOME_OWNER, None),
    ("the whole cycle, another owner", OTHER_OWNER, None),
]


def home(role: R) -> Grant:
    """The role held at home: a unit role for the home unit, any other role for the home owner."""
    return Grant(role, unit_code=HOME_UNIT) if role in UNIT_ROLES else Grant(role, owner=HOME_OWNER)


def actor_with(*roles: R) -> Actor:
    return Actor("nguyen.van.a", frozenset(home(r) for r in roles))


def expected(roles: set[R], command: C, cycle_owner: str, unit_code: str | None) -> bool:
    rule = POLICY[command]
    for role in roles & set(rule.grants):
        scope = rule.grants[role]
        if scope is Scope.CYCLE_OWNER and cycle_owner == HOME_OWNER:
            return True
        if scope is Scope.OWN_UNIT and unit_code == HOME_UNIT:
            return True
    return False


MATRIX = [
    (role, command, name, owner, unit)
    for role, command, (name, owner, unit) in itertools.product(R, POLICY, SITUATIONS)
    if not (POLICY[command].target is Target.SHEET and unit is None)
]


def test_the_policy_covers_every_command_and_grants_only_known_roles():
    assert set(POLICY) == set(C)
    for rule in POLICY.values():
        assert rule.grants, "a command nobody may run"
        assert set(rule.grants) <= set(R)


def test_the_matrix_covers_every_role_command_and_situation():
    sheet_commands = [c for c in C if POLICY[c].target is Target.SHEET]
    assert len(MATRIX) == len(R) * (len(C) * len(SITUATIONS) - len(sheet_commands) * 2)


@pytest.mark.parametrize(("role", "command", "situation", "owner", "unit"), MATRIX, ids=lambda v: str(v))
def test_a_single_role_actor_is_allowed_exactly_where_the_policy_says(role, command, situation, owner, unit):
    actor = actor_with(role)
    if expected({role}, command, owner, unit):
        authorize(actor, command, cycle_owner=owner, unit_code=unit)
        return
    with pytest.raises(NotAuthorized) as caught:
        authorize(actor, command, cycle_owner=owner, unit_code=unit)
    error = caught.value
    assert (error.person_id, error.command, error.cycle_owner, error.unit_code) == ("nguyen.van.a", command.value, owner, unit)
    message = str(error)
    assert "'nguyen.van.a'" in message and f"'{command.value}'" in message and f"'{owner}'" in message
    if unit is not None:
        assert f"'{unit}'" in message
    assert error.reason and message.endswith(error.reason)


@pytest.mark.parametrize(("roles", "command", "situation", "owner", "unit"), [
    (pair, command, name, owner, unit)
    for pair in itertools.combinations(R, 2)
    for command in C
    for name, owner, unit in SITUATIONS
    if not (POLICY[command].target is Target.SHEET and unit is None)
], ids=lambda v: str(v))
def test_an_actor_with_two_roles_may_do_what_either_role_may(roles, command, situation, owner, unit):
    actor = actor_with(*roles)
    if expected(set(roles), command, owner, unit):
        authorize(actor, command, cycle_owner=owner, unit_code=unit)
    else:
        with pytest.raises(NotAuthorized):
            authorize(actor, command, cycle_owner=owner, unit_code=unit)


# What the issue says each role does, as a plain table, so the policy cannot drift silently.
WHO_MAY = {
    C.OPEN_CYCLE: {R.SECRETARIAT},
    C.SAVE_DRAFT: {R.UNIT_FOCAL},
    C.SUBMIT_SHEET: {R.UNIT_LEADER},
    C.EXTEND_DEADLINE: {R.SECRETARIAT},
    C.LOCK: {R.SECRETARIAT},
    C.SCORE: {R.SECRETARIAT},
    C.REQUEST_EXPLANATION: {R.SECRETARIAT, R.COUNCIL_MEMBER},
    C.ANSWER_EXPLANATION: {R.UNIT_FOCAL, R.UNIT_LEADER},
    C.RECORD_VERIFICATION: {R.COUNCIL_MEMBER},
    C.APPROVE: {R.APPROVER},
    C.PUBLISH: {R.SECRETARIAT},
    C.REOPEN: {R.SECRETARIAT, R.APPROVER},
    C.CANCEL_CYCLE: {R.SECRETARIAT},
    C.VIEW_STATUS: set(R) - {R.ADMINISTRATOR},
    C.VIEW_AUDIT: {R.SECRETARIAT, R.COUNCIL_MEMBER, R.APPROVER},
    C.IMPORT_REGISTER: {R.ADMINISTRATOR},
    C.VIEW_REGISTER_AUDIT: {R.ADMINISTRATOR},
}


@pytest.mark.parametrize("command", list(C))
def test_each_command_is_granted_to_the_roles_the_issue_names(command):
    assert set(POLICY[command].grants) == WHO_MAY[command]


@pytest.mark.parametrize("command", list(C))
def test_unit_roles_are_scoped_to_their_own_unit_and_officials_to_the_cycle_owner(command):
    for role, scope in POLICY[command].grants.items():
        unit_role = role in (R.UNIT_FOCAL, R.UNIT_LEADER)
        assert scope is (Scope.OWN_UNIT if unit_role else Scope.CYCLE_OWNER)


# --- particular cases worth reading ---------------------------------------------------------

def test_a_focal_person_cannot_submit_and_is_told_who_can():
    focal = actor_with(R.UNIT_FOCAL)
    with pytest.raises(NotAuthorized, match="lệnh này dành cho: unit_leader của chính đơn vị mình"):
        authorize(focal, C.SUBMIT_SHEET, cycle_owner=HOME_OWNER, unit_code=HOME_UNIT)


def test_a_leader_cannot_submit_another_units_sheet():
    leader = actor_with(R.UNIT_LEADER)
    with pytest.raises(NotAuthorized, match=f"chỉ giữ unit_leader của đơn vị '{HOME_UNIT}', "
                                            f"không giữ vai trò này cho đơn vị '{OTHER_UNIT}'"):
        authorize(leader, C.SUBMIT_SHEET, cycle_owner=HOME_OWNER, unit_code=OTHER_UNIT)


def test_a_unit_person_sees_only_the_own_units_line_of_the_status():
    focal = actor_with(R.UNIT_FOCAL)
    authorize(focal, C.VIEW_STATUS, cycle_owner=HOME_OWNER, unit_code=HOME_UNIT)
    with pytest.raises(NotAuthorized, match="không trên toàn kỳ"):
        authorize(focal, C.VIEW_STATUS, cycle_owner=HOME_OWNER)


def test_the_provinces_secretariat_does_not_run_a_districts_commune_cycle():
    province = Actor("stttt.1", frozenset({Grant(R.SECRETARIAT, owner="BTH")}))
    district = Actor("phanthiet.1", frozenset({Grant(R.SECRETARIAT, owner="BTH.PHANTHIET")}))
    assert authorize(district, C.LOCK, cycle_owner="BTH.PHANTHIET") is R.SECRETARIAT
    with pytest.raises(NotAuthorized, match="không giữ vai trò này cho cơ quan chủ trì 'BTH.PHANTHIET'"):
        authorize(province, C.LOCK, cycle_owner="BTH.PHANTHIET")


# --- grants are not merged: each holds for its own scope only --------------------------------

def test_an_approver_of_a_district_who_sits_on_the_provinces_council_cannot_approve_the_province():
    person = Actor("x", frozenset({Grant(R.COUNCIL_MEMBER, owner="BTH"), Grant(R.APPROVER, owner="BTH.PHANTHIET")}))
    assert authorize(person, C.APPROVE, cycle_owner="BTH.PHANTHIET") is R.APPROVER
    assert authorize(person, C.RECORD_VERIFICATION, cycle_owner="BTH", unit_code=HOME_UNIT) is R.COUNCIL_MEMBER
    with pytest.raises(NotAuthorized, match="chỉ giữ approver của 'BTH.PHANTHIET'"):
        authorize(person, C.APPROVE, cycle_owner="BTH")
    with pytest.raises(NotAuthorized):
        authorize(person, C.RECORD_VERIFICATION, cycle_owner="BTH.PHANTHIET", unit_code=HOME_UNIT)


def test_a_focal_person_of_one_unit_and_leader_of_another_submits_only_where_they_lead():
    person = Actor("x", frozenset({Grant(R.UNIT_FOCAL, unit_code="STP"), Grant(R.UNIT_LEADER, unit_code="SCT")}))
    assert authorize(person, C.SUBMIT_SHEET, cycle_owner=HOME_OWNER, unit_code="SCT") is R.UNIT_LEADER
    assert authorize(person, C.SAVE_DRAFT, cycle_owner=HOME_OWNER, unit_code="STP") is R.UNIT_FOCAL
    with pytest.raises(NotAuthorized):
        authorize(person, C.SUBMIT_SHEET, cycle_owner=HOME_OWNER, unit_code="STP")
    with pytest.raises(NotAuthorized):
        authorize(person, C.SAVE_DRAFT, cycle_owner=HOME_OWNER, unit_code="SCT")


@pytest.mark.parametrize("grant", [
    dict(role=R.UNIT_FOCAL), dict(role=R.UNIT_FOCAL, owner="BTH"), dict(role=R.UNIT_LEADER, unit_code="A", owner="BTH"),
    dict(role=R.APPROVER), dict(role=R.APPROVER, unit_code="A"), dict(role=R.SECRETARIAT, unit_code="A", owner="BTH"),
])
def test_a_grant_has_exactly_the_scope_its_role_takes(grant):
    with pytest.raises(ValueError, match="grant"):
        Grant(**grant)


def test_an_official_without_a_grant_for_the_owner_is_refused():
    lost = Actor("x", frozenset({Grant(R.SECRETARIAT, owner="elsewhere")}))
    with pytest.raises(NotAuthorized):
        authorize(lost, C.LOCK, cycle_owner=HOME_OWNER)


def test_a_person_with_no_role_is_told_so():
    nobody = Actor("x", frozenset())
    with pytest.raises(NotAuthorized, match="không có vai trò"):
        authorize(nobody, C.VIEW_STATUS, cycle_owner=HOME_OWNER)


def test_only_an_administrator_of_the_owner_imports_its_register():
    admin = Actor("x", frozenset({Grant(R.ADMINISTRATOR, owner="BTH")}))
    assert authorize(admin, C.IMPORT_REGISTER, cycle_owner="BTH") is R.ADMINISTRATOR
    for other in (Actor("y", frozenset({Grant(R.ADMINISTRATOR, owner="BTH.PHANTHIET")})), actor_with(*(set(R) - {R.ADMINISTRATOR}))):
        with pytest.raises(NotAuthorized):
            authorize(other, C.IMPORT_REGISTER, cycle_owner="BTH")


@pytest.mark.parametrize("command", [c for c in C if POLICY[c].target is Target.SHEET])
def test_a_sheet_command_without_a_unit_is_a_programming_error(command):
    with pytest.raises(ValueError, match="unit_code is required"):
        authorize(actor_with(*R), command, cycle_owner=HOME_OWNER)


def test_an_unknown_command_is_refused_by_name():
    with pytest.raises(NotAuthorized, match="'delete_everything'.*lệnh không xác định"):
        authorize(actor_with(*R), "delete_everything", cycle_owner=HOME_OWNER)


def test_roles_given_as_strings_become_roles():
    actor = Actor("x", frozenset({Grant("unit_leader", unit_code=HOME_UNIT)}))
    assert actor.roles == frozenset({R.UNIT_LEADER})
    authorize(actor, "submit_sheet", cycle_owner=HOME_OWNER, unit_code=HOME_UNIT)


@pytest.mark.parametrize("bad", ["", "  "])
def test_an_actor_without_a_person_id_is_refused(bad):
    with pytest.raises(ValueError, match="person_id"):
        Actor(bad, frozenset({Grant(R.APPROVER, owner=HOME_OWNER)}))


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError):
        Grant("king", owner=HOME_OWNER)


def test_every_role_has_a_vietnamese_label():
    assert set(ROLE_LABELS_VI) == set(R)


def test_a_refusal_survives_pickling():
    with pytest.raises(NotAuthorized) as caught:
        authorize(actor_with(R.UNIT_FOCAL), C.APPROVE, cycle_owner=HOME_OWNER)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and copy.reason == caught.value.reason


# --- four eyes ------------------------------------------------------------------------------

@pytest.mark.parametrize("verifiers", [
    ["council.1", "chairman"],
    ("chairman",),
    (v for v in ["council.1", "chairman"]),  # any iterable, consumed once
])
def test_the_approver_must_not_have_recorded_the_verification(verifiers):
    with pytest.raises(FourEyesViolation, match="nguyên tắc bốn mắt") as caught:
        check_four_eyes("chairman", verifiers)
    assert isinstance(caught.value, NotAuthorized)
    assert caught.value.person_id == "chairman" and caught.value.command == "approve"


@pytest.mark.parametrize("verifiers", [["council.1", "council.2"], [], set()])
def test_an_approver_who_did_not_verify_may_approve(verifiers):
    assert check_four_eyes("chairman", verifiers) is None


def test_a_four_eyes_refusal_survives_pickling():
    with pytest.raises(FourEyesViolation) as caught:
        check_four_eyes("chairman", ["chairman"])
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, FourEyesViolation) and str(copy) == str(caught.value)


@pytest.mark.parametrize(("grants", "conflicts"), [
    ([("x", Grant(R.COUNCIL_MEMBER, owner="BTH")), ("x", Grant(R.APPROVER, owner="BTH"))], [("x", "BTH")]),
    ([("x", Grant(R.COUNCIL_MEMBER, owner="BTH")), ("x", Grant(R.APPROVER, owner="BTH.PT"))], []),
    ([("x", Grant(R.COUNCIL_MEMBER, owner="BTH")), ("y", Grant(R.APPROVER, owner="BTH"))], []),
    ([("x", Grant(R.SECRETARIAT, owner="BTH")), ("x", Grant(R.APPROVER, owner="BTH"))], []),
])
def test_nobody_is_both_council_member_and_approver_of_one_owner(grants, conflicts):
    assert four_eyes_conflicts(iter(grants)) == conflicts
