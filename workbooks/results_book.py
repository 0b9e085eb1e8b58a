"""A cycle's results as a workbook, in the form the decisions publish them: one sheet per group
(STT, unit, total, classification, rank, award, notes), every criterion's self-assessed /
computed / verified points, the units not evaluated with the reason, and the audit log's state.

Numbers are stored as numbers with a number format (`#,##0.00`): Excel and LibreOffice show
them with the reader's decimal separator, the Vietnamese comma on a Vietnamese system
(452,50); text columns already carry the comma (`domain.scoring_text.num`). The input is the
typed view `ResultsBook`, filled by `services.results_view`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

POINTS_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class UnitResult:
    unit_code: str
    unit_name: str
    total: float | None  # None: not evaluated
    classification: str | None
    rank: int | None
    award: str | None
    note: str  # late, the award note, or why not ranked


@dataclass(frozen=True)
class GroupResults:
    id: str
    name: str
    max: float | None
    rows: tuple[UnitResult, ...]  # ranked by rank, then the units not ranked


@dataclass(frozen=True)
class CriterionPoints:
    group: str
    unit_code: str
    unit_name: str
    criterion_id: str
    max: float | None
    self_points: float | None
    computed: float | None
    verified: float | None


@dataclass(frozen=True)
class NotEvaluated:
    unit_code: str
    unit_name: str
    group: str
    reason: str


@dataclass(frozen=True)
class ResultsBook:
    cycle_id: str
    title: str  # the regime's title
    year: int
    state: str
    decision: str | None  # "Quyết định số … ngày dd/mm/yyyy", once approved
    generated_at: str  # local time, dd/mm/yyyy HH:MM
    groups: tuple[GroupResults, ...]
    criteria: tuple[CriterionPoints, ...]
    not_evaluated: tuple[NotEvaluated, ...]
    audit_events: int
    audit_last: str  # "#123 lúc dd/mm/yyyy HH:MM", or ""
    audit_head: str | None  # the audit chain's head hash; None where the chain is not kept
    sandbox: bool = False


def sheet_title(text: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text).strip()[:31] or "Trang"
    name, i = base, 2
    while name.casefold() in taken:
        suffix = f" ({i})"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    taken.add(name.casefold())
    return name


def build_results(book: ResultsBook) -> bytes:
    import xlsxwriter  # lazily: `dtiflow --help` must not pay for it

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": f"Kết quả đánh giá, xếp hạng — {book.title} — năm {book.year}",
                       "subject": book.cycle_id, "author": "dtiflow"})
    f = _Formats(wb)
    taken: set[str] = set()
    _info(wb.add_worksheet(sheet_title("Thông tin", taken)), book, f)
    for g in book.groups:
        _group(wb.add_worksheet(sheet_title(f"Nhóm {g.id}" if len(g.id) <= 6 else g.name, taken)), book, g, f)
    _criteria(wb.add_worksheet(sheet_title("Điểm từng tiêu chí", taken)), book, f)
    _not_evaluated(wb.add_worksheet(sheet_title("Không đánh giá", taken)), book, f)
    wb.close()
    return buf.getvalue()


class _Formats:
    def __init__(self, wb) -> None:
        font = {"font_name": "Times New Roman", "font_size": 12}
        cell = {**font, "border": 1, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**font, "bold": True, "font_size": 14, "align": "center", "text_wrap": True})
        self.subtitle = wb.add_format({**font, "italic": True, "align": "center", "text_wrap": True})
        self.head = wb.add_format({**cell, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#D9E1F2"})
        self.text = wb.add_format(cell)
        self.center = wb.add_format({**cell, "align": "center"})
        self.points = wb.add_format({**cell, "num_format": POINTS_FORMAT})
        self.int = wb.add_format({**cell, "num_format": "0", "align": "center"})
        self.label = wb.add_format({**font, "bold": True})
        self.plain = wb.add_format({**font, "text_wrap": True, "valign": "top"})
        self.warn = wb.add_format({**font, "bold": True, "font_color": "#C00000"})


def _table(ws, first_row: int, headers: tuple[str, ...], widths: tuple[float, ...], f: _Formats,
           landscape: bool) -> None:
    for col, (h, w) in enumerate(zip(headers, widths)):
        ws.write_string(first_row, col, h, f.head)
        ws.set_column(col, col, w)
    ws.set_row(first_row, 32)
    ws.freeze_panes(first_row + 1, 0)
    ws.repeat_rows(first_row)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")


def _title(ws, book: ResultsBook, subtitle: str, width: int, f: _Formats) -> None:
    ws.merge_range(0, 0, 0, width - 1, f"KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM {book.year}", f.title)
    ws.merge_range(1, 0, 1, width - 1, book.title, f.subtitle)
    ws.merge_range(2, 0, 2, width - 1, subtitle, f.subtitle)
    if book.sandbox:
        ws.write_string(3, 0, "BẢN THỬ NGHIỆM — không phải kết quả chính thức", f.warn)


def _opt_number(ws, row: int, col: int, value: float | None, fmt, blank_fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, blank_fmt)
    else:
        ws.write_number(row, col, value, fmt)


GROUP_HEADERS = ("STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng", "Khen thưởng", "Ghi chú")


def _group(ws, book: ResultsBook, g: GroupResults, f: _Formats) -> None:
    _title(ws, book, g.name + (f" (điểm tối đa {g.max:g})".replace(".", ",") if g.max else ""), len(GROUP_HEADERS), f)
    top = 5
    _table(ws, top, GROUP_HEADERS, (6, 42, 12, 14, 10, 22, 40), f, landscape=False)
    for i, r in enumerate(g.rows, start=1):
        row = top + i
        ws.write_number(row, 0, i, f.int)
        ws.write_string(row, 1, r.unit_name, f.text)
        _opt_number(ws, row, 2, r.total, f.points, f.text)
        ws.write_string(row, 3, r.classification or "", f.center)
        _opt_number(ws, row, 4, r.rank, f.int, f.text)
        ws.write_string(row, 5, r.award or "", f.text)
        ws.write_string(row, 6, r.note, f.text)
    if g.rows:
        ws.autofilter(top, 0, top + len(g.rows), len(GROUP_HEADERS) - 1)


CRITERIA_HEADERS = ("Nhóm", "Mã đơn vị", "Đơn vị", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Tính theo số liệu", "Thẩm định")


def _criteria(ws, book: ResultsBook, f: _Formats) -> None:
    _title(ws, book, "Điểm từng tiêu chí: đơn vị tự chấm, tính theo số liệu, Hội đồng thẩm định",
           len(CRITERIA_HEADERS), f)
    top = 5
    _table(ws, top, CRITERIA_HEADERS, (10, 12, 36, 10, 11, 11, 13, 12), f, landscape=True)
    for i, c in enumerate(book.criteria, start=1):
        row = top + i
        ws.write_string(row, 0, c.group, f.text)
        ws.write_string(row, 1, c.unit_code, f.text)
        ws.write_string(row, 2, c.unit_name, f.text)
        ws.write_string(row, 3, c.criterion_id, f.center)
        for col, v in ((4, c.max), (5, c.self_points), (6, c.computed), (7, c.verified)):
            _opt_number(ws, row, col, v, f.points, f.text)
    if book.criteria:
        ws.autofilter(top, 0, top + len(book.criteria), len(CRITERIA_HEADERS) - 1)


NOT_EVALUATED_HEADERS = ("STT", "Mã đơn vị", "Đơn vị", "Nhóm", "Lý do")


def _not_evaluated(ws, book: ResultsBook, f: _Formats) -> None:
    _title(ws, book, "Đơn vị không được đánh giá, xếp hạng", len(NOT_EVALUATED_HEADERS), f)
    top = 5
    _table(ws, top, NOT_EVALUATED_HEADERS, (6, 12, 40, 12, 60), f, landscape=False)
    for i, n in enumerate(book.not_evaluated, start=1):
        row = top + i
        ws.write_number(row, 0, i, f.int)
        ws.write_string(row, 1, n.unit_code, f.text)
        ws.write_string(row, 2, n.unit_name, f.text)
        ws.write_string(row, 3, n.group, f.center)
        ws.write_string(row, 4, n.reason, f.text)


def _info(ws, book: ResultsBook, f: _Formats) -> None:
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 80)
    ws.merge_range(0, 0, 0, 1, f"KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG NĂM {book.year}", f.title)
    head = (
        "Chuỗi băm nhật ký chưa được lưu trong phiên bản này: chưa có giá trị đầu chuỗi để công bố"
        if book.audit_head is None else book.audit_head
    )
    lines = [
        ("Chế độ đánh giá", book.title),
        ("Kỳ đánh giá", book.cycle_id),
        ("Năm", str(book.year)),
        ("Trạng thái", book.state),
        ("Quyết định phê duyệt", book.decision or "chưa phê duyệt"),
        ("Số sự kiện trong nhật ký", str(book.audit_events)),
        ("Sự kiện cuối", book.audit_last or "—"),
        ("Đầu chuỗi băm nhật ký (SHA-256)", head),
        ("Lập lúc", book.generated_at),
    ]
    if book.sandbox:
        lines.insert(0, ("BẢN THỬ NGHIỆM", "không phải kết quả chính thức"))
    for i, (k, v) in enumerate(lines, start=2):
        ws.write_string(i, 0, k, f.label)
        ws.write_string(i, 1, v, f.plain)
    ws.set_paper(9)
    ws.set_portrait()
