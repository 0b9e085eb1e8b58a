"""The units register (`rubrics/units/*.yaml`): units, their focal person and head, and the
officials who act for a cycle's owner. Every bad row is reported, each as
``file:line: unit CODE, field 'x': what is wrong``, all of them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from domain.mail_address import address_problem
from domain.printable import control_character
from rubrics.source import DATA_DIR, DataFileError, Node, load_yaml

# `province`: a province evaluated by the Ministry (the national DTI, Decision 405/QĐ-BKHCN).
UNIT_KINDS = ("department", "office", "public_service_unit", "district", "commune", "province")
LEVEL_OF_KIND = {"department": "province", "office": "province", "public_service_unit": "province",
                 "district": "district", "commune": "commune", "province": "national"}
STAFF_ROLES = ("secretariat", "council_member", "approver", "administrator")
PROVINCE_OWNER = "province"
DEFAULT_REGISTER = DATA_DIR / "units" / "binhthuan.yaml"

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
_PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PersonEntry:
    id: str
    name: str
    email: str


@dataclass(frozen=True)
class UnitEntry:
    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    email: str | None
    focal: PersonEntry
    head: PersonEntry
    line: int


@dataclass(frozen=True)
class StaffEntry:
    person: PersonEntry
    role: str
    owner: str


@dataclass(frozen=True)
class UnitsRegister:
    province: str
    units: tuple[UnitEntry, ...]
    staff: tuple[StaffEntry, ...]
    file: str

    def people(self) -> tuple[PersonEntry, ...]:
        seen: dict[str, PersonEntry] = {}
        for u in self.units:
            seen.setdefault(u.focal.id, u.focal)
            seen.setdefault(u.head.id, u.head)
        for s in self.staff:
            seen.setdefault(s.person.id, s.person)
        return tuple(seen.values())


class UnitsRegisterError(DataFileError):
    """One or more bad rows; `problems` lists each as `file:line: unit X, field 'y': ...`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        ValueError.__init__(self, "\n".join(problems))
        self.where, self.message = (problems[0].split(": ", 1) + [""])[:2]

    def __str__(self) -> str:
        return f"{len(self.problems)} lỗi trong danh mục đơn vị:\n" + "\n".join(self.problems)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, node: Node, who: str, field: str, message: str) -> None:
        self.items.append(f"{node.where}: {who}, field '{field}': {message}")


def _text(node: Node, key: str, who: str, problems: _Problems, *, pattern: re.Pattern | None = None,
          hint: str = "") -> str | None:
    value = node.get(key)
    if value is None or not isinstance(value.value, str) or not value.value.strip():
        problems.add(value or node, who, key, "is required (non-empty text)")
        return None
    text = value.value.strip()
    control = control_character(value.value)
    if control is not None:  # refused, never cleaned: it would break every table that prints it
        problems.add(value, who, key, f"có ký tự điều khiển {control}: sửa lại trong tệp")
        return None
    if pattern is _EMAIL and address_problem(text) is not None:  # the mailer's own rule
        problems.add(value, who, key, f"'{text}': {address_problem(text)}")
        return None
    if pattern is not None and not pattern.match(text):
        problems.add(value, who, key, f"'{text}' is not valid{hint}")
        return None
    return text


def _person(node: Node | None, parent: Node, who: str, field: str, problems: _Problems) -> PersonEntry | None:
    if node is None or not node.is_map():
        problems.add(node or parent, who, field, "is required: {id, name, email}")
        return None
    pid = _text(node, "id", who, problems, pattern=_PERSON_ID, hint=" (lower-case letters, digits, . _ -)")
    name = _text(node, "name", who, problems)
    email = _text(node, "email", who, problems, pattern=_EMAIL, hint=" (an e-mail address)")
    if pid and name and email:
        return PersonEntry(pid, name, email)
    return None


