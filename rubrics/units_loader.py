"""The units register (`rubrics/units/*.yaml`): units through time (validity, predecessors), their
focal person and head, the owners of cycles with their secretariat's contact details, and the
officials who act for an owner. Every bad row is reported, each as
``file:line: unit CODE, field 'x': what is wrong``, all of them at once. The format is in
docs/units.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import datetime as dt

from domain.mail_address import address_problem
from domain.printable import control_character
from domain.units import CHANGES, COMMUNE_LEVEL_KINDS, LEVEL_OF_KIND, UNIT_KINDS, Validity, successor_loop
from rubrics.source import DATA_DIR, HANDED_IN, DataFileError, Node, load_yaml

STAFF_ROLES = ("secretariat", "council_member", "approver", "administrator")
PROVINCE_OWNER = "province"
DEFAULT_REGISTER = DATA_DIR / "units" / "binhthuan.yaml"

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
_PERSON_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+][0-9 .()-]{5,29}$")
_UNIT_KEYS = ("code", "name", "kind", "parent", "email", "focal", "head", "valid_from", "valid_until",
              "predecessors", "change")


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
    validity: Validity = Validity()
    predecessors: tuple[str, ...] = ()
    change: str | None = None  # how it came from its predecessors (domain.units.CHANGES)


@dataclass(frozen=True)
class OwnerEntry:
    """Who runs an owner's cycles, as every e-mail, page and export names them: the secretariat
    (cơ quan thường trực), the authority that decides (the People's Committee), their address,
    the mailbox units reply to, and the contact person with a phone number."""

    owner: str  # "province" or a district's unit code
    secretariat: str
    authority: str
    address: str
    mailbox: str
    contact_name: str
    contact_phone: str
    contact_email: str

    def contact_line(self) -> str:
        return f"{self.contact_name}, ĐT {self.contact_phone}, {self.contact_email}; {self.address}"


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
    owners: tuple[OwnerEntry, ...] = ()

    def valid_on(self, day: dt.date) -> tuple[UnitEntry, ...]:
        return tuple(u for u in self.units if u.validity.contains(day))

    def owner(self, scope: str) -> OwnerEntry | None:
        return next((o for o in self.owners if o.owner == scope), None)

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
        Exception.__init__(self, "\n".join(problems))
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


def _day(node: Node | None, who: str, field: str, problems: _Problems) -> dt.date | None:
    if node is None:
        return None
    try:
        return node.date(field)
    except DataFileError:
        problems.add(node, who, field, f"'{node.value}' is not a date YYYY-MM-DD")
        return None


def _vi(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def load_units_register(path: Path | str = DEFAULT_REGISTER) -> UnitsRegister:
    root = load_yaml(path, HANDED_IN).expect_map("the units register")
    root.only_keys({"province", "valid_from", "owners", "units", "staff"}, "the units register")
    province = root.req("province", "the units register").str("province")
    problems = _Problems()
    default_from = _day(root.get("valid_from"), "the units register", "valid_from", problems)
    units: list[UnitEntry] = []
    codes: dict[str, Node] = {}
    for row in root.req("units", "the units register").expect_list("units"):
        if not row.is_map():
            problems.items.append(f"{row.where}: a unit must be a mapping (code, name, kind, focal, head)")
            continue
        code = _text(row, "code", "unit ?", problems, pattern=_CODE, hint=" (A-Z, 0-9 and -, at most 40)")
        who = f"unit {code or '?'}"
        for key in sorted(set(row.keys()) - set(_UNIT_KEYS)):
            problems.add(row.get(key), who, key, f"unknown field (known: {', '.join(_UNIT_KEYS)})")
        if code and code in codes:
            problems.add(row, who, "code", f"duplicate code (first at line {codes[code].where.line})")
        name = _text(row, "name", who, problems)
        kind = _text(row, "kind", who, problems)
        if kind and kind not in UNIT_KINDS:
            problems.add(row.get("kind"), who, "kind", f"'{kind}' is not one of {', '.join(UNIT_KINDS)}")
            kind = None
        parent_node = row.get("parent")
        parent = parent_node.value.strip() if parent_node is not None and isinstance(parent_node.value, str) else None
        # Since 1 July 2025 a commune may have no district: the province evaluates it directly.
        if kind and kind not in COMMUNE_LEVEL_KINDS and parent_node is not None:
            problems.add(parent_node, who, "parent", "only a commune-level unit has a parent unit")
        validity = _validity(row, who, default_from, problems)
        predecessors, change = _lineage(row, who, validity, problems)
        email = _text(row, "email", who, problems, pattern=_EMAIL, hint=" (an e-mail address)") if row.has("email") else None
        focal = _person(row.get("focal"), row, who, "focal", problems)
        head = _person(row.get("head"), row, who, "head", problems)
        if focal and head and focal.id == head.id:
            problems.add(row.get("head"), who, "head", "the head must be another person than the focal person")
        if code:
            codes.setdefault(code, row)
        if code and name and kind and focal and head and validity is not None and predecessors is not None:
            units.append(UnitEntry(code, name, kind, LEVEL_OF_KIND[kind], parent if kind in COMMUNE_LEVEL_KINDS else None,
                                   email, focal, head, row.where.line, validity, predecessors, change))
    by_code = {u.code: u for u in units}
    path_text = root.where.path
    _check_parents(units, by_code, path_text, problems)
    _check_lineage(units, by_code, path_text, problems)
    owners = _owners(root.get("owners"), by_code, problems)
    staff = _staff(root.get("staff"), by_code, problems)
    _check_people(units, staff, path_text, problems)
    named = {o.owner for o in owners}
    for owner in sorted({s.owner for s in staff} - named) if root.has("owners") else ():
        problems.items.append(f"{path_text}: owners: staff act for '{owner}' but the register gives no owners entry "
                              f"for it (secretariat, authority, address, mailbox, contact)")
    if problems.items:
        raise UnitsRegisterError(problems.items)
    return UnitsRegister(province, tuple(units), tuple(staff), str(path_text), tuple(owners))


def _validity(row: Node, who: str, default_from: dt.date | None, problems: _Problems) -> Validity | None:
    start = _day(row.get("valid_from"), who, "valid_from", problems) if row.has("valid_from") else default_from
    until = _day(row.get("valid_until"), who, "valid_until", problems)
    if (row.has("valid_from") and start is None) or (row.has("valid_until") and until is None):
        return None
    validity = Validity(start, until)
    if validity.empty:
        problems.add(row.get("valid_until"), who, "valid_until",
                     f"ends on {_vi(until)}, before it begins on {_vi(start)}: the unit is valid on no day, "
                     f"so no cycle could enrol it")
        return None
    return validity


def _lineage(row: Node, who: str, validity: Validity | None,
             problems: _Problems) -> tuple[tuple[str, ...] | None, str | None]:
    node, change_node = row.get("predecessors"), row.get("change")
    change = None
    if change_node is not None:
        change = change_node.value if isinstance(change_node.value, str) else None
        if change not in CHANGES:
            problems.add(change_node, who, "change", f"'{change_node.value}' is not one of {', '.join(CHANGES)}")
            return None, None
    if node is None:
        if change not in (None, "established"):
            problems.add(change_node, who, "change", f"'{change}' needs the codes of the units it came from "
                         f"(predecessors)")
            return None, None
        return (), change
    if not node.is_list() or not node.value:
        problems.add(node, who, "predecessors", "must be a list of unit codes")
        return None, None
    codes = []
    for item in node:
        if not isinstance(item.value, str) or not _CODE.match(item.value.strip()):
            problems.add(item, who, "predecessors", f"'{item.value}' is not a unit code")
            return None, None
        codes.append(item.value.strip())
    if change is None or change == "established":
        problems.add(change_node or node, who, "change",
                     f"say how it came from {', '.join(codes)}: one of {', '.join(CHANGES[1:])}")
        return None, None
    if validity is not None and validity.valid_from is None:
        problems.add(node, who, "valid_from", "a unit that continues others needs the day it began (valid_from)")
        return None, None
    return tuple(codes), change


def _check_parents(units: list[UnitEntry], by_code: dict[str, UnitEntry], path: str, problems: _Problems) -> None:
    for u in units:
        if u.parent is None:
            continue
        district = by_code.get(u.parent)
        where = f"{path}:{u.line}: unit {u.code}, field 'parent': "
        if district is None or district.kind != "district":
            problems.items.append(where + f"'{u.parent}' is not a district in this register")
        elif not district.validity.covers(u.validity):
            ended = district.validity.valid_until
            began = district.validity.valid_from
            if ended is not None and (u.validity.valid_until is None or ended < u.validity.valid_until):
                problems.items.append(where + f"district '{u.parent}' no longer exists after {_vi(ended)}, while "
                                      f"this unit is valid {_period(u.validity)}: give the unit no parent "
                                      f"(the province evaluates it) or end it with its district")
            else:
                problems.items.append(where + f"district '{u.parent}' only exists from {_vi(began)}, while this "
                                      f"unit is valid {_period(u.validity)}")


def _period(v: Validity) -> str:
    start = f"from {_vi(v.valid_from)}" if v.valid_from else "from the start"
    return start + (f" until {_vi(v.valid_until)}" if v.valid_until else " with no end")


def _check_lineage(units: list[UnitEntry], by_code: dict[str, UnitEntry], path: str, problems: _Problems) -> None:
    """A predecessor in this register must have ended before its successor began; a chain of
    successors must never come back to where it started. Predecessors not in the register (the
    old units of another province, or not listed) are kept as codes."""
    loop = successor_loop({u.code: u.predecessors for u in units if u.predecessors})
    if loop:
        first = by_code[loop[0]]
        problems.items.append(f"{path}:{first.line}: unit {first.code}, field 'predecessors': successor loop "
                              f"{' <- '.join(loop)}: a unit cannot continue itself")
        return
    for u in units:
        for code in u.predecessors:
            before = by_code.get(code)
            if before is None:
                continue
            if code == u.code:
                continue
            ended = before.validity.valid_until
            if ended is None or ended >= u.validity.valid_from:
                problems.items.append(f"{path}:{u.line}: unit {u.code}, field 'predecessors': '{code}' is still valid "
                                      f"on {_vi(u.validity.valid_from)}, the day this unit begins: give '{code}' "
                                      f"valid_until before that day")


def _owners(node: Node | None, by_code: dict[str, UnitEntry], problems: _Problems) -> list[OwnerEntry]:
    out: list[OwnerEntry] = []
    if node is None:
        return out
    seen: set[str] = set()
    for row in node.expect_list("owners"):
        if not row.is_map():
            problems.items.append(f"{row.where}: an owners entry must be a mapping (owner, secretariat, authority, "
                                  f"address, mailbox, contact)")
            continue
        owner = _text(row, "owner", "owner ?", problems)
        who = f"owner {owner or '?'}"
        known = {"owner", "secretariat", "authority", "address", "mailbox", "contact"}
        for key in sorted(set(row.keys()) - known):
            problems.add(row.get(key), who, key, f"unknown field (known: {', '.join(sorted(known))})")
        if owner and owner != PROVINCE_OWNER and (owner not in by_code or by_code[owner].kind != "district"):
            problems.add(row.get("owner"), who, "owner", f"'{owner}' is neither 'province' nor a district code")
            owner = None
        if owner and owner in seen:
            problems.add(row.get("owner"), who, "owner", "given twice")
            owner = None
        secretariat = _text(row, "secretariat", who, problems)
        authority = _text(row, "authority", who, problems)
        address = _text(row, "address", who, problems)
        mailbox = _text(row, "mailbox", who, problems, pattern=_EMAIL, hint=" (an e-mail address)")
        contact = row.get("contact")
        name = phone = email = None
        if contact is None or not contact.is_map():
            problems.add(contact or row, who, "contact", "is required: {name, phone, email}")
        else:
            for key in sorted(set(contact.keys()) - {"name", "phone", "email"}):
                problems.add(contact.get(key) or contact, who, "contact", f"unknown field '{key}' (known: name, phone, email)")
            name = _text(contact, "name", who, problems)
            phone = _text(contact, "phone", who, problems, pattern=_PHONE, hint=" (a phone number)")
            email = _text(contact, "email", who, problems, pattern=_EMAIL, hint=" (an e-mail address)")
        if owner:
            seen.add(owner)
        if owner and secretariat and authority and address and mailbox and name and phone and email:
            out.append(OwnerEntry(owner, secretariat, authority, address, mailbox, name, phone, email))
    return out


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
