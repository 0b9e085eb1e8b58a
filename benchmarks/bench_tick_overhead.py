"""What Prefect costs per tick: `cycle_tick` run as a flow vs the same two calls made directly.

    .venv/bin/python benchmarks/bench_tick_overhead.py [N]

The tick and the outbox are trivial (they return zero counts at once), so every millisecond
measured is orchestration: the flow run and its two task runs recorded in a temporary local
Prefect server (`prefect_test_harness`, SQLite). The flow-run heartbeat is off, as in the tests
and as a worker run can set it; a few runs with it on show what it adds to a sync flow.
Prints per-call medians and 90th percentiles, the difference, and the ratio.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import statistics
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The test server's telemetry write races its own start-up on SQLite ("database is locked").
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from domain.clock import FixedClock  # noqa: E402
from dtiflow.bootstrap import build_app, installed  # noqa: E402
from dtiflow.settings import Settings  # noqa: E402
from flows.ports import TickCounts  # noqa: E402

NOW = dt.datetime(2019, 9, 23, 1, 0, tzinfo=dt.timezone.utc)


class NothingDue:
    def run_tick(self, now: dt.datetime, cycle_id: str | None = None) -> TickCounts:
        return TickCounts()


class EmptyOutbox:
    def drain(self, now: dt.datetime) -> int:
        return 0


class NoCommands:  # the stage flows are not run here
    pass


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def describe(name: str, samples: list[float]) -> float:
    med = statistics.median(samples)
    p90 = sorted(samples)[max(0, int(len(samples) * 0.9) - 1)]
    print(f"  {name:<34} median {med * 1000:9.3f} ms   p90 {p90 * 1000:9.3f} ms   (n={len(samples)})")
    return med


def main(n: int = 30) -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.tick import cycle_tick

    logging.getLogger("prefect").setLevel(logging.WARNING)  # one log line per run would swamp the figures

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Settings(database_url=f"sqlite:///{tmp}/bench.db"), clock=FixedClock(NOW),
                        services=object(), tick=NothingDue(), outbox=EmptyOutbox(), commands=NoCommands())
        with installed(app):
            print(f"Prefect overhead per tick ({n} runs each, trivial tick and outbox)")
            direct = describe("direct App.tick_once", timed(lambda: app.tick_once(NOW), max(n, 1000)))
            t0 = time.perf_counter()
            with prefect_test_harness(server_startup_timeout=60):
                print(f"  (test server started in {time.perf_counter() - t0:.1f} s)")
                with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
                    cycle_tick()  # warm-up: first run registers the flow and tasks
                    flow_off = describe("cycle_tick flow, heartbeat off", timed(cycle_tick, n))
                flow_on = describe("cycle_tick flow, heartbeat on", timed(cycle_tick, max(3, n // 10)))
    print(f"  Prefect overhead per tick: {(flow_off - direct) * 1000:.1f} ms with the heartbeat off, "
          f"{(flow_on - direct) * 1000:.1f} ms with it on (the direct call: {direct * 1e6:.1f} µs)")
    print(f"  At one tick every 15 minutes: {4 * (flow_off - direct):.2f} s of orchestration per hour "
          f"(heartbeat off), {4 * (flow_on - direct):.2f} s (on); a real tick's own work comes on top.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
