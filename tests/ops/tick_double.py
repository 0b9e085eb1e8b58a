"""A stand-in for the tick in the worker-kill test: deployed with prefect.yaml's own `cycle-tick`
settings (concurrency, heartbeat), it writes one line per run to $TICK_LOG — the run, the worker
that ran it, started/finished — and the first run it sees blocks until its worker is killed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run


@flow(name="cycle-tick", log_prints=True)
def tick_double(cycle_id: str | None = None) -> str:
    log = Path(os.environ["TICK_LOG"])
    first = log.with_suffix(".first")

    def write(event: str) -> None:
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"run": str(flow_run.id), "worker": os.environ["WORKER_NAME"], "event": event,
                                "at": time.time(), "auto": bool(flow_run.scheduled_start_time)}) + "\n")

    write("started")
    try:
        fd = os.open(first, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # the first run of the test holds the tick
    except FileExistsError:
        write("finished")
        return "done"
    os.close(fd)
    time.sleep(900)  # killed long before this ends
    return "not reached"
