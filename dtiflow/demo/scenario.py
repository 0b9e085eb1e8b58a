"""The seeded scenario of the demo year: who sends what and when, what the council changes, who decides.

Three cycles, all from the shipped data files (regimes, score sheets, calendar, units register):
- Bình Thuận 2019, IT application (Decision 1867; letter 697 of 07/08/2019): the province's units
  of groups I–IV; most send before 15/9, some inside the 5 working days of grace (late, flagged),
  some never (not evaluated, Art. 8.1);
- a district's commune cycle under the DTI 2023 regime (Decision 265 Art. 6.2: the district sends
  the notice, evaluates, and its chairman decides before 15/11);
- Bình Thuận 2023 DTI (Decision 265 Art. 6.1) for departments and districts: 15 days from the
  notice, decision before 15/12.

Everything random comes from one `random.Random(seed)`, so the same seed gives the same year.
The decision numbers and the portal addresses are illustrative, not the province's real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Callable

from domain.answers import SheetAnswers
from domain.instants import local_time_on
from domain.reminders import last_day_of
from dtiflow.demo.sheets import council_change, sheet_for
from dtiflow.demo.timing import bounds, grace_days, on_time_days, sending_time, wakeups
from rubrics.units_loader import UnitEntry, UnitsRegister
from services.cycles import cycle_id_for

DEFAULT_SEED = 2019
PROVINCE = "province"

ON_TIME, LATE, NEVER, REFUSED = "on_time", "late", "never", "refused"


@dataclass(frozen=True)
class UnitPlan:
    """One unit's year: its sheet (answers), when its focal person saves it and its leader sends it."""

    code: str
    name: str
    group: str
    rubric_id: str
    behaviour: str  # on_time | late | never (no sheet, or a draft never sent) | refused (sent too late)
    answers: SheetAnswers | None
    draft_at: dt.datetime | None
    submit_at: dt.datetime | None
    focal: str
    leader: str


@dataclass(frozen=True)
class Adjustment:
    """The council's verified points for some criteria of one unit (Decision 1867 Art. 9)."""

    unit: str
    points: dict[str, float]
    note: str


@dataclass(frozen=True)
class Explanation:
    """The secretariat asks a unit to explain a figure; the unit answers (Decision 265 Art. 6.1.d)."""

    unit: str
    criterion: str
    question: str
    answer: str
    asked_at: dt.datetime
    answered_at: dt.datetime


@dataclass(frozen=True)
class CyclePlan:
    label: str  # short Vietnamese name used in the account
    regime_id: str
    year: int
    owner: str
    level: str | None
    notice: dt.date
    notice_at: dt.datetime
    letter: str
    secretariat: str
    council: str
    approver: str
    units: tuple[UnitPlan, ...]
    due: dt.datetime  # the submission due instant (half-open)
    acceptance_end: dt.datetime  # the end of grace: the lock
    wakeups: tuple[dt.datetime, ...]  # when the heartbeat has something to do (reminders, the lock)
    preliminary_at: dt.datetime | None
    explanations: tuple[Explanation, ...]
    verify_at: dt.datetime
    adjustments: tuple[Adjustment, ...]
    approve_at: dt.datetime
    decision_number: str
    decision_date: dt.date
    publish_at: dt.datetime
    location: str
    cycle_id: str = ""
    staff_milestones: tuple[str, ...] = field(default=())
    # The days the regime leaves to the yearly plan (`set_at_opening`), set when the cycle opens.
    facts: dict = field(default_factory=dict)

    def unit(self, code: str) -> UnitPlan:
        return next(u for u in self.units if u.code == code)


@dataclass(frozen=True)
class Sources:
    """The loaders the scenario reads (the real data files; tests pass the same)."""

    load_regime: Callable[[str], object]
    load_rubric: Callable[[str], object]
    calendar: object
    register: UnitsRegister


def default_sources(register: str | None = None) -> Sources:
    from rubrics.calendar_loader import load_calendar
    from rubrics.regime_loader import load_regime
    from rubrics.rubric_loader import load_rubric
    from rubrics.source import DATA_DIR
    from rubrics.units_loader import load_units_register

    path = DATA_DIR / "units" / f"{register}.yaml" if register else None
    return Sources(load_regime, load_rubric, load_calendar(),
                   load_units_register(path) if path else load_units_register())


# --- the plans -------------------------------------------------------------------------------

