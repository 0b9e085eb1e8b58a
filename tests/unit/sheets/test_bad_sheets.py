"""Every bad sheet is refused with one line naming the file, the line, the unit, the criterion
and the field: never a traceback, never a silent clamp."""

from __future__ import annotations

import pytest

from rubrics.sheet_loader import SheetError, load_sheet_file

from .helpers import HEADER, rubric_for

# (what is wrong, the answers block after line 4 `answers:`, line, criterion, field, words in the message)
BAD_ANSWERS = [
    ("an unknown criterion", "  I.1: {yes: true}\n  IX.9: {yes: true}\n", 6, "IX.9", None, "không có trong phiếu chấm test.unit"),
    ("a numerator above the denominator", "  I.2: {numerator: 120, denominator: 100}\n", 5, "I.2", "numerator", "tử số 120 lớn hơn mẫu số 100"),
    ("a zero denominator", "  I.2: {numerator: 0, denominator: 0}\n", 5, "I.2", "denominator", "mẫu số bằng 0"),
    ("a negative numerator", "  I.2: {numerator: -1, denominator: 10}\n", 5, "I.2", "numerator", "không được âm"),
    ("a negative count", "  I.10: {count: -2}\n", 5, "I.10", "count", "không được âm, nhận được -2"),
    ("a count that is not whole", "  I.10: {count: 2.5}\n", 5, "I.10", "count", "phải là số nguyên"),
    ("NaN points", "  II.3: {points: .nan}\n", 5, "II.3", "points", "phải là số hữu hạn"),
    ("infinite points", "  II.3: {points: .inf}\n", 5, "II.3", "points", "phải là số hữu hạn"),
    ("points above the maximum", "  II.3: {points: 5.5}\n", 5, "II.3", "points", "5,5 vượt điểm tối đa 5"),
    ("self-assessed points above the maximum", "  I.1: {yes: true, self_points: 9}\n", 5, "I.1", "self_points", "vượt điểm tối đa 4"),
    ("a ratio without its denominator", "  I.2: {numerator: 5}\n", 5, "I.2", "denominator", "thiếu trường 'denominator'"),
    ("a document without its date", "  II.1: {document: {number: 5/QĐ}}\n", 5, "II.1", "document.date", "thiếu ngày ban hành"),
    ("a document without its number", "  II.1: {document: {date: 2023-01-02}}\n", 5, "II.1", "document.number", "thiếu số văn bản"),
    ("an impossible document date", "  II.1: {document: {number: 5/QĐ, date: 31/02/2023}}\n", 5, "II.1", "document.date", "không hợp lệ"),
    ("evidence without its figures", "  I.2: {evidence: [Báo cáo]}\n", 5, "I.2", "numerator", "thiếu trường 'numerator'"),
    ("text where a number goes", "  I.2: {numerator: năm, denominator: 10}\n", 5, "I.2", "numerator", "phải là số"),
    ("text where true or false goes", "  I.1: {yes: có}\n", 5, "I.1", "yes", "phải là true hoặc false"),
    ("a field the kind does not read", "  I.1: {yes: true, count: 3}\n", 5, "I.1", "count", "không dùng cho tiêu chí loại có/không"),
    ("a flag the criterion has no rule for", "  I.2: {not_applicable: true}\n", 5, "I.2", "not_applicable", "không có quy định 'not_applicable'"),
    ("evidence that is not a list", "  I.10: {count: 3, evidence: Sổ theo dõi}\n", 5, "I.10", "evidence", "phải là danh sách"),
    ("an option the criterion does not offer", "  II.2: {choice: secretary}\n", 5, "II.2", "choice", "phương án 'secretary' không có"),
    ("an answer that is not a mapping", "  I.1: true\n", 5, "I.1", None, "phải là một bảng trường"),
]


@pytest.mark.parametrize("what, answers, line, criterion, field, words", BAD_ANSWERS, ids=[b[0] for b in BAD_ANSWERS])
def test_a_bad_answer_is_refused_naming_file_line_unit_criterion_and_field(write_sheet, what, answers, line, criterion, field, words):
    path = write_sheet(HEADER + "answers:\n" + answers)
    with pytest.raises(SheetError) as info:
        load_sheet_file(path, rubric_for)
    err = info.value
    message = str(err)
    assert message.startswith(f"{path}:{line}: đơn vị 'Sở Thử', tiêu chí {criterion}")
    assert words in message
    assert (err.unit, err.criterion, err.field) == ("Sở Thử", criterion, field)
    if field:
        assert f"trường '{field}'" in message
    assert "\n" not in message


BAD_FILES = [
    ("no unit", "group: department\nrubric: test.unit\nanswers: {}\n", 1, "thiếu tên đơn vị"),
    ("an unknown top-level key", HEADER + "anwsers:\n  I.1: {yes: true}\n", 4, "khóa 'anwsers' không có trong phiếu"),
    ("both group and level", "unit: Sở Thử\ngroup: a\nlevel: b\nrubric: test.unit\n", 2, "đúng một trong hai khóa"),
    ("an unknown rubric", "unit: Sở Thử\ngroup: a\nrubric: nope.x\n", 3, "không dùng được phiếu chấm 'nope.x'"),
    ("answers that are a list", HEADER + "answers:\n  - I.1\n", 5, "'answers' phải là một bảng"),
    ("a criterion answered twice", HEADER + "answers:\n  I.1: {yes: true}\n  I.1: {yes: false}\n", 6, "khóa 'I.1' xuất hiện hai lần"),
    ("broken YAML", HEADER + "answers:\n  I.1: {yes: true\n  I.2: x\n", 6, "không phải YAML hợp lệ"),
    ("a file that is a list", "- unit: x\n", 1, "phiếu phải là một bảng khóa"),
    ("verified points for an unknown criterion", HEADER + "answers: {}\nverified:\n  X.1: 2\n", 6, "không có trong phiếu chấm"),
    ("verified points above the maximum", HEADER + "answers: {}\nverified:\n  I.1: 7\n", 6, "vượt điểm tối đa 4"),
]


@pytest.mark.parametrize("what, text, line, words", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_sheet_file_is_refused_with_its_line(write_sheet, what, text, line, words):
    path = write_sheet(text)
    with pytest.raises(SheetError) as info:
        load_sheet_file(path, rubric_for)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert words in str(info.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("unit: Sở".encode("utf-16"))
    with pytest.raises(Exception) as info:
        load_sheet_file(path, rubric_for)
    assert "UTF-8" in str(info.value)
