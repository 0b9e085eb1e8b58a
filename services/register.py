"""Importing the units register: an administrative act, audited like a cycle's commands.

The register says who holds which role where, so changing it is itself a command with an
actor: a person holding `administrator` for the province, or the server's shell (`dtiflow
admin units import`: trusted as ops, audited as such), or — only on an empty database — the
bootstrap import that installs the first register. The file is the whole register: the
import shows what changes (units, people, grants added, changed, removed), revokes the grants
of what is gone and deactivates its units and people (their history stays), refuses to remove
a unit enrolled in a cycle still running unless forced with a reason, and applies a change of
an existing person's e-mail or a role added to them only with the administrator's explicit
confirmation. The council/approver rule (never both for one owner) is checked on the grants
in force after the import, whatever file gave them, and again by the database. docs/security.md.

Units through time (domain.units): each unit's validity and predecessors are stored, and the
owners' offices; a unit is never deleted, so a closed cycle still shows the units it enrolled.
Re-importing a register after a merger reports what ended (an end date appeared) and what began
(a new code).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.authorization import Command, Grant, NotAuthorized, Role, authorize, four_eyes_conflicts
from domain.cycle import CycleState
from domain.instants import to_utc
from domain.register_diff import (
    PersonRecord,
    RegisterDiff,
    RegisterState,
    UnitRecord,
    describe_diff,
    diff_register,
    grants_after,
    summary,
)
from domain.units import RegisterChange, Validity, compare_registers
from rubrics.units_loader import PROVINCE_OWNER, UnitsRegister
from services.config import Services
from services.errors import InvalidRequest
from services.runner import load_actor
from store.log_rows import AuditRow

REGISTER_STREAM = "register"     # the register's own audit stream (it belongs to no cycle)
OPS_ROLE = "ops"                 # the server's shell: trusted as ops, and the audit says so
BOOTSTRAP_ACTOR = "system:bootstrap"
BOOTSTRAP_ROLE = "bootstrap"
FINISHED = frozenset({CycleState.PUBLISHED.value, CycleState.CANCELLED.value})


class ConfirmationRequired(InvalidRequest):
    """The import changes an existing person's e-mail or gives them a role: shown, not applied."""


def register_state(uow) -> RegisterState:
    links: dict[str, list[tuple[str, str]]] = {}
    for link in uow.units.lineage():
        links.setdefault(link.unit_code, []).append((link.predecessor_code, link.change))
    units = {u.code: UnitRecord(u.code, u.name, u.kind, u.level, u.parent_code, u.email, u.focal_person_id,
                                u.head_person_id, u.valid_from, u.valid_until,
                                tuple(sorted(p for p, _ in links.get(u.code, ()))),
                                links[u.code][0][1] if links.get(u.code) else None)
             for u in uow.units.list()}
    people = {p.id: PersonRecord(p.id, p.full_name, p.email) for p in uow.people.list(active_only=True)}
    grants = frozenset((g.person_id, Grant(Role(g.role), g.unit_code, g.owner_scope)) for g in uow.people.active_grants())
    return RegisterState(units, people, grants)


def file_state(register: UnitsRegister) -> RegisterState:
    units = {u.code: UnitRecord(u.code, u.name, u.kind, u.level, u.parent, u.email, u.focal.id, u.head.id,
                                u.validity.valid_from, u.validity.valid_until, tuple(sorted(u.predecessors)),
                                u.change if u.predecessors else None)
             for u in register.units}
    people = {p.id: PersonRecord(p.id, p.name, p.email) for p in register.people()}
    grants = {(u.focal.id, Grant(Role.UNIT_FOCAL, unit_code=u.code)) for u in register.units}
    grants |= {(u.head.id, Grant(Role.UNIT_LEADER, unit_code=u.code)) for u in register.units}
    grants |= {(s.person.id, Grant(Role(s.role), owner=s.owner)) for s in register.staff}
    return RegisterState(units, people, frozenset(grants))


def _who(uow, current: RegisterState, actor_id: str | None, ops: str | None) -> tuple[str, str]:
    """(audit actor, audit role) of this import, or NotAuthorized."""
    if actor_id is not None:
        actor = load_actor(uow, actor_id)
        return actor_id, str(authorize(actor, Command.IMPORT_REGISTER, cycle_owner=PROVINCE_OWNER))
    if ops is not None:
        if not ops.strip():
            raise InvalidRequest("thao tác từ máy chủ cần tên người vận hành (ops)")
        return f"ops:{ops.strip()}", OPS_ROLE
    if current.empty:
        return BOOTSTRAP_ACTOR, BOOTSTRAP_ROLE
    raise NotAuthorized("(không rõ)", Command.IMPORT_REGISTER, PROVINCE_OWNER, None,
                        "cơ sở dữ liệu đã có danh mục: nhập lại cần người quản trị (--as) "
                        "hoặc 'dtiflow admin units import' trên máy chủ")


