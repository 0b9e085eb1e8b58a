"""iCalendar (RFC 5545) text for a whole timeline, so a secretariat can import a cycle's dates
(`dtiflow timeline --ics`); the e-mails attach one deadline each (`notifications.ics`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from notifications.ics import escape_text, fold  # RFC 5545 escaping and line folding, one place


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    day: dt.date
    summary: str
    description: str = ""


def render_calendar(events: Iterable[IcsEvent], *, stamp: dt.datetime, name: str) -> str:
    """An all-day VEVENT per milestone; `stamp` (DTSTAMP) is the instant of export, in UTC."""
    stamp_text = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dtiflow//timeline//VI", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(e.summary)}",
            f"DESCRIPTION:{escape_text(e.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
