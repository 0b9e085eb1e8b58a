"""What a unit states on its score sheet, criterion by criterion (validated input, no scoring).

A sheet file (YAML) or the portal produces these; the evaluator in `domain.scoring` turns them
into points. Every field is optional because each criterion kind reads only the fields it needs;
the sheet loader checks that the fields a kind needs are present and well-formed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """A document the unit issued: number and date are both required for points."""

    number: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Answer:
    criterion_id: str
    yes: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    count: float | None = None
    document: IssuedDocument | None = None
    choice: str | None = None
    points: float | None = None
    # Decision 265 Art. 7.2 / Tây Ninh 2693: "not applicable to this unit" scores the maximum.
    not_applicable: bool = False
    # Tây Ninh 2693: "a unit without the (complaints) software" scores half.
    no_system: bool = False
    evidence: tuple[str, ...] = ()
    # What the unit claims for itself; kept beside the computed score, never replacing it.
    self_points: float | None = None


@dataclass(frozen=True, slots=True)
class SheetAnswers:
    """One unit's answers to one rubric."""

    unit: str
    group: str
    rubric_id: str
    answers: dict[str, Answer] = field(default_factory=dict)

    def answer(self, criterion_id: str) -> Answer | None:
        return self.answers.get(criterion_id)
