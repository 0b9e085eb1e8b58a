"""Classification with every regime's bands, exactly at and just below each edge."""

from __future__ import annotations

import pytest

from domain.ranking import standings
from rubrics.regime_loader import load_regime

from .helpers import entry, mic_full, rules, totals

# Decision 1867 Art. 10: groups I, III, IV 450 / 350 / 250; group II 380 / 280 / 190.
BT_2019 = [
    (g, total, label)
    for g in ("I", "III", "IV")
    for total, label in [(500, "Tốt"), (450, "Tốt"), (449.99, "Khá"), (350, "Khá"), (349.99, "Trung bình"),
                         (250, "Trung bình"), (249.99, "Yếu"), (0, "Yếu")]
] + [
    ("II", total, label)
    for total, label in [(450, "Tốt"), (380, "Tốt"), (379.99, "Khá"), (280, "Khá"), (279.99, "Trung bình"),
                         (190, "Trung bình"), (189.99, "Yếu"), (0, "Yếu")]
]


@pytest.mark.parametrize("group, total, label", BT_2019)
def test_decision_1867_classifies_by_absolute_points_per_group(group, total, label):
    outcome = rules("binhthuan-2019-it").scale(group).classify(totals(total))
    assert (outcome.label, outcome.ranked) == (label, True)


# Decision 265 Art. 8: Tốt from 85%, Khá from 70%, Trung bình from 50% of the level's maximum.
BT_2023 = [
    ("department", 500, 425, "Tốt"), ("department", 500, 424.99, "Khá"), ("department", 500, 350, "Khá"),
    ("department", 500, 349.99, "Trung bình"), ("department", 500, 250, "Trung bình"),
    ("department", 500, 249.99, "Kém"), ("department", 500, 500, "Tốt"), ("department", 500, 0, "Kém"),
    ("district", 600, 510, "Tốt"), ("district", 600, 509.99, "Khá"), ("district", 600, 420, "Khá"),
    ("district", 600, 300, "Trung bình"), ("district", 600, 299.99, "Kém"),
    ("commune", 330, 280.5, "Tốt"), ("commune", 330, 280.49, "Khá"), ("commune", 330, 231, "Khá"),
    ("commune", 330, 230.99, "Trung bình"), ("commune", 330, 165, "Trung bình"), ("commune", 330, 164.99, "Kém"),
]


@pytest.mark.parametrize("group, maximum, total, label", BT_2023)
def test_decision_265_classifies_by_share_of_the_levels_maximum(group, maximum, total, label):
    assert rules("binhthuan-2023-dti").scale(group).classify(totals(total, maximum)).label == label


def test_a_total_drifted_by_float_sums_still_sits_on_its_edge():
    drifted = sum([42.5] * 10) - 1e-12  # 424.999999999999 stands for 425 = 85% of 500
    assert drifted != 425
    assert rules("binhthuan-2023-dti").scale("department").classify(totals(drifted, 500)).label == "Tốt"
    assert rules("binhthuan-2019-it").scale("I").classify(totals(450 - 1e-12)).label == "Tốt"


def test_the_reason_shows_the_edge_that_decided():
    outcome = rules("binhthuan-2019-it").scale("I").classify(totals(449.99))
    assert outcome.reason == "449,99 điểm ≥ 350: Khá"
    assert rules("binhthuan-2023-dti").scale("department").classify(totals(425, 500)).reason == "425/500 điểm ≥ 85% (425): Tốt"


