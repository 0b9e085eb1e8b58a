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

Two ways in: `classify(scores)` for one unit, with its reason; `band_indexes(...)` for a whole
group (11,000 communes), an index into `outcomes`, one shared `Outcome` per band, found by
bisection on the integer edges. Both use the same edges; a unit's reason is `classify` again.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Callable, Mapping, Sequence

MICRO = 1_000_000
_UNSET = object()


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
    _outcomes: tuple[Outcome, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_edges", tuple(micro(b.at_least) for b in self.bands))
        object.__setattr__(self, "_outcomes", tuple(Outcome(b.label, True, i) for i, b in enumerate(self.bands))
                           + (Outcome(self.below.label, self.below.ranked, len(self.bands)),))

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """One shared outcome per band, the last one for below every band (no reason: see `classify`)."""
        return self._outcomes

    def band_indexes(self, scores: Sequence[Scores], totals: Sequence[int]) -> list[int]:
        """Index into `outcomes` of each unit, from its total in micro-points (`micro`)."""
        if self.basis is Basis.PERCENT:
            out = []
            last_max, cut = _UNSET, []
            for s, t in zip(scores, totals):
                if s.max != last_max:  # one maximum per group in practice: one cut list
                    last_max, cut = s.max, self._cut(self._micro_max(s))
                out.append(bisect_left(cut, -t))
            return out
        cut = [-e for e in self._edges]
        return [bisect_left(cut, -t) for t in totals]

    def _micro_max(self, scores: Scores) -> int:
        if not scores.max:
            raise ValueError("a percentage scale needs the sheet's maximum")
        return micro(scores.max)

    def _cut(self, m: int | None) -> list[int]:
        """Negated lowest totals of each band, ascending: the band of total t is the number of
        band edges above t, `bisect_left(cut, -t)`. Points: the edges themselves. Percent: total/max ≥ p%
        ⇔ total × 100 ≥ p × max ⇔ total ≥ ⌈p × max / 100⌉ in integers (85% of 500 = 425 exactly)."""
        if m is None:
            return [-e for e in self._edges]
        scale = 100 * MICRO
        return [(-e * m) // scale for e in self._edges]  # -⌈x⌉ = ⌊-x⌋

    def classify(self, scores: Scores) -> Outcome:
        t = micro(scores.total)
        m = self._micro_max(scores) if self.basis is Basis.PERCENT else None
        i = bisect_left(self._cut(m), -t)
        shared = self._outcomes[i]
        if m is None:
            why = lambda: self._why_points(t, i if i < len(self.bands) else None)  # noqa: E731
        else:
            why = lambda: self._why_percent(t, m, i if i < len(self.bands) else None)  # noqa: E731
        if i < len(self.bands):
            return Outcome(shared.label, True, i, why)
        return Outcome(shared.label, shared.ranked, i, lambda: f"{why()}: {shared.label or 'không xếp loại'}")

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
    _outcomes: tuple[Outcome, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_outcomes", tuple(Outcome(lv.label, True, i) for i, lv in enumerate(self.levels))
                           + (Outcome(self.below.label, self.below.ranked, len(self.levels)),))

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """One shared outcome per level, the last one for below every level (no reason: see `classify`)."""
        return self._outcomes

    def band_indexes(self, scores: Sequence[Scores], totals: Sequence[int]) -> list[int]:
        return [self._level(s) for s in scores]

    def _level(self, scores: Scores) -> int:
        for i, level in enumerate(self.levels):
            if all(c.holds(scores) for c in level.conditions):
                return i
        return len(self.levels)

    def classify(self, scores: Scores) -> Outcome:
        i = self._level(scores)
        if i < len(self.levels):
            label = self.levels[i].label
            return Outcome(label, True, i, lambda: f"đạt mọi điều kiện của {label}")
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

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return (Outcome(None, True, 0),)

    def band_indexes(self, scores: Sequence[Scores], totals: Sequence[int]) -> list[int]:
        return [0] * len(totals)

    def classify(self, scores: Scores) -> Outcome:
        note = self.note
        return Outcome(None, True, 0, lambda: note)


Scale = BandScale | LevelScale | NotStated
