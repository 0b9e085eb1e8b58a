"""The demo's score sheets and the council's changes: seeded answers within each rubric's rules.

Decision 1867 gives no maximum per criteria family (its appendices are not in the seeds), so a
2019 sheet is a total spread over the five families with fixed weights; a DTI sheet takes a share
of each index's maximum (Decision 265 Art. 8 classifies by share of the maximum).
"""

from __future__ import annotations

import random

from domain.answers import Answer, SheetAnswers

_FAMILY_WEIGHTS = (0.10, 0.25, 0.15, 0.40, 0.10)
_TOTAL_RANGE = {"II": (240.0, 430.0)}  # Art. 10.5: group II's bands are lower (380 / 280 / 190)
_DEFAULT_TOTAL_RANGE = (290.0, 530.0)  # Art. 10.1–4: 450 / 350 / 250


def _half(x: float) -> float:
    return round(x * 2) / 2


def sheet_for(rubric, unit: str, group: str, rng: random.Random) -> SheetAnswers:
    criteria = list(rubric.criteria)
    answers: dict[str, Answer] = {}
    if all(c.max is not None for c in criteria):
        share = rng.uniform(0.55, 0.97)
        for c in criteria:
            p = min(float(c.max), _half(c.max * share * rng.uniform(0.92, 1.06)))
            answers[c.id] = Answer(criterion_id=c.id, points=p, self_points=p)
    else:
        lo, hi = _TOTAL_RANGE.get(group, _DEFAULT_TOTAL_RANGE)
        total = rng.uniform(lo, hi)
        weights = [_FAMILY_WEIGHTS[i % len(_FAMILY_WEIGHTS)] for i in range(len(criteria))]
        scale = sum(weights)
        for c, w in zip(criteria, weights):
            p = _half(total * w / scale)
            answers[c.id] = Answer(criterion_id=c.id, points=p, self_points=p)
    return SheetAnswers(unit=unit, group=group, rubric_id=rubric.id, answers=answers)


def council_change(answers: SheetAnswers, rng: random.Random, *, up: bool, rubric) -> tuple[str, float, str]:
    """The council lowers (or, once, raises) one criterion after its field visit (Decision 1867
    Art. 9): (criterion id, verified points, the council's note)."""
    criteria = list(answers.answers.values())
    chosen = max(criteria, key=lambda a: a.points) if not up else criteria[rng.randrange(len(criteria))]
    maximum = next(c.max for c in rubric.criteria if c.id == chosen.criterion_id)
    if up:
        new = chosen.points + _half(rng.uniform(5, 15))
        new = min(new, float(maximum)) if maximum is not None else new
        note = "Hội đồng thẩm định thực tế: đơn vị bổ sung minh chứng hợp lệ, cộng điểm"
    else:
        new = max(0.0, chosen.points - _half(rng.uniform(10, 40) if maximum is None else chosen.points * rng.uniform(0.1, 0.25)))
        note = "Hội đồng thẩm định thực tế: số liệu không có đủ minh chứng, trừ điểm"
    return chosen.criterion_id, new, note