def _office_row(o) -> dict[str, str]:
    return {"owner": o.owner, "secretariat": o.secretariat, "authority": o.authority, "address": o.address,
            "mailbox": o.mailbox, "contact_name": o.contact_name, "contact_phone": o.contact_phone,
            "contact_email": o.contact_email}


def _offices_changed(uow, register: UnitsRegister) -> list[str]:
    """The owners whose office (secretariat, authority, address, contact) the file adds or changes."""
    out = []
    for o in register.owners:
        held = uow.units.owner_office(o.owner)
        if held is None or {k: getattr(held, k) for k in _office_row(o)} != _office_row(o):
            out.append(o.owner)
    return sorted(out)


def _enrolled_in_running_cycles(uow, codes: tuple[str, ...]) -> dict[str, list[str]]:
    if not codes:
        return {}
    out: dict[str, list[str]] = {}
    for cycle in uow.cycles.list():
        if cycle.state in FINISHED:
            continue
        for code in codes:
            if uow.sheets.get(cycle.id, code) is not None:
                out.setdefault(code, []).append(cycle.id)
    return out


def import_register(services: Services, register: UnitsRegister, *, actor_id: str | None = None,
                    ops: str | None = None, confirm: bool = False, force: bool = False, reason: str | None = None,
                    dry_run: bool = False) -> dict[str, Any]:
    """Compare the file with the register in force and, unless `dry_run`, apply the difference
    in one transaction with its audit event. Returns the summary and the diff's lines."""
    with services.uow() as uow:
        current = register_state(uow)
        actor, role = _who(uow, current, actor_id, ops)
        proposed = file_state(register)
        diff = diff_register(current, proposed)
        conflicts = four_eyes_conflicts(grants_after(current, diff))
        if conflicts:
            raise InvalidRequest("; ".join(f"'{pid}' sẽ vừa là thành viên Hội đồng thẩm định vừa là người phê duyệt "
                                           f"của '{owner}' (nguyên tắc bốn mắt)" for pid, owner in conflicts))
        running = _enrolled_in_running_cycles(uow, diff.units_removed)
        if running and not force:
            raise InvalidRequest("không xóa đơn vị đang tham gia kỳ đánh giá chưa kết thúc: "
                                 + "; ".join(f"{code} ({', '.join(ids)})" for code, ids in sorted(running.items()))
                                 + " — dùng --force kèm --reason nếu thật sự cần")
        if running and not (reason and reason.strip()):
            raise InvalidRequest("--force cần ghi rõ lý do (--reason)")
        stored = {u.code: Validity(u.valid_from, u.valid_until) for u in uow.units.list(include_inactive=True)}
        change = compare_registers(stored, {u.code: u.validity for u in register.units})
        offices = _offices_changed(uow, register)
        result = _result(register, diff, change, offices, actor, role, applied=False)
        if dry_run or (diff.empty and not offices):
            return result
        if diff.needs_confirmation and not confirm and role != BOOTSTRAP_ROLE:
            raise ConfirmationRequired(
                "danh mục mới thay đổi e-mail hoặc thêm vai trò cho người đã có; xem lại rồi chạy lại với --confirm:\n"
                + "\n".join(line for line in result["changes"] if line.startswith("[cần xác nhận]")))
        now = to_utc(services.clock.now())
        _apply(uow, register, current, diff, actor, now, reason=reason.strip() if reason else None,
               forced=sorted(running))
        uow.audit.append_many([_audit_row(register, diff, offices, actor, role, now, reason, sorted(running))])
        uow.commit()
    return {**result, "applied": True}


