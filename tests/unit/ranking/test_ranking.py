"""Ranking within each group by total, ties sharing a rank, the unevaluated listed with reasons."""

from __future__ import annotations

import pytest

from domain.classification import Scores
from domain.ranking import Entry, competition_ranks, standings

from .helpers import entry, mic_full, rules


@pytest.mark.parametrize("keys, ranks", [
    ([5, 4, 4, 3], [1, 2, 2, 4]),
    ([5, 5, 5], [1, 1, 1]),
    ([9, 8, 7], [1, 2, 3]),
    ([9, 8, 8, 8, 2], [1, 2, 2, 2, 5]),
    ([], []),
])
def test_equal_keys_share_a_rank_and_the_next_rank_skips(keys, ranks):
    assert competition_ranks(keys) == ranks


def _rank(regime_id, entries):
    return [(s.unit, s.rank, s.classification, s.award, s.ranked) for s in standings(rules(regime_id), entries)]


def test_units_are_ranked_within_their_group_by_total_with_shared_ranks():
    rows = _rank("binhthuan-2019-it", [
        entry("A", "I", 480), entry("B", "I", 470), entry("C", "I", 470), entry("D", "I", 460),
        entry("E", "IV", 300),
    ])
    assert rows == [
        ("A", 1, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh", True),
        ("B", 2, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh", True),
        ("C", 2, "Tốt", "Bằng khen của Chủ tịch UBND tỉnh", True),
        ("D", 4, "Tốt", None, True),
        ("E", 1, "Trung bình", None, True),
    ]


def test_totals_equal_up_to_float_drift_tie():
    drifted = sum([0.1] * 10) * 450  # 450.00000000000006
    rows = standings(rules("binhthuan-2019-it"), [entry("A", "I", 450), entry("B", "I", drifted)])
    assert [r.rank for r in rows] == [1, 1]


def test_a_unit_not_evaluated_is_listed_unranked_with_its_reason():
    late = "Gửi phiếu sau thời hạn nhận phiếu trễ: không được đánh giá, xếp hạng"
    rows = standings(rules("binhthuan-2019-it"), [entry("A", "I", 400), entry("Late", "I", None, reason=late)])
    assert [(r.unit, r.rank, r.ranked) for r in rows] == [("A", 1, True), ("Late", None, False)]
    assert rows[1].reason == late and rows[1].total is None and rows[1].award is None


def test_groups_come_in_the_regimes_order():
    rows = standings(rules("binhthuan-2019-it"), [entry("d", "IV", 1), entry("b", "II", 1), entry("a", "I", 1)])
    assert [r.group for r in rows] == ["I", "II", "IV"]


def test_decision_2392_ranks_by_level_before_total_and_leaves_those_below_level_four_unranked():
    r = rules("mic-2017-egov")
    level_one = mic_full("district", 0.95)  # 142,5 points, Mức I
    level_two_higher_total = mic_full("district", 1.0, results_transformation=4.4)  # 149,4 points, Mức II
    below = mic_full("district", 0.6)
    rows = standings(r, [Entry("II", "district", level_two_higher_total), Entry("I", "district", level_one),
                         Entry("low", "district", below)])
    assert [(s.unit, s.classification, s.rank, s.ranked) for s in rows] == [
        ("I", "Mức I", 1, True), ("II", "Mức II", 2, True), ("low", "Dưới Mức IV", None, False)]
    assert "chưa đạt Mức IV" in rows[2].reason and rows[2].total == pytest.approx(90)


def test_decision_265_percent_is_of_the_levels_maximum():
    rows = standings(rules("binhthuan-2023-dti"), [entry("A", "commune", 280.5, 330)])
    assert (rows[0].percent, rows[0].classification) == (85.0, "Tốt")


def test_tay_ninh_orders_by_total_without_a_classification():
    rows = standings(rules("tayninh-2015-it"), [entry("A", "department", 80, 100), entry("B", "department", 90, 100)])
    assert [(r.unit, r.rank, r.classification, r.award) for r in rows] == [("B", 1, None, None), ("A", 2, None, None)]
    assert not rules("tayninh-2015-it").ranking.stated


def test_scores_without_a_maximum_have_no_percent():
    rows = standings(rules("binhthuan-2019-it"), [Entry("A", "I", Scores(455, None, {}, {}))])
    assert rows[0].percent is None


def test_a_ranked_row_is_an_ordinary_frozen_standing():
    import dataclasses

    from domain import ranking

    r = rules("binhthuan-2019-it")
    scores = Scores(455, 500, {}, {})
    row, = standings(r, [Entry("A", "I", scores)])
    built = ranking.Standing("A", "I", 455, 91.0, "Tốt", 1, row.award, True, "", row.award_note, scores, r.scale("I"))
    assert type(row) is ranking.Standing and row == built and hash(row) == hash(built)
    assert all(getattr(row, f.name) == getattr(built, f.name) for f in dataclasses.fields(ranking.Standing))
    assert row.classification_reason == "455 điểm ≥ 450: Tốt"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.rank = 2
