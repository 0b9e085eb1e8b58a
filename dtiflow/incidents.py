"""Defects are written down, not shown: an incident reference for the person, the traceback for us.

A person who meets a defect (anything that is not a `domain.errors.Refusal`) reads one line —
"lỗi hệ thống, mã sự cố 20261207-214501-3f9a2c" — and can quote it; the traceback, the command
and the time are kept under that reference in the incident folder (`DTIFLOW_INCIDENT_DIR`,
default `var/incidents`), one file per incident, never on the person's screen (a traceback can
carry paths, queries and values that are not theirs to see).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Incident:
    reference: str
    path: Path | None  # None when not even the incident folder could be written

    def sentence(self) -> str:
        where = f"; chi tiết lưu tại {self.path}" if self.path else ""
        return f"lỗi hệ thống, mã sự cố {self.reference}: xin báo cho bộ phận vận hành mã này{where}"


def record_incident(exc: BaseException, *, command: str, folder: Path | None = None,
                    now: dt.datetime | None = None) -> Incident:
    """Write the defect under a fresh reference; never raises (a failing log must not hide the
    defect's reference from the person)."""
    at = now or dt.datetime.now(dt.timezone.utc)
    reference = f"{at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    text = (f"sự cố {reference}\nlúc {at.isoformat()}\nlệnh {command}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    try:
        target = folder or incident_dir()
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{reference}.txt"
        path.write_text(text, encoding="utf-8")
        return Incident(reference, path)
    except OSError:
        return Incident(reference, None)


def incident_dir() -> Path:
    from dtiflow.settings import load_incident_dir

    return load_incident_dir()
