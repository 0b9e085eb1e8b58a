"""A deadline as an iCalendar VEVENT (RFC 5545), written by hand: one event, a dozen lines.

Written here rather than with a library because the need is this small and the rules are few:
CRLF line ends (§3.1), lines folded at 75 octets without splitting a UTF-8 character (§3.1),
TEXT escaping of backslash, semicolon, comma and newline (§3.3.11). The event is an all-day
event on the last day that is still on time (a deadline "at 24:00 on 20/09" shows on 20/09 in
every calendar, whatever its time zone), with the exact closing moment in the description and
an alarm the day before.
"""

from __future__ import annotations

import datetime as dt

from domain.instants import UTC, format_closing_vi
from domain.reminders import last_day_of

PRODID = "-//dtiflow//Nhac han danh gia//VI"


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, continuation lines start with a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    pieces, current, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space takes one octet
        current.append(ch)
        size += n
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _utc_stamp(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def deadline_event(*, uid: str, summary: str, closes_at: dt.datetime, stamp: dt.datetime,
                   description: str = "") -> bytes:
    """A VCALENDAR with one all-day VEVENT on the deadline's last day, as UTF-8 bytes with CRLF."""
    last = last_day_of(closes_at)
    desc = (description + "\n" if description else "") + f"Thời điểm kết thúc: {format_closing_vi(closes_at)}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{last:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(desc)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
