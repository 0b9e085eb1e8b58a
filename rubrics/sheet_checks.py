"""Checking one answer of a sheet file against its criterion, and building the `Answer`.

Hand-written on purpose (no validation models): 550,000 answers must load in well under two
seconds. Each criterion is compiled once into a closure that knows its kind, maximum, options
and flag rules; an answer is a plain dict from the YAML parser. Any problem raises `BadAnswer`
naming the field (the loader adds file, line, unit and criterion). Messages are Vietnamese:
units read them.

What an answer must hold (docs/sheets.md): the fields its kind reads, all of them (a ratio
needs numerator AND denominator, a document number AND date), unless `not_applicable` or
`no_system` is set and the criterion has that rule. To leave a criterion unanswered, leave it
out: it scores 0.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from domain.answers import Answer, make_answer
from domain.limits import MAX_QUANTITY, points_cap
from domain.rubric import KIND_FIELDS, KIND_LABELS, Criterion, Kind, Rubric
from domain.scoring_kinds import numerator_above_denominator
from domain.scoring_text import num
from rubrics.sheet_values import BadAnswer, document, evidence, flag, number, points_within, shown


def _kind_text(kind: Kind) -> str:
    """"tỷ lệ (numerator, denominator)": the kind as a person reads it, with the fields a sheet
    file writes for it."""
    return f"{KIND_LABELS[kind]} ({', '.join(KIND_FIELDS[kind])})"

COMMON = ("not_applicable", "no_system", "evidence", "self_points")


Builder = Callable[[str, Any], Answer]


SHARED_PER_CRITERION = 512


def compile_builder(c: Criterion) -> Builder:
    """`build(criterion_id, raw) -> Answer` for this criterion; raises BadAnswer.

    The common answer holds exactly its kind's fields (`{numerator: 45, denominator: 100}`):
    one set comparison, then the kind's value checks. Flags, evidence and self-assessed points
    are checked in the same call (one Python call per answer on every path that succeeds but
    the kind's value check), in the order the messages promise: unknown field, flags, evidence,
    self_points, missing field, then the kind's values.
    """
    kind = c.kind
    needs = KIND_FIELDS[kind]
    needs_set = frozenset(needs)
    allowed = needs_set | frozenset(COMMON)
    unflagged = needs_set | frozenset(("evidence", "self_points"))
    flags = frozenset(r.flag for r in c.rules)
    mx = c.max
    limit = _limit(mx)
    value = _VALUE_CHECKS[kind](c)

    # Answers are immutable, so units that answer a one-field criterion alike ({yes: true},
    # {choice: chairman}, {count: 3}) share one Answer: most of a sheet's answers are such.
    single = needs[0] if len(needs) == 1 and kind is not Kind.DOCUMENT else None
    shared: dict[tuple, Answer] = {}
    shared_get = shared.get

    def build(cid: str, raw: Any) -> Answer:
        if type(raw) is not dict:
            raise BadAnswer(None, f"câu trả lời phải là một bảng trường: giá trị, ví dụ {{{needs[0]}: ...}}")
        keys = raw.keys()
        if keys == needs_set:
            if single is None:
                return value(cid, raw, False, False, (), None)
            v = raw[single]
            key = (type(v), v)
            try:
                a = shared_get(key)
            except TypeError:  # an unhashable value: value() says what is wrong with it
                a = None
            if a is None:
                a = value(cid, raw, False, False, (), None)
                if len(shared) < SHARED_PER_CRITERION:
                    shared[key] = a
            return a
        # Flags, evidence, self-assessed points.
        if keys <= unflagged:  # the usual extras: evidence, self_points
            na = ns = False
        else:
            if not keys <= allowed:
                bad = next(k for k in raw if k not in allowed)
                raise BadAnswer(str(bad), f"trường '{bad}' không dùng cho tiêu chí loại {_kind_text(kind)} "
                                          f"(dùng: {', '.join(needs + COMMON)})")
            na = raw.get("not_applicable", False)
            ns = raw.get("no_system", False)
            if na is not False or ns is not False:
                for name, on in (("not_applicable", na), ("no_system", ns)):
                    if flag(on, name) and name not in flags:
                        raise BadAnswer(name, f"tiêu chí {cid} không có quy định '{name}'")
        ev = raw.get("evidence")
        ev = () if ev is None else evidence(ev)
        sp = raw.get("self_points")
        if sp is not None and not (type(sp) is int and 0 <= sp <= limit):  # a whole number within the max: as is
            sp = points_within(sp, "self_points", mx)
        for f in needs:
            if raw.get(f) is None:
                break
        else:
            return value(cid, raw, na, ns, ev, sp)
        missing = [f for f in needs if raw.get(f) is None]
        if len(missing) == len(needs) and (na or ns):
            return make_answer(cid, None, None, None, None, None, None, None, na, ns, ev, sp)
        raise BadAnswer(missing[0], f"thiếu trường '{missing[0]}' (tiêu chí loại {_kind_text(kind)})")

    return build


def _limit(mx: float | None) -> float:
    """The largest points a fast check lets through as they are: the maximum, or (no maximum)
    the cap of domain.limits; NaN and infinity fail the comparison and take the slow check."""
    return points_cap(mx)


# --- per kind: the values of a complete answer ---------------------------------------------------
ValueCheck = Callable[[str, dict, bool, bool, tuple, Any], Answer]
_NUM = frozenset((int, float))


def _ratio(c: Criterion) -> ValueCheck:
    may_exceed = c.numerator_may_exceed

    def check(cid, raw, na, ns, ev, sp):
        n = raw["numerator"]
        d = raw["denominator"]
        # Fast accept: finite numbers, 0 <= n <= d <= MAX_QUANTITY (or n above d where allowed,
        # as long as n/d stays within MAX_QUANTITY: 1/1e-320 is infinity), d > 0.
        if not (type(n) in _NUM and type(d) in _NUM and n - n == 0 and 0 <= n and 0 < d <= MAX_QUANTITY
                and (n <= d or (may_exceed and n <= MAX_QUANTITY and n / d <= MAX_QUANTITY))):
            number(n, "numerator")
            number(d, "denominator")
            if d == 0:
                raise BadAnswer("denominator", "mẫu số bằng 0: tỷ lệ không xác định (tiêu chí không áp dụng cho "
                                               "đơn vị thì khai not_applicable: true nếu tiêu chí cho phép)")
            if n <= d or not may_exceed:
                raise BadAnswer("numerator", numerator_above_denominator(n, d))
            raise BadAnswer("denominator", f"tỷ lệ {num(n)}/{shown(d)} quá lớn (giới hạn {num(MAX_QUANTITY)})")
        return make_answer(cid, None, n, d, None, None, None, None, na, ns, ev, sp)

    return check


def _yes_no(c: Criterion) -> ValueCheck:
    def check(cid, raw, na, ns, ev, sp):
        v = raw["yes"]
        if v is not True and v is not False:
            flag(v, "yes")
        return make_answer(cid, v, None, None, None, None, None, None, na, ns, ev, sp)

    return check


def _count(c: Criterion) -> ValueCheck:
    def check(cid, raw, na, ns, ev, sp):
        n = raw["count"]
        if not (type(n) is int and 0 <= n <= MAX_QUANTITY):
            n = number(n, "count", whole=True)
        return make_answer(cid, None, None, None, n, None, None, None, na, ns, ev, sp)

    return check


def _points(c: Criterion) -> ValueCheck:
    mx = c.max
    limit = _limit(mx)

    def check(cid, raw, na, ns, ev, sp):
        p = raw["points"]
        # Fast accept: an int or float from 0 to the maximum (NaN and infinity fail the range).
        if not ((type(p) is float or type(p) is int) and 0 <= p <= limit):
            p = points_within(p, "points", mx)
        return make_answer(cid, None, None, None, None, None, None, p, na, ns, ev, sp)

    return check


def _choice(c: Criterion) -> ValueCheck:
    options = frozenset(o.key for o in c.options)

    def check(cid, raw, na, ns, ev, sp):
        choice = raw["choice"]
        if type(choice) is not str or choice not in options:
            raise BadAnswer("choice", f"phương án {shown(choice)} không có trong tiêu chí (có: {', '.join(sorted(options))})")
        return make_answer(cid, None, None, None, None, None, choice, None, na, ns, ev, sp)

    return check


def _doc(c: Criterion) -> ValueCheck:
    def check(cid, raw, na, ns, ev, sp):
        return make_answer(cid, None, None, None, None, document(raw["document"]), None, None, na, ns, ev, sp)

    return check


_VALUE_CHECKS: dict[Kind, Callable[[Criterion], ValueCheck]] = {
    Kind.RATIO: _ratio, Kind.YES_NO: _yes_no, Kind.COUNT: _count,
    Kind.POINTS: _points, Kind.CHOICE: _choice, Kind.DOCUMENT: _doc,
}


_CACHE: "weakref.WeakKeyDictionary[Rubric, dict[str, Builder]]" = weakref.WeakKeyDictionary()


def builders(rubric: Rubric) -> dict[str, Builder]:
    """Criterion id -> builder, compiled once per rubric object."""
    out = _CACHE.get(rubric)
    if out is None:
        out = _CACHE[rubric] = {c.id: compile_builder(c) for c in rubric.criteria}
    return out
