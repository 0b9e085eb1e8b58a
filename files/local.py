"""The file store in a local folder (`DTIFLOW_FILES_DIR`, default `var/files`).

Layout: `<root>/sha256/<first two hex digits>/<64 hex digits>`, each file read-only once stored;
`<root>/tmp/` holds files being written. A file is written to a temporary name, hashed and
measured as it streams in, checked, flushed to disk, then renamed into place: a reader never sees
half a file, and a stream that is cut off, too large or of a refused kind leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from files import kinds
from files.store import DEFAULT_MAX_FILE, FileNotStored, FileRefused, StoredFile, check_address

CHUNK = 1 << 16


class LocalFileStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        check_address(sha256)
        return self.root / "sha256" / sha256[:2] / sha256

    def put(self, stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_FILE) -> StoredFile:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="part-")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "w+b") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileRefused("too_large", f"tệp lớn hơn giới hạn {_mb(max_bytes)}")
                    digest.update(chunk)
                    out.write(chunk)
                if size == 0:
                    raise FileRefused("empty", "tệp rỗng")
                media_type = kinds.detect(out)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            dest = self._path(sha)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_name, 0o444)
            os.replace(tmp_name, dest)  # the same bytes already there: replaced by themselves
            _fsync_dir(dest.parent)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
            raise
        return StoredFile(sha, size, media_type)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self._path(sha256), "rb")
        except FileNotFoundError:
            raise FileNotStored(f"không có tệp {sha256} trong kho tệp") from None

    def stat(self, sha256: str) -> StoredFile:
        with self.open(sha256) as f:
            size = os.fstat(f.fileno()).st_size
            return StoredFile(sha256, size, kinds.detect(f))

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
