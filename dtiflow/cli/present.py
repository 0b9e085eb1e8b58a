"""How the command line writes a value for a person: the one place for times, dates, numbers
and state names in text output.

- an instant is local (Asia/Ho_Chi_Minh): a deadline that ends a day reads "24:00 Thứ Sáu,
  20/09/2019", any other instant "17:00 ngày 20/09/2019" (Civil Code 2015 Art. 148: a period
  ending on a day ends at the end of that day);
- a date is dd/mm/yyyy;
- a number has the decimal comma and at most two decimals ("488,5", "455");
- a state is its Vietnamese label.

ISO instants with their offset appear only in `--json`. Every function accepts what the
services return (an ISO string) as well as the Python value, and None reads "chưa xác định"
(never "None").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

UNKNOWN = "chưa xác định"
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _instant(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def day(value: Any) -> str:
    """dd/mm/yyyy."""
    d = _as_date(value)
    return UNKNOWN if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def weekday_day(value: Any) -> str:
    """"Thứ Sáu, 20/09/2019"."""
    d = _as_date(value)
    return UNKNOWN if d is None else f"{_WEEKDAYS[d.weekday()]}, {day(d)}"


def deadline(value: Any) -> str:
    """A deadline instant: "24:00 Thứ Sáu, 20/09/2019" when it ends a local day (as the e-mails
    write it, `domain.instants.format_closing_vi`), "17:00 ngày 20/09/2019" otherwise."""
    from domain.instants import as_local, format_closing_vi  # pendulum: only when a time is shown

    instant = _instant(value)
    if instant is None:
        return UNKNOWN
    local = as_local(instant)
    return format_closing_vi(instant) if (local.hour, local.minute) == (0, 0) else moment(instant)


def moment(value: Any) -> str:
    """Any other instant (received, sent, recorded): "17:00 ngày 20/09/2019"."""
    from domain.instants import format_moment_vi

    instant = _instant(value)
    return UNKNOWN if instant is None else format_moment_vi(instant)


def number(x: Any) -> str:
    """The decimal comma, at most two decimals, no trailing zeros: 488.5 -> "488,5"."""
    if x is None:
        return ""
    from domain.scoring_text import num

    return num(float(x))


def cycle_state(state: Any) -> str:
    from domain.cycle import CYCLE_STATE_LABELS_VI, CycleState

    try:
        return CYCLE_STATE_LABELS_VI[CycleState(state)].lower()
    except ValueError:
        return str(state)


def sheet_state(state: Any) -> str:
    from domain.sheet import SHEET_STATE_LABELS_VI, SheetState

    try:
        return SHEET_STATE_LABELS_VI[SheetState(state)]
    except ValueError:
        return str(state)


def counts(mapping: dict[str, int], label=str) -> str:
    """{'draft': 1, 'submitted': 2} -> "Đang nhập (bản nháp): 1; Đã gửi đúng hạn: 2"; empty -> "không có"."""
    if not mapping:
        return "không có"
    return "; ".join(f"{label(k)}: {n}" for k, n in mapping.items())
