"""Last year's results of the former units, carried over to the units that replaced them
(`dtiflow lineage-average`): the Ministry's rule for DTI 2024 after Resolution 202/2025/QH15,
computed by `domain.lineage` from a folder of the former units' sheets and a lineage file."""

from __future__ import annotations

from domain.lineage import LineageError, MergedResult, average_main_indices
from domain.regime import Regime
from domain.scoring import score_sheet
from rubrics.lineage_loader import LineageFile
from rubrics.sheet_folder import SheetFolder
from rubrics.sheet_loader import RubricFor
from services.errors import InvalidRequest


def average_folder(regime: Regime, folder: SheetFolder, lineage: LineageFile,
                   rubric_for: RubricFor) -> tuple[list[MergedResult], tuple[str, ...]]:
    """Each unit of the lineage with the mean of its former units' main indices, where a main
    index is a criterion of the group's sheet (the council's points where it verified)."""
    results: dict[str, dict[str, float]] = {}
    for loaded in folder.sheets:
        sheet = loaded.sheet
        scored = score_sheet(rubric_for(regime.group(sheet.group).rubric_id), sheet, loaded.verified)
        if sheet.unit in results:
            raise InvalidRequest(f"{loaded.path}: đơn vị {sheet.unit} có hơn một phiếu trong thư mục")
        results[sheet.unit] = {c.criterion_id: (c.verified_points if c.verified_points is not None else c.points)
                               for c in scored.criteria}
    try:
        return average_main_indices(results, lineage.lineages)
    except LineageError as exc:
        raise InvalidRequest(f"{lineage.file}: {exc}") from None
