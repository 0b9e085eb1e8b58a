"""A unit's score sheet as an Excel workbook, generated from the rubric file (never hand-made).

One row per section and criterion in the decision's numbering and wording; each criterion's
maximum and rule in Vietnamese; input cells unlocked (yellow) and every other cell protected;
data validation on every input (drop-downs for yes/no, options and flags, numbers within range,
dates as dates); the points as formulas that agree with the engine (`workbooks.formulas`); A4
landscape with the header row repeated on every page; and the marker (`workbooks.layout`) that
lets the reader recognise it. With a unit's answers it is filled in, and each formula carries
the engine's points as its cached value (what a reader shows before recalculating).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from domain.answers import Answer, SheetAnswers
from domain.rubric import Criterion, Kind, Rubric
from domain.scoring import score_sheet
from domain.scoring_text import num
from workbooks import layout as L
from workbooks.formulas import criterion_formula, sum_formula
from workbooks.rule_text import help_text, rule_text

MAX_TEXT = 2000  # evidence and document numbers: what a cell of the form may hold


@dataclass(frozen=True)
class TemplateRequest:
    rubric: Rubric
    fingerprint: str  # the rubric's content digest (the reader refuses another)
    group: str  # the regime's group id the sheet is for
    group_name: str = ""
    unit_name: str = ""  # filled in, or left for the unit to type
    unit_code: str = ""
    cycle_id: str = ""
    answers: SheetAnswers | None = None  # the unit's current answers, filled in


def section_label(section_id: str) -> str:
    """The decision's number of a section (`I`, `II.1`), or nothing where the id is a name of
    ours (`readiness.infrastructure`): only the decision's numbering is printed."""
    return "" if any(ch.islower() for ch in section_id) else section_id


def build_template(req: TemplateRequest) -> bytes:
    import xlsxwriter  # lazily: `dtiflow --help` must not pay for it

    rubric = req.rubric
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": rubric.title, "subject": f"Phiếu đánh giá — {rubric.id}", "author": "dtiflow",
                       "comments": f"{L.FORMAT} v{L.TEMPLATE_VERSION}; {rubric.id}@{req.fingerprint}"})
    wb.set_custom_property("dtiflow_format", L.FORMAT)
    wb.set_custom_property("dtiflow_template_version", str(L.TEMPLATE_VERSION))
    wb.set_custom_property("dtiflow_rubric", rubric.id)
    wb.set_custom_property("dtiflow_rubric_fingerprint", req.fingerprint)
    f = _Formats(wb)
    ws = wb.add_worksheet(L.MAIN)
    lists = wb.add_worksheet(L.LISTS)
    meta = wb.add_worksheet(L.META)

    rows = L.rows_of(rubric)
    choice_ranges = _write_lists(lists, rubric, f)
    points = _engine_points(req)
    _write_header(ws, req, f)
    crit_rows: dict[str, int] = {}
    for r in rows:
        if r.kind == "criterion":
            crit_rows[r.id] = r.row
    for r in rows:
        if r.kind == "section":
            s = rubric.section(r.id)
            member_rows = [crit_rows[c] for c in s.criterion_ids]
            ws.write_string(r.row, L.COL_ID, section_label(s.id), f.section)
            ws.write_string(r.row, L.COL_TEXT, s.title, f.section)
            _write_max(ws, r.row, s.max, f.section_num)
            for col in range(L.COL_RULE, L.COL_HELP + 1):
                ws.write_blank(r.row, col, None, f.section)
            ws.write_formula(r.row, L.COL_POINTS, sum_formula(member_rows, L.COL_POINTS), f.section_num,
                             _cached(sum(points.get(c, 0.0) for c in s.criterion_ids)))
            ws.write_string(r.row, L.COL_HELP, s.note, f.section)
            ws.set_row(r.row, row_height({L.COL_TEXT: s.title, L.COL_HELP: s.note}))
        elif r.kind == "criterion":
            c = rubric.criterion(r.id)
            _write_criterion(ws, r.row, c, req.answers.answer(c.id) if req.answers else None,
                             choice_ranges.get(c.id), points.get(c.id, 0.0), f)
        else:
            ws.write_string(r.row, L.COL_ID, "", f.total)
            ws.write_string(r.row, L.COL_TEXT, L.TOTAL_LABEL, f.total)
            _write_max(ws, r.row, rubric.max, f.total_num)
            for col in range(L.COL_RULE, L.COL_HELP + 1):
                ws.write_blank(r.row, col, None, f.total)
            ws.write_formula(r.row, L.COL_POINTS, sum_formula(list(crit_rows.values()), L.COL_POINTS), f.total_num,
                             _cached(sum(points.values())))
    _finish_sheet(ws, rows)
    _write_meta(meta, req, rows)
    lists.hide()
    lists.protect()
    meta.very_hidden()
    meta.protect()
    ws.activate()
    wb.close()
    return buf.getvalue()


