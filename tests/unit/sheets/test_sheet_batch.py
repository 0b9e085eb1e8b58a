"""Thousands of sheets load on every core, with the same result and the same first error."""

from __future__ import annotations

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


def test_the_forked_loader_gives_the_same_sheets_in_the_same_order(write_sheet):
    paths = _sheets(write_sheet, 600)
    serial = [load_sheet_file(p, rubric_for) for p in paths]
    assert load_many(paths, rubric_for, workers=2) == serial


def test_the_forked_loader_reports_the_first_bad_file_with_its_line(write_sheet):
    paths = _sheets(write_sheet, 600, bad=420)
    with pytest.raises(DataFileError) as info:
        load_many(paths, rubric_for, workers=2)
    assert str(info.value).startswith(f"{paths[420]}:6: đơn vị 'Sở số 420', tiêu chí I.2, trường 'numerator'")
