"""Each unit's published result, for the e-mail that tells it: its total (the council's verified points where it verified, else the computed
points, as `services.queries` reads them), classification, rank and award by the regime's rules
(`domain.ranking.standings`; Decision 1867 Art. 10, 12; Decision 265 Art. 8, 9), and the
approving decision's number and date (Decision 1867 Art. 8.3).
"""

from __future__ import annotations

from typing import Any

from domain.classification import LevelScale, Scores
from domain.scoring import section_totals_many
from domain.ranking import Entry, standings
from domain.scoring_text import num
from services.queries import _totals  # one reading of computed vs verified totals
from services.runner import Tx
from store.answer_codec import sheet_answers

NOT_EVALUATED = "Không được đánh giá, xếp hạng: không gửi Phiếu đánh giá trong thời hạn"


def _points_vi(x: float) -> str:
    return num(x)  # the one decimal-comma formatter


def unit_results(tx: Tx, cycle) -> dict[str, dict[str, Any]]:
    """unit code -> the fields of the `result_published` message (decision, group, points,
    classification, rank, award). Empty when the regime states no ranking rules."""
    regime = tx.services.load_regime(cycle.regime_id)
    if regime.rules is None:
        return {}
    computed, verified = _totals(tx.uow.scores.list(cycle_id=cycle.id))
    rubrics = {g: tx.services.load_rubric(p["rubric_id"]) for g, p in cycle.rubric_versions.items()}
    sheets = tx.uow.sheets.list(cycle.id)
    entries = []
    for s in sheets:
        total = verified.get(s.id, computed.get(s.id))
        rubric = rubrics.get(s.group_id)
        sections, section_max = {}, {}
        if total is not None and rubric is not None and isinstance(regime.rules.scale(s.group_id), LevelScale):
            # Decision 2392 Art. 6 classifies by each section's points, not the total alone.
            answers = sheet_answers(s.unit_code, s.group_id, s.rubric_id, tx.uow.answers.list(s.id))
            sections = section_totals_many(rubric, [answers])[0]
            section_max = {x.id: x.max for x in rubric.sections}
        scores = None if total is None else Scores(total, rubric.max if rubric else None, sections, section_max)
        entries.append(Entry(s.unit_code, s.group_id, scores, "" if scores else NOT_EVALUATED))
    approvals = sorted(tx.uow.approvals.list(cycle.id), key=lambda a: a.round)
    decision = (f"Quyết định số {approvals[-1].decision_number} ngày {approvals[-1].decision_date:%d/%m/%Y}"
                if approvals else None)
    names = {g.id: g.name for g in regime.groups}
    out: dict[str, dict[str, Any]] = {}
    for st in standings(regime.rules, entries):
        row: dict[str, Any] = {"group": names.get(st.group, st.group)}
        if decision:
            row["decision"] = decision
        if st.total is not None:
            row.update(points=_points_vi(st.total), classification=st.classification, rank=st.rank, award=st.award)
        else:
            row["classification"] = st.reason or NOT_EVALUATED
        out[st.unit] = row
    return out
