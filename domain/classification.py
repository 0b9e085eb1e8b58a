"""Classification of one unit's scores: bands of points, bands of a percentage, or levels.

Three shapes the seeds use, all as data (built by `rubrics.regime_rules` from a regime file):
- `BandScale(basis=POINTS)`: absolute bands per group (Decision 1867 Art. 10: Tốt from 450,
  Khá from 350, Trung bình from 250, Yếu below; group II 380/280/190).
- `BandScale(basis=PERCENT)`: a share of the sheet's maximum (Decision 265 Art. 8: Tốt from
  85%, Khá from 70%, Trung bình from 50%, Kém below).
- `LevelScale`: a level is reached only if every condition of its column holds (Decision 2392
  Art. 6: a minimum total in each part and a minimum share in each group); below the last level
  a locality is not ranked.

Edges are exact. A sheet total is a float sum, so it is first fixed to whole micro-points
(`micro`): the sheets carry at most a few decimals, float drift is ~1e-13, so 449.99 stays
below 450 and 424.9999999999999 (a drifted 425) is 425, which is 85% of 500 and Tốt. Percent
comparisons are cross-multiplied in integers (points × 100 ≥ percent × maximum): no division.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Callable, Mapping

MICRO = 1_000_000


def micro(x: float | int | Fraction) -> int:
    """A score in whole micro-points (removes float drift from sums; integer comparisons are exact)."""
    return round(x * MICRO)


def exact(x: float | int | Fraction) -> Fraction:
    """A score as an exact fraction (micro-point precision)."""
    return x if isinstance(x, Fraction) else Fraction(micro(x), MICRO)


def fmt(x: Fraction | float) -> str:
    """Vietnamese number: decimal comma, no trailing zeros (449,99; 425; 84,25)."""
    return fmt_micro(micro(x))


def fmt_micro(m: int) -> str:
    if m % MICRO == 0:
        return str(m // MICRO)
    return f"{m / MICRO:.6f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True, slots=True)
class Scores:
    """What classification reads of a scored sheet: the total and each section's points."""

    total: float
    max: float | None
    sections: Mapping[str, float]
    section_max: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class Outcome:
    label: str | None  # "Tốt", "Mức II"; None where the regime states no classification
    ranked: bool  # False: this outcome takes no rank (Decision 2392: below level IV)
    order: int  # 0 is the best band or level; used when ranking orders by classification
    # The Vietnamese reason ("449,99 điểm ≥ 350: Khá"), written only when someone reads it:
    # ranking 11,000 communes needs the labels, not 11,000 sentences.
    explain: Callable[[], str] = field(compare=False, repr=False, default=lambda: "")

    @property
    def reason(self) -> str:
        return self.explain()


class Basis(StrEnum):
    POINTS = "points"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    at_least: Fraction  # points, or percent of the sheet's maximum


@dataclass(frozen=True, slots=True)
class Below:
    """What a unit under every band or level is: its label and whether it is ranked."""

    label: str | None
    ranked: bool = True


