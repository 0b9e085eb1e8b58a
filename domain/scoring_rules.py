"""The scoring rules, written once: a criterion's data -> a function `answer -> points`.

One builder per KIND (never per criterion) reads the criterion's parameters from the rubric file
and returns a small closure; nothing is generated as source text and nothing from a rubric file
ever becomes code. The order of the rules for one answered criterion, each stopping the
evaluation:

1. a flag the criterion has a rule for (`not_applicable`, `no_system`) -> share x max
   (Decision 265/QĐ-UBND Art. 7.2; Tây Ninh 2693 Phụ lục I items II.1.11 and 6);
2. evidence required but none given -> 0 (Tây Ninh 2693: "Nội dung không cung cấp được số liệu,
   tài liệu chứng minh theo yêu cầu sẽ chấm 0 (không) điểm");
3. the kind's own rule.

A value the kind cannot score (missing, NaN, an infinity, negative, a numerator above the
denominator where that is impossible, points above the maximum, an unknown option) scores 0.
`domain.scoring_kinds` words the same cases for the explanation and the sheet loader through
the predicates below, so a rule and its message cannot drift apart. An unanswered criterion
scores 0 (the caller skips it).

Why closures and not generated source: the plain evaluator is within 2x of a code-generating
one at 11,000 sheets x 50 criteria (figures in docs/speed.md), and it can be read and stepped
through (docs/decisions/0013-scoring-without-code-generation.md).
"""

from __future__ import annotations

import math
from operator import attrgetter
from typing import Callable

from domain.answers import Answer
from domain.rubric import FLAGS, Criterion, Kind, RatioMode

PointsFn = Callable[[Answer], float]

_INF = math.inf


# --- the predicates every rule and message shares -------------------------------------------


def usable_number(x: float | None) -> bool:
    """A figure a kind can score: a finite number, not below zero (NaN fails both tests)."""
    return x is not None and 0 <= x < _INF


def ratio_usable(n: float | None, d: float | None, numerator_may_exceed: bool) -> bool:
    """Both figures usable, a positive denominator, and — the one statement of this rule — the
    numerator not above the denominator unless the rubric says it may be (mailboxes issued may
    outnumber staff: `numerator_may_exceed`)."""
    return (n is not None and d is not None and 0 <= n < _INF and 0 < d < _INF
            and (numerator_may_exceed or n <= d))


def points_usable(x: float | None, maximum: float | None) -> bool:
    """Entered points lie in [0, max]; a criterion without a stated maximum (Bình Thuận 1867
    families) still refuses infinities."""
    return x is not None and 0 <= x < _INF and (maximum is None or x <= maximum)


# --- one builder per kind --------------------------------------------------------------------


def _yes_no(c: Criterion) -> PointsFn:
    mx = float(c.max)
    return lambda a: mx if a.yes is True else 0.0


def _document(c: Criterion) -> PointsFn:
    # IssuedDocument requires its date; a blank number is no number.
    mx = float(c.max)

    def points(a: Answer) -> float:
        d = a.document
        return mx if d is not None and d.number and d.number.strip() else 0.0
    return points


def _choice(c: Criterion) -> PointsFn:
    shares = {o.key: float(c.max) * o.share for o in c.options}
    return lambda a: shares.get(a.choice, 0.0)  # None and unknown options: 0


def _points(c: Criterion) -> PointsFn:
    maximum = c.max

    def points(a: Answer) -> float:
        x = a.points
        return x if points_usable(x, maximum) else 0.0
    return points


def _count(c: Criterion) -> PointsFn:
    tiers = tuple((t.at_least, t.points) for t in reversed(c.tiers))  # highest tier first

    def points(a: Answer) -> float:
        n = a.count
        if usable_number(n):
            for at_least, p in tiers:
                if n >= at_least:
                    return p
        return 0.0
    return points


def _ratio(c: Criterion) -> PointsFn:
    # Comparisons are cross-multiplied (n*100 >= t*d), exact at the edge: 5/100 is 5%.
    may_exceed = c.numerator_may_exceed
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        full, mx = float(c.full_at_percent), float(c.max)

        def proportional(a: Answer) -> float:
            n, d = a.numerator, a.denominator
            if not ratio_usable(n, d, may_exceed):
                return 0.0
            return mx if n * 100 >= full * d else mx * n * 100 / (full * d)
        return proportional

    tiers = tuple((t.at_least, t.points) for t in reversed(c.tiers))  # highest tier first

    def tiered(a: Answer) -> float:
        n, d = a.numerator, a.denominator
        if ratio_usable(n, d, may_exceed):
            for at_least, p in tiers:
                if n * 100 >= at_least * d:
                    return p
        return 0.0
    return tiered


_BUILDERS: dict[Kind, Callable[[Criterion], PointsFn]] = {
    Kind.YES_NO: _yes_no,
    Kind.DOCUMENT: _document,
    Kind.CHOICE: _choice,
    Kind.POINTS: _points,
    Kind.COUNT: _count,
    Kind.RATIO: _ratio,
}


def criterion_points(c: Criterion) -> PointsFn:
    """The criterion's scoring function: its flag rules and evidence rule, then its kind."""
    by_kind = _BUILDERS[c.kind](c)
    flags = tuple((attrgetter(flag), c.max * r.share) for flag in FLAGS if (r := c.rule(flag)) is not None)
    needs_evidence = c.evidence.required
    if not flags:
        if not needs_evidence:
            return by_kind
        return lambda a: by_kind(a) if a.evidence else 0.0
    if len(flags) == 1 and not needs_evidence:  # the usual case: one flag rule, share x max
        ((flagged, share),) = flags
        return lambda a: share if flagged(a) else by_kind(a)

    def points(a: Answer) -> float:
        for flagged, p in flags:
            if flagged(a):
                return p
        if needs_evidence and not a.evidence:
            return 0.0
        return by_kind(a)
    return points
