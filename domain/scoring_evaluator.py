"""A rubric prepared once for scoring (its criteria's functions from `domain.scoring_rules`),
cached by the rubric's identity, and the scored sheet built from it with explanations
(`domain.scoring_kinds`).

The rule order (unanswered, flags, evidence, kind) is the one `domain.scoring_rules` states;
`explain_criterion` follows the same order so the reason matches the points.
"""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING, Mapping, Sequence

from domain.answers import Answer, SheetAnswers
from domain.errors import InvalidInput
from domain.rubric import FLAG_LABELS, FLAGS, Criterion, Rubric
from domain.scoring_kinds import explain
from domain.scoring_rules import criterion_points
from domain.scoring_text import num, pts

if TYPE_CHECKING:
    from domain.scoring import ScoredSheet

# Totals are rounded to this many decimals so that float noise (18 + 7.2 + 4.8) cannot move a
# unit across a band edge; no sheet states points finer than hundredths.
DECIMALS = 6


def explain_criterion(c: Criterion, a: Answer | None, p: float) -> str:
    if a is None:
        return "Chưa trả lời: 0 điểm"
    for flag in FLAGS:  # the order domain.scoring_rules checks them
        r = c.rule(flag)
        if r is not None and getattr(a, flag):
            share = "điểm tối đa" if r.share == 1 else f"{num(r.share * 100)}% điểm tối đa"
            return f"{FLAG_LABELS[flag]} ({r.source}): tính {share}, {pts(p)}"
    if c.evidence.required and not a.evidence:
        return "Không cung cấp tài liệu chứng minh: 0 điểm"
    return explain(c, a, p)


def _other_rubric(sheet: SheetAnswers, rubric_id: str) -> str:
    return f"{sheet.unit}: phiếu khai theo mẫu '{sheet.rubric_id}', không chấm được theo mẫu '{rubric_id}'"


class RubricEvaluator:
    __slots__ = ("rubric", "items", "sections", "__weakref__")

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        # (criterion id, points function), in sheet order.
        self.items = tuple((c.id, criterion_points(c)) for c in rubric.criteria)
        position = {c.id: i for i, c in enumerate(rubric.criteria)}
        self.sections = tuple(
            (s, tuple(position[cid] for cid in s.criterion_ids)) for s in rubric.sections
        )

    def totals(self, sheets: Sequence[SheetAnswers]) -> list[float]:
        """Totals of validated sheets (the sheet loader refuses unknown criteria; `score_sheet`
        checks again). A sheet of another rubric is refused here too: it costs one comparison."""
        items = self.items
        rid = self.rubric.id
        out = []
        for sheet in sheets:
            if sheet.rubric_id != rid:
                raise InvalidInput(_other_rubric(sheet, rid))
            get = sheet.answers.get
            total = 0.0
            for cid, points in items:
                a = get(cid)
                if a is not None:
                    total += points(a)
            out.append(round(total, DECIMALS))
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
        if sheet.rubric_id != rubric.id:
            raise InvalidInput(_other_rubric(sheet, rubric.id))
        stray = sorted(set(sheet.answers) - set(rubric.criterion_ids))
        if stray:
            raise InvalidInput(f"{sheet.unit}: phiếu {rubric.id} không có tiêu chí '{stray[0]}'")
        if verified is not None:
            unknown = sorted(set(verified) - set(rubric.criterion_ids))
            if unknown:
                raise InvalidInput(f"{rubric.id}: điểm thẩm định cho tiêu chí '{unknown[0]}' không có trong phiếu")
            for c in rubric.criteria:
                v = verified.get(c.id)
                if v is not None and not (0 <= v <= (math.inf if c.max is None else c.max)):
                    top = "không giới hạn" if c.max is None else num(c.max)
                    raise InvalidInput(f"{rubric.id}: tiêu chí {c.id}: điểm thẩm định {num(v) if math.isfinite(v) else v} "
                                       f"nằm ngoài khoảng từ 0 đến {top}")
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
                    points=float(points),
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


_CACHE: "weakref.WeakKeyDictionary[Rubric, RubricEvaluator]" = weakref.WeakKeyDictionary()


def evaluator(rubric: Rubric) -> RubricEvaluator:
    e = _CACHE.get(rubric)
    if e is None:
        e = _CACHE[rubric] = RubricEvaluator(rubric)
    return e
