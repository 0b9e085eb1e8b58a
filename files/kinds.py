"""Which kinds of file the store admits, recognised by their bytes, never by their name.

Allowed: PDF; PNG, JPEG, GIF and WebP images; Office Open XML documents (.docx, .xlsx, .pptx)
and OpenDocument files (.odt, .ods, .odp). Both Office formats are zip containers, and any zip
is refused unless its members are those of one of these formats: OOXML has `[Content_Types].xml`
and its main part (`word/document.xml`, `xl/workbook.xml`, `ppt/presentation.xml`); OpenDocument
has a first member `mimetype` whose text names the kind. Files that carry macros
(`vbaProject.bin` in OOXML, a `Basic/` folder in OpenDocument) are refused: evidence is read,
never run.

Legacy Office files (.doc, .xls, .ppt: OLE2 compound files, magic D0 CF 11 E0) are refused. Their
container holds streams of any kind, macros included, and cannot be told apart from other OLE
files without a parser of the whole format; every Office version since 2007 and LibreOffice
save .docx/.xlsx or PDF, so the refusal tells the unit to save the file again in one of those.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from files.store import FileRefused

PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

ALLOWED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
ALLOWED_TEXT = "PDF, ảnh PNG/JPEG/GIF/WebP, tệp Office (.docx, .xlsx, .pptx) hoặc OpenDocument (.odt, .ods, .odp)"

_OOXML_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF = frozenset((ODT, ODS, ODP))
_MAX_MEMBERS = 10_000  # a real document has tens to a few thousand parts
HEAD = 16


def _refuse(what: str) -> FileRefused:
    return FileRefused("type", f"{what}: chỉ nhận {ALLOWED_TEXT}")


def detect(f: BinaryIO) -> str:
    """The media type of the file open in `f` (seekable, at any position); FileRefused if its
    bytes are not one of the allowed kinds."""
    f.seek(0)
    head = f.read(HEAD)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileRefused("type", "tệp Office định dạng cũ (.doc, .xls, .ppt) không được nhận vì có thể chứa "
                                  f"macro: lưu lại thành .docx/.xlsx/.pptx hoặc PDF ({ALLOWED_TEXT})")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(f)
    raise _refuse("nội dung tệp không thuộc loại được nhận")


def _zip_kind(f: BinaryIO) -> str:
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            infos = z.infolist()
            if len(infos) > _MAX_MEMBERS:
                raise _refuse(f"tệp nén có {len(infos)} thành phần")
            names = {i.filename for i in infos}
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 100:
                kind = z.read(infos[0]).decode("ascii", "replace").strip()
                if kind in _ODF:
                    if any(n.startswith("Basic/") for n in names):
                        raise FileRefused("type", "tệp OpenDocument có macro (Basic/) không được nhận: lưu lại không kèm macro")
                    return kind
            if "[Content_Types].xml" in names:
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise FileRefused("type", "tệp Office có macro (.docm, .xlsm, .pptm) không được nhận: "
                                              "lưu lại thành .docx/.xlsx/.pptx")
                for main, kind in _OOXML_MAIN.items():
                    if main in names:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise _refuse("tệp nén hỏng hoặc không đọc được") from None
    raise _refuse("tệp nén (zip) không phải tài liệu Office hoặc OpenDocument")
