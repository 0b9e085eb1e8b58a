"""How large a number in a sheet may be: every number is finite and within a stated range.

A criterion states its maximum in the rubric; where the decision states none (Decision
1867/QĐ-UBND, Art. 6: five families of criteria with points but no maxima), a criterion takes at
most MAX_POINTS_UNSTATED and the sheet's total at most MAX_TOTAL_UNSTATED: the largest stated
total of a shipped rubric is 600 points, and a thousand leaves room for a province's own scale. Figures a unit
reports (a numerator, a denominator, a count) are at most MAX_QUANTITY: no unit handles a trillion
records, and a bound keeps every ratio and sum a finite float (1e308 × 3 is infinity).
"""

from __future__ import annotations

MAX_POINTS_UNSTATED = 1_000
MAX_TOTAL_UNSTATED = 1_000
MAX_QUANTITY = 10**12


def points_cap(maximum: float | None) -> float:
    """The most points a criterion can take: its maximum, or MAX_POINTS_UNSTATED."""
    return MAX_POINTS_UNSTATED if maximum is None else maximum
