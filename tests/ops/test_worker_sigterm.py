"""`systemctl stop` stops a worker: `dtiflow worker` exits on the first SIGTERM.

systemd sends SIGTERM to the unit's processes and SIGKILL only after the stop timeout;
`prefect worker start` needs a second signal (it forwards the first to itself as SIGINT and keeps
polling), so it always ended in that kill. The unit in deploy/systemd runs `dtiflow worker`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prefect_server import ROOT, stop, wait_until

pytestmark = pytest.mark.prefect_server

DTIFLOW = str(Path(sys.executable).with_name("dtiflow"))


def test_one_sigterm_stops_an_idle_dtiflow_worker_cleanly(prefect_api, tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen([DTIFLOW, "worker", "--pool", "sigterm-test-pool", "--name", "sigterm-test"],
                                  env=prefect_api, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        wait_until(lambda: "started" in log.read_text(), 180, "the worker starts polling")
        sent = time.monotonic()
        os.killpg(worker.pid, signal.SIGTERM)  # what systemd's stop sends to the unit's processes
        code = worker.wait(60)
        print(f"\ndtiflow worker stopped {time.monotonic() - sent:.1f} s after one SIGTERM")
        assert code == 0
        assert "Nhận SIGTERM" in log.read_text() and "đã dừng" in log.read_text()
    finally:
        stop(worker)


def test_a_bad_limit_is_refused_in_one_line():
    done = subprocess.run([DTIFLOW, "worker", "--limit", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "'0' phải từ 1 trở lên" in done.stderr and "Traceback" not in done.stderr
