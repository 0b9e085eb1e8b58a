"""The classification, ranking and awards sections of a regime file: every mistake is refused
with the file and line."""

from __future__ import annotations

import textwrap

import pytest

from domain.classification import BandScale, Basis
from domain.rubric import Criterion, Kind, Rubric, Section
from rubrics.regime_rules import check_sections, parse_ranking_rules
from rubrics.source import DataFileError, load_yaml_text

GOOD = textwrap.dedent("""\
    groups:
      - {id: A}
      - {id: B}
    classification:
      - groups: [A, B]
        by: percent
        bands:
          - {label: Tốt, at_least: 85}
          - {label: Khá, at_least: 70}
        below: {label: Kém}
    ranking: {order: total}
    awards:
      - groups: [A]
        award: Bằng khen
        classification: [Tốt]
        max_rank: 3
        ties_at_line: all_awarded
      - groups: [B]
        none: Không quy định
    """)


def parse(text: str):
    return parse_ranking_rules(load_yaml_text(text, "regime.yaml"), {"A", "B"})


def test_a_well_formed_section_parses_into_rules():
    rules = parse(GOOD)
    scale = rules.scale("A")
    assert isinstance(scale, BandScale) and scale.basis is Basis.PERCENT
    assert [b.label for b in scale.bands] == ["Tốt", "Khá"] and scale.below.label == "Kém"
    assert rules.groups == ("A", "B")


def test_a_regime_without_the_sections_has_no_rules():
    assert parse("groups:\n  - {id: A}\n") is None


BAD = [
    ("an unknown group", ("groups: [A, B]", "groups: [A, C]"), 5, "unknown group 'C'"),
    ("bands that do not descend", ("{label: Khá, at_least: 70}", "{label: Khá, at_least: 90}"), 9, "bands must descend"),
    ("a percent above 100", ("{label: Tốt, at_least: 85}", "{label: Tốt, at_least: 185}"), 8, "between 0 and 100"),
    ("a negative band", ("{label: Khá, at_least: 70}", "{label: Khá, at_least: -1}"), 9, "between 0"),
    ("an unknown basis", ("by: percent", "by: grades"), 6, "by must be one of"),
    ("a group without classification", ("groups: [A, B]\n    by", "groups: [A]\n    by"), 5, "group 'B' is not covered"),
    ("a group classified twice", ("groups: [A, B]\n    by", "groups: [A, B, A]\n    by"), 5, "group 'A' is given twice"),
    ("an award for a missing label", ("classification: [Tốt]", "classification: [Tot]"), 15, "require classification 'Tot'"),
    ("an award without its tie rule", ("    ties_at_line: all_awarded\n", ""), 13, "ties_at_line"),
    ("an unknown tie rule", ("ties_at_line: all_awarded", "ties_at_line: coin_toss"), 17, "ties_at_line must be one of"),
    ("an unknown ranking order", ("order: total", "order: alphabet"), 11, "order must be one of"),
    ("ranking left out", ("ranking: {order: total}\n", ""), 5, "not 'ranking'"),
]


@pytest.mark.parametrize("what, change, line, words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_rules_section_is_refused_with_its_line(what, change, line, words):
    old, new = change
    assert old in GOOD
    with pytest.raises(DataFileError) as info:
        parse(GOOD.replace(old, new, 1))
    assert str(info.value).startswith(f"regime.yaml:{line}: ")
    assert words in str(info.value)


LEVELS = textwrap.dedent("""\
    groups:
      - {id: A}
    classification:
      - groups: [A]
        by: levels
        levels:
          - label: Mức I
            all_of:
              - {section: results, at_least: 90}
        below: {label: Dưới Mức I, ranked: false}
    ranking: {order: classification_then_total}
    awards:
      - groups: [A]
        none: Không quy định
    """)


def _rubric(section_id: str, maximum: float | None) -> Rubric:
    c = Criterion("1", "x", Kind.POINTS, 100.0, section_id)
    return Rubric("t.a", "t", "t", 100.0, (Section(section_id, "s", maximum, None, ("1",)),), (c,))


def test_a_level_condition_must_name_a_section_of_the_groups_rubric():
    rules = parse_ranking_rules(load_yaml_text(LEVELS, "regime.yaml"), {"A"})
    check_sections(rules, "A", _rubric("results", 100.0))
    with pytest.raises(DataFileError) as info:
        check_sections(rules, "A", _rubric("ketqua", 100.0))
    assert str(info.value).startswith("regime.yaml:9: Mức I: rubric t.a has no section 'results'")


def test_a_condition_needs_exactly_one_minimum():
    text = LEVELS.replace("{section: results, at_least: 90}", "{section: results, at_least: 90, at_least_percent: 5}")
    with pytest.raises(DataFileError) as info:
        parse_ranking_rules(load_yaml_text(text, "regime.yaml"), {"A"})
    assert str(info.value).startswith("regime.yaml:9: a condition of Mức I needs exactly one")


def test_a_percent_scale_needs_a_rubric_that_states_its_maximum():
    rules = parse(GOOD)
    no_max = Rubric("t.a", "t", "t", None, (Section("I", "s", None, None, ("1",)),),
                    (Criterion("1", "x", Kind.POINTS, None, "I"),))
    with pytest.raises(DataFileError) as info:
        check_sections(rules, "A", no_max)
    assert "rubric t.a states no maximum" in str(info.value)
