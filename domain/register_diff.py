"""What a new units register changes, compared with the one in force: units, people and grants
added, changed and removed — the administrator reads it before the import is applied.

A register file is the whole register of its province: whatever the database holds and the file
does not is gone (units and people are deactivated, their grants revoked; their history stays).
Pure: the service reads the state in force and the file, this module only compares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from domain.authorization import Grant


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    email: str | None
    focal: str | None  # person ids
    head: str | None
    # Units through time (domain.units): an end date that appears is a change the administrator
    # reads like any other; the unit stays, with its history.
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    predecessors: tuple[str, ...] = ()
    change: str | None = None  # how it came from its predecessors (domain.units.CHANGES)


@dataclass(frozen=True)
class PersonRecord:
    id: str
    name: str
    email: str


PersonGrant = tuple[str, Grant]  # (person id, the grant)


@dataclass(frozen=True)
class RegisterState:
    """The active units, people and grants (of the database, or of a file)."""

    units: Mapping[str, UnitRecord]
    people: Mapping[str, PersonRecord]
    grants: frozenset[PersonGrant]

    @property
    def empty(self) -> bool:
        return not self.units and not self.people and not self.grants


@dataclass(frozen=True)
class Change:
    """One record changed: its key and each changed field as (field, before, after)."""

    key: str
    fields: tuple[tuple[str, str | None, str | None], ...]


@dataclass(frozen=True)
class RegisterDiff:
    units_added: tuple[str, ...]
    units_changed: tuple[Change, ...]
    units_removed: tuple[str, ...]
    people_added: tuple[str, ...]
    people_changed: tuple[Change, ...]
    people_removed: tuple[str, ...]
    grants_added: tuple[PersonGrant, ...]
    grants_revoked: tuple[PersonGrant, ...]
    # What an administrator must confirm explicitly: a person already in the register whose
    # e-mail address changes (mail for their role would go elsewhere), or who gains a role.
    email_changes: tuple[Change, ...]
    roles_added_to_existing: tuple[PersonGrant, ...]

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.email_changes or self.roles_added_to_existing)


def _changes(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[Change, ...]:
    out = []
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        diffs = tuple((f.name, getattr(old, f.name), getattr(new, f.name)) for f in fields(old)
                      if getattr(old, f.name) != getattr(new, f.name))
        if diffs:
            out.append(Change(key, diffs))
    return tuple(out)


def _grant_order(item: PersonGrant) -> tuple[str, str, str]:
    pid, g = item
    return (pid, str(g.role), g.scope)


def diff_register(current: RegisterState, proposed: RegisterState) -> RegisterDiff:
    people_changed = _changes(current.people, proposed.people)
    added_grants = tuple(sorted(proposed.grants - current.grants, key=_grant_order))
    return RegisterDiff(
        units_added=tuple(sorted(set(proposed.units) - set(current.units))),
        units_changed=_changes(current.units, proposed.units),
        units_removed=tuple(sorted(set(current.units) - set(proposed.units))),
        people_added=tuple(sorted(set(proposed.people) - set(current.people))),
        people_changed=people_changed,
        people_removed=tuple(sorted(set(current.people) - set(proposed.people))),
        grants_added=added_grants,
        grants_revoked=tuple(sorted(current.grants - proposed.grants, key=_grant_order)),
        email_changes=tuple(Change(c.key, tuple(f for f in c.fields if f[0] == "email"))
                            for c in people_changed if any(f[0] == "email" for f in c.fields)),
        roles_added_to_existing=tuple(g for g in added_grants if g[0] in current.people),
    )


def describe_diff(diff: RegisterDiff) -> list[str]:
    """The diff for a person to read (Vietnamese), one line per change; flagged lines first."""
    lines: list[str] = []
    for c in diff.email_changes:
        (_f, old, new), = c.fields
        lines.append(f"[cần xác nhận] đổi e-mail của '{c.key}': {old} -> {new}")
    for pid, g in diff.roles_added_to_existing:
        lines.append(f"[cần xác nhận] thêm vai trò cho người đã có trong danh mục '{pid}': {g}")
    lines += [f"+ đơn vị {code}" for code in diff.units_added]
    lines += [f"~ đơn vị {c.key}: " + "; ".join(f"{f} {old} -> {new}" for f, old, new in c.fields)
              for c in diff.units_changed]
    lines += [f"- đơn vị {code} (ngừng hoạt động, lịch sử giữ nguyên)" for code in diff.units_removed]
    lines += [f"+ người {pid}" for pid in diff.people_added]
    lines += [f"~ người {c.key}: " + "; ".join(f"{f} {old} -> {new}" for f, old, new in c.fields)
              for c in diff.people_changed]
    lines += [f"- người {pid} (ngừng hoạt động, lịch sử giữ nguyên)" for pid in diff.people_removed]
    lines += [f"+ quyền {pid}: {g}" for pid, g in diff.grants_added]
    lines += [f"- thu hồi quyền {pid}: {g}" for pid, g in diff.grants_revoked]
    return lines


def summary(diff: RegisterDiff) -> dict[str, int]:
    return {f.name: len(getattr(diff, f.name)) for f in fields(diff)}


def grants_after(current: RegisterState, diff: RegisterDiff) -> Iterable[PersonGrant]:
    """The grants in force once the diff is applied."""
    return (set(current.grants) - set(diff.grants_revoked)) | set(diff.grants_added)
