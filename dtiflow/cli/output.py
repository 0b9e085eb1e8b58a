"""Printing for people and for machines (--json)."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(payload: Any) -> None:
    """JSON as the standard says: NaN and Infinity (which Python would print) are refused."""
    try:
        text = json.dumps(payload, ensure_ascii=False, indent=2, default=str, allow_nan=False)
    except ValueError:
        from dtiflow.cli.errors import UserError

        raise UserError("kết quả có một số không hữu hạn (NaN hoặc vô cực): không in") from None
    sys.stdout.write(text + "\n")
