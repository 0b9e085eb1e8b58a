"""Compile a rubric's criteria, from their data, into Python functions (once per rubric).

Ranking 11,000 communes scores 550,000 answers; a closure call per answer costs more than the
scoring itself. So each criterion's parameters are written, by one template per KIND, into the
source of two functions, as `dataclasses` writes `__init__`:

- one function per criterion, `f(answer) -> points` (for `score_sheet`);
- one function per rubric, `total(get) -> float`, the same bodies inlined one after the other
  (for `score_many`), so both paths run the very same code and cannot disagree.

Only numbers (`repr(float)`, exact round trip) and criterion ids (`repr(str)`) are written into
the source; everything else (choice tables) is passed in the namespace. No text from a rubric
file ever becomes code. Order of the rules for one criterion, each stopping the evaluation:
1. a flag the criterion has a rule for (`not_applicable`, `no_system`) -> share x max
   (Decision 265 Art. 7.2; Tây Ninh 2693 Phụ lục I items II.1.11 and 6);
2. evidence required but none given -> 0 (Tây Ninh 2693: "Nội dung không cung cấp được số liệu,
   tài liệu chứng minh theo yêu cầu sẽ chấm 0 (không) điểm");
3. the kind's own rule. A value the kind cannot score (missing, NaN, negative, numerator above
   the denominator where impossible, points above the maximum) scores 0 and the explanation
   (`domain.scoring_kinds`) says why: never a silent clamp.
An unanswered criterion scores 0 (the caller skips it).
"""

from __future__ import annotations

import math
from typing import Callable

from domain.answers import Answer
from domain.rubric import Criterion, Kind, RatioMode, Rubric

PointsFn = Callable[[Answer], float]
TotalFn = Callable[[Callable[[str], Answer | None]], float]


def _f(x: float) -> str:
    """A float literal that reads back exactly."""
    return repr(float(x))


def _kind_body(c: Criterion, consts: dict[str, object], key: str) -> list[str]:
    """Lines that set `p` from the answer `a` (never None), by the criterion's kind."""
    k = c.kind
    if k is Kind.YES_NO:
        return [f"p = {_f(c.max)} if a.yes is True else 0.0"]
    if k is Kind.DOCUMENT:
        # IssuedDocument requires its date; a blank number is no number.
        return ["d = a.document", f"p = {_f(c.max)} if d is not None and d.number and d.number.strip() else 0.0"]
    if k is Kind.CHOICE:
        consts[key] = {o.key: float(c.max) * o.share for o in c.options}
        return [f"p = {key}.get(a.choice, 0.0)"]  # None and unknown options: 0
    if k is Kind.POINTS:
        # NaN fails both comparisons; above the maximum is invalid, not clamped.
        upper = " < inf" if c.max is None else f" <= {_f(c.max)}"
        return ["x = a.points", f"p = x if x is not None and 0 <= x{upper} else 0.0"]
    if k is Kind.COUNT:
        lines = ["n = a.count", "if n is None or not 0 <= n < inf: p = 0.0"]
        lines += [f"elif n >= {_f(t.at_least)}: p = {_f(t.points)}" for t in reversed(c.tiers)]
        return lines + ["else: p = 0.0"]
    # RATIO. Where the numerator cannot exceed the denominator, 0 <= n <= d also rejects n > d.
    # NaN fails every comparison; infinities are refused like negatives.
    # Comparisons are cross-multiplied (n*100 >= t*d), exact at the edge: 5/100 is 5%.
    bound = "0 <= n < inf and 0 < d < inf" if c.numerator_may_exceed else "0 <= n <= d < inf and d > 0"
    lines = ["n = a.numerator", "d = a.denominator", f"if n is None or d is None or not ({bound}): p = 0.0"]
    if c.ratio_mode is RatioMode.PROPORTIONAL:
        full, mx = _f(c.full_at_percent), _f(c.max)
        return lines + [f"elif n * 100 >= {full} * d: p = {mx}", f"else: p = {mx} * n * 100 / ({full} * d)"]
    lines += [f"elif n * 100 >= {_f(t.at_least)} * d: p = {_f(t.points)}" for t in reversed(c.tiers)]
    return lines + ["else: p = 0.0"]


def criterion_body(c: Criterion, consts: dict[str, object], key: str) -> list[str]:
    """Rules first (flags, evidence), then the kind: lines that set `p` from `a`."""
    guards: list[tuple[str, str]] = []
    for flag in ("not_applicable", "no_system"):  # domain.rubric.FLAGS, in this order
        rule = c.rule(flag)
        if rule is not None:
            guards.append((f"a.{flag}", f"p = {_f(c.max * rule.share)}"))
    if c.evidence.required:
        guards.append(("not a.evidence", "p = 0.0"))
    body = _kind_body(c, consts, key)
    if not guards:
        return body
    lines = [f"{'if' if i == 0 else 'elif'} {cond}: {action}" for i, (cond, action) in enumerate(guards)]
    return lines + ["else:"] + ["    " + line for line in body]


def compile_rubric(rubric: Rubric) -> tuple[tuple[PointsFn, ...], TotalFn]:
    consts: dict[str, object] = {"inf": math.inf}
    src: list[str] = []
    total = ["def total(get):", "    t = 0.0"]
    for i, c in enumerate(rubric.criteria):
        body = criterion_body(c, consts, f"_k{i}")
        src += [f"def f{i}(a):"] + ["    " + line for line in body] + ["    return p", ""]
        total += [f"    a = get({c.id!r})", "    if a is not None:"]
        total += ["        " + line for line in body] + ["        t += p"]
    total.append("    return t")
    namespace = dict(consts)
    exec(compile("\n".join(src + total), f"<rubric {rubric.id}>", "exec"), namespace)  # noqa: S102
    fns = tuple(namespace[f"f{i}"] for i in range(len(rubric.criteria)))
    return fns, namespace["total"]
