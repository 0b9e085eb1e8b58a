"""The file store's port: what every backend (a local folder, an S3-compatible bucket) offers.

Files are addressed by the SHA-256 of their bytes (64 lowercase hex digits). `put` reads a
stream to its end, refusing it (and keeping nothing) when it is larger than the cap or not an
allowed kind; a stream cut off half-way leaves nothing behind either. Storing the same bytes
twice stores them once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

from domain.errors import InvalidInput, Unknown

MB = 1024 * 1024
DEFAULT_MAX_FILE = 20 * MB   # one evidence file (settings: DTIFLOW_FILES_MAX_FILE_MB)
DEFAULT_MAX_SHEET = 200 * MB  # all evidence of one sheet (settings: DTIFLOW_FILES_MAX_SHEET_MB)

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the store knows of a file: its address, its size and the kind its bytes are."""

    sha256: str
    size: int
    media_type: str


class FileRefused(InvalidInput):
    """A file the store will not keep; the message (Vietnamese) says why.

    `reason`: "too_large", "empty", "type" (not an allowed kind), "not_a_file" (a directory,
    a device, a FIFO, a file of /proc), "unreadable".
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(message)


class FileNotStored(Unknown):
    """No file with this address in the store."""


def check_address(sha256: str) -> str:
    """The address as the store uses it; anything but 64 lowercase hex digits is refused (an
    address is never a path: `../x` must not reach the file system)."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise FileNotStored(f"'{sha256}' không phải mã SHA-256 của một tệp")
    return sha256


@runtime_checkable
class FileStore(Protocol):
    def put(self, stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_FILE) -> StoredFile:
        """Read `stream` to its end and keep it; FileRefused when over `max_bytes`, empty or
        not an allowed kind (nothing is kept then)."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """The stored bytes, for reading; FileNotStored when absent."""
        ...

    def stat(self, sha256: str) -> StoredFile:
        """Size and kind of a stored file; FileNotStored when absent."""
        ...

    def exists(self, sha256: str) -> bool:
        ...
