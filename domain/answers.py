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


# --- fast construction -----------------------------------------------------------------------
# A frozen dataclass's __init__ sets each of Answer's 12 fields through object.__setattr__
# (~1.1 µs here); the sheet loader builds 550,000 answers for 11,000 communes, so it sets the
# slots directly (~0.5 µs). `make_answer(...) == Answer(...)` for the same arguments (tested).
_SLOT_SETTERS = tuple(Answer.__dict__[name].__set__ for name in Answer.__slots__)
_new = object.__new__


def make_answer(
    criterion_id: str,
    yes: bool | None,
    numerator: float | None,
    denominator: float | None,
    count: float | None,
    document: IssuedDocument | None,
    choice: str | None,
    points: float | None,
    not_applicable: bool,
    no_system: bool,
    evidence: tuple[str, ...],
    self_points: float | None,
) -> Answer:
    """Answer(...) with every field given positionally, without the frozen-init overhead."""
    a = _new(Answer)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 = _SLOT_SETTERS
    s0(a, criterion_id)
    s1(a, yes)
    s2(a, numerator)
    s3(a, denominator)
    s4(a, count)
    s5(a, document)
    s6(a, choice)
    s7(a, points)
    s8(a, not_applicable)
    s9(a, no_system)
    s10(a, evidence)
    s11(a, self_points)
    return a
