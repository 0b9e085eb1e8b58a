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


class Scope(StrEnum):
    OWN_UNIT = "own_unit"        # the actor's unit is the sheet's unit
    CYCLE_OWNER = "cycle_owner"  # the actor acts for the cycle's owner (province, or district)
    ANY = "any"                  # no condition beyond the role


class Target(StrEnum):
    SHEET = "sheet"  # the command acts on one unit's sheet: `unit_code` is required
    CYCLE = "cycle"  # the command acts on the cycle; `unit_code` is optional (a filter)


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
})

ROLE_LABELS_VI: Mapping[Role, str] = MappingProxyType({
    R.UNIT_FOCAL: "Đầu mối kê khai của đơn vị",
    R.UNIT_LEADER: "Lãnh đạo đơn vị",
    R.SECRETARIAT: "Cơ quan thường trực",
    R.COUNCIL_MEMBER: "Thành viên Hội đồng thẩm định",
    R.APPROVER: "Người phê duyệt",
})


@dataclass(frozen=True, slots=True)
class Actor:
    person_id: str
    roles: frozenset[Role]
    unit_code: str | None = None    # the unit a focal person or leader belongs to
    owner_scope: str | None = None  # the province code, or a district's unit code for its communes

    def __post_init__(self) -> None:
        if not self.person_id or not self.person_id.strip():
            raise ValueError("actor: person_id is empty")
        object.__setattr__(self, "roles", frozenset(Role(r) for r in self.roles))


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


def _holds(scope: Scope, actor: Actor, cycle_owner: str, unit_code: str | None) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.CYCLE_OWNER:
        return actor.owner_scope is not None and actor.owner_scope == cycle_owner
    # OWN_UNIT: a unit person acts on their own unit's sheet only, never on the whole cycle.
    return actor.unit_code is not None and unit_code is not None and actor.unit_code == unit_code


_SCOPE_VI = {
    Scope.OWN_UNIT: "của chính đơn vị mình",
    Scope.CYCLE_OWNER: "của cơ quan chủ trì kỳ đánh giá",
    Scope.ANY: "",
}


def describe(rule: Rule) -> str:
    """'unit_leader của chính đơn vị mình' — who the rule admits, for messages and docs."""
    return "; ".join(f"{role} {_SCOPE_VI[scope]}".strip() for role, scope in rule.grants.items())


def authorize(actor: Actor, command: Command | str, *, cycle_owner: str, unit_code: str | None = None) -> None:
    """Return if one of the actor's roles is granted `command` and its scope holds; else raise
    `NotAuthorized` saying who, what, on what and why."""
    try:
        cmd = Command(command)
    except ValueError:
        raise NotAuthorized(actor.person_id, str(command), cycle_owner, unit_code, "lệnh không xác định") from None
    rule = POLICY[cmd]
    if rule.target is Target.SHEET and unit_code is None:
        raise ValueError(f"authorize({cmd}): this command acts on one unit's sheet; unit_code is required")
    granted = [role for role in actor.roles if role in rule.grants]
    if not granted:
        roles = ", ".join(sorted(actor.roles)) or "không có vai trò"
        raise NotAuthorized(actor.person_id, cmd, cycle_owner, unit_code,
                            f"vai trò ({roles}) không được phép; lệnh này dành cho: {describe(rule)}")
    if any(_holds(rule.grants[role], actor, cycle_owner, unit_code) for role in granted):
        return
    scopes = {rule.grants[role] for role in granted}
    if Scope.OWN_UNIT in scopes and unit_code is None:
        why = f"người của đơn vị '{actor.unit_code}' chỉ được thao tác trên phiếu của đơn vị mình, không trên toàn kỳ"
    elif Scope.OWN_UNIT in scopes:
        why = f"người của đơn vị '{actor.unit_code}' chỉ được thao tác trên phiếu của đơn vị mình"
    else:
        why = f"người thuộc '{actor.owner_scope}' không thuộc cơ quan chủ trì kỳ đánh giá '{cycle_owner}'"
    raise NotAuthorized(actor.person_id, cmd, cycle_owner, unit_code, why)


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
