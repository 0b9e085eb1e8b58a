"""A regime + a year + the cycle's own facts -> dated milestones.

Each milestone gets its local day, the instant it closes (for deadlines), the rule in words,
and whether it rests on an estimated calendar year. A milestone whose inputs are missing (no
notice date yet, a date the secretariat has not set) is listed undated with the reason, so a
secretariat sees what is still to be decided instead of an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from domain.errors import InvalidInput
from domain.instants import format_date_vi, weekday_vi
from domain.periods import Closing, PeriodUnit, WorkingDays, closing_instant, fixed_day, period_end
from domain.regime import (
    After,
    FixedDate,
    FromFact,
    MilestoneKind,
    MilestoneRule,
    Regime,
    Role,
    SetAtOpening,
)


@dataclass(frozen=True, slots=True)
class DatedMilestone:
    id: str
    name: str
    kind: MilestoneKind
    date: dt.date | None
    closes_at: dt.datetime | None  # UTC; None for events, spans' starts and undated milestones
    rule: str  # the rule in Vietnamese, with the roll-over when one happened
    estimated: bool
    roles: frozenset[Role]
    source: str = ""

    @property
    def dated(self) -> bool:
        return self.date is not None


@dataclass(frozen=True, slots=True)
class Timeline:
    regime_id: str
    year: int
    group_id: str | None
    calendar_version: str
    facts: Mapping[str, dt.date]
    milestones: tuple[DatedMilestone, ...]

    def get(self, milestone_id: str) -> DatedMilestone:
        for m in self.milestones:
            if m.id == milestone_id:
                return m
        raise KeyError(f"timeline of {self.regime_id} has no milestone '{milestone_id}'")

    def by_role(self, role: Role | str) -> DatedMilestone | None:
        role = Role(role)
        return next((m for m in self.milestones if role in m.roles), None)

    @property
    def estimated(self) -> bool:
        return any(m.estimated for m in self.milestones)


class MissingFact(InvalidInput):
    pass


def compute_timeline(
    regime: Regime,
    year: int,
    group_id: str | None,
    facts: Mapping[str, dt.date],
    calendar: WorkingDays,
    calendar_version: str = "",
) -> Timeline:
    """Date every milestone of `regime` for the cycle of `year` (and group, where rules differ)."""
    regime.check_year(year)  # a year the decision does not cover (YearNotCovered names file:line)
    if group_id is not None:
        regime.group(group_id)  # raises UnknownGroup with the known ids
    known = {f.id for f in regime.facts} | {m.id for m in regime.milestones}
    for key in facts:
        if key not in known:
            raise MissingFact(f"regime {regime.id} has no fact or milestone '{key}' "
                              f"(known: {', '.join(sorted(known))})")
    resolved_facts = _resolve_facts(regime, facts)
    fact_names = {f.id: f.name for f in regime.facts}
    done: dict[str, DatedMilestone] = {}
    for rule in _in_dependency_order(regime):
        done[rule.id] = _date_milestone(rule, rule.rule_for(group_id), year, resolved_facts,
                                        fact_names, done, calendar)
    ordered = tuple(done[m.id] for m in regime.milestones)
    return Timeline(regime.id, year, group_id, calendar_version, dict(resolved_facts), ordered)


def _resolve_facts(regime: Regime, facts: Mapping[str, dt.date]) -> dict[str, dt.date]:
    out = dict(facts)
    for fact in regime.facts:
        if fact.id not in out and fact.default_from and fact.default_from in out:
            out[fact.id] = out[fact.default_from]
    return out


def _in_dependency_order(regime: Regime) -> list[MilestoneRule]:
    """Milestones after the ones they count from (the loader has rejected cycles)."""
    by_id = {m.id: m for m in regime.milestones}
    order: list[MilestoneRule] = []
    seen: set[str] = set()

    def visit(m: MilestoneRule) -> None:
        if m.id in seen:
            return
        seen.add(m.id)
        for rule in (m.rule, *m.by_group.values()):
            if isinstance(rule, After) and rule.ref in by_id:
                visit(by_id[rule.ref])
        order.append(m)

    for m in regime.milestones:
        visit(m)
    return order


def _date_milestone(
    m: MilestoneRule,
    rule,
    year: int,
    facts: Mapping[str, dt.date],
    fact_names: Mapping[str, str],
    done: Mapping[str, DatedMilestone],
    calendar: WorkingDays,
) -> DatedMilestone:
    def make(day: dt.date | None, text: str, estimated: bool = False) -> DatedMilestone:
        closes = closing_instant(day, m.closing) if day and m.kind is MilestoneKind.DEADLINE else None
        return DatedMilestone(m.id, m.name, m.kind, day, closes, text, estimated, m.roles, m.source)

    if isinstance(rule, FromFact):
        day = facts.get(rule.fact)
        return make(day, "Ngày thực tế của kỳ đánh giá" if day else
                    "Chưa có ngày: nhập khi mở kỳ đánh giá")
    if m.id in facts:  # the cycle set this date itself (Tây Ninh 2693 has no timeline of its own)
        day = facts[m.id]
        return make(day, "Ấn định khi mở kỳ đánh giá",
                    m.kind is MilestoneKind.DEADLINE and calendar.is_estimated_between(day, day))
    if isinstance(rule, SetAtOpening):
        return make(None, "Chưa ấn định: Cơ quan thường trực ấn định khi mở kỳ đánh giá")
    if isinstance(rule, FixedDate):
        nominal = dt.date(year + rule.year_offset, rule.month, rule.day)
        text = f"Ngày cố định {rule.day:02d}/{rule.month:02d} hằng năm"
        if not rule.rolls:
            if m.kind is MilestoneKind.DEADLINE and not calendar.is_working_day(nominal):
                text += (f"; {weekday_vi(nominal)} {format_date_vi(nominal)} là ngày nghỉ, "
                         "hạn không chuyển (theo quy định của bộ tiêu chí)")
            return make(nominal, text)
        end = fixed_day(calendar, nominal, rolls=True)
        return make(end.last_day, text + _rolled(end.rolled_from, end.last_day,
                                                 "chuyển sang ngày làm việc kế tiếp"), end.estimated)
    if isinstance(rule, After):
        base_day, base_estimated, base_name = _base(rule.ref, facts, fact_names, done)
        unit = "ngày làm việc" if rule.period.unit is PeriodUnit.WORKING_DAYS else "ngày"
        text = f"{rule.period.amount} {unit} kể từ {base_name}"
        if base_day is None:
            return make(None, f"Chưa tính được: {text} (chưa có ngày)")
        end = period_end(calendar, base_day, rule.period)
        text += f" ({format_date_vi(base_day)})"
        return make(end.last_day, text + _rolled(end.rolled_from, end.last_day,
                                                 "BLDS 2015 Điều 148(5)"), end.estimated or base_estimated)
    raise TypeError(f"unknown milestone rule {rule!r}")  # pragma: no cover - the loader builds only the above


def _base(ref: str, facts: Mapping[str, dt.date], fact_names: Mapping[str, str],
          done: Mapping[str, DatedMilestone]) -> tuple[dt.date | None, bool, str]:
    if ref in done:
        dep = done[ref]
        return dep.date, dep.estimated, _lower_first(dep.name)
    return facts.get(ref), False, _lower_first(fact_names.get(ref, ref))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _rolled(nominal: dt.date | None, actual: dt.date, why: str) -> str:
    if nominal is None:
        return ""
    return (f"; {weekday_vi(nominal)} {format_date_vi(nominal)} là ngày nghỉ, "
            f"{why}: {weekday_vi(actual)} {format_date_vi(actual)}")


__all__ = ["Closing", "DatedMilestone", "MissingFact", "Timeline", "compute_timeline"]
