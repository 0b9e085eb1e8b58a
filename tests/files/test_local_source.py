"""The command line reads only regular files: devices, FIFOs, folders and /proc are refused
before a byte is read."""

from __future__ import annotations

import os

import pytest

from files.source import open_regular_file
from files.store import FileRefused
import file_samples as samples


def test_a_regular_file_is_opened(tmp_path) -> None:
    p = tmp_path / "bao-cao.pdf"
    p.write_bytes(samples.PDF)
    with open_regular_file(p) as f:
        assert f.read() == samples.PDF


@pytest.mark.parametrize("path, words", [
    ("/dev/zero", "tệp đặc biệt"),
    ("/dev/urandom", "tệp đặc biệt"),
    ("/proc/self/environ", "tệp đặc biệt"),
    ("/sys/kernel/mm/transparent_hugepage/enabled", "tệp đặc biệt"),
])
def test_a_system_special_file_is_refused(path, words) -> None:
    with pytest.raises(FileRefused) as exc:
        open_regular_file(path)
    assert exc.value.reason == "not_a_file" and words in exc.value.message


def test_a_link_to_a_device_is_refused(tmp_path) -> None:
    link = tmp_path / "minh-chung.pdf"
    link.symlink_to("/dev/zero")
    with pytest.raises(FileRefused, match="tệp đặc biệt"):
        open_regular_file(link)


def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="FIFO"):
        open_regular_file(fifo)


def test_a_folder_is_refused(tmp_path) -> None:
    with pytest.raises(FileRefused, match="thư mục"):
        open_regular_file(tmp_path)


def test_an_empty_or_missing_file_is_refused(tmp_path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.raises(FileRefused, match="rỗng"):
        open_regular_file(tmp_path / "empty.pdf")
    with pytest.raises(FileRefused, match="không có tệp"):
        open_regular_file(tmp_path / "nothing.pdf")