def _units_of(register: UnitsRegister, kinds: tuple[str, ...], parent: str | None, on: dt.date) -> list[UnitEntry]:
    """The units a cycle enrols: of these kinds, under this parent, valid on the reference day."""
    return [u for u in register.units if u.kind in kinds and (parent is None or u.parent == parent)
            and u.validity.contains(on)]


def plan_cycle(src: Sources, rng: random.Random, *, label: str, regime_id: str, year: int, notice: dt.date,
               letter: str, owner: str, level: str | None, staff: tuple[str, str, str], never: int, late: int,
               preliminary: dt.date | None, explain_on: dt.date, verify_on: dt.date, adjust: int,
               approve_on: dt.date, decision: str, publish_on: dt.date, location: str,
               facts: dict | None = None) -> CyclePlan:
    regime = src.load_regime(regime_id)
    calendar = src.calendar
    owner_kind = PROVINCE if owner == PROVINCE else "district"
    groups = [g for g in regime.groups if g.owner == owner_kind and (level is None or g.id == level)]
    entries, timelines = [], []
    for g in groups:
        timeline, due, end = bounds(regime, year, g.id, notice, calendar, facts)
        timelines.append((timeline, due, end))
        entries += [(u, g) for u in _units_of(src.register, g.unit_kinds, None if owner == PROVINCE else owner, notice)]
    due = max(t[1].closes_at for t in timelines)
    end = max(t[2].closes_at for t in timelines)
    order = list(range(len(entries)))
    rng.shuffle(order)
    behaviour = {}
    for rank, i in enumerate(order):
        behaviour[i] = (REFUSED if rank == 0 else NEVER) if rank < never else LATE if rank < never + late else ON_TIME
    on_days, late_days = on_time_days(due, notice, calendar), grace_days(due, end, calendar) or [last_day_of(due)]
    units, on_count, late_count, never_count = [], 0, 0, 0
    for i, (u, g) in enumerate(entries):
        kind = behaviour[i]
        sheet = sheet_for(src.load_rubric(g.rubric_id), u.code, g.id, rng)
        if kind == ON_TIME:
            day = on_days[on_count % len(on_days)]
            evening = day == on_days[-1] and not calendar.is_working_day(day)
            submit = sending_time(day, on_count, rng, evening=evening)
            on_count += 1
        elif kind == LATE:
            submit = sending_time(late_days[late_count % len(late_days)], late_count, rng)
            late_count += 1
        elif kind == REFUSED:  # sent two minutes after the end of acceptance, before the tick locks
            submit = end + dt.timedelta(minutes=2)
        else:
            submit = None
            never_count += 1
        keeps_draft = kind != NEVER or never_count % 2 == 1  # half of the silent units left a draft
        draft = (submit - dt.timedelta(minutes=45)) if submit else (local_time_on(on_days[1], 10) if keeps_draft else None)
        if kind == REFUSED:
            draft = local_time_on(on_days[2], 15)
        units.append(UnitPlan(u.code, u.name, g.id, g.rubric_id, kind, sheet if draft else None, draft, submit,
                              u.focal.id, u.head.id))
    received = [u for u in units if u.behaviour in (ON_TIME, LATE)]
    picked = rng.sample(received, min(adjust, len(received)))
    changes = [(u, council_change(u.answers, rng, up=(k == len(picked) - 1 and k > 0), rubric=src.load_rubric(u.rubric_id)))
               for k, u in enumerate(picked)]
    adjustments = tuple(Adjustment(u.code, {criterion: points}, note) for u, (criterion, points, note) in changes)
    explanations = ()
    if picked:
        first = picked[0]
        criterion = next(iter(adjustments[0].points))
        explanations = (Explanation(first.code, criterion,
                                    "Số liệu tiêu chí chưa khớp với báo cáo của đơn vị; đề nghị giải trình và gửi minh chứng.",
                                    "Đơn vị đã rà soát: một phần số liệu tính cả năm trước; gửi kèm minh chứng đã điều chỉnh.",
                                    local_time_on(explain_on, 9), local_time_on(calendar.add_working_days(explain_on, 3), 14)),)
    secretariat, council, approver = staff
    return CyclePlan(
        label=label, regime_id=regime_id, year=year, owner=owner, level=level, notice=notice,
        notice_at=local_time_on(notice, 9), letter=letter, secretariat=secretariat, council=council,
        approver=approver, units=tuple(units), due=due, acceptance_end=end,
        wakeups=wakeups(regime, timelines, calendar, end),
        preliminary_at=local_time_on(preliminary, 10) if preliminary else None, explanations=explanations,
        verify_at=local_time_on(verify_on, 9), adjustments=adjustments, approve_at=local_time_on(approve_on, 15),
        decision_number=decision, decision_date=approve_on, publish_at=local_time_on(publish_on, 9),
        location=location, cycle_id=cycle_id_for(regime_id, year, owner, level),
        staff_milestones=tuple(regime.reminders.staff_milestones), facts=dict(facts or {}))


