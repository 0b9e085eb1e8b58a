"""Who may run which command on what: ONE table of data (`POLICY`) and one check (`authorize`).

Roles (Decision 265/QĐ-UBND Art. 6(1)(b)(c), and the same for communes in Art. 6(2)): each unit
names a focal person who enters the data; the unit's leader confirms and sends it. The
secretariat is the owner's Department of Information and Communications (or, for a district's
commune cycle, the district), which evaluates and asks for explanations (Art. 6(1)(d)); the
council verifies (Decision 1867/QĐ-UBND Art. 9); the approver signs the decision (the chairman
of the province's, or for communes the district's, People's Committee).

The time-driven moves (close, lock, score when the regime says so) are not in this table: the
tick performs them as the system, not as a person (audited as actor `system:tick`, role `system`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from domain.errors import NotPermitted


class Role(StrEnum):
    UNIT_FOCAL = "unit_focal"          # enters the own unit's data (drafts)
    UNIT_LEADER = "unit_leader"        # confirms and sends the own unit's sheet
    SECRETARIAT = "secretariat"        # the cycle owner's secretariat
    COUNCIL_MEMBER = "council_member"  # verification
    APPROVER = "approver"              # signs the approving decision
    ADMINISTRATOR = "administrator"    # keeps the units register (an administrative act)


# A unit role is granted for one unit; every other role for one owner (the province, or a
# district for its communes' cycle).
UNIT_ROLES = frozenset({Role.UNIT_FOCAL, Role.UNIT_LEADER})


class Command(StrEnum):
    OPEN_CYCLE = "open_cycle"
    SAVE_DRAFT = "save_draft"
    SUBMIT_SHEET = "submit_sheet"
    EXTEND_DEADLINE = "extend_deadline"
    LOCK = "lock"
    SCORE = "score"
    REQUEST_EXPLANATION = "request_explanation"
    ANSWER_EXPLANATION = "answer_explanation"
    RECORD_VERIFICATION = "record_verification"
    APPROVE = "approve"
    PUBLISH = "publish"
    REOPEN = "reopen"
    CANCEL_CYCLE = "cancel_cycle"
    VIEW_STATUS = "view_status"
    VIEW_AUDIT = "view_audit"
    IMPORT_REGISTER = "import_register"
    VIEW_REGISTER_AUDIT = "view_register_audit"


class Scope(StrEnum):
    OWN_UNIT = "own_unit"        # the person holds the role for the sheet's unit
    CYCLE_OWNER = "cycle_owner"  # the person holds the role for the cycle's (or register's) owner


class Target(StrEnum):
    SHEET = "sheet"  # the command acts on one unit's sheet: `unit_code` is required
    CYCLE = "cycle"  # the command acts on the cycle; `unit_code` is optional (a filter)
    REGISTER = "register"  # the command acts on the owner's units register


@dataclass(frozen=True)
class Rule:
    """Which roles may run a command, each with its scope condition, and what it acts on."""

    target: Target
    grants: Mapping[Role, Scope] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "grants", MappingProxyType(dict(self.grants)))


R, C, O, U = Role, Command, Scope.CYCLE_OWNER, Scope.OWN_UNIT
_UNIT = {R.UNIT_FOCAL: U, R.UNIT_LEADER: U}
_OFFICIALS = {R.SECRETARIAT: O, R.COUNCIL_MEMBER: O, R.APPROVER: O}

POLICY: Mapping[Command, Rule] = MappingProxyType({
    C.OPEN_CYCLE: Rule(Target.CYCLE, {R.SECRETARIAT: O}),
    C.SAVE_DRAFT: Rule(Target.SHEET, {R.UNIT_FOCAL: U}),
    C.SUBMIT_SHEET: Rule(Target.SHEET, {R.UNIT_LEADER: U}),
    C.EXTEND_DEADLINE: Rule(Target.SHEET, {R.SECRETARIAT: O}),
    C.LOCK: Rule(Target.CYCLE, {R.SECRETARIAT: O}),
    C.SCORE: Rule(Target.CYCLE, {R.SECRETARIAT: O}),
    C.REQUEST_EXPLANATION: Rule(Target.SHEET, {R.SECRETARIAT: O, R.COUNCIL_MEMBER: O}),
    C.ANSWER_EXPLANATION: Rule(Target.SHEET, _UNIT),
    C.RECORD_VERIFICATION: Rule(Target.SHEET, {R.COUNCIL_MEMBER: O}),
    C.APPROVE: Rule(Target.CYCLE, {R.APPROVER: O}),
    C.PUBLISH: Rule(Target.CYCLE, {R.SECRETARIAT: O}),
    # The secretariat reopens a stage; the approver may send a submission back.
    C.REOPEN: Rule(Target.CYCLE, {R.SECRETARIAT: O, R.APPROVER: O}),
    C.CANCEL_CYCLE: Rule(Target.CYCLE, {R.SECRETARIAT: O}),
    C.VIEW_STATUS: Rule(Target.CYCLE, {**_UNIT, **_OFFICIALS}),
    C.VIEW_AUDIT: Rule(Target.CYCLE, _OFFICIALS),
    # The register says who holds which role: keeping it is an administrative act of its own.
    C.IMPORT_REGISTER: Rule(Target.REGISTER, {R.ADMINISTRATOR: O}),
    C.VIEW_REGISTER_AUDIT: Rule(Target.REGISTER, {R.ADMINISTRATOR: O}),
})

ROLE_LABELS_VI: Mapping[Role, str] = MappingProxyType({
    R.UNIT_FOCAL: "Đầu mối kê khai của đơn vị",
    R.UNIT_LEADER: "Lãnh đạo đơn vị",
    R.SECRETARIAT: "Cơ quan thường trực",
    R.COUNCIL_MEMBER: "Thành viên Hội đồng thẩm định",
    R.APPROVER: "Người phê duyệt",
    R.ADMINISTRATOR: "Quản trị danh mục đơn vị",
})


@dataclass(frozen=True, slots=True)
class Grant:
    """A role held for one scope: a unit (focal person, leader) or an owner (every other role).
    Nothing is merged: a person with two grants holds each only where it was given."""

    role: Role
    unit_code: str | None = None
    owner: str | None = None

    def __post_init__(self) -> None:
        role = Role(self.role)
        object.__setattr__(self, "role", role)
        if role in UNIT_ROLES and (not self.unit_code or self.owner is not None):
            raise ValueError(f"grant {role}: a unit role is held for one unit (unit_code), not for an owner")
        if role not in UNIT_ROLES and (not self.owner or self.unit_code is not None):
            raise ValueError(f"grant {role}: this role is held for an owner (province or district), not for a unit")

    @property
    def scope(self) -> str:
        return self.unit_code if self.unit_code is not None else str(self.owner)

    def __str__(self) -> str:
        where = f"đơn vị '{self.unit_code}'" if self.unit_code is not None else f"'{self.owner}'"
        return f"{self.role} của {where}"


@dataclass(frozen=True, slots=True)
class Actor:
    person_id: str
    grants: frozenset[Grant] = frozenset()

    def __post_init__(self) -> None:
        if not self.person_id or not self.person_id.strip():
            raise ValueError("actor: person_id is empty")
        object.__setattr__(self, "grants", frozenset(self.grants))

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    def holds(self, role: Role, *, owner: str | None = None, unit_code: str | None = None) -> bool:
        """Does this person hold `role` for this owner (or this unit)?"""
        return any(g.role is role and ((owner is not None and g.owner == owner)
                                       or (unit_code is not None and g.unit_code == unit_code))
                   for g in self.grants)

    def acts_for(self, owner: str) -> bool:
        """Some role is held for this owner (a cycle of that owner is this person's business)."""
        return any(g.owner == owner for g in self.grants)

    @property
    def units(self) -> frozenset[str]:
        return frozenset(g.unit_code for g in self.grants if g.unit_code is not None)


class NotAuthorized(NotPermitted):
    """Who, which command, on what, and why."""

    def __init__(self, person_id: str, command: str, cycle_owner: str, unit_code: str | None, reason: str) -> None:
        self.person_id = person_id
        self.command = str(command)
        self.cycle_owner = cycle_owner
        self.unit_code = unit_code
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        on = f"kỳ đánh giá của '{self.cycle_owner}'"
        if self.unit_code is not None:
            on = f"phiếu của đơn vị '{self.unit_code}' thuộc {on}"
        return f"'{self.person_id}' không được thực hiện '{self.command}' trên {on}: {self.reason}"

    def __reduce__(self):
        return (NotAuthorized, (self.person_id, self.command, self.cycle_owner, self.unit_code, self.reason))


def _holds(role: Role, scope: Scope, actor: Actor, cycle_owner: str, unit_code: str | None) -> bool:
    if scope is Scope.CYCLE_OWNER:
        return actor.holds(role, owner=cycle_owner)
    # OWN_UNIT: a unit person acts on the sheet of a unit they hold the role for, never on the
    # whole cycle.
    return unit_code is not None and actor.holds(role, unit_code=unit_code)


_SCOPE_VI = {
    Scope.OWN_UNIT: "của chính đơn vị mình",
    Scope.CYCLE_OWNER: "của cơ quan chủ trì kỳ đánh giá",
}


def describe(rule: Rule) -> str:
    """'unit_leader của chính đơn vị mình' — who the rule admits, for messages and docs."""
    return "; ".join(f"{role} {_SCOPE_VI[scope]}".strip() for role, scope in rule.grants.items())


def authorize(actor: Actor, command: Command | str, *, cycle_owner: str, unit_code: str | None = None) -> Role:
    """Return the role in which the actor may run `command` here: a role the policy admits,
    held for this owner (or this unit). Else raise `NotAuthorized` saying who, what, on what and
    why. Roles held elsewhere never count: each grant holds only for its own scope."""
    try:
        cmd = Command(command)
    except ValueError:
        raise NotAuthorized(actor.person_id, str(command), cycle_owner, unit_code, "lệnh không xác định") from None
    rule = POLICY[cmd]
    if rule.target is Target.SHEET and unit_code is None:
        raise ValueError(f"authorize({cmd}): this command acts on one unit's sheet; unit_code is required")
    for role in sorted(rule.grants):
        if _holds(role, rule.grants[role], actor, cycle_owner, unit_code):
            return role
    relevant = sorted((g for g in actor.grants if g.role in rule.grants), key=str)
    if not relevant:
        roles = ", ".join(sorted(actor.roles)) or "không có vai trò"
        raise NotAuthorized(actor.person_id, cmd, cycle_owner, unit_code,
                            f"vai trò ({roles}) không được phép; lệnh này dành cho: {describe(rule)}")
    held = ", ".join(str(g) for g in relevant)
    if all(g.role in UNIT_ROLES for g in relevant) and unit_code is None:
        why = f"chỉ giữ {held}: chỉ được thao tác trên phiếu của đơn vị mình, không trên toàn kỳ"
    elif unit_code is not None and any(g.role in UNIT_ROLES for g in relevant):
        why = f"chỉ giữ {held}, không giữ vai trò này cho đơn vị '{unit_code}'"
    else:
        why = f"chỉ giữ {held}, không giữ vai trò này cho cơ quan chủ trì '{cycle_owner}'"
    raise NotAuthorized(actor.person_id, cmd, cycle_owner, unit_code, why)


def four_eyes_conflicts(grants: Iterable[tuple[str, Grant]]) -> list[tuple[str, str]]:
    """(person, owner) pairs where one person would be both council member and approver of the
    same owner: the council verifies and the People's Committee approves (Decision 1867/QĐ-UBND
    Art. 8.3 and 9), never the same person. Checked on the register's whole resulting state."""
    grants = list(grants)
    council = {(pid, g.owner) for pid, g in grants if g.role is Role.COUNCIL_MEMBER}
    return sorted({(pid, g.owner) for pid, g in grants if g.role is Role.APPROVER and (pid, g.owner) in council})


class FourEyesViolation(NotAuthorized):
    """The approver recorded (part of) the verification they would approve."""

    def __init__(self, approver_person_id: str) -> None:
        super().__init__(
            approver_person_id, Command.APPROVE, "", None,
            "người phê duyệt không được là người đã ghi nhận kết quả thẩm định (nguyên tắc bốn mắt)",
        )

    def __str__(self) -> str:
        return f"'{self.person_id}' không được thực hiện 'approve': {self.reason}"

    def __reduce__(self):
        return (FourEyesViolation, (self.person_id,))


def check_four_eyes(approver_person_id: str, verifier_person_ids: Iterable[str]) -> None:
    """The person who approves must not be one who recorded the verification (four-eyes)."""
    if approver_person_id in set(verifier_person_ids):
        raise FourEyesViolation(approver_person_id)
