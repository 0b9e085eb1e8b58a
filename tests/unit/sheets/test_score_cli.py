"""`dtiflow score`: the scored sheet as JSON and as a Vietnamese table; bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dtiflow.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "sheets"
TAYNINH = EXAMPLES / "tayninh-2015-it.department" / "so-tu-phap.yaml"


def test_score_json_has_the_totals_criteria_and_sections(capsys):
    assert main(["score", "--rubric", "tayninh-2015-it.department", str(TAYNINH), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["rubric"], out["total"], out["max"]) == ("tayninh-2015-it.department", 86, 100)
    first = out["criteria"][0]
    assert {"id", "points", "max", "explanation"} <= set(first)
    assert first == {**first, "id": "I.1.1", "points": 1, "max": 1, "explanation": "Tỷ lệ 58/58 = 100% ≥ 100%: 1 điểm"}
    assert {"id": "I", "points": 30, "max": 40} in out["sections"]
    assert out["verified_total"] == 84


def test_score_table_shows_the_three_scores_side_by_side(capsys):
    assert main(["score", "--rubric", "tayninh-2015-it.department", str(TAYNINH)]) == 0
    out = capsys.readouterr().out
    assert "Tự chấm" in out and "Tính" in out and "Thẩm định" in out
    assert "Tổng điểm tính theo số liệu: 86/100" in out
    assert "Chênh lệch (≠) ở 2 tiêu chí: I.2.3, I.9" in out


def test_a_stand_in_sheet_says_the_appendix_is_not_loaded(capsys):
    path = EXAMPLES / "binhthuan-2023-dti.department" / "so-tai-chinh.yaml"
    assert main(["score", "--rubric", "binhthuan-2023-dti.department", str(path)]) == 0
    assert "phụ lục chi tiết chưa được nạp" in capsys.readouterr().out


def test_a_bad_sheet_exits_2_with_one_line_naming_the_place(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("unit: Sở X\ngroup: department\nrubric: tayninh-2015-it.department\nanswers:\n"
                    "  I.3.1: {numerator: 120, denominator: 100}\n", encoding="utf-8")
    assert main(["score", "--rubric", "tayninh-2015-it.department", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"dtiflow: error: {path}:5: đơn vị 'Sở X', tiêu chí I.3.1, trường 'numerator': "
                   f"tử số 120 lớn hơn mẫu số 100\n")


@pytest.mark.parametrize("args, words", [
    (["--rubric", "nope.x", str(TAYNINH)], "no rubric 'nope.x'"),
    (["--rubric", "tayninh-2015-it.district", str(TAYNINH)], "lệnh chấm theo phiếu tayninh-2015-it.district"),
    (["--rubric", "tayninh-2015-it.department", "/no/such/sheet.yaml"], "không có tệp phiếu này"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, args, words):
    assert main(["score", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