class _Formats:
    def __init__(self, wb) -> None:
        base = {"font_name": "Times New Roman", "font_size": 11, "text_wrap": True, "valign": "top", "border": 1}
        self.title = wb.add_format({"font_name": "Times New Roman", "bold": True, "font_size": 14, "align": "center",
                                    "valign": "vcenter", "text_wrap": True})
        self.subtitle = wb.add_format({"font_name": "Times New Roman", "italic": True, "align": "center",
                                       "text_wrap": True})
        self.label = wb.add_format({"font_name": "Times New Roman", "bold": True})
        self.plain = wb.add_format({"font_name": "Times New Roman"})
        self.unit = wb.add_format({"font_name": "Times New Roman", "locked": False, "bg_color": "#FFF2CC",
                                   "border": 1})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"})
        self.text = wb.add_format(base)
        self.num = wb.add_format({**base, "num_format": "#,##0.00"})
        self.section = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.section_num = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0.00"})
        self.total = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2"})
        self.total_num = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "num_format": "#,##0.00"})
        inp = {**base, "locked": False, "bg_color": "#FFF2CC"}
        self.input = wb.add_format(inp)
        self.input_num = wb.add_format({**inp, "num_format": "General"})
        self.input_int = wb.add_format({**inp, "num_format": "0"})
        self.input_date = wb.add_format({**inp, "num_format": "dd/mm/yyyy"})
        self.input_text = wb.add_format({**inp, "num_format": "@"})
        self.idle = wb.add_format({**base, "bg_color": "#BFBFBF"})  # a cell this criterion does not read


def _cached(x: float) -> float:
    return round(x, 6)


def _engine_points(req: TemplateRequest) -> dict[str, float]:
    if req.answers is None:
        return {}
    scored = score_sheet(req.rubric, req.answers)
    return {c.criterion_id: c.points for c in scored.criteria}


def _write_max(ws, row: int, mx: float | None, fmt) -> None:
    if mx is None:
        ws.write_string(row, L.COL_MAX, "—", fmt)
    else:
        ws.write_number(row, L.COL_MAX, mx, fmt)


