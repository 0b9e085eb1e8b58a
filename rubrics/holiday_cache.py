"""The `holidays` package's Vietnamese days, kept on disk between runs.

Importing `holidays` loads every country it knows (about half a second of CPU), which would make
every `dtiflow calendar ...` and every timeline slow to start. What it says for Vietnam depends
only on its installed version, our reading of it (domain/calendar.py) and the years asked, so
the days are kept in a small JSON file named after all three, under ``$DTIFLOW_CACHE_DIR`` (default ``~/.cache/dtiflow``). A file that is
missing, unreadable or damaged is simply recomputed; a cache folder that cannot be written is
skipped. The overrides of rubrics/calendar/vn.yaml are applied after, never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

from domain import calendar as calendar_module
from domain.calendar import DayInfo, holiday_base_days

_FORMAT = 1  # bump when the file's layout changes


def cache_dir() -> Path:
    return Path(os.environ.get("DTIFLOW_CACHE_DIR") or Path.home() / ".cache" / "dtiflow")


def holidays_version() -> str | None:
    """The installed `holidays` version, read from its dist-info folder's name (importing the
    package or importlib.metadata would cost what the cache saves). None when not found."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    site = Path(spec.origin).parent.parent
    try:
        names = [n for n in os.listdir(site) if n.startswith("holidays-") and n.endswith(".dist-info")]
    except OSError:
        return None
    found = [m.group(1) for n in names if (m := re.fullmatch(r"holidays-(.+)\.dist-info", n))]
    return found[0] if len(found) == 1 else None


def _rules_digest() -> str:
    """The reading of the package's days is our code (domain.calendar): a change to it must not
    be answered from a file written by the old reading."""
    return hashlib.sha1(Path(calendar_module.__file__).read_bytes()).hexdigest()[:12]


def base_days(first_year: int, last_year: int) -> dict[dt.date, DayInfo]:
    version = holidays_version()
    if version is None:
        return holiday_base_days(first_year, last_year)
    path = cache_dir() / f"holidays-vn-{version}-{_rules_digest()}-{first_year}-{last_year}-v{_FORMAT}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {dt.date.fromisoformat(r[0]): DayInfo(dt.date.fromisoformat(r[0]), bool(r[1]), r[2], r[3], r[4], False)
                for r in rows}
    except (OSError, ValueError, TypeError, IndexError, KeyError):
        pass  # absent or damaged: compute it
    days = holiday_base_days(first_year, last_year)
    rows = [[d.isoformat(), i.working, i.kind, i.name, i.source] for d, i in sorted(days.items())]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError:
        pass  # a read-only home: no cache, same answers
    return days
