"""Each criterion's points as an Excel formula, written from its data by one template per KIND,
in the engine's rule order (`domain.scoring_codegen`): a flag the criterion has a rule for, then
missing evidence where it is required, then the kind's rule. An unanswered row scores 0, as in
the engine. A test recalculates every formula in LibreOffice and compares it with the engine.

Only numbers (`repr`) and the template's own labels become formula text; a rubric's text never
does (an option's points are looked up in the lists sheet).
"""

from __future__ import annotations

from domain.rubric import Criterion, Kind, RatioMode
from workbooks.layout import COL_A, COL_B, COL_EVIDENCE, COL_FLAG, FLAG_LABELS, YES, cell_name


def _n(x: float) -> str:
    """A number literal: integers without a decimal point, others exactly."""
    x = float(x)
    return str(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x)


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def criterion_formula(c: Criterion, row: int, choice_range: str | None = None) -> str:
    """`=...` for the points of criterion `c` written on 0-based `row`; `choice_range` is the
    absolute range (option text, points) of a choice criterion in the lists sheet."""
    a, b = cell_name(row, COL_A), cell_name(row, COL_B)
    flag, ev = cell_name(row, COL_FLAG), cell_name(row, COL_EVIDENCE)
    body = _kind(c, a, b, choice_range)
    if c.evidence.required:
        body = f"IF(LEN(TRIM(CLEAN({ev})))=0,0,{body})"
    for r in reversed(c.rules):  # the first rule is tested first (not_applicable, then no_system)
        body = f"IF({flag}={_q(FLAG_LABELS[r.flag])},{_n(c.max * r.share)},{body})"
    return "=" + body


def _kind(c: Criterion, a: str, b: str, choice_range: str | None) -> str:
    k = c.kind
    if k is Kind.YES_NO:
        return f"IF(OR({a}={_q(YES)},{a}=TRUE),{_n(c.max)},0)"
    if k is Kind.DOCUMENT:
        return f"IF(AND(TRIM({a})<>\"\",{b}<>\"\"),{_n(c.max)},0)"
    if k is Kind.POINTS:
        upper = "" if c.max is None else f",{a}<={_n(c.max)}"
        return f"IF(ISNUMBER({a}),IF(AND({a}>=0{upper}),{a},0),0)"
    if k is Kind.CHOICE:
        return f"IFERROR(VLOOKUP({a},{choice_range},2,FALSE),0)"
    if k is Kind.COUNT:
        chain = "0"
        for t in c.tiers:  # ascending: the highest tier ends up outermost
            chain = f"IF({a}>={_n(t.at_least)},{_n(t.points)},{chain})"
        return f"IF(ISNUMBER({a}),IF({a}>=0,{chain},0),0)"
    # RATIO: both figures numbers, 0 <= n (<= d unless it may exceed), d > 0; cross-multiplied
    # comparisons as in the engine, exact at the edge (5/100 is 5%).
    bound = f"AND({a}>=0,{b}>0)" if c.numerator_may_exceed else f"AND({a}>=0,{a}<={b},{b}>0)"
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        full, mx = _n(c.full_at_percent), _n(c.max)
        chain = f"IF({a}*100>={full}*{b},{mx},{mx}*{a}*100/({full}*{b}))"
    else:
        chain = "0"
        for t in c.tiers:
            chain = f"IF({a}*100>={_n(t.at_least)}*{b},{_n(t.points)},{chain})"
    return f"IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({bound},{chain},0),0)"


def sum_formula(rows: list[int], col: int) -> str:
    """`=SUM(J9:J12,J15)` over 0-based rows, contiguous runs as ranges."""
    if not rows:
        return "=0"
    rows = sorted(rows)
    parts, start, prev = [], rows[0], rows[0]
    for r in rows[1:] + [None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        parts.append(cell_name(start, col) if start == prev else f"{cell_name(start, col)}:{cell_name(prev, col)}")
        if r is not None:
            start = prev = r
    return f"=SUM({','.join(parts)})"