# Decision 2392 Art. 6: a level only if every condition of its column holds.
MIC = [
    ("district", mic_full("district"), "Mức I"),
    ("district", mic_full("district", 0.9), "Mức I"),  # exactly every Mức I minimum: results 90, readiness 45
    ("district", mic_full("district", 0.9, results_presence=35.99), "Mức III"),  # presence 89,98%: I and II need 90%
    ("district", mic_full("district", 0.9, results_transformation=4.4), "Mức II"),  # results 89,9 < 90
    ("district", mic_full("district", 1.0, results_transformation=2.4), "Mức III"),  # 48% < 50%: neither I nor II
    # Every Mức II minimum exactly: 2,5 + 16 + 29,75 + 36 = 84,25 and 24 + 9,6 + 6,4 = 40.
    ("district", mic_full("district", 0.8, results_transformation=2.5, results_interaction=29.75, results_presence=36), "Mức II"),
    ("district", mic_full("district", 0.8, results_transformation=2.5, results_interaction=29.74, results_presence=36), "Mức III"),
    ("district", mic_full("district", 0.7, results_presence=32, results_transformation=0), "Mức IV"),
    ("district", mic_full("district", 0.69), "Dưới Mức IV"),
    ("district", mic_full("district", 1.0, readiness_environment=5.5), "Dưới Mức IV"),  # 68,75% < 70% fails even IV
    ("commune", mic_full("commune"), "Mức I"),
    ("commune", mic_full("commune", 0.9), "Mức I"),  # results 54 = 54/60, readiness 27 = 27/30
    ("commune", mic_full("commune", 0.9, readiness_human_resources=6.47), "Mức II"),  # 89,86% of 7,2
    ("commune", mic_full("commune", 0.7, results_presence=18.9), "Mức IV"),  # results 42 < 43,5
    ("commune", mic_full("commune", 0.6), "Dưới Mức IV"),
]


@pytest.mark.parametrize("level, scores, label", MIC, ids=[f"{m[0]}-{m[2]}-{i}" for i, m in enumerate(MIC)])
def test_decision_2392_reaches_a_level_only_if_every_condition_holds(level, scores, label):
    outcome = rules("mic-2017-egov").scale(level).classify(scores)
    assert outcome.label == label
    assert outcome.ranked == (label != "Dưới Mức IV")


def test_below_level_four_the_reason_says_what_level_four_lacks():
    outcome = rules("mic-2017-egov").scale("district").classify(mic_full("district", 1.0, readiness_environment=5.5))
    assert "chưa đạt Mức IV" in outcome.reason and "readiness.environment 5,5 < 70% × 8" in outcome.reason


def test_tay_ninh_states_no_classification_and_says_so():
    outcome = rules("tayninh-2015-it").scale("department").classify(totals(90, 100))
    assert outcome.label is None and outcome.ranked
    assert "không quy định xếp loại" in outcome.reason


@pytest.mark.parametrize("regime_id", ["binhthuan-2019-it", "binhthuan-2023-dti", "mic-2017-egov", "tayninh-2015-it"])
def test_every_shipped_regime_states_classification_ranking_and_awards_for_each_group(regime_id):
    regime = load_regime(regime_id)
    assert regime.rules is not None
    assert set(regime.rules.classification) == set(regime.rules.awards) == {g.id for g in regime.groups}


@pytest.mark.parametrize("group, total, label", BT_2019)
def test_a_ranked_table_classifies_on_the_same_point_edges(group, total, label):
    row, = standings(rules("binhthuan-2019-it"), [entry("A", group, total)])
    assert row.classification == label


@pytest.mark.parametrize("group, maximum, total, label", BT_2023)
def test_a_ranked_table_classifies_on_the_same_percent_edges(group, maximum, total, label):
    row, = standings(rules("binhthuan-2023-dti"), [entry("A", group, total, maximum)])
    assert row.classification == label


def test_a_ranked_unit_gives_the_reason_of_its_classification_when_asked():
    rows = standings(rules("binhthuan-2019-it"), [entry("A", "I", 449.99), entry("B", "I", 450)])
    assert [r.classification_reason for r in rows] == ["450 điểm ≥ 450: Tốt", "449,99 điểm ≥ 350: Khá"]
    assert rows[1].outcome.reason == "449,99 điểm ≥ 350: Khá"
