"""Per KIND (never per criterion) scoring: each factory turns a criterion's data into a closure.

`points_fn(c)` returns `f(answer) -> float` for the fast path; `explain(c, answer)` returns the
same points with a Vietnamese reason. Both read only the criterion's parameters, so a new
criterion is a new data entry, never new code. Flag rules and evidence are applied around these
in `domain.scoring_compile`. A value the kind cannot score (missing, NaN, negative, numerator
above denominator where impossible, points above the maximum) scores 0 and the reason says why:
never a silent clamp. `answer_problems` reports the same cases for the sheet loader.
"""

from __future__ import annotations

import math
from typing import Callable

from domain.answers import Answer
from domain.rubric import Criterion, Kind, RatioMode
from domain.scoring_text import num, pct, pts

PointsFn = Callable[[Answer], float]


def _bad_number(x: float) -> bool:
    return isinstance(x, bool) or not isinstance(x, (int, float)) or math.isnan(x) or math.isinf(x)


def answer_problems(c: Criterion, a: Answer) -> list[tuple[str, str]]:
    """(field, message) for every value this criterion cannot score; empty when the answer is usable.

    A missing field is not a problem here (it scores 0, like an unanswered criterion); the sheet
    loader decides whether a missing field is an error.
    """
    out: list[tuple[str, str]] = []
    for flag in ("not_applicable", "no_system"):
        if getattr(a, flag) and c.rule(flag) is None:
            out.append((flag, f"tiêu chí {c.id} không có quy định '{flag}'"))
    k = c.kind
    if k is Kind.RATIO:
        n, d = a.numerator, a.denominator
        for name, v in (("numerator", n), ("denominator", d)):
            if v is not None and (_bad_number(v) or v < 0):
                out.append((name, f"phải là số không âm, nhận được {v!r}"))
        if out:
            return out
        if n is not None and d is not None and not c.numerator_may_exceed and n > d:
            out.append(("numerator", f"tử số {num(n)} lớn hơn mẫu số {num(d)}"))
    elif k is Kind.COUNT:
        if a.count is not None and (_bad_number(a.count) or a.count < 0):
            out.append(("count", f"phải là số không âm, nhận được {a.count!r}"))
    elif k is Kind.POINTS:
        p = a.points
        if p is not None:
            if _bad_number(p) or p < 0:
                out.append(("points", f"phải là số không âm, nhận được {p!r}"))
            elif c.max is not None and p > c.max:
                out.append(("points", f"{num(p)} vượt điểm tối đa {num(c.max)}"))
    elif k is Kind.CHOICE:
        if a.choice is not None and c.option(a.choice) is None:
            known = ", ".join(o.key for o in c.options)
            out.append(("choice", f"phương án '{a.choice}' không có trong tiêu chí (có: {known})"))
    elif k is Kind.DOCUMENT:
        doc = a.document
        if doc is not None and not (isinstance(doc.number, str) and doc.number.strip()):
            out.append(("document.number", "thiếu số văn bản"))
    return out


# --- fast path -----------------------------------------------------------------------------


def points_fn(c: Criterion) -> PointsFn:
    return _FACTORIES[c.kind](c)


def _yes_no(c: Criterion) -> PointsFn:
    mx = float(c.max)

    def f(a: Answer) -> float:
        return mx if a.yes is True else 0.0

    return f


def _document(c: Criterion) -> PointsFn:
    mx = float(c.max)

    def f(a: Answer) -> float:
        d = a.document
        return mx if d is not None and d.date is not None and d.number and d.number.strip() else 0.0

    return f


def _ratio(c: Criterion) -> PointsFn:
    mx = float(c.max)
    may_exceed = c.numerator_may_exceed
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        full = float(c.full_at_percent)

        def prop(a: Answer) -> float:
            n = a.numerator
            d = a.denominator
            if n is None or d is None or not d > 0 or not n >= 0 or (n > d and not may_exceed):
                return 0.0
            if n * 100 >= full * d:
                return mx
            return mx * n * 100 / (full * d)

        return prop
    # Descending, so the first tier reached is the best one.
    tiers = tuple((t.at_least, float(t.points)) for t in reversed(c.tiers))

    def tiered(a: Answer) -> float:
        n = a.numerator
        d = a.denominator
        if n is None or d is None or not d > 0 or not n >= 0 or (n > d and not may_exceed):
            return 0.0
        # n*100 >= t*d instead of n/d >= t/100: exact at the edge (5/100 is exactly 5%).
        n100 = n * 100
        for at_least, p in tiers:
            if n100 >= at_least * d:
                return p
        return 0.0

    return tiered


