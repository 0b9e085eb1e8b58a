"""Regime files load, and a broken one is refused with the file and line of the mistake."""

from __future__ import annotations

import textwrap

import pytest

from domain.regime import YearNotCovered
from rubrics.regime_loader import list_regimes, load_regime, load_regime_file
from rubrics.source import DataFileError

GOOD = """\
id: test-regime
version: 1
title: Thử nghiệm
sources:
  - {id: qd, title: Quyết định thử}
groups:
  - {id: A, name: Nhóm A, rubric: test-regime.A, unit_kind: department}
facts:
  - {id: notice, name: Ngày thông báo, role: notice}
milestones:
  - {id: notice, name: Thông báo, kind: event, fact: notice}
  - {id: due, name: Hạn nộp, kind: deadline, roles: [submission], after: {of: notice, days: 15}}
  - {id: grace, name: Hết hạn nhận, kind: deadline, roles: [lock], after: {of: due, working_days: 5}}
"""


def test_every_shipped_regime_loads():
    ids = list_regimes()
    assert ids == ["binhthuan-2019-it", "binhthuan-2023-dti", "hanoi-2025-dti", "mic-2017-egov", "mst-2025-dti",
                   "tayninh-2015-it"]
    for regime_id in ids:
        regime = load_regime(regime_id)
        assert regime.id == regime_id and regime.groups and regime.milestones
        assert all(g.rubric_id.startswith(regime_id + ".") for g in regime.groups)


def write(tmp_path, text):
    path = tmp_path / "regime.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_well_formed_file_loads(tmp_path):
    regime = load_regime_file(write(tmp_path, GOOD))
    assert regime.milestone("grace").rule.period.amount == 5