def load_units_register(path: Path | str = DEFAULT_REGISTER) -> UnitsRegister:
    root = load_yaml(path).expect_map("the units register")
    root.only_keys({"province", "units", "staff"}, "the units register")
    province = root.req("province", "the units register").str("province")
    problems = _Problems()
    units: list[UnitEntry] = []
    codes: dict[str, Node] = {}
    for row in root.req("units", "the units register").expect_list("units"):
        if not row.is_map():
            problems.items.append(f"{row.where}: a unit must be a mapping (code, name, kind, focal, head)")
            continue
        code = _text(row, "code", "unit ?", problems, pattern=_CODE, hint=" (A-Z, 0-9 and -, at most 40)")
        who = f"unit {code or '?'}"
        unknown = set(row.keys()) - {"code", "name", "kind", "parent", "email", "focal", "head"}
        for key in sorted(unknown):
            problems.add(row.get(key), who, key, "unknown field (known: code, name, kind, parent, email, focal, head)")
        if code and code in codes:
            problems.add(row, who, "code", f"duplicate code (first at line {codes[code].where.line})")
        name = _text(row, "name", who, problems)
        kind = _text(row, "kind", who, problems)
        if kind and kind not in UNIT_KINDS:
            problems.add(row.get("kind"), who, "kind", f"'{kind}' is not one of {', '.join(UNIT_KINDS)}")
            kind = None
        parent_node = row.get("parent")
        parent = parent_node.value.strip() if parent_node is not None and isinstance(parent_node.value, str) else None
        if kind == "commune" and not parent:
            problems.add(parent_node or row, who, "parent", "a commune needs its district's code")
        if kind and kind != "commune" and parent_node is not None:
            problems.add(parent_node, who, "parent", "only a commune has a parent unit")
        email = _text(row, "email", who, problems, pattern=_EMAIL, hint=" (an e-mail address)") if row.has("email") else None
        focal = _person(row.get("focal"), row, who, "focal", problems)
        head = _person(row.get("head"), row, who, "head", problems)
        if focal and head and focal.id == head.id:
            problems.add(row.get("head"), who, "head", "the head must be another person than the focal person")
        if code:
            codes.setdefault(code, row)
        if code and name and kind and focal and head:
            units.append(UnitEntry(code, name, kind, LEVEL_OF_KIND[kind], parent if kind == "commune" else None,
                                   email, focal, head, row.where.line))
    by_code = {u.code: u for u in units}
    for u in units:
        if u.parent is not None and (u.parent not in by_code or by_code[u.parent].kind != "district"):
            problems.items.append(f"{root.where.path}:{u.line}: unit {u.code}, field 'parent': "
                                  f"'{u.parent}' is not a district in this register")
    staff = _staff(root.get("staff"), by_code, problems)
    _check_people(units, staff, root.where.path, problems)
    if problems.items:
        raise UnitsRegisterError(problems.items)
    return UnitsRegister(province, tuple(units), tuple(staff), str(root.where.path))


def _staff(node: Node | None, by_code: dict[str, UnitEntry], problems: _Problems) -> list[StaffEntry]:
    out: list[StaffEntry] = []
    if node is None:
        return out
    for row in node.expect_list("staff"):
        if not row.is_map():
            problems.items.append(f"{row.where}: a staff entry must be a mapping (id, name, email, role, owner)")
            continue
        person = _person(row, row, f"staff {row.get('id').value if row.get('id') else '?'}", "id", problems)
        who = f"staff {person.id if person else '?'}"
        role = _text(row, "role", who, problems)
        if role and role not in STAFF_ROLES:
            problems.add(row.get("role"), who, "role", f"'{role}' is not one of {', '.join(STAFF_ROLES)}")
            role = None
        owner = _text(row, "owner", who, problems)
        if owner and owner != PROVINCE_OWNER and (owner not in by_code or by_code[owner].kind != "district"):
            problems.add(row.get("owner"), who, "owner", f"'{owner}' is neither 'province' nor a district code")
            owner = None
        if person and role and owner:
            out.append(StaffEntry(person, role, owner))
    return out


def _check_people(units: list[UnitEntry], staff: list[StaffEntry], path: str, problems: _Problems) -> None:
    """One person id is one person: the same id must not come with another name or e-mail."""
    seen: dict[str, PersonEntry] = {}
    for u in units:
        for field, p in (("focal", u.focal), ("head", u.head)):
            first = seen.setdefault(p.id, p)
            if first != p:
                problems.items.append(f"{path}:{u.line}: unit {u.code}, field '{field}': person '{p.id}' "
                                      f"is given with another name or e-mail elsewhere")
    # Four eyes (Decision 1867 Art. 7–8): nobody both verifies and approves for the same owner.
    roles = {(s.person.id, s.owner, s.role) for s in staff}
    for pid, owner, role in roles:
        if role == "approver" and (pid, owner, "council_member") in roles:
            problems.items.append(f"{path}: staff {pid}, field 'role': an approver cannot also be a council member "
                                  f"of '{owner}' (four eyes)")
