"""A workbook handed in is inspected before any spreadsheet reader sees it: its size, what kind
of file it really is (whatever its name says), and its zip directory (member names, sizes,
compression ratios, content types). Refused quickly, with the reason in Vietnamese: a zip bomb,
a sheet of a million rows, an encrypted workbook, a legacy `.xls` renamed, macros (`.xlsm`),
external links, embedded objects (docs/workbooks.md, "Hostile workbooks").

Memory stays bounded: the caller reads at most `MAX_BYTES`; a member is inflated here in one
call bounded by its limit, so a lying size in the directory costs at most that limit.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from rubrics.source import DataFileError

MB = 1024 * 1024
MAX_BYTES = 10 * MB  # a filled template of 200 criteria is about 40 kB
MAX_MEMBERS = 64
MAX_MEMBER_BYTES = 8 * MB  # uncompressed; a template's sheet is about 150 kB
MAX_TOTAL_BYTES = 24 * MB
MAX_RATIO = 200  # uncompressed / compressed, for members above RATIO_FLOOR bytes
RATIO_FLOOR = 1 * MB
MAX_ROWS = 20_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_TYPES = ("macroEnabled", "vbaProject", "ms-office.vbaProject", "ms-excel.sheet.binary")
_FORBIDDEN = (
    ("xl/vbaProject.bin", "có macro (VBA)"),
    ("xl/externalLinks/", "có liên kết tới tệp khác (external links)"),
    ("xl/activeX/", "có điều khiển ActiveX"),
    ("xl/embeddings/", "có đối tượng nhúng (OLE)"),
    ("xl/connections.xml", "có kết nối dữ liệu ngoài"),
)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


class WorkbookRefused(DataFileError):
    """The file as a whole is not a workbook we read; the message says why and what to do."""


def inspect(data: bytes, name: str) -> None:
    """Raise `WorkbookRefused` unless `data` is a plain .xlsx within the limits."""
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(name, f"tệp lớn hơn giới hạn {MAX_BYTES // MB} MB: không đọc")
    if name.lower().endswith((".xlsm", ".xltm")):
        raise WorkbookRefused(name, "tệp Excel có macro (.xlsm) không được nhận: lưu lại dưới dạng .xlsx")
    head = data[:8]
    if head == _OLE:
        if _ENCRYPTED in data[:MAX_BYTES]:
            raise WorkbookRefused(name, "tệp được đặt mật khẩu (mã hóa): gỡ mật khẩu rồi lưu lại dưới dạng .xlsx")
        raise WorkbookRefused(name, "tệp Excel 97-2003 (.xls) không được nhận, dù đuôi tệp là gì: "
                                    "mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx")
    if head[:4] != _ZIP:
        raise WorkbookRefused(name, "không phải tệp Excel .xlsx (tải mẫu phiếu bằng 'dtiflow sheet template')")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WorkbookRefused(name, f"tệp .xlsx bị hỏng (không đọc được mục lục nén: {exc})") from None
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused(name, f"tệp có {len(members)} thành phần (tối đa {MAX_MEMBERS}): không phải mẫu phiếu")
    declared = 0
    for m in members:
        _check_member_name(m.filename, name)
        if m.flag_bits & 0x1:
            raise WorkbookRefused(name, "tệp được đặt mật khẩu (mã hóa): gỡ mật khẩu rồi lưu lại dưới dạng .xlsx")
        for prefix, what in _FORBIDDEN:
            if m.filename == prefix or m.filename.startswith(prefix):
                raise WorkbookRefused(name, f"tệp {what}: không được nhận; lưu lại dưới dạng .xlsx không có thành phần này")
        if m.file_size > MAX_MEMBER_BYTES:
            raise WorkbookRefused(name, f"thành phần {m.filename} giải nén ra {m.file_size // MB} MB "
                                        f"(tối đa {MAX_MEMBER_BYTES // MB} MB): không phải mẫu phiếu")
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise WorkbookRefused(name, f"thành phần {m.filename} nén với tỷ lệ bất thường "
                                        f"({m.file_size // max(m.compress_size, 1)}:1): nghi là bom nén, không đọc")
        declared += m.file_size
    if declared > MAX_TOTAL_BYTES:
        raise WorkbookRefused(name, f"tệp giải nén ra {declared // MB} MB (tối đa {MAX_TOTAL_BYTES // MB} MB)")
    types = _small_member(data, zf, "[Content_Types].xml", name)
    if types is None:
        raise WorkbookRefused(name, "không phải tệp .xlsx (thiếu [Content_Types].xml)")
    text = types.decode("utf-8", "replace")
    if any(t in text for t in _MACRO_TYPES):
        raise WorkbookRefused(name, "tệp Excel có macro hoặc dạng nhị phân (.xlsm, .xlsb) không được nhận: "
                                    "lưu lại dưới dạng .xlsx")
    if _MAIN_TYPE not in text:
        raise WorkbookRefused(name, "không phải bảng tính Excel .xlsx")
    if "externalLink" in text:
        raise WorkbookRefused(name, "tệp có liên kết tới tệp khác (external links): không được nhận")
    # Real sizes, whatever the directory claims: deflate inflates at most ~1,032 times, so a
    # member whose compressed bytes cannot reach the limit is not inflated here at all (a
    # template's members are a few kB each); the others are inflated up to the limit only.
    total = 0
    for m in members:
        if m.is_dir():
            continue
        if m.compress_size * _DEFLATE_MAX_RATIO > MAX_MEMBER_BYTES:
            size = _inflated_size(data, m, name)
        else:
            size = min(m.file_size, m.compress_size * _DEFLATE_MAX_RATIO)
        total += size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookRefused(name, f"tệp giải nén ra hơn {MAX_TOTAL_BYTES // MB} MB: không đọc")
        if m.filename.startswith("xl/worksheets/"):
            rows = _dimension_rows(data, m, name)
            if rows > MAX_ROWS:
                raise WorkbookRefused(name, f"trang tính {m.filename} có {rows:,} dòng "
                                            f"(tối đa {MAX_ROWS:,}): không phải mẫu phiếu".replace(",", "."))


_DEFLATE_MAX_RATIO = 1032
_LOCAL = struct.Struct("<4s5H3I2H")  # the local file header (30 bytes)


def _compressed(data: bytes, m: zipfile.ZipInfo, name: str) -> memoryview:
    try:
        sig, *_, n_len, x_len = _LOCAL.unpack_from(data, m.header_offset)
    except struct.error:
        sig = b""
    if sig != b"PK\x03\x04":
        raise WorkbookRefused(name, f"tệp .xlsx bị hỏng (thành phần {m.filename})")
    start = m.header_offset + _LOCAL.size + n_len + x_len
    return memoryview(data)[start:start + m.compress_size]


def _inflate(data: bytes, m: zipfile.ZipInfo, name: str, limit: int) -> bytes:
    """At most `limit` bytes of the member, inflated in one bounded call."""
    raw = _compressed(data, m, name)
    if m.compress_type == zipfile.ZIP_STORED:
        return bytes(raw[:limit])
    if m.compress_type != zipfile.ZIP_DEFLATED:
        raise WorkbookRefused(name, f"thành phần {m.filename} nén theo cách không dùng trong tệp .xlsx")
    try:
        return zlib.decompressobj(-15).decompress(raw, limit)
    except zlib.error as exc:
        raise WorkbookRefused(name, f"tệp .xlsx bị hỏng ({m.filename}: {exc})") from None


def _inflated_size(data: bytes, m: zipfile.ZipInfo, name: str) -> int:
    size = len(_inflate(data, m, name, MAX_MEMBER_BYTES + 1))
    if size > MAX_MEMBER_BYTES:
        raise WorkbookRefused(name, f"thành phần {m.filename} giải nén ra hơn {MAX_MEMBER_BYTES // MB} MB: "
                                    "nghi là bom nén, không đọc")
    return size


def _dimension_rows(data: bytes, m: zipfile.ZipInfo, name: str) -> int:
    """The last row the sheet's `<dimension ref="A1:K1000000">` claims (0 when it states none)."""
    match = _DIMENSION.search(_inflate(data, m, name, 4096))
    return int(match.group(1)) if match and match.group(1) else 0


def _check_member_name(member: str, name: str) -> None:
    if member.startswith(("/", "\\")) or "\\" in member or ".." in member.split("/") or "\x00" in member:
        raise WorkbookRefused(name, f"tên thành phần không hợp lệ trong tệp nén: {member!r}")


def _small_member(data: bytes, zf: zipfile.ZipFile, member: str, name: str) -> bytes | None:
    """A member's bytes (the content types), inflated up to the limit only."""
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    return _inflate(data, info, name, MAX_MEMBER_BYTES)
