"""`dtiflow rubric check|show|list` through the real `main`: problems listed, exit 2 on errors,
never a traceback, and --json."""

from __future__ import annotations

import json

import pytest

from rubrics.rubric_loader import SHEETS_DIR

from .helpers import MINIMAL, write


def test_check_of_a_shipped_sheet_says_it_is_valid(run_cli):
    status, out, err = run_cli("rubric", "check", str(SHEETS_DIR / "tayninh-2015-it.department.yaml"))
    assert (status, err) == (0, "")
    assert out.strip().endswith("hợp lệ (0 lỗi, 0 cảnh báo)")


def test_check_prints_warnings_and_still_exits_0(run_cli):
    status, out, _ = run_cli("rubric", "check", str(SHEETS_DIR / "binhthuan-2019-it.II.yaml"))
    assert status == 0
    assert "warning: rubric: the decision's detailed appendix is not loaded" in out
    assert "warning: criterion 1: no maximum" in out
    assert out.strip().endswith("hợp lệ (0 lỗi, 7 cảnh báo)")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("title: Mục một", "title: [Mục một", ":8: not valid YAML"),
        ("kind: yes_no}", "kind: yesno}", ":10: criterion I.1: unknown kind 'yesno'"),
        ("id: I.2\n", "id: I.1\n", ":11: criterion I.1: duplicate id (first used at line 10)"),
        ("max: 6", "max: 5", ":6: section I: criteria maxima add up to 9, the section states 10"),
    ],
)
def test_check_of_a_broken_file_lists_the_problem_and_exits_2_without_a_traceback(run_cli, tmp_path, old, new, expected):
    path = write(tmp_path, MINIMAL.replace(old, new))
    status, out, err = run_cli("rubric", "check", str(path))
    assert status == 2
    assert f"{path}{expected}" in out
    assert "Traceback" not in out + err
    assert out.strip().endswith("có lỗi (1 lỗi, 0 cảnh báo)")


def test_check_as_json_lists_file_line_subject_and_severity(run_cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("kind: yes_no}", "kind: yesno}"))
    status, out, _ = run_cli("rubric", "check", str(path), "--json")
    data = json.loads(out)
    assert status == 2
    assert (data["ok"], data["errors"], data["warnings"]) == (False, 1, 0)
    assert data["problems"][0] == {
        "file": str(path), "line": 10, "subject": "", "severity": "error",
        "message": "criterion I.1: unknown kind 'yesno' (known: yes_no, document, ratio, count, choice, points)",
    }


def test_check_of_a_missing_file_is_a_problem_not_a_traceback(run_cli, tmp_path):
    status, out, err = run_cli("rubric", "check", str(tmp_path / "none.yaml"))
    assert status == 2 and "none.yaml: no such file" in out and "Traceback" not in err


def test_show_prints_the_sheet_as_a_table_in_the_decisions_order(run_cli):
    status, out, _ = run_cli("rubric", "show", "tayninh-2015-it.department")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("tayninh-2015-it.department: Bảng đánh giá mức độ ứng dụng công nghệ thông tin")
    ids = [line.split()[0] for line in lines if line and line[0] in "IV" and not line.startswith(" ")]
    assert ids.index("I.1.1") < ids.index("I.4") < ids.index("II") < ids.index("II.1.11") < ids.index("VI.3")
    i4 = next(line for line in lines if line.startswith("I.4 "))
    assert i4.startswith("I.4     Ứng dụng chữ ký số") and i4.rstrip().endswith("5  tỷ lệ")
    assert "Đạt từ 5% trở lên tổng số văn bản phát hành" in out


def test_show_prints_the_commune_readiness_resolution(run_cli):
    _, out, _ = run_cli("rubric", "show", "mic-2017-egov.commune")
    assert "Mâu thuẫn trong Quyết định 2392" in out
    assert "7,2" in out and "4,8" in out


def test_show_as_json_has_sections_and_criteria_with_their_parameters(run_cli):
    status, out, _ = run_cli("rubric", "show", "tayninh-2015-it.department", "--json")
    data = json.loads(out)
    assert status == 0
    assert (data["id"], data["max"], data["complete"]) == ("tayninh-2015-it.department", 100, True)
    assert [s["id"] for s in data["sections"] if s["parent"] is None] == ["I", "II", "III", "IV", "V", "VI"]
    i4 = next(c for c in data["criteria"] if c["id"] == "I.4")
    assert i4["kind"] == "ratio" and i4["tiers"] == [{"at_least": 5.0, "points": 5.0}]
    assert i4["fields"] == ["numerator", "denominator"]
    ii111 = next(c for c in data["criteria"] if c["id"] == "II.1.11")
    assert ii111["rules"][0]["when"] == "not_applicable"


def test_show_accepts_a_file(run_cli, tmp_path):
    status, out, _ = run_cli("rubric", "show", str(write(tmp_path, MINIMAL)), "--json")
    assert status == 0 and json.loads(out)["id"] == "test.sheet"


def test_show_of_an_unknown_id_is_one_line_and_exit_2(run_cli):
    status, out, err = run_cli("rubric", "show", "tayninh-2016-it.department")
    assert status == 2 and out == ""
    assert err.startswith("dtiflow: error: no rubric 'tayninh-2016-it.department' (shipped: ")
    assert len(err.strip().splitlines()) == 1


def test_show_of_a_broken_file_is_one_line_and_exit_2(run_cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("kind: yes_no}", "kind: yesno}"))
    status, _, err = run_cli("rubric", "show", str(path))
    assert status == 2
    assert err.strip() == f"dtiflow: error: {path}:10: criterion I.1: unknown kind 'yesno' (known: yes_no, document, ratio, count, choice, points)"


def test_list_names_every_shipped_rubric(run_cli):
    status, out, _ = run_cli("rubric", "list", "--json")
    assert status == 0 and len(json.loads(out)) == 14
