"""Opening a file a person names on the command line, for the store to read.

Only a regular file is opened: a directory, a device (`/dev/zero` never ends), a FIFO (it blocks
until someone writes), a socket, and the kernel's pseudo-files under /proc and /sys (they claim a
size of 0 or 4096 and say anything, `/proc/self/environ` holds the process's secrets) are refused
before a byte is read. The FIFO is opened without blocking so the refusal is immediate.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from files.store import FileRefused

_PSEUDO = ("/proc", "/sys", "/dev")


def open_regular_file(path: Path | str) -> BinaryIO:
    p = Path(path)
    try:
        real = os.path.realpath(p)
    except OSError as exc:
        raise FileRefused("unreadable", f"không đọc được: {exc.strerror}") from None
    if any(real == root or real.startswith(root + "/") for root in _PSEUDO):
        raise FileRefused("not_a_file", f"{real} là tệp đặc biệt của hệ thống, không phải tài liệu")
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise FileRefused("unreadable", "không có tệp này") from None
    except OSError as exc:
        raise FileRefused("unreadable", f"không đọc được: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileRefused("not_a_file", "đây là thư mục, không phải tệp")
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused("not_a_file", "không phải tệp thông thường (thiết bị, FIFO hoặc socket)")
        if st.st_size == 0:
            raise FileRefused("empty", "tệp rỗng")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
