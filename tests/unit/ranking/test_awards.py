"""Awards from the regime files (Decision 1867 Art. 12, Decision 265 Art. 9), ties at the line."""

from __future__ import annotations

import pytest

from domain.awards import AwardRule, NoAward, Placed, TiesAtLine, decide_awards
from domain.ranking import standings

from .helpers import entry, rules

BANG_KHEN = "Bằng khen của Chủ tịch UBND tỉnh"


def awards(regime_id, group, scored, maximum=None):
    rows = standings(rules(regime_id), [entry(u, group, t, maximum) for u, t in scored])
    return [(r.unit, r.rank, r.award) for r in rows]


@pytest.mark.parametrize("group", ["I", "III", "IV"])
def test_decision_1867_awards_tot_units_ranked_first_to_third_in_groups_i_iii_iv(group):
    assert awards("binhthuan-2019-it", group, [("A", 490), ("B", 480), ("C", 470), ("D", 460)]) == [
        ("A", 1, BANG_KHEN), ("B", 2, BANG_KHEN), ("C", 3, BANG_KHEN), ("D", 4, None)]


def test_decision_1867_awards_nobody_ranked_third_who_is_not_tot():
    assert awards("binhthuan-2019-it", "I", [("A", 490), ("B", 460), ("C", 449.99)])[2] == ("C", 3, None)


def test_decision_1867_group_ii_awards_only_the_first_and_only_if_tot():
    assert awards("binhthuan-2019-it", "II", [("VP", 400), ("TT", 390)]) == [("VP", 1, BANG_KHEN), ("TT", 2, None)]
    assert awards("binhthuan-2019-it", "II", [("VP", 379.99), ("TT", 300)]) == [("VP", 1, None), ("TT", 2, None)]


def test_a_tie_at_the_line_in_groups_i_iii_iv_awards_every_tied_unit():
    rows = standings(rules("binhthuan-2019-it"), [entry(u, "I", t) for u, t in [("A", 490), ("B", 480), ("C", 470), ("D", 470)]])
    assert [(r.unit, r.rank, r.award) for r in rows] == [
        ("A", 1, BANG_KHEN), ("B", 2, BANG_KHEN), ("C", 3, BANG_KHEN), ("D", 3, BANG_KHEN)]
    assert "all_awarded" in rows[3].award_note


def test_a_tie_that_fits_within_the_places_is_not_at_the_line():
    rows = standings(rules("binhthuan-2019-it"), [entry(u, "I", t) for u, t in [("A", 490), ("B", 480), ("C", 480)]])
    assert [r.award for r in rows] == [BANG_KHEN] * 3 and not any(r.award_note for r in rows)


def test_a_tie_for_first_in_group_ii_is_left_to_the_council():
    rows = standings(rules("binhthuan-2019-it"), [entry("VP", "II", 400), entry("TT", "II", 400)])
    assert [(r.rank, r.award) for r in rows] == [(1, None), (1, None)]
    assert all("Hội đồng quyết định" in r.award_note for r in rows)


def test_decision_265_awards_departments_and_districts_and_leaves_communes_to_their_district():
    assert awards("binhthuan-2023-dti", "district", [("A", 590), ("B", 400)], 600) == [
        ("A", 1, BANG_KHEN), ("B", 2, None)]
    rows = standings(rules("binhthuan-2023-dti"), [entry("X", "commune", 330, 330)])
    assert rows[0].award is None and "UBND cấp huyện quyết định" in rows[0].award_note


@pytest.mark.parametrize("regime_id, group", [("mic-2017-egov", "district"), ("tayninh-2015-it", "department")])
def test_regimes_that_state_no_award_give_none_and_say_so(regime_id, group):
    assert isinstance(rules(regime_id).award_policy(group), NoAward)


@pytest.mark.parametrize("policy, awarded", [
    (TiesAtLine.ALL_AWARDED, ["x", "x", "x", "x"]),
    (TiesAtLine.NONE_AWARDED, ["x", "x", None, None]),
    (TiesAtLine.COUNCIL_DECIDES, ["x", "x", None, None]),
])
def test_ties_at_the_line_follow_the_rule_the_regime_states(policy, awarded):
    rule = AwardRule("x", frozenset({"Tốt"}), 3, policy)
    placed = [Placed(1, "Tốt"), Placed(2, "Tốt"), Placed(3, "Tốt"), Placed(3, "Tốt")]
    assert [d.award for d in decide_awards(rule, placed)] == awarded
