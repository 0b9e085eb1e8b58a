"""Printing for people and for machines (--json)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def emit_json(payload: Any) -> None:
    """JSON as the standard says: NaN and Infinity (which Python would print) are refused."""
    try:
        text = json.dumps(payload, ensure_ascii=False, indent=2, default=str, allow_nan=False)
    except ValueError:
        from dtiflow.cli.errors import UserError

        raise UserError("kết quả có một số không hữu hạn (NaN hoặc vô cực): không in") from None
    sys.stdout.write(text + "\n")


def write_file(out: Path, data: bytes) -> None:
    """Write `data` to `out` whole or not at all (a temporary file renamed over it): a reader never
    opens half a workbook. A failure is the person's to fix (a folder that does not exist, no
    permission), said in one line."""
    from dtiflow.cli.errors import UserError

    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as exc:
        raise UserError(f"{out}: không ghi được: {exc.strerror}") from None
