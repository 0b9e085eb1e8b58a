"""A rubric compiled once into closures; the cache is keyed by the rubric's identity.

Order of the rules for one criterion (each stops the evaluation):
1. unanswered -> 0 ("An unanswered criterion scores 0", issue 3 / Tây Ninh 2693 note);
2. a flag the criterion has a rule for (`not_applicable`, `no_system`) -> share × max
   (Decision 265 Art. 7.2; Tây Ninh 2693 Phụ lục I items II.1.11 and 6);
3. evidence required but none given -> 0 (Tây Ninh 2693: "Nội dung không cung cấp được số liệu,
   tài liệu chứng minh theo yêu cầu sẽ chấm 0 (không) điểm");
4. the kind's own scoring (`domain.scoring_kinds`).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Mapping, Sequence

from domain.answers import Answer, SheetAnswers
from domain.rubric import Criterion, Rubric
from domain.scoring_kinds import PointsFn, explain, points_fn
from domain.scoring_text import num, pts

if TYPE_CHECKING:
    from domain.scoring import ScoredSheet

# Totals are rounded to this many decimals so that float noise (18 + 7.2 + 4.8) cannot move a
# unit across a band edge; no sheet states points finer than hundredths.
DECIMALS = 6


def _with_rules(c: Criterion, base: PointsFn) -> PointsFn:
    """Wrap the kind's closure with the criterion's flag rules and evidence requirement."""
    flags = tuple((r.flag, (c.max or 0.0) * r.share) for r in c.rules)
    needs_evidence = c.evidence.required
    if not flags and not needs_evidence:
        return base

    def f(a: Answer) -> float:
        for flag, p in flags:
            if getattr(a, flag):
                return p
        if needs_evidence and not a.evidence:
            return 0.0
        return base(a)

    return f


_FLAG_TEXT = {
    "not_applicable": "Không áp dụng đối với đơn vị",
    "no_system": "Đơn vị không có hệ thống",
}


def explain_criterion(c: Criterion, a: Answer | None, p: float) -> str:
    if a is None:
        return "Chưa trả lời: 0 điểm"
    for r in c.rules:
        if getattr(a, r.flag):
            share = "điểm tối đa" if r.share == 1 else f"{num(r.share * 100)}% điểm tối đa"
            return f"{_FLAG_TEXT.get(r.flag, r.flag)} ({r.source}): tính {share}, {pts(p)}"
    if c.evidence.required and not a.evidence:
        return "Không cung cấp tài liệu chứng minh: 0 điểm"
    return explain(c, a, p)


class CompiledRubric:
    __slots__ = ("rubric", "items", "sections", "__weakref__")

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        # (criterion id, points closure), in sheet order.
        self.items: tuple[tuple[str, PointsFn], ...] = tuple(
            (c.id, _with_rules(c, points_fn(c))) for c in rubric.criteria
        )
        position = {c.id: i for i, c in enumerate(rubric.criteria)}
        self.sections = tuple(
            (s, tuple(position[cid] for cid in s.criterion_ids)) for s in rubric.sections
        )

    def totals(self, sheets: Sequence[SheetAnswers]) -> list[float]:
        items = self.items
        out = []
        append = out.append
        for sheet in sheets:
            get = sheet.answers.get
            t = 0.0
            for cid, f in items:
                a = get(cid)
                if a is not None:
                    t += f(a)
            append(round(t, DECIMALS))
        return out

    def points(self, sheet: SheetAnswers) -> list[float]:
        get = sheet.answers.get
        return [0.0 if (a := get(cid)) is None else f(a) for cid, f in self.items]

    def section_totals(self, sheets: Sequence[SheetAnswers]) -> list[dict[str, float]]:
        out = []
        for sheet in sheets:
            p = self.points(sheet)
            out.append({s.id: round(sum(p[i] for i in idx), DECIMALS) for s, idx in self.sections})
        return out

    def score_sheet(self, sheet: SheetAnswers, verified: Mapping[str, float] | None) -> "ScoredSheet":
        from domain.scoring import CriterionScore, ScoredSheet, SectionScore

        rubric = self.rubric
        p = self.points(sheet)
        crits = []
        any_self = False
        for c, points in zip(rubric.criteria, p):
            a = sheet.answers.get(c.id)
            self_points = a.self_points if a is not None else None
            any_self = any_self or self_points is not None
            crits.append(
                CriterionScore(
                    criterion_id=c.id,
                    points=points,
                    max=c.max,
                    explanation=explain_criterion(c, a, points),
                    self_points=self_points,
                    verified_points=None if verified is None else verified.get(c.id),
                )
            )
        sections = tuple(
            SectionScore(s.id, s.title, round(sum(p[i] for i in idx), DECIMALS), s.max, s.parent)
            for s, idx in self.sections
        )
        self_total = (
            round(sum(cs.self_points or 0.0 for cs in crits), DECIMALS) if any_self else None
        )
        verified_total = None
        if verified is not None:
            verified_total = round(
                sum(cs.points if cs.verified_points is None else cs.verified_points for cs in crits),
                DECIMALS,
            )
        return ScoredSheet(
            rubric_id=rubric.id,
            unit=sheet.unit,
            group=sheet.group,
            total=round(sum(p), DECIMALS),
            max=rubric.max,
            criteria=tuple(crits),
            sections=sections,
            self_total=self_total,
            verified_total=verified_total,
        )


_CACHE: "weakref.WeakKeyDictionary[Rubric, CompiledRubric]" = weakref.WeakKeyDictionary()


def compiled(rubric: Rubric) -> CompiledRubric:
    c = _CACHE.get(rubric)
    if c is None:
        c = _CACHE[rubric] = CompiledRubric(rubric)
    return c
