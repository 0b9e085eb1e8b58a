"""`dtiflow worker`: a Prefect process worker that stops on the first SIGTERM.

`prefect worker start` turns SIGTERM into a SIGINT to itself and keeps running until a second
signal, so `systemctl stop` (one SIGTERM, then SIGKILL after the stop timeout) would always end
in a kill. This runs the same `ProcessWorker` in-process and cancels it on the first SIGTERM or
SIGINT: it stops polling, deregisters and exits 0. A flow run it started is a separate process in
the same control group; systemd signals it too and Prefect marks that run CRASHED, which frees the
tick's slot for the next tick on another worker (the tick repeats nothing: docs/operations.md).
"""

from __future__ import annotations

import asyncio
import signal
from typing import Callable


async def run_worker(pool: str, name: str | None, limit: int | None, printer: Callable[[str], None] = print) -> int:
    from prefect.workers.process import ProcessWorker

    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    stopping: list[str] = []

    def stop(sig: signal.Signals) -> None:
        if not stopping:
            stopping.append(sig.name)
            printer(f"Nhận {sig.name}: worker ngừng nhận lượt chạy mới và thoát.")
            task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig)
    worker = ProcessWorker(work_pool_name=pool, name=name, limit=limit)
    try:
        await worker.start(printer=printer)
    except asyncio.CancelledError:
        if not stopping:
            raise
    printer(f"Worker {worker.name} đã dừng.")
    return 0
