"""A good sheet file becomes SheetAnswers with every field read as the unit wrote it."""

from __future__ import annotations

import datetime as dt

from domain.answers import Answer, IssuedDocument, make_answer
from rubrics.sheet_loader import load_sheet_file
from .helpers import HEADER, rubric_for


def load(write_sheet, answers: str, extra: str = ""):
    return load_sheet_file(write_sheet(HEADER + "answers:\n" + answers + extra), rubric_for)


def test_a_sheet_names_its_unit_group_and_rubric(write_sheet):
    loaded = load(write_sheet, "  I.1: {yes: true}\n")
    assert (loaded.sheet.unit, loaded.sheet.group, loaded.sheet.rubric_id) == ("Sở Thử", "department", "test.unit")
    assert loaded.verified is None


def test_every_kind_of_answer_is_read_into_its_field(write_sheet):
    loaded = load(write_sheet, """\
  I.1: {yes: true, evidence: ["Quyết định số 12/QĐ-UBND"]}
  I.2: {numerator: 45, denominator: 100, self_points: 6}
  I.10: {count: 3, evidence: [Sổ theo dõi]}
  II.1: {document: {number: 12/QĐ-STTTT, date: 2023-05-04}}
  II.2: {choice: vice_chairman}
  II.3: {points: 4.5}
""")
    a = loaded.sheet.answers
    assert a["I.1"] == Answer("I.1", yes=True, evidence=("Quyết định số 12/QĐ-UBND",))
    assert a["I.2"] == Answer("I.2", numerator=45, denominator=100, self_points=6)
    assert a["I.10"] == Answer("I.10", count=3, evidence=("Sổ theo dõi",))
    assert a["II.1"].document == IssuedDocument("12/QĐ-STTTT", dt.date(2023, 5, 4))
    assert a["II.2"].choice == "vice_chairman"
    assert a["II.3"].points == 4.5


def test_a_document_date_may_be_written_the_vietnamese_way(write_sheet):
    loaded = load(write_sheet, "  II.1: {document: {number: 7/QĐ, date: 04/05/2023}}\n")
    assert loaded.sheet.answers["II.1"].document.date == dt.date(2023, 5, 4)


def test_a_flag_alone_answers_a_criterion_that_has_its_rule(write_sheet):
    loaded = load(write_sheet, "  1.1: {not_applicable: true}\n  II.1: {no_system: true}\n")
    assert loaded.sheet.answers["1.1"].not_applicable is True
    assert loaded.sheet.answers["II.1"].no_system is True


def test_a_criterion_id_that_looks_like_a_number_is_read_as_written(write_sheet):
    loaded = load(write_sheet, "  1.1: {numerator: 5, denominator: 5}\n  1.10: {points: 1}\n")
    assert set(loaded.sheet.answers) == {"1.1", "1.10"}


def test_a_numerator_above_the_denominator_is_accepted_where_the_criterion_allows_it(write_sheet):
    loaded = load(write_sheet, "  I.3: {numerator: 120, denominator: 100}\n")
    assert loaded.sheet.answers["I.3"].numerator == 120


def test_a_criterion_left_out_is_simply_unanswered(write_sheet):
    loaded = load(write_sheet, "  I.1: {yes: false}\n")
    assert set(loaded.sheet.answers) == {"I.1"}


def test_the_level_key_may_stand_for_the_group(write_sheet):
    path = write_sheet("unit: Sở Thử\nlevel: district\nrubric: test.unit\nanswers:\n  I.1: {yes: true}\n")
    assert load_sheet_file(path, rubric_for).sheet.group == "district"


def test_the_councils_verified_points_are_read_beside_the_answers(write_sheet):
    loaded = load(write_sheet, "  I.2: {numerator: 45, denominator: 100}\n", "verified:\n  I.2: 3\n  II.3: 5\n")
    assert loaded.verified == {"I.2": 3.0, "II.3": 5.0}


def test_the_fast_constructor_builds_the_same_answer_as_the_dataclass():
    doc = IssuedDocument("1/QĐ", dt.date(2020, 1, 1))
    fields = ("I.1", True, 1.0, 2.0, 3, doc, "x", 4.0, True, False, ("e",), 5.0)
    fast = make_answer(*fields)
    assert fast == Answer(*fields)
    assert hash(fast) == hash(Answer(*fields))


def test_without_yaml_rs_the_same_sheet_loads_through_pyyamls_c_loader(write_sheet, monkeypatch):
    from rubrics import sheet_yaml

    text = HEADER + "answers:\n  I.1: {yes: true}\n  II.1: {document: {number: 7/QĐ, date: 2023-05-04}}\n  1.10: {points: 1}\n"
    fast = load_sheet_file(write_sheet(text), rubric_for)
    monkeypatch.setattr(sheet_yaml, "yaml_rs", None)
    assert load_sheet_file(write_sheet(text), rubric_for) == fast
