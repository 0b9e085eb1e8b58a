"""Numbers as a Vietnamese score sheet writes them: decimal comma, no trailing zeros."""

from __future__ import annotations


def num(x: float) -> str:
    """12 -> "12", 2.5 -> "2,5", 5.625 -> "5,63" (two decimals at most, as the sheets print)."""
    r = round(x, 2)
    if r == int(r):
        return str(int(r))
    return f"{r:.2f}".rstrip("0").replace(".", ",")


def pct(numerator: float, denominator: float) -> str:
    """The ratio as a percent: 45/100 -> "45%", 2/3 -> "66,67%"."""
    return num(numerator * 100 / denominator) + "%"


def pts(x: float) -> str:
    return f"{num(x)} điểm"