def _apply(uow, register: UnitsRegister, current: RegisterState, diff: RegisterDiff, actor: str, now: dt.datetime,
           *, reason: str | None, forced: list[str]) -> None:
    why = reason or "không còn trong danh mục đơn vị mới"
    # Revocations first: a grant that moves (focal person of a unit changes, a council member
    # becomes approver) never coexists with its successor, here or in the database's triggers.
    gone = set(diff.grants_revoked)
    ids = [g.id for g in uow.people.active_grants()
           if (g.person_id, Grant(Role(g.role), g.unit_code, g.owner_scope)) in gone]
    uow.people.revoke_many(ids, by=actor, at=now, reason=why)
    people = {p.id: p for p in uow.people.list()}
    rows = [{"id": p.id, "full_name": p.name, "email": p.email, "active": True} for p in register.people()]
    rows += [{"id": pid, "full_name": people[pid].full_name, "email": people[pid].email, "active": False}
             for pid in diff.people_removed]
    uow.people.upsert_many(rows)
    units = {u.code: u for u in uow.units.list(include_inactive=True)}
    removed = [{"code": u.code, "name": u.name, "kind": u.kind, "level": u.level, "parent_code": u.parent_code,
                "focal_person_id": u.focal_person_id, "head_person_id": u.head_person_id, "email": u.email,
                "active": False, "valid_from": u.valid_from, "valid_until": u.valid_until}
               for u in (units[c] for c in diff.units_removed)]
    # Districts before their communes (the parent foreign key).
    for batch in ([u for u in register.units if u.level != "commune"], [u for u in register.units if u.level == "commune"]):
        uow.units.upsert_many([
            {"code": u.code, "name": u.name, "kind": u.kind, "level": u.level, "parent_code": u.parent,
             "focal_person_id": u.focal.id, "head_person_id": u.head.id, "email": u.email, "active": True,
             "valid_from": u.validity.valid_from, "valid_until": u.validity.valid_until}
            for u in batch])
    uow.units.upsert_many(removed)
    uow.units.set_lineage([{"unit_code": u.code, "predecessor_code": p, "change": u.change}
                           for u in register.units for p in u.predecessors])
    uow.units.upsert_owner_offices([_office_row(o) for o in register.owners])
    uow.people.grant_many([(pid, str(g.role), g.unit_code, g.owner) for pid, g in diff.grants_added], by=actor, at=now)


def _result(register: UnitsRegister, diff: RegisterDiff, change: RegisterChange, offices: list[str], actor: str,
            role: str, *, applied: bool) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for u in register.units:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    return {"file": register.file, "province": register.province, "units": len(register.units),
            "by_kind": dict(sorted(kinds.items())), "people": len(register.people()), "staff": len(register.staff),
            "owners": len(register.owners), "ended": list(change.ended), "began": list(change.began),
            "actor": actor, "role": role, "applied": applied, "unchanged": diff.empty and not offices,
            "needs_confirmation": diff.needs_confirmation, "diff": summary(diff),
            "changes": describe_diff(diff) + [f"~ văn phòng của '{owner}' (cơ quan thường trực, địa chỉ, liên hệ)"
                                              for owner in offices]}


def _plain(value: Any) -> Any:
    """A field's value as the audit's JSON holds it (dates as ISO text, tuples as lists)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def _audit_row(register: UnitsRegister, diff: RegisterDiff, offices: list[str], actor: str, role: str, now: dt.datetime,
               reason: str | None, forced: list[str]) -> dict[str, Any]:
    def grants(items):
        return [{"person": pid, "role": str(g.role), "unit": g.unit_code, "owner": g.owner} for pid, g in items]

    stream = {"stream": REGISTER_STREAM} if "stream" in AuditRow.model_fields else {}  # the chain's own column
    return {
        **stream,
        "cycle_id": None, "unit_code": None, "actor_id": actor, "role": role, "at": now,
        "command": str(Command.IMPORT_REGISTER), "event": "RegisterImported", "from_state": None, "to_state": None,
        "reason": reason.strip() if reason else None,
        "details": {
            "stream": REGISTER_STREAM, "file": register.file, "province": register.province,
            "units_added": list(diff.units_added), "units_removed": list(diff.units_removed),
            "units_changed": [{"code": c.key, "fields": [[f, _plain(old), _plain(new)] for f, old, new in c.fields]}
                              for c in diff.units_changed],
            "offices_changed": offices,
            "people_added": list(diff.people_added), "people_removed": list(diff.people_removed),
            "people_changed": [{"id": c.key, "fields": [list(f) for f in c.fields]} for c in diff.people_changed],
            "grants_added": grants(diff.grants_added), "grants_revoked": grants(diff.grants_revoked),
            "confirmed": [line for line in describe_diff(diff) if line.startswith("[cần xác nhận]")],
            "forced_removal": forced,
        },
    }


def register_log(services: Services, *, actor_id: str | None = None, ops: str | None = None) -> list[dict[str, Any]]:
    """The register's audit events (an administrator, or the shell)."""
    with services.uow() as uow:
        if actor_id is not None:
            authorize(load_actor(uow, actor_id), Command.VIEW_REGISTER_AUDIT, cycle_owner=PROVINCE_OWNER)
        elif ops is None:
            raise InvalidRequest("nhật ký danh mục cần người quản trị (--as) hoặc thao tác từ máy chủ")
        return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor_id, "role": r.role, "event": r.event,
                 "reason": r.reason, "details": r.details}
                for r in uow.audit.list() if r.cycle_id is None and r.command == str(Command.IMPORT_REGISTER)]
