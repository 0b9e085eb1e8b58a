"""`dtiflow serve` in a child process, with a tick that records which process ticked and when.

    python tests/flows/serve_child.py DATABASE_URL TICKS_FILE [serve options...]

Each tick appends "<pid> <unix time>" to TICKS_FILE; the outbox sends nothing. Everything else
(the lease, APScheduler, signals, exit codes) is the real `dtiflow serve`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dtiflow.bootstrap import build_app, installed  # noqa: E402
from dtiflow.cli.main import main  # noqa: E402
from dtiflow.settings import Settings  # noqa: E402
from flow_fakes import CountingOutbox, RecordingCommands  # noqa: E402
from flows.ports import TickCounts  # noqa: E402


class FileTick:
    def __init__(self, path: Path) -> None:
        self.path = path

    def run_tick(self, now: dt.datetime, cycle_id: str | None = None) -> TickCounts:
        with self.path.open("a") as f:
            f.write(f"{os.getpid()} {time.time():.6f}\n")
        return TickCounts()


if __name__ == "__main__":
    url, ticks, *options = sys.argv[1:]
    app = build_app(Settings(database_url=url), services=object(), tick=FileTick(Path(ticks)),
                    outbox=CountingOutbox(), commands=RecordingCommands())
    with installed(app):
        sys.exit(main(["serve", *options]))