def _write_header(ws, req: TemplateRequest, f: _Formats) -> None:
    rubric = req.rubric
    last = len(L.HEADERS) - 1
    ws.merge_range(0, 0, 0, last, rubric.title, f.title)
    ws.set_row(0, 36)
    ws.merge_range(1, 0, 1, last, rubric.source, f.subtitle)
    ws.write_string(L.UNIT_ROW, 0, "Đơn vị:", f.label)
    ws.write_string(L.UNIT_ROW, L.UNIT_COL, req.unit_name, f.unit)
    ws.data_validation(L.UNIT_ROW, L.UNIT_COL, L.UNIT_ROW, L.UNIT_COL, {
        "validate": "length", "criteria": "between", "minimum": 1, "maximum": 200,
        "input_title": "Tên đơn vị", "input_message": "Ghi tên đơn vị như trong danh sách của kỳ đánh giá.",
        "error_title": "Tên đơn vị", "error_message": "Tên đơn vị từ 1 đến 200 ký tự."})
    ws.write_string(L.UNIT_ROW, 3, "Mã phiếu chấm:", f.label)
    ws.write_string(L.UNIT_ROW, 4, rubric.id, f.plain)
    ws.write_string(L.UNIT_ROW + 1, 0, "Nhóm:", f.label)
    ws.write_string(L.UNIT_ROW + 1, 2, req.group_name or req.group, f.plain)
    if req.cycle_id:
        ws.write_string(L.UNIT_ROW + 1, 3, "Kỳ đánh giá:", f.label)
        ws.write_string(L.UNIT_ROW + 1, 4, req.cycle_id, f.plain)
    ws.merge_range(L.UNIT_ROW + 2, 0, L.UNIT_ROW + 2, last,
                   "Nhập số liệu vào các ô nền vàng; các ô khác được khóa. Cột «Điểm tính» tính theo quy định "
                   "của phiếu chấm; điểm chính thức do hệ thống tính lại khi nộp phiếu.", f.subtitle)
    for col, (head, width) in enumerate(zip(L.HEADERS, L.WIDTHS)):
        ws.write_string(L.HEADER_ROW, col, head, f.head)
        ws.set_column(col, col, width)
    ws.set_row(L.HEADER_ROW, 45)


def _write_lists(lists, rubric: Rubric, f: _Formats) -> dict[str, str]:
    """Each choice criterion's options (text, points) in the lists sheet; criterion id -> the
    absolute range (texts, points) its formula looks up; the drop-down reads the texts column."""
    lists.write_string(0, 0, "Phương án", f.label)
    lists.write_string(0, 1, "Điểm", f.label)
    lists.write_string(0, 2, "Tiêu chí", f.label)
    lists.set_column(0, 0, 60)
    out: dict[str, str] = {}
    row = 1
    for c in rubric.criteria:
        if c.kind is not Kind.CHOICE:
            continue
        first = row
        for o in c.options:
            lists.write_string(row, 0, o.text)
            lists.write_number(row, 1, c.max * o.share)
            lists.write_string(row, 2, c.id)
            row += 1
        out[c.id] = f"'{L.LISTS}'!$A${first + 1}:$B${row}"
    return out


def row_height(texts: dict[int, str]) -> float:
    """Points of height for wrapped texts in the given columns: spreadsheet writers do not
    measure text, and a row left at one line prints its texts cut off."""
    lines = 1
    for col, text in texts.items():
        per_line = max(int(L.WIDTHS[col] * 1.35), 1)
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return min(15.0 * lines + 2, 409.0)  # Excel's largest row height


def _write_criterion(ws, row: int, c: Criterion, a: Answer | None, choice_range: str | None, points: float,
                     f: _Formats) -> None:
    label = c.id
    text = f"{c.heading}: {c.text}" if c.heading else c.text
    rule, help_ = rule_text(c), help_text(c) + (f"\nGhi chú: {c.note}" if c.note else "")
    ws.write_string(row, L.COL_ID, label, f.text)
    ws.write_string(row, L.COL_TEXT, text, f.text)
    _write_max(ws, row, c.max, f.num)
    ws.write_string(row, L.COL_RULE, rule, f.text)
    ws.write_string(row, L.COL_HELP, help_, f.text)
    ws.set_row(row, row_height({L.COL_TEXT: text, L.COL_RULE: rule, L.COL_HELP: help_}))
    cols = L.FIELD_COLUMNS[c.kind]
    for col in (L.COL_A, L.COL_B, L.COL_FLAG):
        if col not in cols.values() and not (col == L.COL_FLAG and c.rules):
            ws.write_blank(row, col, None, f.idle)
    _write_inputs(ws, row, c, a, choice_range, f)
    ws.write_formula(row, L.COL_POINTS, criterion_formula(c, row, choice_range), f.num, _cached(points))




