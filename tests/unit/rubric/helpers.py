"""Small builders for the rubric and scoring tests (answers, sheets, rubric files)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from domain.answers import Answer, IssuedDocument, SheetAnswers


def doc(number: str = "15/QĐ-UBND", date: dt.date = dt.date(2016, 3, 10)) -> IssuedDocument:
    return IssuedDocument(number, date)


def sheet(rubric_id: str, answers: dict[str, dict], unit: str = "Sở Nội vụ", group: str = "department") -> SheetAnswers:
    """A sheet from {criterion id: Answer keyword arguments}."""
    return SheetAnswers(unit, group, rubric_id, {cid: Answer(cid, **kw) for cid, kw in answers.items()})


def write(tmp_path: Path, text: str, name: str = "rubric.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = textwrap.dedent("""
    id: test.sheet
    title: Phiếu thử
    source: Quyết định thử
    max: 10
    sections:
      - id: I
        title: Mục một
        max: 10
        items:
          - {id: I.1, text: Có quy chế, max: 4, kind: yes_no}
          - id: I.2
            text: Tỷ lệ văn bản ký số đạt từ 50%
            max: 6
            kind: ratio
            threshold_percent: 50
            numerator: Số văn bản ký số
            denominator: Số văn bản phát hành
    """).lstrip()
