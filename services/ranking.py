"""Classify, rank and award a folder of sheet files under a regime's rules (`dtiflow rank`).

Scores come from the one evaluator (`domain.scoring`), the council's verified points where a
sheet file carries a `verified:` block (as `dtiflow score` shows them); classification, ranking and awards
from the regime file (`domain.ranking.standings`). Units in the folder's `not_evaluated.yaml`
are listed unranked with their reason, even when a late sheet of theirs is in the folder.
"""

from __future__ import annotations

from domain.classification import LevelScale, Scores
from domain.ranking import Entry, Standing, standings
from domain.regime import Regime
from domain.scoring import score_many, score_sheet, section_totals_many
from rubrics.regime_rules import check_sections
from rubrics.sheet_folder import SheetFolder
from rubrics.sheet_loader import RubricFor
from services.errors import InvalidRequest


def rank_folder(regime: Regime, folder: SheetFolder, rubric_for: RubricFor) -> list[Standing]:
    rules = regime.rules
    if rules is None:
        raise InvalidRequest(f"chế độ {regime.id} chưa có quy định xếp loại, xếp hạng (classification, ranking, awards)")
    skipped = {(n.group, n.unit) for n in folder.not_evaluated}
    entries = [Entry(n.unit, n.group, None, n.reason) for n in folder.not_evaluated]
    for group in regime.groups:
        loaded = [x for x in folder.sheets if x.sheet.group == group.id and (group.id, x.sheet.unit) not in skipped]
        sheets = [x.sheet for x in loaded]
        if not sheets:
            continue
        rubric = rubric_for(group.rubric_id)
        check_sections(rules, group.id, rubric)
        totals = score_many(rubric, sheets)
        for i, x in enumerate(loaded):
            if x.verified:  # the council's points stand where it verified (Decision 1867 Art. 8.3)
                totals[i] = score_sheet(rubric, x.sheet, x.verified).verified_total
        needs_sections = isinstance(rules.scale(group.id), LevelScale)
        sections = section_totals_many(rubric, sheets) if needs_sections else [{}] * len(sheets)
        section_max = {s.id: s.max for s in rubric.sections}
        entries += [Entry(s.unit, group.id, Scores(t, rubric.max, sec, section_max))
                    for s, t, sec in zip(sheets, totals, sections)]
    return standings(rules, entries)
