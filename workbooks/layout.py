"""Where everything sits in a score-sheet template: the one description the writer and the
reader share, so that what one writes the other finds (docs/workbooks.md, "The template").

The marker sheet (very hidden) carries the format name, the template version, the rubric id
and fingerprint, the unit's group, and the row of every criterion and section: a workbook whose
marker is missing, of another rubric, of an older rubric version, or whose rows or columns moved
is refused by the reader before any value is read.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from domain.rubric import Criterion, Kind, Rubric

FORMAT = "dtiflow-phieu-danh-gia"
# Raise when the layout changes (columns, marker keys): the reader refuses other versions.
TEMPLATE_VERSION = 1

MAIN = "Phiếu"  # the sheet a unit fills; cell references in messages read `Phiếu!E14`
LISTS = "Danh mục"  # hidden: the drop-down lists and the choice points
META = "dtiflow"  # very hidden: the marker

# Rows and columns are 0-based here (XlsxWriter's and calamine's convention); messages and the
# marker use Excel's A1 names.
UNIT_ROW, UNIT_COL = 2, 2  # C3: the unit's name
HEADER_ROW = 6  # row 7: the table's column titles, repeated on every printed page
FIRST_ROW = HEADER_ROW + 1

COL_ID, COL_TEXT, COL_MAX, COL_RULE = 0, 1, 2, 3
COL_A, COL_B = 4, 5  # the kind's figures: answer / numerator / document number; denominator / date
COL_FLAG, COL_EVIDENCE, COL_SELF = 6, 7, 8
COL_POINTS, COL_HELP = 9, 10

HEADERS = (
    "Mã",
    "Nội dung tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Trả lời / Tử số / Số văn bản",
    "Mẫu số / Ngày ban hành",
    "Không áp dụng / Không có hệ thống",
    "Tài liệu chứng minh (mỗi dòng một tài liệu)",
    "Điểm tự chấm",
    "Điểm tính",
    "Hướng dẫn nhập",
)
WIDTHS = (9, 48, 9, 30, 18, 16, 18, 32, 10, 10, 36)

YES, NO = "Có", "Không"
TOTAL_LABEL = "TỔNG ĐIỂM"
FLAG_LABELS = {"not_applicable": "Không áp dụng", "no_system": "Không có hệ thống"}

# The answer field each input column carries, by kind (the rest of the row is never read).
FIELD_COLUMNS: dict[Kind, dict[str, int]] = {
    Kind.YES_NO: {"yes": COL_A},
    Kind.DOCUMENT: {"document.number": COL_A, "document.date": COL_B},
    Kind.RATIO: {"numerator": COL_A, "denominator": COL_B},
    Kind.COUNT: {"count": COL_A},
    Kind.CHOICE: {"choice": COL_A},
    Kind.POINTS: {"points": COL_A},
}
COMMON_COLUMNS = {"not_applicable": COL_FLAG, "no_system": COL_FLAG, "evidence": COL_EVIDENCE,
                  "self_points": COL_SELF}

# What a person calls each field, for the messages (`thiếu mẫu số`).
FIELD_NAMES = {
    "yes": "câu trả lời Có/Không", "numerator": "tử số", "denominator": "mẫu số", "count": "số lượng",
    "choice": "phương án", "points": "điểm", "document": "văn bản", "document.number": "số văn bản",
    "document.date": "ngày ban hành", "evidence": "tài liệu chứng minh", "self_points": "điểm tự chấm",
    "not_applicable": "không áp dụng", "no_system": "không có hệ thống",
}


def column_of(kind: Kind, field: str | None) -> int:
    """The column a field of this kind is typed in (the first figure for the answer as a whole)."""
    if field is None:
        return COL_A
    cols = FIELD_COLUMNS[kind]
    if field in cols:
        return cols[field]
    if field == "document":
        return COL_A
    return COMMON_COLUMNS.get(field, COL_A)


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) -> `E14`."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def inputs_of(c: Criterion) -> tuple[int, ...]:
    """The unlocked cells of a criterion's row."""
    cols = list(FIELD_COLUMNS[c.kind].values())
    if c.rules:
        cols.append(COL_FLAG)
    return (*cols, COL_EVIDENCE, COL_SELF)


@dataclass(frozen=True)
class Row:
    """One row of the table: a section heading, a criterion, or the total."""

    row: int  # 0-based
    kind: str  # "section", "criterion", "total"
    id: str  # section or criterion id; "" for the total


_ROWS: "weakref.WeakKeyDictionary[Rubric, tuple[Row, ...]]" = weakref.WeakKeyDictionary()


def rows_of(rubric: Rubric) -> tuple[Row, ...]:
    """The table's rows in print order: each section heading before its own criteria and
    sub-sections (as the appendix prints them), then the total. Computed once per rubric."""
    rows = _ROWS.get(rubric)
    if rows is None:
        rows = _ROWS[rubric] = _rows_of(rubric)
    return rows


def _rows_of(rubric: Rubric) -> tuple[Row, ...]:
    children: dict[str | None, list] = {}
    for s in rubric.sections:
        children.setdefault(s.parent, []).append(s)
    direct: dict[str, list[str]] = {}
    nested = {s.id: {cid for sub in children.get(s.id, []) for cid in sub.criterion_ids} for s in rubric.sections}
    for s in rubric.sections:
        direct[s.id] = [cid for cid in s.criterion_ids if cid not in nested[s.id]]
    order = {cid: i for i, cid in enumerate(rubric.criterion_ids)}
    out: list[Row] = []
    placed: set[str] = set()

    def first(s) -> int:
        return min((order[c] for c in s.criterion_ids), default=len(order))

    def walk(section) -> None:
        out.append(Row(FIRST_ROW + len(out), "section", section.id))
        # Criteria and sub-sections interleaved in the rubric's criterion order.
        items = [(order[c], "c", c) for c in direct[section.id]]
        items += [(first(sub), "s", sub) for sub in children.get(section.id, [])]
        for _, what, item in sorted(items, key=lambda x: x[0]):
            if what == "c":
                out.append(Row(FIRST_ROW + len(out), "criterion", item))
                placed.add(item)
            else:
                walk(item)

    for top in sorted(children.get(None, []), key=first):
        walk(top)
    for cid in rubric.criterion_ids:  # a criterion in no section (none in the shipped files)
        if cid not in placed:
            out.append(Row(FIRST_ROW + len(out), "criterion", cid))
    out.append(Row(FIRST_ROW + len(out), "total", ""))
    return tuple(out)
