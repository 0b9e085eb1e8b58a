"""A regime: the rules of one evaluation scheme (a province's decision, a ministry's method).

Everything here comes from a regime file under `rubrics/regimes/`; Python holds no per-regime
`if`. A regime states its unit groups (each with its score sheet), the facts a cycle supplies
when it opens (the notice date, the date a survey was received...), the milestones and how each
is dated, which cycle transitions run on time and which a person starts, the reminder policy,
and (parsed by `rubrics.regime_rules`) the classification, ranking and award rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping

from domain.errors import InvalidInput
from domain.periods import Closing, Period


class MilestoneKind(StrEnum):
    EVENT = "event"  # something that happens on a day (the notice); it does not close
    OPENS = "opens"  # the start of a span (the data period)
    DEADLINE = "deadline"  # closes at an instant; writes are judged against it


class Role(StrEnum):
    """What the cycle engine uses a milestone for."""

    NOTICE = "notice"
    DATA_PERIOD_START = "data_period_start"
    DATA_PERIOD_END = "data_period_end"
    SUBMISSION = "submission"  # the unit's due date: on time is strictly before it
    LOCK = "lock"  # end of acceptance (grace end): later sheets are not evaluated
    PRELIMINARY = "preliminary"
    VERIFICATION = "verification"
    APPROVAL = "approval"
    PUBLICATION = "publication"


@dataclass(frozen=True, slots=True)
class FixedDate:
    """A date in the cycle's year ('before 15 September every year')."""

    month: int
    day: int
    year_offset: int = 0  # -1: the previous year (a data period that starts a year earlier)
    rolls: bool = False  # move to the next working day when it is not one


@dataclass(frozen=True, slots=True)
class After:
    """A period counted from a fact or another milestone (Civil Code 2015 Art. 147–148)."""

    ref: str
    period: Period


@dataclass(frozen=True, slots=True)
class FromFact:
    """The day a fact of the cycle happened (the notice's issue date)."""

    fact: str


@dataclass(frozen=True, slots=True)
class SetAtOpening:
    """The regime states no date: the secretariat sets it when it opens the cycle."""


Rule = FixedDate | After | FromFact | SetAtOpening


@dataclass(frozen=True, slots=True)
class MilestoneRule:
    id: str
    name: str
    kind: MilestoneKind
    rule: Rule
    roles: frozenset[Role] = frozenset()
    closing: Closing = Closing.END_OF_DAY
    source: str = ""
    note: str = ""
    by_group: Mapping[str, Rule] = field(default_factory=dict)

    def rule_for(self, group_id: str | None) -> Rule:
        if group_id is not None and group_id in self.by_group:
            return self.by_group[group_id]
        return self.rule


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    name: str
    source: str = ""
    # When the cycle does not give it, take this other fact's date (a survey received complete
    # on the day it was received, Decision 2392 Art. 4).
    default_from: str | None = None
    # What the fact is for the people who supply it: the notice's issue date, the day a unit
    # received the request, the day a complete answer arrived. The CLI's --notice-date and
    # --received-date set the fact with that role.
    role: str | None = None


FACT_ROLES = ("notice", "received", "complete")


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    rubric_id: str
    # The kinds of unit in the register this group enrols (Decision 265 Art. 2 "cơ quan chuyên
    # môn thuộc UBND tỉnh" covers the departments and the PPC Office and Inspectorate).
    unit_kinds: tuple[str, ...]
    owner: str = "province"  # or "district": a district runs its communes' cycle (Decision 265 Art. 6)
    source: str = ""


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    local_hour: int = 8
    before_due_working_days: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    during_grace_daily: bool = True
    escalate_to_head_from_grace_day: int | None = None
    staff_milestones: tuple[str, ...] = ()
    staff_before_working_days: tuple[int, ...] = (3, 1)
    send_on_non_working_days: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class YearSpan:
    """The years a regime's cycles may be opened for: a decision applies from the year it was
    issued for until another replaces it (Hà Nội 5279/QĐ-UBND replaced 920/QĐ-UBND from 2025)."""

    first: int
    last: int | None = None  # None: still in force
    where: str = ""  # file:line of the `years:` entry, named when a cycle falls outside it
    source: str = ""

    def covers(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    def text(self) -> str:
        return f"{self.first}–{self.last}" if self.last is not None else f"từ {self.first}"


class YearNotCovered(InvalidInput):
    """A cycle asked for a year its regime does not apply to."""


@dataclass(frozen=True, slots=True)
class Regime:
    id: str
    version: int
    title: str
    sources: tuple[Source, ...]
    groups: tuple[Group, ...]
    facts: tuple[Fact, ...]
    milestones: tuple[MilestoneRule, ...]
    reminders: ReminderPolicy
    explanation_working_days: int
    stage_drivers: Mapping[str, str]
    rules: Any = None  # classification, ranking and awards (rubrics.regime_rules)
    notes: tuple[str, ...] = ()
    file: str = ""
    years: YearSpan | None = None  # None: the file states no years (every year is accepted)

    def check_year(self, year: int) -> None:
        """Refuse a cycle year outside the regime's `years:` with the file and line that say so."""
        if self.years is not None and not self.years.covers(year):
            raise YearNotCovered(
                f"{self.years.where}: chế độ {self.id} áp dụng cho các năm {self.years.text()}; "
                f"không mở được kỳ đánh giá năm {year}")

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        known = ", ".join(g.id for g in self.groups)
        raise UnknownGroup(f"regime {self.id} has no group or level '{group_id}' (known: {known})")

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    def fact_with_role(self, role: str) -> Fact | None:
        return next((f for f in self.facts if f.role == role), None)

    def milestone(self, milestone_id: str) -> MilestoneRule | None:
        return next((m for m in self.milestones if m.id == milestone_id), None)

    def milestone_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.milestones)


class UnknownGroup(InvalidInput):
    pass
