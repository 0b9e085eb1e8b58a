"""The one generic evaluator: a rubric + a unit's answers -> points, with Vietnamese reasons.

Each criterion becomes, once, a small scoring function built from its data by one builder per
kind (`domain.scoring_rules`); a rubric's prepared form (`domain.scoring_evaluator`) is cached
by identity, so scoring 11,000 sheets does no per-sheet set-up. `score_many` is the fast path (totals only); `score_sheet` gives every
criterion's points and explanation, the section sums, and three scores side by side as the
paper sheets have them: what the unit claimed (`self_points`), what the rules compute from its
figures (`points`), and what the council verified (`verified_points`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from domain.answers import SheetAnswers
from domain.rubric import Rubric
from domain.scoring_evaluator import evaluator


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion_id: str
    points: float
    max: float | None  # None where the decision states no maximum (Bình Thuận 1867)
    explanation: str  # Vietnamese, e.g. "Tỷ lệ 45/100 = 45% < 50%: 0 điểm"
    self_points: float | None = None
    verified_points: float | None = None

    def differs(self) -> bool:
        """The unit's claim or the council's figure differs from the computed points."""
        return (self.self_points is not None and self.self_points != self.points) or (
            self.verified_points is not None and self.verified_points != self.points
        )


@dataclass(frozen=True, slots=True)
class SectionScore:
    section_id: str
    title: str
    points: float
    max: float | None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ScoredSheet:
    rubric_id: str
    unit: str
    group: str
    total: float
    max: float | None
    criteria: tuple[CriterionScore, ...]
    sections: tuple[SectionScore, ...]
    # Sum of the unit's claimed points (None if the sheet claims none); an unclaimed criterion
    # counts 0 in it.
    self_total: float | None = None
    # Sum of the council's points (None if no verification given); a criterion the council did
    # not re-score keeps its computed points (the council accepted them).
    verified_total: float | None = None

    def differences(self) -> tuple[CriterionScore, ...]:
        """Criteria where the unit's claim or the council's points differ from the computed ones."""
        return tuple(c for c in self.criteria if c.differs())

    def section(self, section_id: str) -> SectionScore | None:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        return None

    def criterion(self, criterion_id: str) -> CriterionScore | None:
        for c in self.criteria:
            if c.criterion_id == criterion_id:
                return c
        return None

    @property
    def section_points(self) -> dict[str, float]:
        return {s.section_id: s.points for s in self.sections}


def score_sheet(
    rubric: Rubric, sheet: SheetAnswers, verified: Mapping[str, float] | None = None
) -> ScoredSheet:
    """Score one sheet with explanations; `verified` maps criterion id -> council points."""
    return evaluator(rubric).score_sheet(sheet, verified)


def score_many(rubric: Rubric, sheets: Sequence[SheetAnswers]) -> list[float]:
    """Totals only, in the order of `sheets` (explanations on demand through `score_sheet`)."""
    return evaluator(rubric).totals(sheets)


def section_totals_many(rubric: Rubric, sheets: Sequence[SheetAnswers]) -> list[dict[str, float]]:
    """Section sums per sheet, without explanations (for multi-condition classification, 2392)."""
    return evaluator(rubric).section_totals(sheets)
