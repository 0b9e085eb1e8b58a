"""Loading many sheets at once gives what loading them one by one gives, errors included."""

from __future__ import annotations

import gc

import pytest

from rubrics.sheet_batch import load_many
from rubrics.sheet_loader import load_sheet_file
from rubrics.source import DataFileError

from .helpers import HEADER, rubric_for


def _sheets(write_sheet, n: int, bad: int | None = None):
    paths = []
    for i in range(n):
        text = HEADER.replace("Sở Thử", f"Sở số {i}") + "answers:\n  I.1: {yes: true}\n  I.2: {numerator: %d, denominator: 100}\n" % (
            150 if i == bad else i % 100)
        paths.append(write_sheet(text, f"s{i:03d}.yaml"))
    return paths


def test_a_batch_gives_the_same_sheets_in_the_same_order(write_sheet):
    paths = _sheets(write_sheet, 50)
    assert load_many(paths, rubric_for) == [load_sheet_file(p, rubric_for) for p in paths]


def test_a_batch_reports_the_first_bad_file_with_its_line_and_restores_the_collector(write_sheet):
    paths = _sheets(write_sheet, 50, bad=42)
    assert gc.isenabled()
    with pytest.raises(DataFileError) as info:
        load_many(paths, rubric_for)
    assert str(info.value).startswith(f"{paths[42]}:6: đơn vị 'Sở số 42', tiêu chí I.2, trường 'numerator'")
    assert gc.isenabled()


def test_units_answering_alike_share_one_immutable_answer(write_sheet):
    first, second = load_many(_sheets(write_sheet, 2), rubric_for)
    assert first.sheet.answers["I.1"] is second.sheet.answers["I.1"]
