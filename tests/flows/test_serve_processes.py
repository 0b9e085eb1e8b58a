"""`dtiflow serve` as real processes on one SQLite file: one scheduler per database.

Each test waits for what it expects (with a generous deadline), it never sleeps a fixed time.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import scheduler_lease as leases
from store.db import make_engine

CHILD = Path(__file__).with_name("serve_child.py")
ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0


class Serve:
    def __init__(self, tmp: Path, name: str, *options: str) -> None:
        self.err_path = tmp / f"{name}.err"
        self.ticks = tmp / "ticks.txt"
        self.url = f"sqlite:///{tmp / 'dtiflow.db'}"
        self.proc = subprocess.Popen([sys.executable, str(CHILD), self.url, str(self.ticks), *options],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.err_path.open("w"))
        self.pid = self.proc.pid

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8")

    def tick_times(self) -> list[float]:
        if not self.ticks.exists():
            return []
        rows = [line.split() for line in self.ticks.read_text().splitlines() if line.strip()]
        return [float(t) for pid, t in rows if int(pid) == self.pid]

    def wait_for(self, what: str, predicate) -> None:
        end = time.monotonic() + DEADLINE
        while not predicate():
            if self.proc.poll() is not None and not predicate():
                raise AssertionError(f"serve {self.pid} exited ({self.proc.returncode}) before {what}:\n{self.stderr}")
            if time.monotonic() > end:
                raise AssertionError(f"serve {self.pid}: no {what} within {DEADLINE} s:\n{self.stderr}")
            time.sleep(0.05)

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=DEADLINE)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=DEADLINE)


@pytest.fixture
def serves(tmp_path):
    started: list[Serve] = []

    def start(name: str, *options: str) -> Serve:
        s = Serve(tmp_path, name, *options)
        started.append(s)
        return s

    yield start
    for s in started:
        s.kill()


def _lease(serve: Serve) -> leases.Lease | None:
    engine = make_engine(serve.url)
    try:
        return leases.current(engine, "cycle-tick")
    finally:
        engine.dispose()


def test_a_second_serve_on_the_same_database_refuses_in_one_line_naming_the_holder(serves):
    first = serves("first", "--interval", "0.3", "--lease", "5")
    first.wait_for("a tick", lambda: first.tick_times())
    second = serves("second", "--interval", "0.3", "--lease", "5")
    assert second.proc.wait(timeout=DEADLINE) == 2
    [line] = second.stderr.splitlines()
    assert line.startswith("dtiflow: error: ") and f":{first.pid}:" in line and "--passive" in line
    assert second.tick_times() == []


def test_sigterm_stops_a_serve_cleanly_and_gives_the_lease_back(serves):
    first = serves("first", "--interval", "0.3", "--lease", "5")
    first.wait_for("a tick", lambda: first.tick_times())
    assert first.stop(signal.SIGTERM) == 0
    assert "trả quyền lập lịch" in first.stderr
    assert _lease(first) is None


def test_a_passive_standby_takes_over_only_after_a_killed_holders_lease_expires(serves):
    holder = serves("holder", "--interval", "0.2", "--lease", "2")
    holder.wait_for("a tick", lambda: holder.tick_times())
    standby = serves("standby", "--interval", "0.2", "--lease", "2", "--passive")
    standby.wait_for("the standby message", lambda: "dự phòng" in standby.stderr)
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait(timeout=DEADLINE)
    dead_lease = _lease(holder)
    assert f":{holder.pid}:" in dead_lease.holder  # a killed process gives nothing back

    standby.wait_for("a tick after taking over", lambda: standby.tick_times())
    assert min(standby.tick_times()) >= dead_lease.expires_at.timestamp()
    assert min(standby.tick_times()) > max(holder.tick_times())
    assert "tiếp quản" in standby.stderr
    assert standby.stop(signal.SIGINT) == 0


def test_a_passive_standby_takes_over_at_once_when_the_holder_stops(serves):
    holder = serves("holder", "--interval", "0.2", "--lease", "30")
    holder.wait_for("a tick", lambda: holder.tick_times())
    standby = serves("standby", "--interval", "0.2", "--lease", "30", "--passive")
    standby.wait_for("the standby message", lambda: "dự phòng" in standby.stderr)
    assert holder.stop(signal.SIGTERM) == 0
    # Released, not expired: the standby polls every few seconds, far sooner than 30 s.
    standby.wait_for("a tick after taking over", lambda: standby.tick_times())
    assert min(standby.tick_times()) > max(holder.tick_times())
    assert standby.stop(signal.SIGTERM) == 0


def test_a_new_serve_after_a_killed_one_is_refused_until_the_lease_runs_out_then_runs(serves):
    killed = serves("killed", "--interval", "0.3", "--lease", "4")
    killed.wait_for("a tick", lambda: killed.tick_times())
    killed.proc.send_signal(signal.SIGKILL)
    killed.proc.wait(timeout=DEADLINE)
    expires = _lease(killed).expires_at.timestamp()

    too_soon = serves("too-soon", "--interval", "0.3", "--lease", "4")
    too_soon.wait_for("a refusal or a tick", lambda: too_soon.proc.poll() is not None or too_soon.tick_times())
    if too_soon.proc.poll() is not None:  # the usual case: it started within the dead holder's lease
        assert too_soon.proc.returncode == 2 and f":{killed.pid}:" in too_soon.stderr
    else:  # a slow machine started it after the lease ran out: then it may run, but not before
        assert min(too_soon.tick_times()) >= expires
        assert too_soon.stop(signal.SIGTERM) == 0
    while time.time() < expires:
        time.sleep(0.05)

    later = serves("later", "--interval", "0.3", "--lease", "4")
    later.wait_for("a tick", lambda: later.tick_times())
    assert min(later.tick_times()) >= expires
    assert later.stop(signal.SIGTERM) == 0
