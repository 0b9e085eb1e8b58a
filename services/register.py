"""Importing the units register into the database (units, people, their roles).

Idempotent: importing the same file twice changes nothing; a changed name or e-mail is
updated. Focal persons get `unit_focal` for their unit, heads `unit_leader` (Decision 265
Art. 6(1)(b)(c)); staff get their role for the owner they act for.

Units through time (domain.units): each unit's validity and predecessors are stored; a unit is
never deleted, so a closed cycle still shows the units it enrolled. Re-importing a register
after a merger reports what ended (an end date appeared) and what began (a new code).
"""

from __future__ import annotations

from typing import Any

from domain.units import Validity, compare_registers
from rubrics.units_loader import UnitsRegister
from services.config import Services


def import_register(services: Services, register: UnitsRegister) -> dict[str, Any]:
    with services.uow() as uow:
        stored = {u.code: Validity(u.valid_from, u.valid_until) for u in uow.units.list(include_inactive=True)}
        change = compare_registers(stored, {u.code: u.validity for u in register.units})
        written = uow.people.upsert_many([{"id": p.id, "full_name": p.name, "email": p.email, "active": True}
                                          for p in register.people()])
        # Districts before their communes (the parent foreign key).
        districts_first = ([u for u in register.units if u.level != "commune"],
                           [u for u in register.units if u.level == "commune"])
        for batch in districts_first:
            written += uow.units.upsert_many([
                {"code": u.code, "name": u.name, "kind": u.kind, "level": u.level, "parent_code": u.parent,
                 "focal_person_id": u.focal.id, "head_person_id": u.head.id, "email": u.email, "active": True,
                 "valid_from": u.validity.valid_from, "valid_until": u.validity.valid_until}
                for u in batch])
        written += uow.units.set_lineage([{"unit_code": u.code, "predecessor_code": p, "change": u.change}
                                          for u in register.units for p in u.predecessors])
        written += uow.units.upsert_owner_offices([
            {"owner": o.owner, "secretariat": o.secretariat, "authority": o.authority, "address": o.address,
             "mailbox": o.mailbox, "contact_name": o.contact_name, "contact_phone": o.contact_phone,
             "contact_email": o.contact_email} for o in register.owners])
        grants = [(u.focal.id, "unit_focal", u.code, None) for u in register.units]
        grants += [(u.head.id, "unit_leader", u.code, None) for u in register.units]
        grants += [(s.person.id, s.role, None, s.owner) for s in register.staff]
        written += uow.people.grant_many(grants)
        uow.commit()
    kinds: dict[str, int] = {}
    for u in register.units:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    return {"file": register.file, "province": register.province, "units": len(register.units),
            "by_kind": dict(sorted(kinds.items())), "people": len(register.people()), "staff": len(register.staff),
            "owners": len(register.owners), "ended": list(change.ended), "began": list(change.began),
            "rows_written": written}
