"""`dtiflow lineage-average`: last year's sheets of the former provinces carried over to the 34
provinces of Resolution 202/2025/QH15, and bad input reported in one line (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dtiflow.cli.main import main


def dti_sheet(folder: Path, unit: str, values: list[float]) -> None:
    answers = "".join(f"  {i}: {{points: {v}}}\n" for i, v in enumerate(values, start=1))
    (folder / f"{unit}.yaml").write_text(
        f"unit: {unit}\ngroup: province\nrubric: mst-2025-dti.province\nanswers:\n{answers}", encoding="utf-8")


@pytest.fixture
def dti_2024(tmp_path: Path) -> Path:
    d = tmp_path / "dti-2024"
    d.mkdir()
    dti_sheet(d, "Lâm Đồng", [0.08] * 8)      # 0.64
    dti_sheet(d, "Đắk Nông", [0.07] * 8)      # 0.56
    dti_sheet(d, "Bình Thuận", [0.09] * 8)    # 0.72
    dti_sheet(d, "Hà Nội", [0.1] * 7 + [0.1241])  # 0.8241
    return d


def test_lineage_average_gives_each_province_the_mean_of_its_former_provinces(capsys, dti_2024):
    assert main(["lineage-average", "--regime", "mst-2025-dti", str(dti_2024), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["unit"]: r for r in out["results"]}
    assert rows["Lâm Đồng"]["from"] == ["Lâm Đồng", "Đắk Nông", "Bình Thuận"] and rows["Lâm Đồng"]["merged"]
    assert rows["Lâm Đồng"]["indices"]["1"] == pytest.approx(0.08)   # (0.08 + 0.07 + 0.09) / 3
    assert rows["Lâm Đồng"]["total"] == pytest.approx(0.64)          # (0.64 + 0.56 + 0.72) / 3
    assert rows["Hà Nội"]["total"] == pytest.approx(0.8241) and not rows["Hà Nội"]["merged"]
    assert len(out["without_results"]) == 32 and "Tây Ninh" in out["without_results"]


def test_the_table_names_the_rule_and_the_resolution(capsys, dti_2024):
    assert main(["lineage-average", "--regime", "mst-2025-dti", str(dti_2024)]) == 0
    text = capsys.readouterr().out
    assert "Nghị quyết số 202/2025/QH15" in text and "trung bình cộng" in text
    assert "Lâm Đồng (từ Lâm Đồng, Đắk Nông, Bình Thuận): tổng 0,64" in text


def test_a_merged_province_with_a_former_province_missing_is_refused_in_one_line(capsys, dti_2024):
    (dti_2024 / "Đắk Nông.yaml").unlink()
    assert main(["lineage-average", "--regime", "mst-2025-dti", str(dti_2024)]) == 2
    err = capsys.readouterr().err
    assert "vn-provinces-2025.yaml: Lâm Đồng: thiếu kết quả năm trước của Đắk Nông" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["--regime", "nope"], "unknown regime 'nope'"),
    (["--regime", "mst-2025-dti", "--lineage", "no-such.yaml"], "--lineage no-such.yaml: không có tệp này"),
])
def test_bad_arguments_are_one_line(capsys, dti_2024, args, message):
    assert main(["lineage-average", *args, str(dti_2024)]) == 2
    assert message in capsys.readouterr().err
