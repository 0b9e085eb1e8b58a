"""A person filling a template in a spreadsheet program: openpyxl opens the generated workbook
and types each answer into the cell the template offers for it, as text, numbers and dates the
way a person enters them. Typing into a locked cell fails the test: the template must offer an
unlocked cell for every answer."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from domain.answers import Answer, SheetAnswers
from domain.rubric import Rubric
from rubrics.rubric_loader import load_rubric
from rubrics.sheet_loader import load_sheet_file
from workbooks import layout as L

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "sheets").glob("*/*.yaml"))


def example(path: Path) -> tuple[Rubric, SheetAnswers]:
    sheet = load_sheet_file(path).sheet
    return load_rubric(sheet.rubric_id), sheet


def criterion_rows(rubric: Rubric) -> dict[str, int]:
    """criterion id -> 1-based row (openpyxl's numbering)."""
    return {r.id: r.row + 1 for r in L.rows_of(rubric) if r.kind == "criterion"}


def open_book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def type_into(ws, row: int, col0: int, value) -> None:
    cell = ws.cell(row, col0 + 1)
    assert cell.protection.locked is False, f"{cell.coordinate} is locked: a person cannot type there"
    cell.value = value


def answer_cells(rubric: Rubric, a: Answer) -> list[tuple[int, object]]:
    """(0-based column, value) a person types for this answer."""
    c = rubric.criterion(a.criterion_id)
    out: list[tuple[int, object]] = []
    if a.yes is not None:
        out.append((L.COL_A, L.YES if a.yes else L.NO))
    for v, col in ((a.numerator, L.COL_A), (a.denominator, L.COL_B), (a.count, L.COL_A), (a.points, L.COL_A)):
        if v is not None:
            out.append((col, v))
    if a.choice is not None:
        out.append((L.COL_A, c.option(a.choice).text))
    if a.document is not None:
        out += [(L.COL_A, a.document.number), (L.COL_B, a.document.date)]
    if a.not_applicable:
        out.append((L.COL_FLAG, L.FLAG_LABELS["not_applicable"]))
    elif a.no_system:
        out.append((L.COL_FLAG, L.FLAG_LABELS["no_system"]))
    if a.evidence:
        out.append((L.COL_EVIDENCE, "\n".join(a.evidence)))
    if a.self_points is not None:
        out.append((L.COL_SELF, a.self_points))
    return out


def fill(template: bytes, rubric: Rubric, sheet: SheetAnswers) -> bytes:
    book = open_book(template)
    ws = book[L.MAIN]
    type_into(ws, L.UNIT_ROW + 1, L.UNIT_COL, sheet.unit)
    rows = criterion_rows(rubric)
    for cid, a in sheet.answers.items():
        for col, value in answer_cells(rubric, a):
            type_into(ws, rows[cid], col, value)
    return save(book)