def _validate(ws, row: int, col: int, options: dict) -> None:
    ws.data_validation(row, col, row, col, {"error_type": "stop", **options})


def _write_inputs(ws, row: int, c: Criterion, a: Answer | None, choice_range: str | None, f: _Formats) -> None:
    k = c.kind
    A, B = L.COL_A, L.COL_B
    mx = c.max
    if k is Kind.YES_NO:
        _text_or_blank(ws, row, A, None if a is None or a.yes is None else (L.YES if a.yes else L.NO), f.input)
        _validate(ws, row, A, {"validate": "list", "source": [L.YES, L.NO], "input_title": "Có/Không",
                               "input_message": f"Chọn {L.YES} hoặc {L.NO}.", "error_title": "Có/Không",
                               "error_message": f"Chỉ chọn {L.YES} hoặc {L.NO}."})
    elif k is Kind.DOCUMENT:
        doc = a.document if a is not None else None
        _text_or_blank(ws, row, A, doc.number if doc else None, f.input_text)
        if doc:
            ws.write_datetime(row, B, dt.datetime.combine(doc.date, dt.time()), f.input_date)
        else:
            ws.write_blank(row, B, None, f.input_date)
        _validate(ws, row, A, {"validate": "length", "criteria": "between", "minimum": 1, "maximum": 100,
                               "input_title": "Số văn bản", "input_message": "Ví dụ: 45/QĐ-STP",
                               "error_title": "Số văn bản", "error_message": "Số văn bản từ 1 đến 100 ký tự."})
        _validate(ws, row, B, {"validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1),
                               "maximum": dt.date(2100, 12, 31), "input_title": "Ngày ban hành",
                               "input_message": "Ngày ban hành văn bản, dd/mm/yyyy.",
                               "error_title": "Ngày ban hành", "error_message": "Ghi một ngày hợp lệ (dd/mm/yyyy)."})
    elif k is Kind.RATIO:
        _number_or_blank(ws, row, A, a.numerator if a else None, f.input_num)
        _number_or_blank(ws, row, B, a.denominator if a else None, f.input_num)
        num_rule = {"validate": "decimal", "criteria": ">=", "value": 0} if c.numerator_may_exceed else \
            {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": f"={L.cell_name(row, B)}"}
        _validate(ws, row, A, {**num_rule, "input_title": "Tử số",
                               "input_message": (c.numerator_label or "Tử số")[:250],
                               "error_title": "Tử số", "error_message":
                                   "Tử số là số không âm" + ("." if c.numerator_may_exceed else ", không lớn hơn mẫu số.")})
        _validate(ws, row, B, {"validate": "decimal", "criteria": ">", "value": 0, "input_title": "Mẫu số",
                               "input_message": (c.denominator_label or "Mẫu số")[:250], "error_title": "Mẫu số",
                               "error_message": "Mẫu số là số lớn hơn 0."})
    elif k is Kind.COUNT:
        _number_or_blank(ws, row, A, a.count if a else None, f.input_int)
        _validate(ws, row, A, {"validate": "integer", "criteria": ">=", "value": 0, "input_title": "Số lượng",
                               "input_message": "Số nguyên, không âm.", "error_title": "Số lượng",
                               "error_message": "Ghi một số nguyên không âm."})
    elif k is Kind.CHOICE:
        option = c.option(a.choice) if a is not None and a.choice else None
        _text_or_blank(ws, row, A, option.text if option else None, f.input)
        texts = choice_range.replace(":$B$", ":$A$")  # 'Danh mục'!$A$2:$B$4 -> 'Danh mục'!$A$2:$A$4
        _validate(ws, row, A, {"validate": "list", "source": "=" + texts,
                               "input_title": "Phương án", "input_message": "Chọn một phương án trong danh sách.",
                               "error_title": "Phương án", "error_message": "Chỉ chọn phương án trong danh sách."})
    else:
        _number_or_blank(ws, row, A, a.points if a else None, f.input_num)
        rule = {"validate": "decimal", "criteria": ">=", "value": 0} if mx is None else \
            {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": mx}
        _validate(ws, row, A, {**rule, "input_title": "Điểm", "input_message":
                               "Điểm không âm" + (f", tối đa {num(mx)}." if mx is not None else "."),
                               "error_title": "Điểm", "error_message":
                                   "Điểm không âm" + (f", không vượt {num(mx)}." if mx is not None else ".")})
    if c.rules:
        flag = None
        if a is not None:
            flag = next((L.FLAG_LABELS[r.flag] for r in c.rules if getattr(a, r.flag)), None)
        _text_or_blank(ws, row, L.COL_FLAG, flag, f.input)
        labels = [L.FLAG_LABELS[r.flag] for r in c.rules]
        _validate(ws, row, L.COL_FLAG, {"validate": "list", "source": labels, "input_title": "Trường hợp riêng",
                                        "input_message": "Chỉ chọn nếu đúng với đơn vị; để trống nếu không.",
                                        "error_title": "Trường hợp riêng",
                                        "error_message": "Chọn trong danh sách hoặc để trống."})
    _text_or_blank(ws, row, L.COL_EVIDENCE, "\n".join(a.evidence) if a is not None and a.evidence else None,
                   f.input_text)
    _validate(ws, row, L.COL_EVIDENCE, {"validate": "length", "criteria": "<=", "value": MAX_TEXT,
                                        "input_title": "Tài liệu chứng minh",
                                        "input_message": "Mỗi dòng một tài liệu (Alt+Enter để xuống dòng).",
                                        "error_title": "Tài liệu chứng minh",
                                        "error_message": f"Tối đa {MAX_TEXT} ký tự."})
    _number_or_blank(ws, row, L.COL_SELF, a.self_points if a is not None else None, f.input_num)
    rule = {"validate": "decimal", "criteria": ">=", "value": 0} if mx is None else \
        {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": mx}
    _validate(ws, row, L.COL_SELF, {**rule, "input_title": "Điểm tự chấm", "input_message":
                                    "Điểm đơn vị tự chấm" + (f", từ 0 đến {num(mx)}." if mx is not None else "."),
                                    "error_title": "Điểm tự chấm", "error_message":
                                        "Điểm không âm" + (f", không vượt {num(mx)}." if mx is not None else ".")})


def _text_or_blank(ws, row: int, col: int, value: str | None, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_string(row, col, value, fmt)


def _number_or_blank(ws, row: int, col: int, value: float | None, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _finish_sheet(ws, rows) -> None:
    last_row = rows[-1].row
    ws.freeze_panes(L.FIRST_ROW, 2)
    ws.set_paper(9)  # A4
    ws.set_landscape()  # eleven columns: wider than a portrait page
    ws.repeat_rows(L.HEADER_ROW)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")
    ws.print_area(0, 0, last_row, len(L.HEADERS) - 1)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                    "format_rows": True})


def _write_meta(meta, req: TemplateRequest, rows) -> None:
    entries = [
        ("format", L.FORMAT),
        ("template_version", str(L.TEMPLATE_VERSION)),
        ("rubric_id", req.rubric.id),
        ("rubric_fingerprint", req.fingerprint),
        ("group", req.group),
        ("cycle_id", req.cycle_id),
        ("unit_code", req.unit_code),
        ("main_sheet", L.MAIN),
        ("header_row", str(L.HEADER_ROW + 1)),
        ("headers", "|".join(L.HEADERS)),
    ]
    for i, (k, v) in enumerate(entries):
        meta.write_string(i, 0, k)
        meta.write_string(i, 1, v)
    base = len(entries)
    for i, r in enumerate(rows):
        meta.write_string(base + i, 0, f"row:{r.kind}")
        meta.write_string(base + i, 1, r.id)
        meta.write_number(base + i, 2, r.row + 1)
