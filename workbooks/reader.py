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
import weakref
from dataclasses import dataclass
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
    except (CalamineError, ValueError, OSError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise WorkbookRefused(path, f"tệp .xlsx bị hỏng, không đọc được ({type(exc).__name__}: {exc})") from None
    plan = _plan(rubric)
    _check_layout(cells, marker, plan, path)
    # Merged ranges cost calamine a second look at the sheet (~1 ms): asked for only when a row
    # has problems they may explain (a merge keeps the first cell's value and empties the others).
    return _answers(cells, lambda: sheet.merged_cell_ranges or [], marker, rubric, plan, path)


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
    current = _fingerprint(rubric, fingerprint)
    if marker.fingerprint != current:
        raise WorkbookRefused(path, f"mẫu được tạo từ một phiên bản khác của phiếu chấm '{rubric.id}' "
                                    f"({marker.fingerprint or 'không rõ'}, hiện hành: {current}): tải mẫu mới và nhập lại")
    return rubric


_FINGERPRINTS: "weakref.WeakKeyDictionary[Rubric, dict[Fingerprint, str]]" = weakref.WeakKeyDictionary()


def _fingerprint(rubric: Rubric, fingerprint: Fingerprint) -> str:
    """A rubric's digest, once per rubric (it encodes the whole rubric)."""
    known = _FINGERPRINTS.setdefault(rubric, {})
    if fingerprint not in known:
        known[fingerprint] = fingerprint(rubric)
    return known[fingerprint]


def _cell(cells: list[list[Any]], row: int, col: int) -> Any:
    if row < len(cells):
        line = cells[row]
        if col < len(line):
            return line[col]
    return ""


@dataclass(frozen=True)
class _Plan:
    """What reading a rubric's workbook needs, worked out once per rubric."""

    layout: tuple[tuple[str, str, int], ...]  # the marker's rows, as they must be
    labels: tuple[tuple[int, int, str, str], ...]  # (row, col, text, what) each row must show
    criteria: tuple[tuple[str, int, Criterion, Callable], ...]  # (id, row, criterion, check)
    inputs: dict[tuple[int, int], str]  # input cell -> criterion id


_PLANS: "weakref.WeakKeyDictionary[Rubric, _Plan]" = weakref.WeakKeyDictionary()


def _plan(rubric: Rubric) -> _Plan:
    plan = _PLANS.get(rubric)
    if plan is None:
        rows = L.rows_of(rubric)
        labels, criteria, inputs = [], [], {}
        build = builders(rubric)
        for r in rows:
            if r.kind == "criterion":
                c = rubric.criterion(r.id)
                labels.append((r.row, L.COL_ID, r.id, f"tiêu chí {r.id}"))
                criteria.append((r.id, r.row, c, build[r.id]))
                inputs.update({(r.row, col): r.id for col in L.inputs_of(c)})
            else:
                text = rubric.section(r.id).title if r.kind == "section" else L.TOTAL_LABEL
                labels.append((r.row, L.COL_TEXT, text, f"«{text}»"))
        plan = _PLANS[rubric] = _Plan(tuple((r.kind, r.id, r.row) for r in rows), tuple(labels), tuple(criteria),
                                      inputs)
    return plan


def _check_layout(cells: list[list[Any]], marker: Marker, plan: _Plan, path: str) -> None:
    for col, head in enumerate(L.HEADERS):
        got = _cell(cells, L.HEADER_ROW, col)
        if got != head and str(got).strip() != head:
            raise WorkbookRefused(path, f"cột của mẫu đã bị di chuyển hoặc đổi tên: ô {L.MAIN}!{L.cell_name(L.HEADER_ROW, col)} "
                                        f"phải là «{head}», đang là «{got}»: tải mẫu mới và nhập lại")
    if marker.rows != plan.layout:
        raise WorkbookRefused(path, "trang đánh dấu không khớp với phiếu chấm: tải mẫu mới")
    for row, col, want, what in plan.labels:
        got = _cell(cells, row, col)
        if got != want and _text(got) != want:
            raise WorkbookRefused(path, f"dòng của mẫu đã bị xóa, chèn hoặc di chuyển: ô {L.MAIN}!{L.cell_name(row, col)} "
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
    return v is None or v == "" or (type(v) is str and not v.strip())


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
    a, b, flag, ev, sp = line[L.COL_A], line[L.COL_B], line[L.COL_FLAG], line[L.COL_EVIDENCE], line[L.COL_SELF]
    k = c.kind
    if not c.rules:
        flag = ""
    if k is not Kind.RATIO and k is not Kind.DOCUMENT:
        b = ""
    # Most cells are empty ("") or plain numbers: each cell is tested for blankness once.
    ea = a == "" or _blank(a)
    eb = b == "" or _blank(b)
    ef = flag == "" or _blank(flag)
    ee = ev == "" or _blank(ev)
    es = sp == "" or _blank(sp)
    if ea and eb and ef and ee and es:
        return None
    raw: dict[str, Any] = {}
    if k is Kind.RATIO:
        if not ea:
            raw["numerator"] = _number(a)
        if not eb:
            raw["denominator"] = _number(b)
    elif k is Kind.DOCUMENT:
        if not (ea and eb):
            raw["document"] = {"number": None if ea else _text(a), "date": None if eb else _date(b)}
    elif not ea:
        if k is Kind.YES_NO:
            raw["yes"] = _yes(a)
        elif k is Kind.CHOICE:
            raw["choice"] = _choice(c, a)
        else:
            raw[KIND_FIELDS[k][0]] = _number(a)  # count, points
    if not ef:
        raw.update(_flags(c, flag))
    if not ee:
        items = [x.strip() for x in _text(ev).splitlines()]
        raw["evidence"] = [x for x in items if x]
    if not es:
        raw["self_points"] = _number(sp)
    return raw


def _message(c: Criterion, exc: BadAnswer) -> str:
    if exc.message.startswith("thiếu trường") and exc.field:
        return f"thiếu {L.FIELD_NAMES.get(exc.field, exc.field)}"
    name = L.FIELD_NAMES.get(exc.field or "")
    if name and not exc.message.startswith(("tử số", "mẫu số", "thiếu", "phương án", "tiêu chí", "ngày", "văn bản")):
        return f"{name}: {exc.message}"
    return exc.message


def _answers(cells: list[list[Any]], merged: Callable[[], list], marker: Marker, rubric: Rubric, plan: _Plan, path: str) -> ReadWorkbook:
    problems: list[CellProblem] = []
    unit = _cell(cells, L.UNIT_ROW, L.UNIT_COL)
    unit = _text(unit) if not _blank(unit) else ""
    if not unit:
        problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(L.UNIT_ROW, L.UNIT_COL)}", None, "thiếu tên đơn vị"))
    answers = {}
    n = len(cells)
    for cid, row, c, build in plan.criteria:
        line = cells[row] if row < n else []
        if len(line) <= L.COL_SELF:
            line = list(line) + [""] * (L.COL_SELF + 1 - len(line))
        try:
            raw = _raw(c, line)
        except _RowProblem as p:
            problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(row, p.col)}", cid, p.message))
            continue
        if raw is None:
            continue
        try:
            answers[cid] = build(cid, raw)
        except BadAnswer as exc:
            col = L.column_of(c.kind, exc.field)
            problems.append(CellProblem(f"{L.MAIN}!{L.cell_name(row, col)}", cid, _message(c, exc)))
    if problems:
        try:
            problems = _merged_inputs(merged(), plan) + problems
        except Exception:  # noqa: BLE001 - the merges only explain problems already found; they stay unnamed
            pass
        raise WorkbookProblems(path, problems)
    sheet = SheetAnswers(unit, marker.group, rubric.id, answers)
    return ReadWorkbook(LoadedSheet(sheet, None, path), marker)


def _merged_inputs(merged, plan: _Plan) -> list[CellProblem]:
    """A merge over input cells hides every value but the first: say so at the merged cells."""
    inputs = plan.inputs
    out = []
    for (r1, c1), (r2, c2) in merged:
        if r2 < L.FIRST_ROW:  # the title rows the template merges itself
            continue
        hit = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) in inputs]
        if hit:
            span = f"{L.cell_name(r1, c1)}:{L.cell_name(r2, c2)}"
            out.append(CellProblem(f"{L.MAIN}!{span}", inputs[hit[0]],
                                   "ô nhập bị gộp (merge): bỏ gộp ô và nhập từng số liệu vào ô của nó"))
    return out
