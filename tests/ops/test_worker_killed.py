"""A worker killed while it runs the tick does not block the next tick.

On a real Prefect server (PostgreSQL) with two process workers on `dtiflow-pool`, the tick is
deployed with prefect.yaml's own `cycle-tick` settings (one run at a time, CANCEL_NEW, the slot's
grace period, the 30 s flow-run heartbeat) and `dtiflow ops prefect-setup` installs the
automations. The flow is a stand-in (tests/ops/tick_double.py) whose first run blocks; the test
kills that worker's whole process group with SIGKILL (the host lost power: worker and flow-run
process together). Without the automations the dead run would stay RUNNING and hold the slot for
Prefect's 300 s lease, cancelling every tick meanwhile; with them it is marked CRASHED and the
next scheduled tick runs on the other worker; no tick is cancelled after the crash. The recovery
time is printed, not asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from prefect_server import ROOT, prefect, stop, wait_until

pytestmark = pytest.mark.prefect_server

DTIFLOW = str(Path(sys.executable).with_name("dtiflow"))
INTERVAL = 60  # the test's tick interval (production: 15 min); longer than 3 heartbeats of 30 s


def _deployment_file(tmp_path: Path) -> Path:
    """prefect.yaml's cycle-tick, as shipped, with the stand-in flow and a short interval."""
    shipped = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    tick = next(d for d in shipped["deployments"] if d["name"] == "cycle-tick")
    # A module entrypoint, like the shipped ones: the process worker starts flow runs in a
    # temporary directory, so only what is importable (here through PYTHONPATH) is found.
    tick = dict(tick, entrypoint="tick_double:tick_double",
                schedules=[{"interval": INTERVAL, "active": True}])
    path = tmp_path / "prefect.yaml"
    path.write_text(yaml.safe_dump({"name": "dtiflow-worker-kill", "pull": shipped.get("pull"),
                                    "deployments": [tick]}, allow_unicode=True), encoding="utf-8")
    return path


def _events(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _flow_runs(env: dict[str, str]) -> list:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read():
        async with get_client() as client:
            return await client.read_flow_runs()

    with temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return asyncio.run(read())


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc): the flow runs a worker started."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _explain(env: dict[str, str], tmp_path: Path, log: Path) -> None:
    """What the runs and the workers did, for the failure report."""
    print("\nticks:", _events(log))
    for run in sorted(_flow_runs(env), key=lambda r: r.expected_start_time or r.created):
        print(f"run {run.name} {str(run.id)[:8]} expected {run.expected_start_time} state {run.state.type.value}"
              f"/{run.state.name} at {run.state.timestamp}: {run.state.message}")
    for name in ("A", "B"):
        print(f"--- worker {name}:", (tmp_path / f"worker-{name}.log").read_text()[-3000:])


def test_the_next_tick_runs_on_the_other_worker_after_a_worker_dies_holding_the_tick(prefect_api, tmp_path):
    env = dict(prefect_api, PYTHONPATH=str(Path(__file__).resolve().parent))
    prefect(env, "work-pool", "create", "dtiflow-pool", "--type", "process", "--overwrite")
    prefect(env, "--no-prompt", "deploy", "--all", "--prefect-file", str(_deployment_file(tmp_path)))
    setup = subprocess.run([DTIFLOW, "ops", "prefect-setup", "--json"],
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert setup.returncode == 0, setup.stderr
    assert len(json.loads(setup.stdout)["automations"]) == 2

    log = tmp_path / "ticks.jsonl"
    workers = {}
    for name in ("A", "B"):
        worker_env = dict(env, TICK_LOG=str(log), WORKER_NAME=name, PREFECT_WORKER_QUERY_SECONDS="2",
                          PREFECT_WORKER_PREFETCH_SECONDS="5")
        workers[name] = subprocess.Popen(
            [DTIFLOW, "worker", "--pool", "dtiflow-pool", "--name", f"worker-{name}"],
            env=worker_env, cwd=ROOT, stdout=(tmp_path / f"worker-{name}.log").open("w"),
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            first = wait_until(lambda: next((e for e in _events(log) if e["event"] == "started"), None),
                               6 * INTERVAL, "a scheduled tick starts on a worker")
        except AssertionError:
            _explain(env, tmp_path, log)
            raise
        holder = first["worker"]
        other = "B" if holder == "A" else "A"
        time.sleep(5)  # let its first heartbeat out
        # The host dies: the worker and the flow-run process it started (in a session of its own).
        for pid in [workers[holder].pid, *_descendants(workers[holder].pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        killed_at = time.time()
        workers[holder].wait(10)

        try:
            done = wait_until(lambda: next((e for e in _events(log) if e["event"] == "finished"), None),
                              300 + 2 * INTERVAL, "a tick finishes after the kill")
        except AssertionError:
            _explain(env, tmp_path, log)
            raise
        recovered = done["at"] - killed_at

        runs = {str(r.id): r for r in _flow_runs(env)}
        dead = runs[first["run"]]
        assert dead.state.type.value == "CRASHED", dead.state
        assert "nhịp tim" in (dead.state.message or "")  # marked by our automation, not by chance
        assert done["worker"] == other and done["auto"]  # a scheduled tick, on the surviving worker
        cancelled = [r for r in runs.values() if r.state.type.value == "CANCELLED"]
        print(f"\nworker {holder} killed holding run {first['run'][:8]}; crashed at "
              f"{dead.state.timestamp.timestamp() - killed_at:.0f} s; next tick finished on worker {other} "
              f"{recovered:.0f} s after the kill; {len(cancelled)} tick(s) cancelled meanwhile "
              f"(interval {INTERVAL} s)")
        # Once the dead run is CRASHED the slot is free: no tick is cancelled after that.
        crashed_at = dead.state.timestamp
        assert [r.name for r in cancelled if r.state.timestamp > crashed_at] == []
    finally:
        for process in workers.values():
            stop(process)