def demo_year(seed: int = DEFAULT_SEED, src: Sources | None = None) -> list[CyclePlan]:
    """The three cycles of the demo, seeded."""
    src = src or default_sources()
    rng = random.Random(seed)
    d = dt.date
    province_staff = ("thuongtruc.stttt", "hoidong.1", "chutich.ubndtinh")
    return [
        plan_cycle(src, rng, label="CNTT 2019", regime_id="binhthuan-2019-it", year=2019, notice=d(2019, 8, 7),
                   letter="697/STTTT-BCVT&CNTT", owner=PROVINCE, level=None, staff=province_staff, never=3, late=4,
                   preliminary=d(2019, 9, 27), explain_on=d(2019, 10, 7), verify_on=d(2019, 11, 4), adjust=3,
                   approve_on=d(2019, 11, 22), decision="2950/QĐ-UBND", publish_on=d(2019, 11, 26),
                   location="https://stttt.binhthuan.example/xep-hang-cntt-2019"),
        plan_cycle(src, rng, label="DTI xã 2023 (TP Phan Thiết)", regime_id="binhthuan-2023-dti", year=2023,
                   notice=d(2023, 10, 16), letter="1025/UBND-VHTT", owner="PT", level="commune",
                   staff=("vhtt.pt", "hoidong.pt", "chutich.pt"), never=1, late=0, preliminary=None,
                   explain_on=d(2023, 11, 1), verify_on=d(2023, 11, 7), adjust=1, approve_on=d(2023, 11, 14),
                   decision="4120/QĐ-UBND", publish_on=d(2023, 11, 15),
                   location="https://phanthiet.binhthuan.example/dti-xa-2023"),
        plan_cycle(src, rng, label="DTI 2023", regime_id="binhthuan-2023-dti", year=2023, notice=d(2023, 11, 13),
                   letter="2841/STTTT-CĐS", owner=PROVINCE, level=None, staff=province_staff, never=2, late=0,
                   preliminary=None, explain_on=d(2023, 11, 30), verify_on=d(2023, 12, 6), adjust=2,
                   approve_on=d(2023, 12, 12), decision="2718/QĐ-UBND", publish_on=d(2023, 12, 13),
                   location="https://stttt.binhthuan.example/dti-2023"),
    ]


# --- the post-reform province: Hà Nội 2026 ------------------------------------------------------

HANOI_SEED = 2026
HANOI_REGIME = "hanoi-2025-dti"


def hanoi_year(seed: int = HANOI_SEED, src: Sources | None = None) -> list[CyclePlan]:
    """Hà Nội's 2026 cycle under Decision 5279/QĐ-UBND (23/10/2025): the city's agencies and its
    126 wards and communes, all evaluated by the city (no district level since 1/7/2025), the
    Department of Science and Technology as secretariat. The decision leaves every date to the
    yearly plan (`set_at_opening`); the dates below are the demo's plan, not the city's. Its own
    seed and register, so the Bình Thuận years stay exactly as they were."""
    src = src or default_sources("hanoi")
    rng = random.Random(seed)
    d = dt.date
    plan = {"data_period_start": d(2025, 10, 1), "data_period_end": d(2026, 9, 30),
            "self_assessment_due": d(2026, 10, 20), "appraisal_due": d(2026, 11, 20),
            "approval_due": d(2026, 12, 10)}
    return [plan_cycle(src, rng, label="DTI Hà Nội 2026", regime_id=HANOI_REGIME, year=2026, notice=d(2026, 10, 1),
                       letter="2468/SKHCN-CĐS", owner=PROVINCE, level=None,
                       staff=("thuongtruc.hn.skhcn", "hoidong.hn.1", "chutich.hn.ubndtp"), never=5, late=0,
                       preliminary=None, explain_on=d(2026, 10, 27), verify_on=d(2026, 11, 10), adjust=3,
                       approve_on=d(2026, 12, 4), decision="6120/QĐ-UBND", publish_on=d(2026, 12, 7),
                       location="https://skhcn.hanoi.example/dti-2026", facts=plan)]
