"""Every example sheet in examples/sheets loads and scores, and every shipped rubric has one."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.scoring import score_sheet
from rubrics.rubric_loader import list_rubrics, load_rubric
from rubrics.sheet_loader import load_sheet_file

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "sheets"
FILES = sorted(EXAMPLES.glob("*/*.yaml"))

# Totals worked out by hand from each example's figures (see the comments in the files).
EXPECTED_TOTALS = {
    "tayninh-2015-it.department": 86,
    "tayninh-2015-it.district": 93,
    "binhthuan-2023-dti.department": 425,
    "binhthuan-2023-dti.district": 488.5,
    "binhthuan-2023-dti.commune": 234,
    "mic-2017-egov.district": 134,
    "mic-2017-egov.commune": 77.5,
    "binhthuan-2019-it.I": 455,
    "binhthuan-2019-it.II": 380,
    "binhthuan-2019-it.III": 330,
    "binhthuan-2019-it.IV": 450,
    "hanoi-2025-dti.department": 665,
    "hanoi-2025-dti.commune": 680,
    "mst-2025-dti.province": 0.712,
}


def test_every_shipped_rubric_has_an_example_sheet():
    assert sorted({p.parent.name for p in FILES}) == sorted(list_rubrics())


@pytest.mark.parametrize("path", FILES, ids=[p.parent.name for p in FILES])
def test_an_example_sheet_loads_and_scores_to_its_hand_checked_total(path: Path):
    rubric = load_rubric(path.parent.name)
    loaded = load_sheet_file(path, lambda rid: load_rubric(rid))
    assert loaded.sheet.rubric_id == rubric.id
    scored = score_sheet(rubric, loaded.sheet, loaded.verified)
    assert scored.total == pytest.approx(EXPECTED_TOTALS[rubric.id])
    assert all(c.explanation for c in scored.criteria)


def test_the_tay_ninh_example_shows_the_three_scores_side_by_side():
    path = EXAMPLES / "tayninh-2015-it.department" / "so-tu-phap.yaml"
    rubric = load_rubric("tayninh-2015-it.department")
    loaded = load_sheet_file(path, lambda rid: rubric)
    scored = score_sheet(rubric, loaded.sheet, loaded.verified)
    claimed = scored.criterion("I.2.3")
    assert (claimed.self_points, claimed.points) == (3, 0)  # the unit claims 3, its figures give 0
    assert scored.criterion("I.6.1").points == 1  # no complaints software: half of 2
    assert scored.criterion("I.9").verified_points == 0
    assert scored.verified_total == pytest.approx(84)
