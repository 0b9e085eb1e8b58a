"""A filled template (.xlsx) -> the same checked answers a YAML sheet gives (`LoadedSheet`).

Steps, each refusing with the reason before the next: the file is inspected
(`workbooks.guard`); the marker must be ours, of this template version, of the expected rubric
and of the rubric's current content (fingerprint); the header row and every row's id must be
where the marker says (columns moved, rows deleted or inserted are refused). Then each
criterion's input cells become the plain answer a YAML sheet holds (`{numerator: 45,
denominator: 40}`) and go through the very same per-criterion check the YAML loader uses
(`rubrics.sheet_checks.builders`); every bad cell is reported at once, as
`Phiếu!E14: tiêu chí 1.2, tử số 45 lớn hơn mẫu số 40`.

Only values count: a reader gives each cell's value (a formula's last result), never its
formatting; the computed-points column is never read (the engine scores the answers).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from domain.answers import SheetAnswers
from domain.rubric import KIND_FIELDS, Criterion, Kind, Rubric
from rubrics.sheet_checks import builders
from rubrics.sheet_loader import LoadedSheet
from rubrics.sheet_values import BadAnswer
from rubrics.source import DataFileError
from workbooks import layout as L
from workbooks.guard import WorkbookRefused, inspect

Fingerprint = Callable[[Rubric], str]
RubricFor = Callable[[str], Rubric]


@dataclass(frozen=True)
class CellProblem:
    cell: str  # `Phiếu!E14`
    criterion: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: tiêu chí {self.criterion}, {self.message}" if self.criterion else f"{self.cell}: {self.message}"


class WorkbookProblems(DataFileError):
    """Bad cells of a workbook that is ours: all of them, one per line."""

    def __init__(self, path: str, problems: list[CellProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(path, f"{len(problems)} ô không hợp lệ, sửa rồi nộp lại:\n{lines}")


@dataclass(frozen=True)
class Marker:
    rubric_id: str
    fingerprint: str
    group: str
    cycle_id: str
    unit_code: str
    rows: tuple[tuple[str, str, int], ...]  # (kind, id, 0-based row)


@dataclass(frozen=True)
class ReadWorkbook:
    loaded: LoadedSheet  # the same result a YAML sheet file gives
    marker: Marker
    problems: tuple[CellProblem, ...] = field(default=())


def read_workbook(data: bytes, path: str, rubric_for: RubricFor, fingerprint: Fingerprint,
                  expect_rubric: str | None = None) -> ReadWorkbook:
    """Raise `WorkbookRefused` (not ours, hostile, changed layout) or `WorkbookProblems`
    (every bad cell), else the checked answers."""
    inspect(data, path)
    from python_calamine import CalamineError, CalamineWorkbook  # lazily: only a workbook pays for it

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        if L.META not in names or L.MAIN not in names:
            raise WorkbookRefused(path, "không phải mẫu phiếu của dtiflow (không có trang đánh dấu của mẫu): "
                                        "tải mẫu bằng 'dtiflow sheet template' và nhập số liệu vào mẫu đó")
        meta = book.get_sheet_by_name(L.META).to_python(skip_empty_area=False, nrows=2000)
        marker = _marker(meta, path)
        rubric = _rubric(marker, path, rubric_for, fingerprint, expect_rubric)
        last = max(r for _, _, r in marker.rows)
        sheet = book.get_sheet_by_name(L.MAIN)
        cells = sheet.to_python(skip_empty_area=False, nrows=last + 1)
        merged = sheet.merged_cell_ranges or []
    except (CalamineError, ValueError, OSError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise WorkbookRefused(path, f"tệp .xlsx bị hỏng, không đọc được ({type(exc).__name__}: {exc})") from None
    _check_layout(cells, marker, rubric, path)
    return _answers(cells, merged, marker, rubric, path)


# --- the marker ------------------------------------------------------------------------------

def _marker(meta: list[list[Any]], path: str) -> Marker:
    kv: dict[str, str] = {}
    rows: list[tuple[str, str, int]] = []
    for line in meta:
        if not line or not isinstance(line[0], str) or not line[0]:
            continue
        key = line[0]
        value = line[1] if len(line) > 1 else ""
        if key.startswith("row:"):
            try:
                rows.append((key[4:], str(value), int(line[2]) - 1))
            except (IndexError, TypeError, ValueError):
                raise WorkbookRefused(path, "trang đánh dấu của mẫu bị sửa: tải mẫu mới") from None
        else:
            kv[key] = value if isinstance(value, str) else str(value)
    if kv.get("format") != L.FORMAT:
        raise WorkbookRefused(path, "không phải mẫu phiếu của dtiflow: tải mẫu bằng 'dtiflow sheet template'")
    if kv.get("template_version") != str(L.TEMPLATE_VERSION):
        raise WorkbookRefused(path, f"mẫu phiếu phiên bản {kv.get('template_version')!r}, bản này đọc phiên bản "
                                    f"{L.TEMPLATE_VERSION}: tải mẫu mới và nhập lại")
    if not rows or not kv.get("rubric_id"):
        raise WorkbookRefused(path, "trang đánh dấu của mẫu bị sửa: tải mẫu mới")
    return Marker(kv["rubric_id"], kv.get("rubric_fingerprint", ""), kv.get("group", ""), kv.get("cycle_id", ""),
                  kv.get("unit_code", ""), tuple(rows))


def _rubric(marker: Marker, path: str, rubric_for: RubricFor, fingerprint: Fingerprint,
            expect: str | None) -> Rubric:
    if expect is not None and marker.rubric_id != expect:
        raise WorkbookRefused(path, f"đây là mẫu của phiếu chấm '{marker.rubric_id}', cần mẫu của phiếu chấm "
                                    f"'{expect}': tải đúng mẫu")
    try:
        rubric = rubric_for(marker.rubric_id)
    except (DataFileError, LookupError) as exc:
        raise WorkbookRefused(path, f"mẫu của phiếu chấm '{marker.rubric_id}' không dùng được: {exc}") from None
    current = fingerprint(rubric)
    if marker.fingerprint != current:
        raise WorkbookRefused(path, f"mẫu được tạo từ một phiên bản khác của phiếu chấm '{rubric.id}' "
                                    f"({marker.fingerprint or 'không rõ'}, hiện hành: {current}): tải mẫu mới và nhập lại")
    return rubric


def _cell(cells: list[list[Any]], row: int, col: int) -> Any:
    if row < len(cells):
        line = cells[row]
        if col < len(line):
            return line[col]
    return ""


def _check_layout(cells: list[list[Any]], marker: Marker, rubric: Rubric, path: str) -> None:
    for col, head in enumerate(L.HEADERS):
        got = _cell(cells, L.HEADER_ROW, col)
        if str(got).strip() != head:
            raise WorkbookRefused(path, f"cột của mẫu đã bị di chuyển hoặc đổi tên: ô {L.MAIN}!{L.cell_name(L.HEADER_ROW, col)} "
                                        f"phải là «{head}», đang là «{got}»: tải mẫu mới và nhập lại")
    expected = L.rows_of(rubric)
    if [(r.kind, r.id, r.row) for r in expected] != list(marker.rows):
        raise WorkbookRefused(path, "trang đánh dấu không khớp với phiếu chấm: tải mẫu mới")
    for r in expected:
        if r.kind == "criterion":
            col, want = L.COL_ID, r.id
        elif r.kind == "section":
            col, want = L.COL_TEXT, rubric.section(r.id).title
        else:
            col, want = L.COL_TEXT, L.TOTAL_LABEL
        got = _cell(cells, r.row, col)
        if _text(got) != want:
            what = f"tiêu chí {want}" if r.kind == "criterion" else f"«{want}»"
            raise WorkbookRefused(path, f"dòng của mẫu đã bị xóa, chèn hoặc di chuyển: ô {L.MAIN}!{L.cell_name(r.row, col)} "
                                        f"phải là {what}, đang là «{got}»: tải mẫu mới và nhập lại")


def _text(v: Any) -> str:
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return str(v).strip()


# --- values ----------------------------------------------------------------------------------

_VI_DECIMAL = re.compile(r"\d+,\d+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _number(v: Any) -> Any:
    """A cell's number as the YAML loader would get it (int where whole); text that is plainly a
    number (typed into a text cell, `2,5` with the Vietnamese decimal comma) becomes one; any
    other value goes on unchanged, for the check to name."""
    t = type(v)
    if t is float:
        return int(v) if v.is_integer() and abs(v) < 1e15 else v
    if t is int or t is bool:
        return v
    if t is str:
        s = v.strip().replace("\u00a0", "")
        if s.isdigit():
            return int(s)
        if _VI_DECIMAL.fullmatch(s):
            return float(s.replace(",", "."))
        return s
    return v


def _date(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, float) and 1 <= v < 200_000 and v.is_integer():  # a date serial in a number cell
        return _EXCEL_EPOCH + dt.timedelta(days=int(v))
    if isinstance(v, str):
        return v.strip()
    return v


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


class _RowProblem(Exception):
    def __init__(self, col: int, message: str) -> None:
        self.col, self.message = col, message


def _yes(v: Any) -> bool:
    if v is True or v is False:
        return v
    s = str(v).strip().casefold()
    if s == L.YES.casefold():
        return True
    if s == L.NO.casefold():
        return False
    raise _RowProblem(L.COL_A, f"chọn «{L.YES}» hoặc «{L.NO}», đang là «{v}»")


def _choice(c: Criterion, v: Any) -> str:
    s = str(v).strip()
    for o in c.options:
        if s.casefold() in (o.text.strip().casefold(), o.key.casefold()):
            return o.key
    raise _RowProblem(L.COL_A, f"phương án «{v}» không có trong danh sách ({'; '.join(o.text for o in c.options)})")


def _flags(c: Criterion, v: Any) -> dict[str, bool]:
    s = str(v).strip().casefold()
    for r in c.rules:
        if s == L.FLAG_LABELS[r.flag].casefold():
            return {r.flag: True}
    labels = " hoặc ".join(f"«{L.FLAG_LABELS[r.flag]}»" for r in c.rules)
    raise _RowProblem(L.COL_FLAG, f"chọn {labels} hoặc để trống, đang là «{v}»")


def _raw(c: Criterion, line: list[Any]) -> dict[str, Any] | None:
    """The row's input cells as the plain answer of a YAML sheet; None when the row is blank."""
    def get(col: int) -> Any:
        return line[col] if col < len(line) else ""

    a, b = get(L.COL_A), get(L.COL_B)
    flag, ev, sp = get(L.COL_FLAG) if c.rules else "", get(L.COL_EVIDENCE), get(L.COL_SELF)
    k = c.kind
    two = k is Kind.RATIO or k is Kind.DOCUMENT
    if _blank(a) and (not two or _blank(b)) and _blank(flag) and _blank(ev) and _blank(sp):
        return None
    raw: dict[str, Any] = {}
    if k is Kind.RATIO:
        if not _blank(a):
            raw["numerator"] = _number(a)
        if not _blank(b):
            raw["denominator"] = _number(b)
    elif k is Kind.DOCUMENT:
        if not (_blank(a) and _blank(b)):
            raw["document"] = {"number": _text(a) if not _blank(a) else None, "date": None if _blank(b) else _date(b)}
    elif not _blank(a):
        if k is Kind.YES_NO:
            raw["yes"] = _yes(a)
        elif k is Kind.CHOICE:
            raw["choice"] = _choice(c, a)
        else:
            raw[KIND_FIELDS[k][0]] = _number(a)  # count, points
    if not _blank(flag):
        raw.update(_flags(c, flag))
    if not _blank(ev):
        items = [x.strip() for x in _text(ev).splitlines()]
        raw["evidence"] = [x for x in items if x]
    if not _blank(sp):
        raw["self_points"] = _number(sp)
    return raw


