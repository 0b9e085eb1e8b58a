"""The templates work for any rubric file, not only the shipped ones: a rubric with every kind
and rule (a choice drop-down, tiers, a proportional ratio, a numerator that may exceed, count
tiers, required evidence, two flags on one criterion, ids that look like numbers) round-trips
through a person's typing with its answers and score intact, and each answer mistake is named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from domain.answers import Answer, IssuedDocument, SheetAnswers
from domain.scoring import score_sheet
from rubrics.rubric_loader import load_rubric_file
from services.common import rubric_fingerprint
from services.workbooks import read_sheet_workbook
from workbooks import layout as L
from workbooks.reader import WorkbookProblems
from workbooks.template import TemplateRequest, build_template

from .person import criterion_rows, fill, open_book, save

RUBRIC = load_rubric_file(Path(__file__).with_name("every-kind.test.yaml"))


def load(rubric_id: str):
    assert rubric_id == RUBRIC.id
    return RUBRIC


def template() -> bytes:
    return build_template(TemplateRequest(RUBRIC, rubric_fingerprint(RUBRIC), "commune", "Cấp xã"))


SHEETS = [
    {"1.1": Answer("1.1", choice="vice_chairman", self_points=5), "1.2": Answer("1.2", numerator=61, denominator=100,
                                                                            evidence=("Báo cáo số 3", "Phụ lục 2")),
     "1.10": Answer("1.10", numerator=30, denominator=50), "1.11": Answer("1.11", numerator=120, denominator=100),
     "1.12": Answer("1.12", count=2), "2.1": Answer("2.1", document=IssuedDocument("12/KH-UBND", dt.date(2024, 3, 4))),
     "2.2": Answer("2.2", no_system=True), "2.3": Answer("2.3", points=12.75)},
    {"1.1": Answer("1.1", choice="chairman"), "1.2": Answer("1.2", numerator=95, denominator=100),  # no evidence: 0
     "1.10": Answer("1.10", numerator=45, denominator=50), "1.12": Answer("1.12", count=3),
     "2.2": Answer("2.2", not_applicable=True), "2.3": Answer("2.3", points=0)},
]


def sheets() -> list[SheetAnswers]:
    return [SheetAnswers(f"UBND xã Thử {i}", "commune", RUBRIC.id, answers) for i, answers in enumerate(SHEETS)]


@pytest.mark.parametrize("sheet", sheets(), ids=["first", "second"])
def test_every_kind_round_trips_with_its_score(sheet):
    read = read_sheet_workbook(fill(template(), RUBRIC, sheet), "x.xlsx", load=load).loaded.sheet
    assert read == sheet
    assert score_sheet(RUBRIC, read) == score_sheet(RUBRIC, sheet)


def test_the_choice_is_a_drop_down_of_the_option_texts_and_its_points_a_lookup():
    ws = open_book(template())[L.MAIN]
    row = criterion_rows(RUBRIC)["1.1"]
    dv = next(dv for dv in ws.data_validations.dataValidation if f"E{row}" in str(dv.sqref))
    assert (dv.type, dv.formula1) == ("list", f"'{L.LISTS}'!$A$2:$A$4")
    assert ws.cell(row, L.COL_POINTS + 1).value == f"=IFERROR(VLOOKUP(E{row},'{L.LISTS}'!$A$2:$B$4,2,FALSE),0)"
    assert ws.cell(criterion_rows(RUBRIC)["1.10"], 1).value == "1.10"  # an id that looks like a number stays text


def test_mistakes_in_every_kind_are_named_at_their_cells():
    rows = criterion_rows(RUBRIC)
    book = open_book(fill(template(), RUBRIC, sheets()[0]))
    ws = book[L.MAIN]
    ws[f"E{rows['1.1']}"] = "Trưởng phòng"
    ws[f"G{rows['2.2']}"] = "Không rõ"
    ws[f"E{rows['2.1']}"] = None  # a date without its number
    with pytest.raises(WorkbookProblems) as exc:
        read_sheet_workbook(save(book), "x.xlsx", load=load)
    assert [str(p) for p in exc.value.problems] == [
        f"Phiếu!E{rows['1.1']}: tiêu chí 1.1, phương án «Trưởng phòng» không có trong danh sách (Chủ tịch UBND trực "
        "tiếp chỉ đạo; Phó Chủ tịch UBND được phân công; Chưa phân công)",
        f"Phiếu!E{rows['2.1']}: tiêu chí 2.1, thiếu số văn bản",
        f"Phiếu!G{rows['2.2']}: tiêu chí 2.2, chọn «Không áp dụng» hoặc «Không có hệ thống» hoặc để trống, đang là «Không rõ»",
    ]
