"""Small files of each kind, built in memory: real headers and containers, no fixtures on disk."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_of(members: dict[str, bytes], *, mimetype: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if mimetype is not None:  # OpenDocument: the first member, stored uncompressed
            z.writestr(zipfile.ZipInfo("mimetype"), mimetype.encode("ascii"), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX = zip_of({"[Content_Types].xml": CT, "word/document.xml": b"<w:document/>"})
XLSX = zip_of({"[Content_Types].xml": CT, "xl/workbook.xml": b"<workbook/>"})
PPTX = zip_of({"[Content_Types].xml": CT, "ppt/presentation.xml": b"<presentation/>"})
DOCM = zip_of({"[Content_Types].xml": CT, "word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x00"})
ODT = zip_of({"content.xml": b"<office:document-content/>"}, mimetype="application/vnd.oasis.opendocument.text")
ODS = zip_of({"content.xml": b"<x/>"}, mimetype="application/vnd.oasis.opendocument.spreadsheet")
ODT_MACRO = zip_of({"content.xml": b"<x/>", "Basic/Standard/Module1.xml": b"<x/>"},
                   mimetype="application/vnd.oasis.opendocument.text")
PLAIN_ZIP = zip_of({"readme.txt": b"hello"})
JAR = zip_of({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n"})