def _message(c: Criterion, exc: BadAnswer) -> str:
    if exc.message.startswith("thiếu trường") and exc.field:
        return f"thiếu {L.FIELD_NAMES.get(exc.field, exc.field)}"
    name = L.FIELD_NAMES.get(exc.field or "")
    if name and not exc.message.startswith(("tử số", "mẫu số", "thiếu", "phương án", "tiêu chí", "ngày", "văn bản")):
        return f"{name}: {exc.message}"
    return exc.message


def _answers(cells: list[list[Any]], merged, marker: Marker, rubric: Rubric, path: str) -> ReadWorkbook:
    problems: list[CellProblem] = []
    unit = cells[L.UNIT_ROW][L.UNIT_COL] if L.UNIT_ROW < len(cells) and L.UNIT_COL < len(cells[L.UNIT_ROW]) else ""
    unit = _text(unit) if not _blank(unit) else ""
    if not unit:
        problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(L.UNIT_ROW, L.UNIT_COL)}", None, "thiếu tên đơn vị"))
    problems += _merged_inputs(merged, marker, rubric)
    build = builders(rubric)
    answers = {}
    for kind, cid, row in marker.rows:
        if kind != "criterion":
            continue
        c = rubric.criterion(cid)
        line = cells[row] if row < len(cells) else []
        try:
            raw = _raw(c, line)
        except _RowProblem as p:
            problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(row, p.col)}", cid, p.message))
            continue
        if raw is None:
            continue
        try:
            answers[cid] = build[cid](cid, raw)
        except BadAnswer as exc:
            col = L.column_of(c.kind, exc.field)
            problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(row, col)}", cid, _message(c, exc)))
    if problems:
        raise WorkbookProblems(path, problems)
    sheet = SheetAnswers(unit, marker.group, rubric.id, answers)
    return ReadWorkbook(LoadedSheet(sheet, None, path), marker)


def _merged_inputs(merged, marker: Marker, rubric: Rubric) -> list[CellProblem]:
    """A merge over input cells hides every value but the first: say so at the merged cells."""
    if not merged:
        return []
    inputs: dict[tuple[int, int], str] = {}
    for kind, cid, row in marker.rows:
        if kind == "criterion":
            for col in L.inputs_of(rubric.criterion(cid)):
                inputs[(row, col)] = cid
    out = []
    for (r1, c1), (r2, c2) in merged:
        hit = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) in inputs]
        if hit:
            span = f"{L.cell_name(r1, c1)}:{L.cell_name(r2, c2)}"
            out.append(CellProblem(f"{L.MAIN}!{span}", inputs[hit[0]],
                                   "ô nhập bị gộp (merge): bỏ gộp ô và nhập từng số liệu vào ô của nó"))
    return out
