"""The production `dtiflow serve` in a child process, on a business clock the test moves.

    python tests/flows/serve_restart_child.py DATABASE_URL MAILDIR CLOCK_FILE [serve options...]

Everything is `dtiflow.bootstrap.build_app` from the environment's settings — services.tick, the
e-mail outbox, the relay to MAILDIR, the scheduler lease, APScheduler, signals — except the clock:
a testing aid that reads the instant from CLOCK_FILE at every call, so the test can walk a 2019
cycle through its weeks while the process runs (DTIFLOW_NOW is read once, at start-up). The lease
stays on wall time, as in production.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dtiflow.bootstrap import build_app, installed  # noqa: E402
from dtiflow.cli.main import main  # noqa: E402
from dtiflow.settings import load_settings  # noqa: E402


class FileClock:
    """The instant written in a file (ISO 8601 with its offset), read afresh at every call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def now(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.path.read_text(encoding="utf-8").strip()).astimezone(dt.timezone.utc)


def write_instant(path: Path, instant: dt.datetime) -> None:
    """Atomically: the child never reads half a timestamp."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(instant.isoformat(), encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    url, maildir, clock_file, *options = sys.argv[1:]
    settings = load_settings({"DTIFLOW_DATABASE_URL": url, "DTIFLOW_MAILDIR": maildir})
    app = build_app(settings, clock=FileClock(Path(clock_file)))
    with installed(app):
        sys.exit(main(["serve", *options]))
