"""Per KIND (never per criterion): why an answer got its points, in Vietnamese, and what is wrong
with an answer a kind cannot score.

The points themselves come from `domain.scoring_rules`; `explain(c, answer, points)` words the
reason from the criterion's parameters ("Tỷ lệ 45/100 = 45% < 50%: 0 điểm"). A value the kind
cannot score (NaN, an infinity, negative, numerator above denominator where impossible, points
above the maximum, an unknown option) scores 0 and the reason says why: never a silent clamp.
`answer_problems` reports the same cases, by field, for the sheet loader; both decide through
the predicates of `domain.scoring_rules`, and each message is written once, here.
"""

from __future__ import annotations

import math

from domain.answers import Answer
from domain.rubric import FLAGS, Criterion, Kind, RatioMode
from domain.scoring_rules import points_usable, ratio_usable
from domain.scoring_text import num, pct, pts


def _bad_number(x: float) -> bool:
    return not isinstance(x, (int, float)) or math.isnan(x) or math.isinf(x)


def numerator_above_denominator(n: float, d: float) -> str:
    """The message of the rule `domain.scoring_rules.ratio_usable` states (sheets, workbooks)."""
    return f"tử số {num(n)} lớn hơn mẫu số {num(d)}"


def points_above_maximum(p: float, maximum: float) -> str:
    return f"{num(p)} vượt điểm tối đa {num(maximum)}"


def answer_problems(c: Criterion, a: Answer) -> list[tuple[str, str]]:
    """(field, message) for every value this criterion cannot score; empty when the answer is usable.

    A missing field is not a problem here (it scores 0, like an unanswered criterion); the sheet
    loader decides whether a missing field is an error.
    """
    out: list[tuple[str, str]] = []
    for flag in FLAGS:
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
        if n is not None and d is not None and d > 0 and not ratio_usable(n, d, c.numerator_may_exceed):
            out.append(("numerator", numerator_above_denominator(n, d)))
    elif k is Kind.COUNT:
        if a.count is not None and (_bad_number(a.count) or a.count < 0):
            out.append(("count", f"phải là số không âm, nhận được {a.count!r}"))
    elif k is Kind.POINTS:
        p = a.points
        if p is not None:
            if _bad_number(p) or p < 0:
                out.append(("points", f"phải là số không âm, nhận được {p!r}"))
            elif not points_usable(p, c.max):
                out.append(("points", points_above_maximum(p, c.max)))
    elif k is Kind.CHOICE:
        if a.choice is not None and c.option(a.choice) is None:
            known = ", ".join(o.key for o in c.options)
            out.append(("choice", f"phương án '{a.choice}' không có trong tiêu chí (có: {known})"))
    elif k is Kind.DOCUMENT:
        doc = a.document
        if doc is not None and not (isinstance(doc.number, str) and doc.number.strip()):
            out.append(("document.number", "thiếu số văn bản"))
    return out


# --- explanations --------------------------------------------------------------------------


def explain(c: Criterion, a: Answer, points: float) -> str:
    """Why the kind gave `points` (computed by `domain.scoring_rules`, whose predicates
    `answer_problems` shares, so the reason and the points cannot disagree)."""
    problems = answer_problems(c, a)
    # A flag without a rule changes nothing (the figures are scored); it is named, not hidden.
    ignored = [m for f, m in problems if f in FLAGS]
    invalid = [(f, m) for f, m in problems if f not in FLAGS]
    if invalid:
        field, message = invalid[0]
        text = f"Số liệu không hợp lệ ({field}: {message}): 0 điểm"
    else:
        text = _EXPLAINERS[c.kind](c, a, points)
    if ignored:
        text += f" (bỏ qua: {'; '.join(ignored)})"
    return text


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
