"""Hostile sheet files cost nothing: each is refused in one line naming the file and line, before
it can take time, memory or the stack (docs/security.md, "Tệp từ bên ngoài")."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtiflow.cli.main import main
from rubrics.sheet_loader import load_sheet_file, load_sheet_text
from rubrics.sheet_yaml import MAX_SHEET_BYTES
from rubrics.source import DataFileError

HEAD = "unit: Sở Kế hoạch và Đầu tư\ngroup: I\nrubric: binhthuan-2019-it.I\n"


def _write(tmp_path: Path, text: str, name: str = "sheet.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _refused(path: Path) -> str:
    with pytest.raises(DataFileError) as exc:
        load_sheet_file(path)
    return str(exc.value)


def test_a_billion_laughs_sheet_is_refused_at_its_first_anchor_not_expanded(tmp_path) -> None:
    bomb = "lol: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10)) + HEAD
    message = _refused(_write(tmp_path, bomb))
    assert message.startswith(f"{tmp_path / 'sheet.yaml'}:1: ") and "neo YAML (&l0)" in message


def test_an_alias_in_a_sheet_is_refused_with_its_line(tmp_path) -> None:
    text = HEAD + "answers:\n  '1': {points: 10, evidence: &e [\"QĐ 12\"]}\n  '2': {points: 10, evidence: *e}\n"
    assert ":5: " in _refused(_write(tmp_path, text))


def test_an_ampersand_in_a_text_is_not_an_anchor(tmp_path) -> None:
    text = HEAD + "answers:\n  '1': {points: 10, evidence: [\"Sở Tài nguyên & Môi trường: QĐ 12\"]}\n"
    assert load_sheet_file(_write(tmp_path, text)).sheet.answers["1"].evidence == ("Sở Tài nguyên & Môi trường: QĐ 12",)


@pytest.mark.parametrize("nesting", ["flow", "block"])
def test_nesting_500_levels_deep_is_one_line_not_a_recursion_error(tmp_path, nesting) -> None:
    if nesting == "flow":
        text = HEAD + "answers:\n  '1': {points: " + "[" * 500 + "]" * 500 + "}\n"
    else:
        text = HEAD + "answers:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(500)) + "  " * 501 + "x: 1\n"
    message = _refused(_write(tmp_path, text))
    assert message.startswith(str(tmp_path / "sheet.yaml") + ":")
    assert "RecursionError" not in message and len(message) < 400


def test_a_sheet_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path) -> None:
    p = tmp_path / "big.yaml"
    with p.open("w", encoding="utf-8") as f:
        f.write(HEAD + "answers:\n  '1': {points: 10, evidence: [\"")
        f.write("x" * (50 * 1024 * 1024))
        f.write("\"]}\n")
    message = _refused(p)
    assert "lớn hơn giới hạn 1 MB" in message
    with pytest.raises(DataFileError, match="lớn hơn giới hạn"):
        load_sheet_text("#" * (MAX_SHEET_BYTES + 1), "upload.yaml")


def test_a_device_is_not_read_to_its_end(tmp_path) -> None:
    assert "lớn hơn giới hạn" in _refused(Path("/dev/zero"))


@pytest.mark.parametrize("first, second", [("1", '"1"'), ("1.1", '"1.1"'), ('"2"', "2")])
def test_a_criterion_answered_twice_as_a_number_and_as_text_is_refused(tmp_path, first, second) -> None:
    text = (HEAD.replace("binhthuan-2019-it.I", "tayninh-2015-it.department").replace("group: I", "group: department")
            if "." in first else HEAD)
    text += f"answers:\n  {first}: {{points: 1}}\n  {second}: {{points: 2}}\n"
    message = _refused(_write(tmp_path, text))
    assert ":6: " in message and "hai lần" in message


def test_a_byte_order_mark_at_the_start_of_a_sheet_is_accepted(tmp_path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + (HEAD + "answers:\n  '1': {points: 10}\n").encode("utf-8"))
    assert load_sheet_file(p).sheet.unit == "Sở Kế hoạch và Đầu tư"


@pytest.mark.parametrize("answer, words", [
    ("{points: .inf}", "hữu hạn"),
    ("{points: .nan}", "hữu hạn"),
    ("{points: 1e308}", "vượt giới hạn 1000 điểm"),
    ("{points: 1001}", "vượt giới hạn 1000 điểm"),
    ("{points: 10, self_points: 1e308}", "vượt giới hạn 1000 điểm"),
])
def test_points_on_a_criterion_without_a_maximum_are_finite_and_capped(tmp_path, answer, words) -> None:
    message = _refused(_write(tmp_path, HEAD + f"answers:\n  '1': {answer}\n"))
    assert ":5: " in message and words in message


def test_three_criteria_of_1e308_do_not_add_up_to_infinity(tmp_path) -> None:
    text = HEAD + "answers:\n" + "".join(f"  '{i}': {{points: 1e308}}\n" for i in (1, 2, 3))
    assert "vượt giới hạn" in _refused(_write(tmp_path, text))


def test_a_total_over_the_stated_cap_is_refused(tmp_path) -> None:
    text = HEAD + "answers:\n" + "".join(f"  '{i}': {{points: 400}}\n" for i in (1, 2, 3))
    message = _refused(_write(tmp_path, text))
    assert "tổng điểm 1200 vượt giới hạn 1000" in message


def test_verified_points_are_finite_and_capped_too(tmp_path) -> None:
    text = HEAD + "answers:\n  '1': {points: 10}\nverified:\n  '1': .inf\n"
    assert "hữu hạn" in _refused(_write(tmp_path, text))
    text = HEAD + "answers:\n  '1': {points: 10}\nverified:\n" + "".join(f"  '{i}': 600\n" for i in (1, 2))
    assert "vượt giới hạn" in _refused(_write(tmp_path, text))


@pytest.mark.parametrize("answer", ["{numerator: 1e13, denominator: 2e13}", "{numerator: 1, denominator: 1e-320}"])
def test_figures_of_a_ratio_are_bounded(tmp_path, answer) -> None:
    head = HEAD.replace("binhthuan-2019-it.I", "tayninh-2015-it.department").replace("group: I", "group: department")
    message = _refused(_write(tmp_path, head + f"answers:\n  I.1.2: {answer}\n"))
    assert ":5: " in message


def test_a_count_is_bounded(tmp_path) -> None:
    head = HEAD.replace("binhthuan-2019-it.I", "tayninh-2015-it.department").replace("group: I", "group: department")
    assert "quá lớn" in _refused(_write(tmp_path, head + "answers:\n  III.2: {count: " + "9" * 400 + "}\n"))


def test_score_json_never_prints_infinity(tmp_path, capsys) -> None:
    p = _write(tmp_path, HEAD + "answers:\n" + "".join(f"  '{i}': {{points: 1e308}}\n" for i in (1, 2, 3)))
    assert main(["score", "--rubric", "binhthuan-2019-it.I", str(p), "--json"]) == 2
    out, err = capsys.readouterr()
    assert "Infinity" not in out and err.startswith("dtiflow: error: ") and "Traceback" not in err


@pytest.mark.parametrize("rubric", ["../../../../etc/passwd", "../sheets/tayninh-2015-it.department", "/etc/hostname",
                                    "tayninh-2015-it.department/../../regimes/binhthuan-2019-it"])
def test_a_sheets_rubric_is_an_id_of_the_catalogue_never_a_path(tmp_path, rubric) -> None:
    text = HEAD.replace("binhthuan-2019-it.I", rubric) + "answers: {}\n"
    message = _refused(_write(tmp_path, text))
    assert ":3: " in message and f"no rubric '{rubric}'" in message
    assert "root:x" not in message  # nothing of the file it named is echoed