@dataclass(frozen=True, slots=True)
class BandScale:
    basis: Basis
    bands: tuple[Band, ...]  # strictly descending `at_least`
    below: Below
    source: str = ""
    _edges: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_edges", tuple(micro(b.at_least) for b in self.bands))

    def classify(self, scores: Scores) -> Outcome:
        t = micro(scores.total)
        if self.basis is Basis.PERCENT:
            if not scores.max:
                raise ValueError("a percentage scale needs the sheet's maximum")
            m = micro(scores.max)
            lhs = t * 100 * MICRO
            for i, edge in enumerate(self._edges):
                # total/max ≥ p% ⇔ total × 100 ≥ p × max, in integers (85% of 500 = 425 exactly).
                if lhs >= edge * m:
                    return Outcome(self.bands[i].label, True, i, lambda i=i: self._why_percent(t, m, i))
            return self._below(lambda: self._why_percent(t, m, None))
        for i, edge in enumerate(self._edges):
            if t >= edge:
                return Outcome(self.bands[i].label, True, i, lambda i=i: self._why_points(t, i))
        return self._below(lambda: self._why_points(t, None))

    def _why_points(self, t: int, i: int | None) -> str:
        if i is None:
            return f"{fmt_micro(t)} điểm < {fmt_micro(self._edges[-1])}" if self._edges else "không có mức nào"
        return f"{fmt_micro(t)} điểm ≥ {fmt_micro(self._edges[i])}: {self.bands[i].label}"

    def _why_percent(self, t: int, m: int, i: int | None) -> str:
        if i is None:
            return f"{fmt_micro(t)}/{fmt_micro(m)} điểm < {fmt_micro(self._edges[-1])}%" if self._edges else "không có mức nào"
        edge = self._edges[i]
        return (f"{fmt_micro(t)}/{fmt_micro(m)} điểm ≥ {fmt_micro(edge)}% "
                f"({fmt(Fraction(edge * m, 100 * MICRO * MICRO))}): {self.bands[i].label}")

    def _below(self, why: Callable[[], str]) -> Outcome:
        label = self.below.label
        return Outcome(label, self.below.ranked, len(self.bands), lambda: f"{why()}: {label or 'không xếp loại'}")


@dataclass(frozen=True, slots=True)
class Condition:
    """`section` (None: the whole sheet) reaches `at_least` points, or `at_least_percent` of
    that section's maximum as the rubric states it."""

    section: str | None
    at_least: Fraction | None = None
    at_least_percent: Fraction | None = None
    where: str = ""  # the regime file line, for errors found when a rubric is paired with it

    def _values(self, scores: Scores) -> tuple[str, int, float | None]:
        if self.section is None:
            return "tổng điểm", micro(scores.total), scores.max
        got = scores.sections.get(self.section)
        if got is None:
            raise KeyError(f"{self.where}: the sheet has no section '{self.section}'")
        return self.section, micro(got), scores.section_max.get(self.section)

    def holds(self, scores: Scores) -> bool:
        _, pts, mx = self._values(scores)
        if self.at_least is not None:
            return pts >= micro(self.at_least)
        if not mx:
            raise KeyError(f"{self.where}: section '{self.section}' has no maximum for a percentage")
        # points ≥ p% × max ⇔ points × 100 ≥ p × max, in integers.
        return pts * 100 * MICRO >= micro(self.at_least_percent) * micro(mx)

    def describe(self, scores: Scores) -> str:
        name, pts, mx = self._values(scores)
        sign = "≥" if self.holds(scores) else "<"
        if self.at_least is not None:
            return f"{name} {fmt_micro(pts)} {sign} {fmt(self.at_least)}"
        return f"{name} {fmt_micro(pts)} {sign} {fmt(self.at_least_percent)}% × {fmt(mx)}"


@dataclass(frozen=True, slots=True)
class Level:
    label: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class LevelScale:
    levels: tuple[Level, ...]  # best first
    below: Below
    source: str = ""

    def classify(self, scores: Scores) -> Outcome:
        for i, level in enumerate(self.levels):
            if all(c.holds(scores) for c in level.conditions):
                return Outcome(level.label, True, i, lambda label=level.label: f"đạt mọi điều kiện của {label}")
        why = "không có mức nào"
        if self.levels:
            # The reason below the last level names what that level still lacks.
            last = self.levels[-1]
            failed = [c.describe(scores) for c in last.conditions if not c.holds(scores)]
            why = f"chưa đạt {last.label} ({'; '.join(failed)})"
        label = self.below.label
        text = f"{why}: {label or 'không xếp loại'}"
        return Outcome(label, self.below.ranked, len(self.levels), lambda: text)


@dataclass(frozen=True, slots=True)
class NotStated:
    """The regime states no classification for the group (Tây Ninh 2693: score sheets only)."""

    note: str

    def classify(self, scores: Scores) -> Outcome:
        note = self.note
        return Outcome(None, True, 0, lambda: note)


Scale = BandScale | LevelScale | NotStated
