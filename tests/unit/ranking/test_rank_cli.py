"""`dtiflow rank` on folders of sheet files: JSON rows, the Vietnamese table, bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dtiflow.cli.main import main

POINTS_1867 = {"1": 100, "2": 100, "3": 100, "4": 100, "5": 100}


def sheet_1867(folder: Path, name: str, unit: str, group: str, total: float) -> Path:
    """A Decision 1867 sheet whose five family points add up to `total`."""
    path = folder / f"{name}.yaml"
    answers = "".join(f"  {i}: {{points: {total / 5}}}\n" for i in range(1, 6))
    path.write_text(f"unit: {unit}\ngroup: {group}\nrubric: binhthuan-2019-it.{group}\nanswers:\n{answers}", encoding="utf-8")
    return path


@pytest.fixture
def folder_1867(tmp_path: Path) -> Path:
    d = tmp_path / "2019"
    d.mkdir()
    for i, (unit, total) in enumerate([("Sở A", 480), ("Sở B", 470), ("Sở C", 470), ("Sở D", 440)]):
        sheet_1867(d, f"I-{i}", unit, "I", total)
    sheet_1867(d, "II-0", "Văn phòng UBND tỉnh", "II", 385)
    sheet_1867(d, "late", "Sở Trễ", "I", 499)  # received late: the manifest says so
    (d / "not_evaluated.yaml").write_text(
        "not_evaluated:\n"
        "  - {unit: Sở Trễ, group: I, reason: late, note: nhận ngày 24/9/2019}\n"
        "  - {unit: Sở Vắng, group: I, reason: not_submitted}\n", encoding="utf-8")
    return d


def run_json(capsys, *args) -> list[dict]:
    assert main(["rank", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rank_prints_one_json_row_per_unit_with_rank_classification_and_award(folder_1867, capsys):
    rows = run_json(capsys, "--regime", "binhthuan-2019-it", str(folder_1867))
    ranked = [(r["unit"], r["rank"], r["classification"], r["award"]) for r in rows if r["ranked"]]
    assert ranked == [
        ("Sở A", 1, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh"),
        ("Sở B", 2, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh"),
        ("Sở C", 2, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh"),
        ("Sở D", 4, "Khá", None),
        ("Văn phòng UBND tỉnh", 1, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh"),
    ]
    assert set(rows[0]) == {"unit", "group", "total", "percent", "classification", "rank", "award", "ranked"}
    assert rows[0]["total"] == 480 and rows[0]["percent"] is None  # 1867 states no maximum


def test_units_not_evaluated_are_listed_unranked_with_the_reason(folder_1867, capsys):
    rows = run_json(capsys, "--regime", "binhthuan-2019-it", str(folder_1867))
    unranked = {r["unit"]: r for r in rows if not r["ranked"]}
    assert set(unranked) == {"Sở Trễ", "Sở Vắng"}
    assert unranked["Sở Trễ"]["rank"] is None and unranked["Sở Trễ"]["total"] is None
    assert unranked["Sở Trễ"]["reason"] == ("Gửi phiếu sau thời hạn nhận phiếu trễ: không được đánh giá, xếp hạng "
                                           "(nhận ngày 24/9/2019)")
    assert unranked["Sở Vắng"]["reason"].startswith("Không gửi phiếu đánh giá")


def test_level_keeps_one_group(folder_1867, capsys):
    rows = run_json(capsys, "--regime", "binhthuan-2019-it", "--level", "II", str(folder_1867))
    assert [r["unit"] for r in rows] == ["Văn phòng UBND tỉnh"]


def test_the_table_is_in_vietnamese_group_by_group(folder_1867, capsys):
    assert main(["rank", "--regime", "binhthuan-2019-it", str(folder_1867)]) == 0
    out = capsys.readouterr().out
    assert "Nhóm I: Các cơ quan chuyên môn" in out
    assert "Hạng  Đơn vị" in out and "Xếp loại" in out and "Khen thưởng" in out
    assert "Không xếp hạng:" in out and "- Sở Vắng: Không gửi phiếu đánh giá" in out


def test_decision_2392_example_folder_is_ranked_by_level(tmp_path, capsys):
    d = tmp_path / "mic"
    d.mkdir()
    examples = Path(__file__).resolve().parents[3] / "examples" / "sheets"
    for name in ("mic-2017-egov.district", "mic-2017-egov.commune"):
        for f in (examples / name).glob("*.yaml"):
            (d / f"{name}-{f.name}").write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    rows = run_json(capsys, "--regime", "mic-2017-egov", str(d))
    by_unit = {r["unit"]: r for r in rows}
    # District: results 90 = 38+32+17+3 but transformation 3/5 = 60% < 90%: not Mức I; Mức II holds.
    assert by_unit["UBND huyện Bắc Bình"]["classification"] == "Mức II"
    assert by_unit["UBND xã Phan Rí Thành"]["award"] is None


BAD = [
    (["--regime", "nope"], "unknown regime 'nope'"),
    (["--regime", "binhthuan-2019-it", "--level", "V"], "không có nhóm hoặc cấp này"),
]


@pytest.mark.parametrize("args, words", BAD)
def test_bad_arguments_exit_2_with_one_line(folder_1867, capsys, args, words):
    assert main(["rank", *args, str(folder_1867)]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_a_missing_folder_exits_2(tmp_path, capsys):
    assert main(["rank", "--regime", "binhthuan-2019-it", str(tmp_path / "none")]) == 2
    assert "không có thư mục" in capsys.readouterr().err


def test_a_sheet_of_a_group_the_regime_does_not_have_exits_2_naming_the_line(folder_1867, capsys):
    (folder_1867 / "x.yaml").write_text("unit: X\ngroup: district\nrubric: binhthuan-2023-dti.district\nanswers: {}\n", encoding="utf-8")
    assert main(["rank", "--regime", "binhthuan-2019-it", str(folder_1867)]) == 2
    err = capsys.readouterr().err
    assert "x.yaml:2: đơn vị 'X', trường 'group': nhóm 'district' không có trong binhthuan-2019-it" in err
    assert err.count("\n") == 1


def test_a_sheet_scored_on_another_groups_rubric_exits_2(folder_1867, capsys):
    (folder_1867 / "x.yaml").write_text("unit: X\ngroup: I\nrubric: binhthuan-2019-it.II\nanswers: {}\n", encoding="utf-8")
    assert main(["rank", "--regime", "binhthuan-2019-it", str(folder_1867)]) == 2
    assert "x.yaml:3: đơn vị 'X', trường 'rubric': nhóm I của binhthuan-2019-it chấm theo phiếu binhthuan-2019-it.I" in capsys.readouterr().err


def test_a_unit_with_two_sheets_exits_2(folder_1867, capsys):
    sheet_1867(folder_1867, "dup", "Sở A", "I", 100)
    assert main(["rank", "--regime", "binhthuan-2019-it", str(folder_1867)]) == 2
    assert "đơn vị đã có phiếu trong tệp" in capsys.readouterr().err


@pytest.mark.parametrize("manifest, words", [
    ("not_evaluated:\n  - {unit: Sở X, group: IX, reason: late}\n", "not_evaluated.yaml:2: nhóm 'IX'"),
    ("not_evaluated:\n  - {unit: Sở X, group: I, reason: lost}\n", "not_evaluated.yaml:2: reason must be one of"),
    ("not_evaluated:\n  - {unit: Sở X, group: I, reason: other}\n", "lý do 'other' cần ghi rõ trong note"),
    ("not_evaluated:\n  - {unit: Sở X, group: I, reason: late}\n  - {unit: Sở X, group: I, reason: late}\n", "được liệt kê hai lần"),
])
def test_a_bad_manifest_exits_2_naming_its_line(folder_1867, capsys, manifest, words):
    (folder_1867 / "not_evaluated.yaml").write_text(manifest, encoding="utf-8")
    assert main(["rank", "--regime", "binhthuan-2019-it", str(folder_1867)]) == 2
    assert words in capsys.readouterr().err


def test_sheets_in_sub_folders_are_read_and_percent_is_of_the_levels_maximum(tmp_path, capsys):
    examples = Path(__file__).resolve().parents[3] / "examples" / "sheets"
    for level in ("department", "district", "commune"):
        sub = tmp_path / level
        sub.mkdir()
        for f in (examples / f"binhthuan-2023-dti.{level}").glob("*.yaml"):
            (sub / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    rows = run_json(capsys, "--regime", "binhthuan-2023-dti", str(tmp_path))
    assert [(r["group"], r["percent"], r["classification"], r["award"]) for r in rows] == [
        ("department", 85.0, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh"),  # 425/500: exactly 85%
        ("district", 81.42, "Khá", None),  # 488,5/600
        ("commune", 70.91, "Khá", None),  # 234/330; communes are awarded by their district
    ]
    assert "UBND cấp huyện quyết định" in rows[2]["award_note"]
