"""Evidence files: copied into the file store, recorded on the unit's sheet, read back only by
those who may see the sheet (docs/security.md, "Tệp từ bên ngoài").

`store_uploads` streams each file into `services.files` under the per-file cap and the kinds
allowed by content (`files.kinds`), before the command that records them runs: the command's
parameters then carry each file's SHA-256, so a repeated idempotency key with other files is a
conflict, not a silent replay. The name a person gave a file is kept as a label only: its last
path component, without control characters, at most LABEL_MAX characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import BinaryIO, Sequence

from files.store import DEFAULT_MAX_FILE, DEFAULT_MAX_SHEET, FileRefused, FileStore
from services.errors import InvalidRequest

LABEL_MAX = 200


@dataclass(frozen=True)
class FileLimits:
    max_file: int = DEFAULT_MAX_FILE    # bytes of one file
    max_sheet: int = DEFAULT_MAX_SHEET  # bytes of all the files of one sheet


@dataclass(frozen=True)
class Upload:
    """A file a person hands in for a criterion: its name as they gave it, and its bytes."""

    criterion_id: str
    name: str
    stream: BinaryIO


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file as the store keeps it (the bytes are in the file store under `sha256`)."""

    criterion_id: str
    file_name: str
    size_bytes: int
    sha256: str
    media_type: str


def label(name: str) -> str:
    """The display label of an uploaded file's name: never a path, never a control character."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (clean or "tệp")[:LABEL_MAX]


def store_uploads(files: FileStore | None, uploads: Sequence[Upload], limits: FileLimits) -> list[EvidenceFile]:
    """Each upload streamed into the store; InvalidRequest naming the criterion and the file
    when one is refused, or when together they pass the sheet's cap."""
    if uploads and files is None:
        raise InvalidRequest("chưa cấu hình kho tệp (DTIFLOW_FILES_DIR): không nhận tệp minh chứng")
    out: list[EvidenceFile] = []
    total = 0
    for up in uploads:
        name = label(up.name)
        try:
            stored = files.put(up.stream, max_bytes=limits.max_file)
        except FileRefused as exc:
            raise InvalidRequest(f"tệp minh chứng '{name}' của tiêu chí {up.criterion_id}: {exc.message}") from None
        total += stored.size
        if total > limits.max_sheet:
            raise InvalidRequest(f"tệp minh chứng của phiếu vượt tổng giới hạn {limits.max_sheet / 2**20:g} MB "
                                 f"(đến tệp '{name}' của tiêu chí {up.criterion_id})")
        out.append(EvidenceFile(up.criterion_id, name, stored.size, stored.sha256, stored.media_type))
    return out
