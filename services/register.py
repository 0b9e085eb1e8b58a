"""Importing the units register into the database (units, people, their roles).

Idempotent: importing the same file twice changes nothing; a changed name or e-mail is
updated. Focal persons get `unit_focal` for their unit, heads `unit_leader` (Decision 265
Art. 6(1)(b)(c)); staff get their role for the owner they act for.
"""

from __future__ import annotations

from typing import Any

from rubrics.units_loader import UnitsRegister
from services.config import Services
from store.register_rows import PersonRow, UnitRow


def import_register(services: Services, register: UnitsRegister) -> dict[str, Any]:
    with services.uow() as uow:
        for p in register.people():
            uow.people.upsert(PersonRow(id=p.id, full_name=p.name, email=p.email, active=True))
        # Districts before their communes (the parent foreign key).
        for u in sorted(register.units, key=lambda u: (u.kind == "commune", u.code)):
            uow.units.upsert(UnitRow(code=u.code, name=u.name, kind=u.kind, level=u.level, parent_code=u.parent,
                                     focal_person_id=u.focal.id, head_person_id=u.head.id, email=u.email, active=True))
            uow.people.grant(u.focal.id, "unit_focal", unit_code=u.code)
            uow.people.grant(u.head.id, "unit_leader", unit_code=u.code)
        for s in register.staff:
            uow.people.grant(s.person.id, s.role, owner_scope=s.owner)
        uow.commit()
    kinds: dict[str, int] = {}
    for u in register.units:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    return {"file": register.file, "province": register.province, "units": len(register.units),
            "by_kind": dict(sorted(kinds.items())), "people": len(register.people()), "staff": len(register.staff)}
