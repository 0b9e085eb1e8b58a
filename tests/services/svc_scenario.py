"""Steps of the 2019 Bình Thuận cycle that many tests share (Decision 1867 Art. 8; letter 697)."""

from __future__ import annotations

import datetime as dt

from domain.instants import UTC
from services import cycles, sheets
from services.testing import SECRETARIAT, answers_for

REGIME = "binhthuan-2019-it"
CYCLE = "binhthuan-2019-it-2019"
NOTICE = dt.date(2019, 8, 7)
DUE = dt.datetime(2019, 9, 15, 17, 0, tzinfo=UTC)   # end of 15/9/2019 local
END = dt.datetime(2019, 9, 20, 17, 0, tzinfo=UTC)   # + 5 working days: end of 20/9/2019 local
GROUP_OF = {"STTTT": "I", "SNV": "I", "STP": "I", "SCT": "I", "VPUBND": "II", "DPTTH": "III", "PT": "IV", "PQ": "IV"}


def focal(unit: str) -> str:
    return f"daumoi.{unit.lower().replace('-', '.')}"


def leader(unit: str) -> str:
    return f"lanhdao.{unit.lower().replace('-', '.')}"


def open_2019(svc, **kw):
    return cycles.open_cycle(svc, actor_id=SECRETARIAT, regime_id=REGIME, year=2019, facts={"notice": NOTICE}, **kw)


def draft(svc, unit: str, points: float = 50.0, cycle_id: str = CYCLE):
    group = GROUP_OF[unit]
    return sheets.save_draft(svc, actor_id=focal(unit), cycle_id=cycle_id, unit_code=unit,
                             answers=answers_for(svc, f"{REGIME}.{group}", unit, group, points))


def submit(svc, unit: str, at: dt.datetime | None = None, cycle_id: str = CYCLE, **kw):
    if at is not None:
        svc.clock.set(at)
    return sheets.submit_sheet(svc, actor_id=leader(unit), cycle_id=cycle_id, unit_code=unit, **kw)


def sheet_state(svc, unit: str, cycle_id: str = CYCLE) -> str:
    with svc.uow() as uow:
        return uow.sheets.get(cycle_id, unit).state


def audit(svc, cycle_id: str = CYCLE):
    with svc.uow() as uow:
        return uow.audit.list(cycle_id)
