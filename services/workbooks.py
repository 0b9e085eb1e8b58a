"""Excel workbooks for the CLI and the portal's download and upload buttons: each capability is
one function returning bytes or a typed result (docs/workbooks.md).

- `blank_template(rubric_id)`: a rubric's score-sheet template (no database);
- `unit_template(...)`: the same for one unit of a cycle, with its current answers, from the
  rubric version the cycle pinned (the unit's own people, the cycle's owner);
- `read_sheet_workbook(data, name)`: a filled template -> the checked answers (`LoadedSheet`),
  or `WorkbookRefused` / `WorkbookProblems` naming every bad cell;
- `import_workbook(...)`: a filled template saved as the unit's draft (`services.sheets.save_draft`);
- `results_workbook(...)`: a cycle's results as the decisions publish them (`services.results_view`).
"""

from __future__ import annotations

from typing import Any, Callable

from domain.authorization import Command
from rubrics.regime_loader import list_regimes, load_regime
from rubrics.rubric_loader import load_rubric
from services.common import rubric_fingerprint
from services.config import Services
from services.errors import InvalidRequest, NotFound
from services.queries import _cycle_for
from services.sheets import EvidenceFile, save_draft
from store.answer_codec import sheet_answers
from workbooks.reader import ReadWorkbook, read_workbook
from workbooks.template import TemplateRequest, build_template


def group_of(rubric_id: str) -> tuple[str, str]:
    """(group id, group name) of the shipped regime group that uses this rubric; the rubric id
    itself when none does (a province's own rubric file)."""
    for regime_id in list_regimes():
        for g in load_regime(regime_id).groups:
            if g.rubric_id == rubric_id:
                return g.id, g.name
    return "", ""


def blank_template(rubric_id: str, *, load: Callable[[str], Any] = load_rubric) -> bytes:
    rubric = load(rubric_id)
    group, name = group_of(rubric.id)
    return build_template(TemplateRequest(rubric, rubric_fingerprint(rubric), group, name))


def unit_template(services: Services, *, actor_id: str, cycle_id: str, unit_code: str) -> bytes:
    """The unit's template for this cycle, its saved answers filled in."""
    with services.uow() as uow:
        _, cycle = _cycle_for(uow, actor_id, cycle_id, Command.VIEW_STATUS, unit_code=unit_code)
        sheet = uow.sheets.get(cycle_id, unit_code)
        if sheet is None:
            raise NotFound(f"đơn vị '{unit_code}' không tham gia kỳ đánh giá '{cycle_id}'")
        unit = uow.units.get(unit_code)
        name = unit.name if unit is not None else unit_code
        rows = uow.answers.list(sheet.id)
        pinned = cycle.rubric_versions.get(sheet.group_id, {})
        regime = services.load_regime(cycle.regime_id)
        group_name = next((g.name for g in regime.groups if g.id == sheet.group_id), sheet.group_id)
    rubric = services.load_rubric(sheet.rubric_id)
    fingerprint = rubric_fingerprint(rubric)
    if pinned and pinned.get("fingerprint") != fingerprint:
        raise InvalidRequest(f"phiếu chấm '{rubric.id}' đã đổi từ khi mở kỳ '{cycle_id}' ({pinned.get('fingerprint')} "
                             f"-> {fingerprint}): không tạo mẫu khác với phiếu chấm của kỳ")
    answers = sheet_answers(name, sheet.group_id, rubric.id, rows)
    return build_template(TemplateRequest(rubric, fingerprint, sheet.group_id, group_name, name, unit_code,
                                          cycle_id, answers))


def read_sheet_workbook(data: bytes, name: str, *, load: Callable[[str], Any] | None = None,
                        expect_rubric: str | None = None) -> ReadWorkbook:
    """Raises `workbooks.guard.WorkbookRefused` or `workbooks.reader.WorkbookProblems` (both
    `rubrics.source.DataFileError`: one line, or one line per bad cell)."""
    return read_workbook(data, name, load or _cached_loader(), rubric_fingerprint, expect_rubric)


def _cached_loader() -> Callable[[str], Any]:
    from rubrics.sheet_loader import default_rubric_for

    return default_rubric_for()


def import_workbook(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, data: bytes, name: str,
                    evidence: list[EvidenceFile] | tuple = (), key: str | None = None) -> dict[str, Any]:
    """A filled template saved as the unit's draft, through the same command as a YAML sheet."""
    with services.uow() as uow:
        _cycle_for(uow, actor_id, cycle_id, Command.SAVE_DRAFT, unit_code=unit_code)
        sheet = uow.sheets.get(cycle_id, unit_code)
        if sheet is None:
            raise NotFound(f"đơn vị '{unit_code}' không tham gia kỳ đánh giá '{cycle_id}'")
        rubric_id, group = sheet.rubric_id, sheet.group_id
    read = read_sheet_workbook(data, name, load=services.load_rubric, expect_rubric=rubric_id)
    m = read.marker
    if m.unit_code and m.unit_code != unit_code:
        raise InvalidRequest(f"{name}: mẫu này tạo cho đơn vị '{m.unit_code}', không phải '{unit_code}'")
    if m.cycle_id and m.cycle_id != cycle_id:
        raise InvalidRequest(f"{name}: mẫu này tạo cho kỳ đánh giá '{m.cycle_id}', không phải '{cycle_id}'")
    answers = read.loaded.sheet
    if not answers.group:  # a blank template of a rubric no shipped regime names: the cycle's group
        from dataclasses import replace

        answers = replace(answers, group=group)
    return save_draft(services, actor_id=actor_id, cycle_id=cycle_id, unit_code=unit_code, answers=answers,
                      evidence=evidence, key=key)
