"""The file store keeps allowed kinds by content, streamed under a cap, atomically, once."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from files import kinds
from files.local import LocalFileStore
from files.store import FileNotStored, FileRefused, FileStore
import file_samples as samples


@pytest.fixture
def store(tmp_path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "files")


def _kept(store: LocalFileStore) -> list[str]:
    """Every file under the store's folder (temporary ones included)."""
    return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())


def test_the_local_folder_is_a_file_store(store) -> None:
    assert isinstance(store, FileStore)


@pytest.mark.parametrize("data, media_type", [
    (samples.PDF, kinds.PDF), (samples.PNG, kinds.PNG), (samples.JPEG, kinds.JPEG), (samples.GIF, kinds.GIF),
    (samples.WEBP, kinds.WEBP), (samples.DOCX, kinds.DOCX), (samples.XLSX, kinds.XLSX), (samples.PPTX, kinds.PPTX),
    (samples.ODT, kinds.ODT), (samples.ODS, kinds.ODS),
], ids=["pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods"])
def test_an_allowed_kind_is_kept_under_its_sha256_and_reads_back(store, data, media_type) -> None:
    stored = store.put(io.BytesIO(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.size, stored.media_type) == (len(data), media_type)
    assert store.exists(stored.sha256)
    assert store.stat(stored.sha256) == stored
    with store.open(stored.sha256) as f:
        assert f.read() == data
    assert _kept(store) == [f"sha256/{stored.sha256[:2]}/{stored.sha256}"]


@pytest.mark.parametrize("data, words", [
    (b"root:x:0:0:root:/root:/bin/bash\n", "không thuộc loại được nhận"),
    (b"#!/bin/sh\nrm -rf /\n", "không thuộc loại được nhận"),
    (b"MZ\x90\x00" + b"\x00" * 60, "không thuộc loại được nhận"),
    (samples.OLE_DOC, "định dạng cũ"),
    (samples.DOCM, "có macro"),
    (samples.ODT_MACRO, "có macro"),
    (samples.PLAIN_ZIP, "không phải tài liệu Office"),
    (samples.JAR, "không phải tài liệu Office"),
    (b"PK\x03\x04 broken zip", "hỏng"),
    (b"not a pdf but named report.pdf", "không thuộc loại được nhận"),
], ids=["passwd", "script", "exe", "ole-doc", "docm", "odt-macro", "zip", "jar", "broken-zip", "text"])
def test_a_refused_kind_is_refused_by_its_content_and_nothing_is_kept(store, data, words) -> None:
    with pytest.raises(FileRefused) as exc:
        store.put(io.BytesIO(data))
    assert exc.value.reason == "type" and words in exc.value.message
    assert _kept(store) == []


def test_a_file_over_the_cap_is_refused_while_streaming_and_nothing_is_kept(store) -> None:
    class Endless(io.RawIOBase):
        read_bytes = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            b[:] = b"%" * len(b)
            self.read_bytes += len(b)
            return len(b)

    endless = Endless()
    with pytest.raises(FileRefused) as exc:
        store.put(io.BufferedReader(endless), max_bytes=1024 * 1024)
    assert exc.value.reason == "too_large" and "1 MB" in exc.value.message
    assert endless.read_bytes < 2 * 1024 * 1024  # it stopped reading at the cap
    assert _kept(store) == []


def test_an_empty_file_is_refused(store) -> None:
    with pytest.raises(FileRefused, match="rỗng"):
        store.put(io.BytesIO(b""))
    assert _kept(store) == []


def test_a_stream_cut_off_half_way_leaves_nothing_behind(store) -> None:
    class CutOff(io.RawIOBase):
        sent = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            if self.sent >= 200_000:
                raise ConnectionResetError("the client went away")
            b[:] = b"%" * len(b)
            self.sent += len(b)
            return len(b)

    with pytest.raises(ConnectionResetError):
        store.put(io.BufferedReader(CutOff()))
    assert _kept(store) == []


def test_the_same_bytes_are_kept_once(store) -> None:
    a = store.put(io.BytesIO(samples.PDF))
    b = store.put(io.BytesIO(samples.PDF))
    assert a == b
    assert len(_kept(store)) == 1


def test_a_stored_file_is_read_only(store) -> None:
    stored = store.put(io.BytesIO(samples.PNG))
    path = store.root / "sha256" / stored.sha256[:2] / stored.sha256
    assert not os.stat(path).st_mode & 0o222


@pytest.mark.parametrize("address", ["../../etc/passwd", "", "A" * 64, "0" * 63, "/" + "0" * 63])
def test_an_address_is_a_sha256_never_a_path(store, address) -> None:
    with pytest.raises(FileNotStored):
        store.open(address)
    with pytest.raises(FileNotStored):
        store.exists(address)


def test_a_missing_file_is_not_stored(store) -> None:
    with pytest.raises(FileNotStored):
        store.open("0" * 64)
    assert not store.exists("0" * 64)
