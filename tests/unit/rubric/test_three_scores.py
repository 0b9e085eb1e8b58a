"""Three scores side by side, as the sheets have them: the unit's claim, the computed points,
the council's verified points; the differences are listed."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.scoring import score_sheet
from rubrics.rubric_loader import load_rubric

from .helpers import sheet

RUBRIC = "tayninh-2015-it.department"


def scored(answers, verified=None):
    return score_sheet(load_rubric(RUBRIC), sheet(RUBRIC, answers), verified)


def test_a_sheet_without_claims_or_verification_has_only_the_computed_total():
    s = scored({"I.7": dict(yes=True)})
    assert (s.total, s.self_total, s.verified_total) == (2, None, None)
    assert s.differences() == ()


def test_the_units_claims_are_summed_and_unclaimed_items_count_zero():
    s = scored({"I.7": dict(yes=True, self_points=2), "I.8": dict(yes=False, self_points=2), "IV.1": dict(yes=True)})
    assert (s.total, s.self_total) == (7, 4)
    assert [(c.criterion_id, c.self_points, c.points) for c in s.differences()] == [("I.8", 2, 0)]


def test_the_councils_points_replace_the_computed_ones_only_where_it_scored():
    s = scored({"I.7": dict(yes=True), "I.8": dict(yes=True)}, verified={"I.8": 0, "I.9": 2})
    assert (s.total, s.verified_total) == (4, 4)  # 2 (I.7 accepted) + 0 (I.8) + 2 (I.9)
    assert [(c.criterion_id, c.points, c.verified_points) for c in s.differences()] == [("I.8", 2, 0), ("I.9", 0, 2)]


def test_agreeing_figures_are_not_differences():
    s = scored({"I.7": dict(yes=True, self_points=2)}, verified={"I.7": 2})
    assert s.differences() == ()


@pytest.mark.parametrize("criterion_id", ["X.9", "I"])
def test_verified_points_for_an_unknown_criterion_are_refused(criterion_id):
    with pytest.raises(InvalidInput, match=f"tiêu chí '{criterion_id}' không có trong phiếu"):
        scored({}, verified={criterion_id: 1})


@pytest.mark.parametrize("points", [-1, 2.5, float("nan")])
def test_verified_points_outside_the_criterion_range_are_refused(points):
    with pytest.raises(InvalidInput, match="tiêu chí I.7: điểm thẩm định"):
        scored({}, verified={"I.7": points})


def test_a_sheet_of_another_rubric_is_refused():
    from domain.scoring import score_many

    rubric = load_rubric(RUBRIC)
    other = sheet("tayninh-2015-it.district", {"I.7": dict(yes=True)}, unit="UBND huyện Châu Thành")
    for score in (lambda: score_sheet(rubric, other), lambda: score_many(rubric, [other])):
        with pytest.raises(InvalidInput, match="UBND huyện Châu Thành: phiếu khai theo mẫu 'tayninh-2015-it.district'"):
            score()


def test_an_answer_to_a_criterion_the_rubric_lacks_is_refused():
    with pytest.raises(InvalidInput, match="Sở Nội vụ: phiếu tayninh-2015-it.department không có tiêu chí 'I.10'"):
        scored({"I.10": dict(yes=True)})