@pytest.mark.parametrize(
    "change, line, message",
    [
        (("after: {of: due, working_days: 5}", "after: {of: deu, working_days: 5}"), 13, "unknown fact or milestone 'deu'"),
        (("after: {of: notice, days: 15}", "after: {of: grace, days: 15}"), 12, "count from each other"),
        (("days: 15", "days: -3"), 12, "between 0 and 3660"),
        (("kind: deadline, roles: [lock]", "kind: dateline, roles: [lock]"), 13, "kind must be one of"),
        (("roles: [lock]", "roles: [submission]"), 13, "role 'submission' is held by more than one"),
        (("version: 1", "version: one"), 2, "version must be a whole number"),
        (("title: Thử nghiệm", "titel: Thử nghiệm"), 3, "unknown key 'titel'"),
        (("groups:", "groups: []\nxgroups:"), 7, "unknown key 'xgroups'"),
        (("- {id: notice, name: Thông báo, kind: event, fact: notice}",
          "- {id: notice, name: Thông báo, kind: event, fact: notise}"), 11, "unknown fact 'notise'"),
        (("{of: notice, days: 15}", "{of: notice, days: 15, working_days: 2}"), 12, "exactly one of days, working_days"),
        (("sources:", "sources: [\n"), 6, "not valid YAML"),
        (("version: 1", "version: 1\nversion: 2"), 3, "duplicate key 'version'"),
    ],
)
def test_a_broken_regime_file_names_the_line_and_the_mistake(tmp_path, change, line, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(DataFileError) as err:
        load_regime_file(write(tmp_path, GOOD.replace(old, new, 1)))
    assert f"regime.yaml:{line}:" in str(err.value)
    assert message in str(err.value)


def test_a_fixed_date_that_does_not_exist_is_refused(tmp_path):
    text = GOOD.replace("after: {of: due, working_days: 5}", "fixed: {month: 2, day: 30}")
    with pytest.raises(DataFileError, match="regime.yaml:13: milestone grace: 30/2 is not a day of the year"):
        load_regime_file(write(tmp_path, text))


def test_a_regime_cannot_let_the_clock_approve(tmp_path):
    text = GOOD + "stages:\n  approve: time\n"
    with pytest.raises(DataFileError, match=r"regime.yaml:15: .*approve"):
        load_regime_file(write(tmp_path, text))


def test_a_group_may_enrol_several_kinds_of_unit_and_refuses_an_unknown_one(tmp_path):
    several = GOOD.replace("unit_kind: department}", "unit_kind: [department, office]}")
    assert load_regime_file(write(tmp_path, several)).group("A").unit_kinds == ("department", "office")
    with pytest.raises(DataFileError, match=r"regime.yaml:7: unit_kind must be one of .*got 'ministry'"):
        load_regime_file(write(tmp_path, GOOD.replace("unit_kind: department}", "unit_kind: ministry}")))


def test_dti_2023_departments_include_the_ppc_office_and_the_inspectorate():
    # Decision 265 Art. 2: "các cơ quan chuyên môn thuộc UBND tỉnh" (1867 Art. 5(1) had to exclude them by name).
    assert load_regime("binhthuan-2023-dti").group("department").unit_kinds == ("department", "office")
    assert load_regime("binhthuan-2019-it").group("I").unit_kinds == ("department",)


@pytest.mark.parametrize(
    "years, line, message",
    [
        ("years: {from: 2025, until: 2024}", 4, "years.until must be between 2025 and 2100, got 2024"),
        ("years: {from: 2025, to: 2027}", 4, "unknown key 'to'"),
        ("years: {until: 2027}", 4, "'from'"),
        ("years: 2025", 4, "years must be a mapping"),
    ],
)
def test_a_broken_years_entry_is_refused_with_its_line(tmp_path, years, line, message):
    text = GOOD.replace("title: Thử nghiệm\n", f"title: Thử nghiệm\n{years}\n", 1)
    with pytest.raises(DataFileError) as err:
        load_regime_file(write(tmp_path, text))
    assert f"regime.yaml:{line}:" in str(err.value)
    assert message in str(err.value)


def test_a_regime_states_the_years_it_covers_and_refuses_others_with_its_file_and_line(tmp_path):
    regime = load_regime_file(write(tmp_path, GOOD.replace("title: Thử nghiệm\n",
                                                           "title: Thử nghiệm\nyears: {from: 2023, until: 2024}\n", 1)))
    regime.check_year(2023), regime.check_year(2024)
    for year in (2022, 2025):
        with pytest.raises(YearNotCovered, match=rf"regime.yaml:4: chế độ test-regime áp dụng cho các năm 2023–2024; "
                                             rf"không mở được kỳ đánh giá năm {year}"):
            regime.check_year(year)
    load_regime_file(write(tmp_path, GOOD)).check_year(1999)  # a file without `years:` accepts any year


def test_hanoi_5279_evaluates_departments_and_communes_owned_by_the_city_without_invented_rules():
    # Since 1/7/2025 there is no district level: the city evaluates its 126 communes and wards itself.
    regime = load_regime("hanoi-2025-dti")
    assert [(g.id, g.owner, g.unit_kinds) for g in regime.groups] == [
        ("department", "province", ("department", "office")), ("commune", "province", ("commune",))]
    assert regime.years.first == 2025 and regime.years.last is None
    # The stored texts state no classification, ranking rule or award: said so, nothing invented.
    rules = regime.rules
    assert {type(rules.classification[g]).__name__ for g in ("department", "commune")} == {"NotStated"}
    assert rules.ranking.stated is False
    assert all(type(rules.awards[g]).__name__ == "NoAward" for g in ("department", "commune"))


def test_the_ministrys_dti_evaluates_the_provinces_from_2024_and_states_no_invented_rule():
    # Decision 405/QĐ-BKHCN (3/4/2025); DTI 2024 was published on its structure (21/10/2025).
    regime = load_regime("mst-2025-dti")
    assert [(g.id, g.unit_kinds, g.rubric_id) for g in regime.groups] == [
        ("province", ("province",), "mst-2025-dti.province")]
    assert (regime.years.first, regime.years.last) == (2024, None)
    assert type(regime.rules.classification["province"]).__name__ == "NotStated"
    assert regime.rules.ranking.stated is False
    assert all(m.rule.__class__.__name__ in ("SetAtOpening", "FromFact") for m in regime.milestones)


# The year each decision was issued (its first possible cycle); none states an end in our sources.
@pytest.mark.parametrize("regime_id, first", [
    ("tayninh-2015-it", 2015),     # Decision 2693/QĐ-UBND, 23/11/2015
    ("mic-2017-egov", 2017),       # Decision 2392/QĐ-BTTTT, 25/12/2017
    ("binhthuan-2019-it", 2019),   # Decision 1867/QĐ-UBND, 23/7/2019
    ("binhthuan-2023-dti", 2023),  # Decision 265/QĐ-UBND, 08/02/2023
    ("mst-2025-dti", 2024),        # Decision 405/QĐ-BKHCN, 03/4/2025, used for DTI 2024
    ("hanoi-2025-dti", 2025),      # Decision 5279/QĐ-UBND, 23/10/2025
])
def test_every_shipped_regime_states_the_years_it_covers_with_their_source(regime_id, first):
    years = load_regime(regime_id).years
    assert (years.first, years.last) == (first, None) and years.source
    with pytest.raises(YearNotCovered, match=rf"{regime_id}\.yaml:\d+: .*không mở được kỳ đánh giá năm {first - 1}"):
        load_regime(regime_id).check_year(first - 1)
