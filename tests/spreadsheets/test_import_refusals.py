"""A filled template is read with every bad cell reported at once, at its cell; a workbook that
is not ours, or whose layout moved, is refused with the reason; only values count."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from rubrics.source import DataFileError
from services.workbooks import blank_template, read_sheet_workbook
from workbooks import layout as L
from workbooks.guard import WorkbookRefused
from workbooks.reader import WorkbookProblems

from .person import EXAMPLES, criterion_rows, example, fill, open_book, save

TAYNINH = next(p for p in EXAMPLES if p.parent.name == "tayninh-2015-it.department")


@pytest.fixture(scope="module")
def filled():
    rubric, sheet = example(TAYNINH)
    return rubric, sheet, fill(blank_template(rubric.id), rubric, sheet)


def _edit(data: bytes, edits: dict[str, object]) -> bytes:
    book = open_book(data)
    ws = book[L.MAIN]
    for ref, value in edits.items():
        ws[ref] = value
    return save(book)


def _problems(data: bytes) -> list[str]:
    with pytest.raises(WorkbookProblems) as exc:
        read_sheet_workbook(data, "phieu.xlsx")
    return [str(p) for p in exc.value.problems]


def _refusal(data: bytes, **kw) -> str:
    with pytest.raises(WorkbookRefused) as exc:
        read_sheet_workbook(data, "phieu.xlsx", **kw)
    return exc.value.message


def test_every_bad_cell_is_reported_at_once_with_its_cell_and_criterion(filled):
    rubric, _, data = filled
    rows = criterion_rows(rubric)
    bad = _edit(data, {
        f"E{rows['I.3.1']}": 1200,              # 1200 signed of 1100 issued
        f"F{rows['I.9']}": None,                # a ratio without its denominator
        f"E{rows['I.2.1']}": "Đúng",            # not a choice of the drop-down
        f"E{rows['III.2']}": 2.5,               # a count that is not whole
        f"I{rows['I.7']}": 9,                   # claims above the maximum of 2
        f"F{rows['I.2.4']}": "31/02/2016",      # no such day
    })
    assert _problems(bad) == [
        f"Phiếu!E{rows['I.2.1']}: tiêu chí I.2.1, chọn «Có» hoặc «Không», đang là «Đúng»",
        f"Phiếu!F{rows['I.2.4']}: tiêu chí I.2.4, ngày '31/02/2016' không hợp lệ (viết YYYY-MM-DD hoặc dd/mm/yyyy)",
        f"Phiếu!E{rows['I.3.1']}: tiêu chí I.3.1, tử số 1200 lớn hơn mẫu số 1100",
        f"Phiếu!I{rows['I.7']}: tiêu chí I.7, điểm tự chấm: 9 vượt điểm tối đa 2",
        f"Phiếu!F{rows['I.9']}: tiêu chí I.9, thiếu mẫu số",
        f"Phiếu!E{rows['III.2']}: tiêu chí III.2, số lượng: phải là số nguyên, nhận được 2.5",
    ]


def test_the_problems_are_one_error_the_cli_prints_in_one_block(filled):
    rubric, _, data = filled
    bad = _edit(data, {"C3": None})
    with pytest.raises(DataFileError) as exc:
        read_sheet_workbook(bad, "phieu.xlsx")
    assert str(exc.value) == "phieu.xlsx: 1 ô không hợp lệ, sửa rồi nộp lại:\n  Phiếu!C3: thiếu tên đơn vị"


def test_a_number_typed_as_text_with_the_vietnamese_decimal_comma_counts_as_the_number():
    rubric, sheet = example(next(p for p in EXAMPLES if p.parent.name == "mic-2017-egov.commune"))
    data = fill(blank_template(rubric.id), rubric, sheet)
    rows = criterion_rows(rubric)
    got = read_sheet_workbook(_edit(data, {f"E{rows['2.4']}": "2,5"}), "x.xlsx").loaded.sheet
    assert got.answers["2.4"].points == 2.5


def test_formulas_and_formatting_in_input_cells_are_ignored_only_values_count(filled):
    rubric, sheet, data = filled
    rows = criterion_rows(rubric)
    book = open_book(data)
    ws = book[L.MAIN]
    r = rows["I.3.1"]
    ws[f"E{r}"].number_format = "0.00%"  # shown as a percent: still the value 620
    ws[f"E{r}"].font = openpyxl.styles.Font(bold=True, color="FF0000")
    ws[f"J{r}"] = 5  # the computed points typed over: never read
    ws[f"J{rows['I.4']}"] = 5
    got = read_sheet_workbook(save(book), "x.xlsx").loaded.sheet
    assert got.answers == sheet.answers


def test_a_formula_typed_into_an_input_cell_counts_by_its_value_only(filled):
    """Without a stored result (the program that typed it never calculated) the cell is blank,
    so the row is reported as incomplete rather than read as formula text."""
    rubric, _, data = filled
    rows = criterion_rows(rubric)
    assert _problems(_edit(data, {f"E{rows['I.4']}": "=40+0"})) == [f"Phiếu!E{rows['I.4']}: tiêu chí I.4, thiếu tử số"]


def test_hidden_rows_are_read_like_any_other(filled):
    rubric, sheet, data = filled
    book = open_book(data)
    for r in criterion_rows(rubric).values():
        book[L.MAIN].row_dimensions[r].hidden = True
    assert read_sheet_workbook(save(book), "x.xlsx").loaded.sheet.answers == sheet.answers


def test_merged_input_cells_are_named_not_misread(filled):
    rubric, _, data = filled
    r = criterion_rows(rubric)["I.3.1"]
    book = open_book(data)
    book[L.MAIN].merge_cells(f"E{r}:F{r}")
    problems = _problems(save(book))
    assert f"Phiếu!E{r}:F{r}: tiêu chí I.3.1, ô nhập bị gộp (merge): bỏ gộp ô và nhập từng số liệu vào ô của nó" in problems


def test_a_workbook_that_is_not_ours_is_refused():
    book = openpyxl.Workbook()
    book.active["A1"] = "Phiếu tự đánh giá"
    assert "không phải mẫu phiếu của dtiflow" in _refusal(save(book))


def test_another_rubrics_template_is_refused_where_a_rubric_is_expected(filled):
    _, _, data = filled
    assert _refusal(data, expect_rubric="tayninh-2015-it.district") == (
        "đây là mẫu của phiếu chấm 'tayninh-2015-it.department', cần mẫu của phiếu chấm "
        "'tayninh-2015-it.district': tải đúng mẫu")


def test_a_template_of_an_older_version_of_the_rubric_is_refused(filled):
    rubric, _, data = filled
    changed = dataclasses.replace(rubric, title=rubric.title + " (sửa đổi)")
    message = _refusal(data, load=lambda rid: changed)
    assert message.startswith("mẫu được tạo từ một phiên bản khác của phiếu chấm 'tayninh-2015-it.department'")


def test_moved_columns_are_refused(filled):
    _, _, data = filled
    book = open_book(data)
    book[L.MAIN].insert_cols(3)
    assert "cột của mẫu đã bị di chuyển hoặc đổi tên: ô Phiếu!C7" in _refusal(save(book))


def test_deleted_rows_are_refused(filled):
    rubric, _, data = filled
    r = criterion_rows(rubric)["I.2.2"]
    book = open_book(data)
    book[L.MAIN].delete_rows(r)
    assert _refusal(save(book)) == (f"dòng của mẫu đã bị xóa, chèn hoặc di chuyển: ô Phiếu!A{r} phải là tiêu chí "
                                    "I.2.2, đang là «I.2.3»: tải mẫu mới và nhập lại")


def test_a_flag_the_criterion_has_no_rule_for_is_refused_at_its_cell(filled):
    rubric, _, data = filled
    rows = criterion_rows(rubric)
    assert _problems(_edit(data, {f"G{rows['I.6.1']}": "Không áp dụng"})) == [
        f"Phiếu!G{rows['I.6.1']}: tiêu chí I.6.1, chọn «Không có hệ thống» hoặc để trống, đang là «Không áp dụng»"]
