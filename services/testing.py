"""Ready-made worlds for tests, demos and benchmarks (this module is not used in production).

`make_services` wires the services over any unit of work with a recording outbox;
`synthetic_register` makes N units of one kind with their people (for load and concurrency);
`answers_for` fills a draft for a unit from the rubric, every criterion answered.
"""

from __future__ import annotations

from domain.answers import Answer, SheetAnswers
from domain.clock import Clock
from rubrics.units_loader import PersonEntry, StaffEntry, UnitEntry, UnitsRegister, load_units_register
from services.config import Services
from services.ports import RecordingOutbox
from services.register import import_register

SECRETARIAT = "thuongtruc.stttt"
COUNCIL = "hoidong.1"
APPROVER = "chutich.ubndtinh"


def make_services(uow_factory, clock: Clock) -> Services:
    return Services(uow=uow_factory, clock=clock, outbox=RecordingOutbox())


def synthetic_register(count: int, kind: str = "department") -> UnitsRegister:
    """`count` units named D001.. of one kind, each with a focal person and a head, plus the
    province's secretariat, a council member and an approver (fictional, `.example`)."""
    units = []
    for i in range(1, count + 1):
        code = f"D{i:03d}"
        units.append(UnitEntry(code, f"Đơn vị thử nghiệm {i}", kind, "province", None, None,
                               PersonEntry(f"focal.{code.lower()}", f"Đầu mối {i}", f"focal.{code.lower()}@test.example"),
                               PersonEntry(f"head.{code.lower()}", f"Lãnh đạo {i}", f"head.{code.lower()}@test.example"), i))
    staff = [StaffEntry(PersonEntry(SECRETARIAT, "Thường trực", f"{SECRETARIAT}@test.example"), "secretariat", "province"),
             StaffEntry(PersonEntry(COUNCIL, "Hội đồng", f"{COUNCIL}@test.example"), "council_member", "province"),
             StaffEntry(PersonEntry(APPROVER, "Chủ tịch", f"{APPROVER}@test.example"), "approver", "province")]
    return UnitsRegister("Thử nghiệm", tuple(units), tuple(staff), "<synthetic>")


def load_sample_units(services: Services, *more: UnitsRegister) -> dict:
    """The shipped Bình Thuận register (rubrics/units/binhthuan.yaml), with the units and people
    of `more` registers added to it: one bootstrap import on an empty database."""
    return import_register(services, merged(load_units_register(), *more))


def merged(first: UnitsRegister, *more: UnitsRegister) -> UnitsRegister:
    """One register holding the units and staff of several (a register file is the whole
    register: importing two in turn would remove the first's units)."""
    units, staff, owners = list(first.units), list(first.staff), list(first.owners)
    for r in more:
        units += [u for u in r.units if u.code not in {x.code for x in units}]
        staff += [s for s in r.staff if s not in staff]
        owners += [o for o in r.owners if o.owner not in {x.owner for x in owners}]
    return UnitsRegister(first.province, tuple(units), tuple(staff), first.file, tuple(owners))


def answers_for(services: Services, rubric_id: str, unit_code: str, group_id: str, points: float = 50.0) -> SheetAnswers:
    """A draft answering every POINTS criterion with `points` (and claiming them), for tests
    whose subject is the cycle, not the scoring."""
    rubric = services.load_rubric(rubric_id)
    answers = {}
    for c in rubric.criteria:
        p = points if c.max is None else min(points, c.max)
        answers[c.id] = Answer(criterion_id=c.id, points=p, self_points=p)
    return SheetAnswers(unit=unit_code, group=group_id, rubric_id=rubric_id, answers=answers)
