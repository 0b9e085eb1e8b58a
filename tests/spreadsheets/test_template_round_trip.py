"""Round trip for every shipped rubric: the template generated from the rubric file, filled by
a person (openpyxl typing into the unlocked cells), read back, gives the very answers of the
rubric's YAML example and so exactly its score; and the template is what a unit needs on paper
and on screen (locked and unlocked cells, validation on every input, print set-up, marker)."""

from __future__ import annotations

import pytest

from domain.scoring import score_sheet
from services.common import rubric_fingerprint
from services.workbooks import blank_template, read_sheet_workbook
from workbooks import layout as L
from workbooks.template import TemplateRequest, build_template

from .person import EXAMPLES, criterion_rows, example, fill, open_book

IDS = [p.parent.name for p in EXAMPLES]


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_a_template_filled_by_a_person_scores_exactly_as_the_yaml_example(path):
    rubric, sheet = example(path)
    filled = fill(blank_template(rubric.id), rubric, sheet)
    read = read_sheet_workbook(filled, f"{path.stem}.xlsx")
    got = read.loaded.sheet
    assert (got.unit, got.group, got.rubric_id) == (sheet.unit, sheet.group, sheet.rubric_id)
    assert got.answers == sheet.answers
    assert score_sheet(rubric, got) == score_sheet(rubric, sheet)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_a_template_with_the_units_answers_reads_back_as_those_answers(path):
    rubric, sheet = example(path)
    data = build_template(TemplateRequest(rubric, rubric_fingerprint(rubric), sheet.group, "", sheet.unit,
                                          answers=sheet))
    assert read_sheet_workbook(data, "prefilled.xlsx").loaded.sheet == sheet


def test_only_the_input_cells_are_unlocked_and_every_one_has_validation():
    rubric, _ = example(EXAMPLES[-2])  # Tây Ninh departments: every kind but choice, flags, evidence
    book = open_book(blank_template(rubric.id))
    ws = book[L.MAIN]
    assert ws.protection.sheet is True
    rows = criterion_rows(rubric)
    inputs = {(rows[c.id], col + 1) for c in rubric.criteria for col in L.inputs_of(c)}
    inputs.add((L.UNIT_ROW + 1, L.UNIT_COL + 1))
    unlocked = {(cell.row, cell.column) for line in ws.iter_rows() for cell in line
                if cell.protection.locked is False}
    assert unlocked == inputs
    validated = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            validated |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
    assert inputs <= validated
    # yes/no as a drop-down; a ratio's numerator within 0 and its denominator.
    by_cell = {(r.min_row, r.min_col): dv for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
    yes_no = next(c for c in rubric.criteria if c.kind.value == "yes_no")
    assert by_cell[(rows[yes_no.id], L.COL_A + 1)].type == "list"
    ratio = next(c for c in rubric.criteria if c.kind.value == "ratio" and not c.numerator_may_exceed)
    dv = by_cell[(rows[ratio.id], L.COL_A + 1)]
    assert (dv.type, dv.operator or "between", dv.formula1, dv.formula2) == ("decimal", "between", "0", f"F{rows[ratio.id]}")
    doc = next(c for c in rubric.criteria if c.kind.value == "document")
    assert by_cell[(rows[doc.id], L.COL_B + 1)].type == "date"


def test_the_template_prints_on_a4_landscape_with_the_header_row_on_every_page():
    book = open_book(blank_template("binhthuan-2023-dti.district"))
    ws = book[L.MAIN]
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    assert ws.print_title_rows == f"${L.HEADER_ROW + 1}:${L.HEADER_ROW + 1}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_template_carries_the_rubric_wording_numbering_maximum_and_rule():
    rubric, _ = example(EXAMPLES[-2])
    ws = open_book(blank_template(rubric.id))[L.MAIN]
    row = criterion_rows(rubric)["I.3.1"]
    assert [ws.cell(row, col).value for col in (1, 2, 3)] == ["I.3.1", "Đạt từ 50% trở lên tổng số văn bản phát hành", 5]
    assert ws.cell(row, L.COL_RULE + 1).value.endswith("từ 50% trở lên: 5 điểm; thấp hơn: 0 điểm")
    assert ws.cell(row, L.COL_POINTS + 1).value.startswith("=IF(AND(ISNUMBER(E")


def test_the_marker_sheet_is_very_hidden_and_names_rubric_version_and_template_version():
    rubric, _ = example(EXAMPLES[0])
    book = open_book(blank_template(rubric.id))
    meta = book[L.META]
    assert meta.sheet_state == "veryHidden" and book[L.LISTS].sheet_state == "hidden"
    kv = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r[0] and not r[0].startswith("row:")}
    assert kv["format"] == L.FORMAT and kv["template_version"] == str(L.TEMPLATE_VERSION)
    assert (kv["rubric_id"], kv["rubric_fingerprint"]) == (rubric.id, rubric_fingerprint(rubric))
