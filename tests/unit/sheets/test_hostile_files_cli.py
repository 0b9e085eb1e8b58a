"""Every command that reads a file people hand in answers a hostile one in one line, exit 2:
`score`, `rank`, `rubric check`, `units import`, `sheet import` (the file is read before the
database is opened)."""

from __future__ import annotations

import pytest

from dtiflow.cli.main import main

SHEET_HEAD = "unit: Sở Kế hoạch và Đầu tư\ngroup: I\nrubric: binhthuan-2019-it.I\n"
DEEP_FLOW = "[" * 500 + "]" * 500
DEEP_BLOCK = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(500)) + "  " * 501 + "v: 1\n"


def _run(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert err.startswith("dtiflow: error: ") and "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("deep", [DEEP_FLOW, DEEP_BLOCK], ids=["flow", "block"])
def test_nesting_500_levels_deep_is_one_line_in_every_command(tmp_path, capsys, deep) -> None:
    body = f" {deep}\n" if deep is DEEP_FLOW else "\n" + deep
    sheet = tmp_path / "sheets" / "sheet.yaml"
    sheet.parent.mkdir()
    sheet.write_text(SHEET_HEAD + "answers:" + body, encoding="utf-8")
    rules = tmp_path / "rubric.yaml"
    rules.write_text("id: x\nsections:" + body, encoding="utf-8")
    register = tmp_path / "units.yaml"
    register.write_text("units:" + body, encoding="utf-8")
    for argv in (["score", "--rubric", "binhthuan-2019-it.I", str(sheet)],
                 ["rank", "--regime", "binhthuan-2019-it", str(sheet.parent)],
                 ["sheet", "import", "C", "SKHDT", str(sheet), "--as", "someone"],
                 ["units", "import", str(register)]):
        assert "lồng quá sâu" in _run(capsys, *argv) or "YAML" in _run(capsys, *argv)
    capsys.readouterr()
    assert main(["rubric", "check", str(rules)]) != 0
    out, err = capsys.readouterr()
    assert "lồng quá sâu" in out + err and "Traceback" not in out + err


def test_an_alias_bomb_is_one_line_in_every_command(tmp_path, capsys) -> None:
    bomb = "l0: &l0 [a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    sheet = tmp_path / "sheets" / "sheet.yaml"
    sheet.parent.mkdir()
    sheet.write_text(bomb + SHEET_HEAD, encoding="utf-8")
    register = tmp_path / "units.yaml"
    register.write_text(bomb + "units: *l9\n", encoding="utf-8")
    assert "neo YAML" in _run(capsys, "score", "--rubric", "binhthuan-2019-it.I", str(sheet))
    assert "neo YAML" in _run(capsys, "rank", "--regime", "binhthuan-2019-it", str(sheet.parent))
    assert "bí danh YAML" in _run(capsys, "units", "import", str(register))


def test_score_on_a_folder_says_it_is_a_folder(tmp_path, capsys) -> None:
    assert "đây là một thư mục" in _run(capsys, "score", "--rubric", "binhthuan-2019-it.I", str(tmp_path))


def test_rank_on_a_file_says_it_is_a_file(tmp_path, capsys) -> None:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(SHEET_HEAD + "answers: {}\n", encoding="utf-8")
    assert "đây là một tệp" in _run(capsys, "rank", "--regime", "binhthuan-2019-it", str(sheet))


def test_rank_on_an_empty_folder_says_there_are_no_sheets(tmp_path, capsys) -> None:
    assert "không có phiếu đánh giá nào" in _run(capsys, "rank", "--regime", "binhthuan-2019-it", str(tmp_path))


def test_a_50_mb_sheet_is_refused_at_the_limit_by_score_and_sheet_import(tmp_path, capsys) -> None:
    sheet = tmp_path / "big.yaml"
    with sheet.open("w", encoding="utf-8") as f:
        f.write(SHEET_HEAD + "answers:\n")
        f.write("  '1': {points: 1, evidence: [\"" + "x" * (50 * 1024 * 1024) + "\"]}\n")
    assert "lớn hơn giới hạn 1 MB" in _run(capsys, "score", "--rubric", "binhthuan-2019-it.I", str(sheet))
    assert "lớn hơn giới hạn 1 MB" in _run(capsys, "sheet", "import", "C", "SKHDT", str(sheet), "--as", "x")
