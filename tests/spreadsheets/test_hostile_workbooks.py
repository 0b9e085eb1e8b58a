"""Hostile files are refused by the inspection before any spreadsheet reader sees them, quickly,
with the reason in Vietnamese, and with bounded memory (docs/workbooks.md, "Hostile workbooks")."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from services.workbooks import blank_template, read_sheet_workbook
from workbooks.guard import MAX_BYTES, WorkbookRefused

RUBRIC = "mic-2017-egov.commune"


@pytest.fixture(scope="module")
def template() -> bytes:
    return blank_template(RUBRIC)


def _rezip(data: bytes, extra: dict[str, bytes] = {}, replace: dict[str, bytes] = {}) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def _refused(data: bytes, name: str = "phieu.xlsx") -> tuple[str, int]:
    """The refusal's message and the peak memory the attempt allocated."""
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookRefused) as exc:
            read_sheet_workbook(data, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return exc.value.message, peak


def _ole(*stream_names: str) -> bytes:
    """A compound-file (OLE2) container as Excel 97-2003 and encrypted workbooks are: the
    signature, then a directory naming the streams (UTF-16), which is all the check reads."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3) + b"\x00" * 482
    entries = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for n in ("Root Entry", *stream_names))
    return header + entries.ljust(4096, b"\x00")


def test_a_zip_bomb_is_refused_from_its_directory_before_it_is_inflated(template):
    bomb = _rezip(template, extra={"xl/media/bomb.bin": b"\x00" * (64 * 1024 * 1024)})
    message, peak = _refused(bomb)
    assert message.startswith("thành phần xl/media/bomb.bin giải nén ra 64 MB")
    assert peak < 8 * 1024 * 1024  # the 64 MB were never inflated


def test_a_zip_that_lies_about_its_sizes_stops_one_chunk_past_the_limit(template):
    bomb = _rezip(template, extra={"xl/media/lie.bin": b"\x00" * (40 * 1024 * 1024)})
    # Rewrite the declared size in both headers to 1 kB: the directory now says it is small.
    lie = bytearray(bomb)
    name = b"xl/media/lie.bin"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = lie.find(sig)
        while at != -1:
            name_len = struct.unpack_from("<H", lie, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = at + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(lie[start:start + name_len]) == name:
                struct.pack_into("<I", lie, at + size_at, 1024)
            at = lie.find(sig, at + 4)
    message, peak = _refused(bytes(lie))
    assert "xl/media/lie.bin" in message
    assert peak < 24 * 1024 * 1024


def test_a_sheet_of_a_million_rows_is_refused(template):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 1_000_001))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="A1:A1000000"/><sheetData>{rows}</sheetData></worksheet>')
    big = _rezip(template, replace={"xl/worksheets/sheet1.xml": sheet.encode()})
    message, _ = _refused(big)
    assert "xl/worksheets/sheet1.xml" in message and ("1.000.000 dòng" in message or "MB" in message)


def test_a_sheet_whose_dimension_claims_a_million_rows_is_refused(template):
    small = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><dimension ref="A1:K1000000"/><sheetData/></worksheet>')
    message, _ = _refused(_rezip(template, replace={"xl/worksheets/sheet1.xml": small.encode()}))
    assert message == "trang tính xl/worksheets/sheet1.xml có 1.000.000 dòng (tối đa 20.000): không phải mẫu phiếu"


def test_an_encrypted_workbook_is_refused():
    message, _ = _refused(_ole("EncryptionInfo", "EncryptedPackage"))
    assert message == "tệp được đặt mật khẩu (mã hóa): gỡ mật khẩu rồi lưu lại dưới dạng .xlsx"


def test_an_xls_renamed_to_xlsx_is_refused():
    message, _ = _refused(_ole("Workbook", "\x05SummaryInformation"))
    assert message.startswith("tệp Excel 97-2003 (.xls) không được nhận, dù đuôi tệp là gì")


def test_macros_are_refused_by_name_and_by_content(template):
    assert _refused(template, "phieu.xlsm")[0].startswith("tệp Excel có macro (.xlsm) không được nhận")
    with_vba = _rezip(template, extra={"xl/vbaProject.bin": b"\x00" * 512})
    assert _refused(with_vba)[0].startswith("tệp có macro (VBA): không được nhận")


def test_external_links_are_refused(template):
    linked = _rezip(template, extra={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert _refused(linked)[0].startswith("tệp có liên kết tới tệp khác (external links)")


@pytest.mark.parametrize("data, start", [
    (b"unit: x\n", "không phải tệp Excel .xlsx"),
    (b"PK\x03\x04 broken", "tệp .xlsx bị hỏng"),
    (b"\x00" * (MAX_BYTES + 1), "tệp lớn hơn giới hạn 10 MB"),
])
def test_files_that_are_not_workbooks_are_refused(data, start):
    assert _refused(data)[0].startswith(start)


def test_member_names_that_climb_out_are_refused(template):
    assert _refused(_rezip(template, extra={"../../etc/passwd": b"x"}))[0].startswith("tên thành phần không hợp lệ")