def _count(c: Criterion) -> PointsFn:
    tiers = tuple((t.at_least, float(t.points)) for t in reversed(c.tiers))

    def f(a: Answer) -> float:
        n = a.count
        if n is None or not n >= 0:
            return 0.0
        for at_least, p in tiers:
            if n >= at_least:
                return p
        return 0.0

    return f


def _choice(c: Criterion) -> PointsFn:
    table = {o.key: float(c.max) * o.share for o in c.options}
    get = table.get

    def f(a: Answer) -> float:
        k = a.choice
        return get(k, 0.0) if k is not None else 0.0

    return f


def _points(c: Criterion) -> PointsFn:
    mx = math.inf if c.max is None else float(c.max)

    def f(a: Answer) -> float:
        p = a.points
        if p is None or not 0 <= p <= mx:  # NaN fails both comparisons
            return 0.0
        return float(p)

    return f


_FACTORIES: dict[Kind, Callable[[Criterion], PointsFn]] = {
    Kind.YES_NO: _yes_no,
    Kind.DOCUMENT: _document,
    Kind.RATIO: _ratio,
    Kind.COUNT: _count,
    Kind.CHOICE: _choice,
    Kind.POINTS: _points,
}


# --- explanations --------------------------------------------------------------------------


def explain(c: Criterion, a: Answer, points: float) -> str:
    """Why the kind gave `points` (computed by the fast path, so the two cannot disagree)."""
    problems = answer_problems(c, a)
    if problems:
        field, message = problems[0]
        return f"Số liệu không hợp lệ ({field}: {message}): 0 điểm"
    return _EXPLAINERS[c.kind](c, a, points)


def _explain_yes_no(c: Criterion, a: Answer, p: float) -> str:
    if a.yes is None:
        return "Không trả lời có/không: 0 điểm"
    return f"{'Có' if a.yes else 'Không'}: {pts(p)}"


def _explain_document(c: Criterion, a: Answer, p: float) -> str:
    d = a.document
    if d is None or d.date is None or not d.number:
        return "Không cung cấp số, ngày ban hành văn bản: 0 điểm"
    return f"Văn bản số {d.number} ngày {d.date:%d/%m/%Y}: {pts(p)}"


def _explain_ratio(c: Criterion, a: Answer, p: float) -> str:
    n, d = a.numerator, a.denominator
    if n is None or d is None:
        return f"Không cung cấp số liệu ({c.numerator_label or 'tử số'}/{c.denominator_label or 'mẫu số'}): 0 điểm"
    if not d > 0:
        return f"Mẫu số bằng 0 ({c.denominator_label or 'mẫu số'}): không tính được tỷ lệ, 0 điểm"
    head = f"Tỷ lệ {num(n)}/{num(d)} = {pct(n, d)}"
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        full = c.full_at_percent
        if n * 100 >= full * d:
            return f"{head} ≥ {num(full)}%: {pts(p)}"
        return f"{head}, tính theo tỷ lệ {pct(n, d)}/{num(full)}% × {num(c.max)}: {pts(p)}"
    for t in reversed(c.tiers):
        if n * 100 >= t.at_least * d:
            return f"{head} ≥ {num(t.at_least)}%: {pts(p)}"
    return f"{head} < {num(c.tiers[0].at_least)}%: 0 điểm"


def _explain_count(c: Criterion, a: Answer, p: float) -> str:
    n = a.count
    if n is None:
        return "Không cung cấp số lượng: 0 điểm"
    for t in reversed(c.tiers):
        if n >= t.at_least:
            return f"Số lượng {num(n)} ≥ {num(t.at_least)}: {pts(p)}"
    return f"Số lượng {num(n)} < {num(c.tiers[0].at_least)}: 0 điểm"


def _explain_choice(c: Criterion, a: Answer, p: float) -> str:
    if a.choice is None:
        return "Không chọn phương án: 0 điểm"
    o = c.option(a.choice)
    return f"Phương án «{o.text}» ({num(o.share * 100)}% điểm tối đa): {pts(p)}"


def _explain_points(c: Criterion, a: Answer, p: float) -> str:
    if a.points is None:
        return "Không nhập điểm: 0 điểm"
    if c.max is None:
        return f"Điểm nhập {num(a.points)} (phụ lục chi tiết chưa nạp, không có điểm tối đa): {pts(p)}"
    return f"Điểm nhập {num(a.points)} trong tối đa {num(c.max)}: {pts(p)}"


_EXPLAINERS = {
    Kind.YES_NO: _explain_yes_no,
    Kind.DOCUMENT: _explain_document,
    Kind.RATIO: _explain_ratio,
    Kind.COUNT: _explain_count,
    Kind.CHOICE: _explain_choice,
    Kind.POINTS: _explain_points,
}
