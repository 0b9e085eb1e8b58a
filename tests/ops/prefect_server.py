"""A real Prefect server for the ops tests, as production runs it: its own PostgreSQL database,
every service on (scheduler, triggers, the lease repossessor), analytics off. Started as a
subprocess on a free loopback port, stopped (and its database dropped) afterwards. The waits are
bounded and generous: the point is what happens, not how fast on a loaded 2-core machine."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
PREFECT = [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {seconds:g} s")


def stop(process: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the process group, SIGKILL what is left after `grace` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@contextlib.contextmanager
def prefect_server(tmp_path: Path, **settings: str) -> Iterator[dict[str, str]]:
    """Yields the environment of a client of the server (PREFECT_API_URL, PREFECT_HOME...)."""
    from store.testing import postgres_unreachable, temporary_postgres_database

    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    port = free_port()
    home = tmp_path / "prefect-home"
    home.mkdir()
    client_env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DTIFLOW_"))}
    client_env.update(PREFECT_HOME=str(home), PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
                      PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    with temporary_postgres_database() as url:
        db = make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        server_env = dict(client_env, PREFECT_SERVER_DATABASE_CONNECTION_URL=db, PREFECT_SERVER_UI_ENABLED="false",
                          **settings)
        log = (tmp_path / "server.log").open("w")
        server = subprocess.Popen(PREFECT + ["server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                  env=server_env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            def healthy():
                if server.poll() is not None:
                    raise AssertionError(f"the Prefect server exited: {(tmp_path / 'server.log').read_text()[-2000:]}")
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
                except httpx.HTTPError:
                    return False
            wait_until(healthy, 300, "the Prefect server answers /api/health")
            yield client_env
        finally:
            stop(server)
            log.close()


def prefect(env: dict[str, str], *args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(PREFECT + list(args), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"prefect {' '.join(args)}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return done
