"""Argument types shared by the commands: they raise errors in the user's terms."""

from __future__ import annotations

import argparse
import datetime as dt
import re

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> dt.date:
    """A date as YYYY-MM-DD or dd/mm/yyyy (the way Vietnamese documents write it)."""
    text = text.strip()
    m = _DMY.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' không phải một ngày có thật") from None
    raise argparse.ArgumentTypeError(f"'{text}' không phải một ngày: viết dd/mm/yyyy hoặc YYYY-MM-DD")


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải một số nguyên") from None


def parse_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' không phải một năm (bốn chữ số)")
    return int(text)


def parse_points(text: str) -> float:
    """A number of points, with the decimal comma as Vietnamese sheets write it ("2,5") or a dot."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải một số điểm") from None
