"""A bad rubric file is refused with every problem named by file, line and criterion."""

from __future__ import annotations

import pytest

from rubrics.rubric_loader import RubricError, check_rubric_file, load_rubric_file

from .helpers import MINIMAL, write


def errors(path) -> list[str]:
    return [str(p) for p in check_rubric_file(path) if p.is_error]


def test_the_minimal_file_is_valid(tmp_path):
    path = write(tmp_path, MINIMAL)
    assert check_rubric_file(path) == []
    assert load_rubric_file(path).criterion_ids == ("I.1", "I.2")


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ("kind: yes_no}", "kind: yesno}", 10,
         "criterion I.1: unknown kind 'yesno' (known: yes_no, document, ratio, count, choice, points)"),
        ("id: I.2\n", "id: I.1\n", 11, "criterion I.1: duplicate id (first used at line 10)"),
        ("threshold_percent: 50", "threshold_percent: 150", 15,
         "criterion I.2: threshold_percent must be between 0 and 100, got 150"),
        ("threshold_percent: 50", "threshold_percent: 0", 15, "criterion I.2: threshold_percent must be above 0"),
        ("threshold_percent: 50", "threshold_percent: 50\n        options: []", 16,
         "criterion I.2: unknown key 'options' in a criterion of kind ratio"),
        ("        denominator: Số văn bản phát hành\n", "", 11,
         "criterion I.2: a ratio is missing required key 'denominator'"),
        ("id: I.1,", "id: 1.10,", 10, "criterion id must be text: write '1.1' in quotes"),
        ("max: 4, kind: yes_no", "kind: yes_no", 10, "criterion I.1: a criterion of kind yes_no needs 'max'"),
    ],
)
def test_a_bad_criterion_is_named_with_its_file_and_line(tmp_path, old, new, line, message):
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    path = write(tmp_path, text)
    found = errors(path)
    assert any(e.startswith(f"{path}:{line}: ") and message in e for e in found), found


def test_maxima_that_do_not_add_up_to_the_section_total_are_an_error(tmp_path):
    path = write(tmp_path, MINIMAL.replace("max: 6", "max: 5"))
    assert any(e.endswith("rubric.yaml:6: section I: criteria maxima add up to 9, the section states 10") for e in errors(path))


def test_sections_that_do_not_add_up_to_the_sheet_total_are_an_error(tmp_path):
    path = write(tmp_path, MINIMAL.replace("max: 10\nsections", "max: 100\nsections"))
    assert any(e.endswith("rubric.yaml:1: rubric: section maxima add up to 10, the sheet states 100") for e in errors(path))


def test_a_criteria_count_the_decision_states_is_checked_on_a_complete_sheet(tmp_path):
    path = write(tmp_path, MINIMAL.replace("    max: 10\n    items", "    max: 10\n    criteria_count: 3\n    items"))
    assert any("section I: has 2 criteria, the decision states 3" in e for e in errors(path))


@pytest.mark.parametrize(
    "tiers, message",
    [
        ("[{at_least_percent: 80, points: 3}, {at_least_percent: 50, points: 6}]", "tiers must rise"),
        ("[{at_least_percent: 50, points: 7}]", "tier points must be between 0 and 6.0, got 7"),
        ("[{at_least_percent: 101, points: 6}]", "at_least_percent must be between 0 and 100, got 101"),
        ("[]", "tiers is empty"),
    ],
)
def test_ratio_tiers_must_rise_and_stay_in_range(tmp_path, tiers, message):
    path = write(tmp_path, MINIMAL.replace("threshold_percent: 50", f"tiers: {tiers}"))
    assert any("criterion I.2: " in e and message in e for e in errors(path)), errors(path)


def test_choice_shares_stay_within_the_maximum(tmp_path):
    text = MINIMAL.replace(
        "{id: I.1, text: Có quy chế, max: 4, kind: yes_no}",
        "{id: I.1, text: Trưởng ban, max: 4, kind: choice, options: [{key: a, text: Chủ tịch, share: 1.5}, {key: b, text: Không, share: 0}]}",
    )
    assert any("criterion I.1: option share (of the maximum) must be between 0 and 1, got 1.5" in e for e in errors(write(tmp_path, text)))


def test_broken_yaml_is_one_problem_with_its_line_not_a_traceback(tmp_path):
    path = write(tmp_path, MINIMAL.replace("title: Mục một", "title: [Mục một"))
    found = errors(path)
    assert found == [f"{path}:8: not valid YAML: expected ',' or ']', but got ':'"]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path):
    assert [p.message for p in check_rubric_file(tmp_path / "nope.yaml")] == ["no such file"]


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    text = MINIMAL.replace("kind: yes_no}", "kind: yesno}").replace("threshold_percent: 50", "threshold_percent: 150")
    found = errors(write(tmp_path, text))
    assert len(found) == 2


def test_loading_a_bad_file_raises_the_first_error_and_counts_the_others(tmp_path):
    text = MINIMAL.replace("kind: yes_no}", "kind: yesno}").replace("threshold_percent: 50", "threshold_percent: 150")
    with pytest.raises(RubricError) as exc:
        load_rubric_file(write(tmp_path, text))
    assert "criterion I.1: unknown kind 'yesno'" in str(exc.value)
    assert "(and 1 more problems: run 'dtiflow rubric check')" in str(exc.value)
    assert len(exc.value.problems) == 2


def test_a_rule_share_and_flag_are_checked(tmp_path):
    text = MINIMAL.replace("kind: yes_no}", "kind: yes_no, rules: [{when: closed, share: 2, source: x}]}")
    assert any("criterion I.1: rule 'when' must be one of no_system, not_applicable; got 'closed'" in e for e in errors(write(tmp_path, text)))


@pytest.mark.parametrize(
    "count, message",
    [
        ("at_least: 0", "criterion I.1: at_least must be above 0"),
        ("at_least: -2", "criterion I.1: at_least must be above 0"),
        ("tiers: [{at_least: -1, points: 1}]", "criterion I.1: at_least must not be negative, got -1"),
        ("tiers: [{at_least: 0, points: 1}, {at_least: 3, points: 4}]", "criterion I.1: the first tier's at_least must be above 0"),
        ("at_least: 3, tiers: [{at_least: 3, points: 4}]", "criterion I.1: give either at_least or tiers, not both"),
    ],
)
def test_count_thresholds_must_be_reachable_and_not_always_reached(tmp_path, count, message):
    text = MINIMAL.replace("{id: I.1, text: Có quy chế, max: 4, kind: yes_no}",
                           f"{{id: I.1, text: Từ 03 hồ sơ, max: 4, kind: count, {count}}}")
    found = errors(write(tmp_path, text))
    assert any(message in e for e in found), found
