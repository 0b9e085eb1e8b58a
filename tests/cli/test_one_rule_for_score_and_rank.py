"""`score` and `rank` read a sheet file by one rule: the council's `verified:` points stand in
both, and a sheet whose group is not scored by the rubric it names is refused by both, with the
same sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dtiflow.cli.main import main

TAY_NINH = Path(__file__).resolve().parents[2] / "examples" / "sheets" / "tayninh-2015-it.department"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_uses_the_councils_verified_points_as_score_does(capsys):
    code, out, _ = run(capsys, "score", "--rubric", "tayninh-2015-it.department", str(TAY_NINH / "so-tu-phap.yaml"))
    assert code == 0 and "Tổng điểm tính theo số liệu: 86/100" in out and "Tổng điểm thẩm định: 84" in out
    code, out, _ = run(capsys, "rank", "--regime", "tayninh-2015-it", str(TAY_NINH))
    assert code == 0
    assert "Sở Tư pháp         84    84%" in out


@pytest.fixture
def mislabelled(tmp_path):
    """The department's sheet, labelled as a district's."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    text = (TAY_NINH / "so-tu-phap.yaml").read_text(encoding="utf-8").replace("group: department", "group: district")
    (folder / "so-tu-phap.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_group_scored_by_another_rubric_is_refused_by_score_as_by_rank(capsys, mislabelled):
    code, _, rank_err = run(capsys, "rank", "--regime", "tayninh-2015-it", str(mislabelled))
    assert code == 2
    code, _, score_err = run(capsys, "score", "--rubric", "tayninh-2015-it.department",
                             str(mislabelled / "so-tu-phap.yaml"))
    assert code == 2
    says = "nhóm district của tayninh-2015-it chấm theo phiếu tayninh-2015-it.district, không phải tayninh-2015-it.department"
    assert says in rank_err and says in score_err
