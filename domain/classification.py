"""Classification of one unit's scores: bands of points, bands of a percentage, or levels.

Three shapes the seeds use, all as data (built by `rubrics.regime_rules` from a regime file):
- `BandScale(basis=POINTS)`: absolute bands per group (Decision 1867 Art. 10: Tốt from 450,
  Khá from 350, Trung bình from 250, Yếu below; group II 380/280/190).
- `BandScale(basis=PERCENT)`: a share of the sheet's maximum (Decision 265 Art. 8: Tốt from
  85%, Khá from 70%, Trung bình from 50%, Kém below).
- `LevelScale`: a level is reached only if every condition of its column holds (Decision 2392
  Art. 6: a minimum total in each part and a minimum share in each group); below the last level
  a locality is not ranked.

Edges are exact. A sheet total is a float sum, so it is first fixed to micro-points
(`exact`): the sheets carry at most a few decimals, float drift is ~1e-13, so 449.99 stays
below 450 and 424.9999999999999 (a drifted 425) is 425, which is 85% of 500 and Tốt. Percent
comparisons are cross-multiplied in fractions (points × 100 ≥ percent × maximum): no division.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Mapping

MICRO = 1_000_000


def exact(x: float | int | Fraction) -> Fraction:
    """A score as an exact fraction of micro-points (removes float drift from sums)."""
    if isinstance(x, Fraction):
        return x
    return Fraction(round(x * MICRO), MICRO)


def fmt(x: Fraction | float) -> str:
    """Vietnamese number: decimal comma, no trailing zeros (449,99; 425; 84,25)."""
    text = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


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
    reason: str  # Vietnamese, e.g. "449,99 điểm < 450: Khá"


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

    def classify(self, scores: Scores) -> Outcome:
        total = exact(scores.total)
        if self.basis is Basis.PERCENT:
            if not scores.max:
                raise ValueError("a percentage scale needs the sheet's maximum")
            mx = exact(scores.max)
            for i, band in enumerate(self.bands):
                # total/max ≥ p% ⇔ total × 100 ≥ p × max (exact at 85% of 500 = 425).
                if total * 100 >= band.at_least * mx:
                    edge = band.at_least * mx / 100
                    return Outcome(band.label, True, i, f"{fmt(total)}/{fmt(mx)} điểm ≥ {fmt(band.at_least)}% ({fmt(edge)}): {band.label}")
            last = self.bands[-1] if self.bands else None
            why = f"{fmt(total)}/{fmt(mx)} điểm < {fmt(last.at_least)}%" if last else "không có mức nào"
            return self._below(why)
        for i, band in enumerate(self.bands):
            if total >= band.at_least:
                return Outcome(band.label, True, i, f"{fmt(total)} điểm ≥ {fmt(band.at_least)}: {band.label}")
        last = self.bands[-1] if self.bands else None
        return self._below(f"{fmt(total)} điểm < {fmt(last.at_least)}" if last else "không có mức nào")

    def _below(self, why: str) -> Outcome:
        label = self.below.label
        return Outcome(label, self.below.ranked, len(self.bands), f"{why}: {label or 'không xếp loại'}")


@dataclass(frozen=True, slots=True)
class Condition:
    """`section` (None: the whole sheet) reaches `at_least` points, or `at_least_percent` of
    that section's maximum as the rubric states it."""

    section: str | None
    at_least: Fraction | None = None
    at_least_percent: Fraction | None = None
    where: str = ""  # the regime file line, for errors found when a rubric is paired with it

    def check(self, scores: Scores) -> tuple[bool, str]:
        if self.section is None:
            got, mx, name = scores.total, scores.max, "tổng điểm"
        else:
            got, mx, name = scores.sections.get(self.section), scores.section_max.get(self.section), self.section
            if got is None:
                raise KeyError(f"{self.where}: the sheet has no section '{self.section}'")
        pts = exact(got)
        if self.at_least is not None:
            ok = pts >= self.at_least
            return ok, f"{name} {fmt(pts)} {'≥' if ok else '<'} {fmt(self.at_least)}"
        assert self.at_least_percent is not None
        if not mx:
            raise KeyError(f"{self.where}: section '{self.section}' has no maximum for a percentage")
        m = exact(mx)
        ok = pts * 100 >= self.at_least_percent * m
        return ok, f"{name} {fmt(pts)} {'≥' if ok else '<'} {fmt(self.at_least_percent)}% × {fmt(m)}"


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
        why = "không có mức nào"
        for i, level in enumerate(self.levels):
            failed = [text for ok, text in (c.check(scores) for c in level.conditions) if not ok]
            if not failed:
                return Outcome(level.label, True, i, f"đạt mọi điều kiện của {level.label}")
            # The reason below the last level names what that level still lacks.
            why = f"chưa đạt {level.label} ({'; '.join(failed)})"
        label = self.below.label
        return Outcome(label, self.below.ranked, len(self.levels), f"{why}: {label or 'không xếp loại'}")


@dataclass(frozen=True, slots=True)
class NotStated:
    """The regime states no classification for the group (Tây Ninh 2693: score sheets only)."""

    note: str

    def classify(self, scores: Scores) -> Outcome:
        return Outcome(None, True, 0, self.note)


Scale = BandScale | LevelScale | NotStated
