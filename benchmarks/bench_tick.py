"""One heartbeat over a cycle of 11,000 units, on the production wiring.

    .venv/bin/python benchmarks/bench_tick.py [--units N] [--url DATABASE_URL | --postgres]
                                              [--repeat R] [--profile a|a2|b] [--no-prefect]

Seeds (not timed) a synthetic register of N departments (`services.testing.synthetic_register`)
and opens the 2019 Bình Thuận cycle over them (Decision 1867: due end of 15/9/2019, grace to
20/9), then times `services.tick.run_tick` — the service the `cycle_tick` flow and
`dtiflow serve` call — with the e-mail outbox of `dtiflow.bootstrap.build_app`:

 (a)  nothing due: a working morning in August, before the first reminder (target < 200 ms);
 (a2) nothing new: ten minutes after (b), the day's 11,000 reminders already queued — the steady
      state of a tick every few minutes on a reminder day (same target);
 (b)  a reminder due for every unit: 08:00 on Thursday 5/9, seven working days before the due
      day, nothing queued yet — 11,000 messages rendered and queued (target < 10 s);
 (c)  the Prefect overhead per tick: the `cycle_tick` flow against `App.tick_once` (the same two
      calls, made directly: run_tick and the outbox drain) at the instant of (a2), the day's mail
      sent, as in bench_tick_overhead.py (heartbeat off).
Prints medians, the ratio to each target, and the drain of (b)'s mail to a maildir for scale.
`--profile X` prints cProfile's top functions for that case instead of (c).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from domain.clock import FixedClock  # noqa: E402
from domain.instants import local_time_on  # noqa: E402
from dtiflow.bootstrap import build_app, installed  # noqa: E402
from dtiflow.settings import load_settings  # noqa: E402
from services import cycles  # noqa: E402
from services.register import import_register  # noqa: E402
from services.testing import SECRETARIAT, make_services, synthetic_register  # noqa: E402
from services.tick import run_tick  # noqa: E402
from store.schema import create_schema  # noqa: E402
from store.uow import sql_uow_factory  # noqa: E402

REGIME = "binhthuan-2019-it"
NOTICE = dt.date(2019, 8, 7)
NOTHING_DUE = local_time_on(dt.date(2019, 8, 20), 9)        # (a) a Tuesday, no reminder yet
ALL_DUE = local_time_on(dt.date(2019, 9, 5), 8)             # (b) "7 working days before" 15/9
NOTHING_NEW = ALL_DUE + dt.timedelta(minutes=10)            # (a2)
TARGET_NOTHING_DUE = 0.200
TARGET_ALL_DUE = 10.0


def seed(url: str, units: int, maildir: Path):
    """The register and the open cycle, written without e-mail (the notices are not measured)."""
    settings = load_settings({"DTIFLOW_DATABASE_URL": url, "DTIFLOW_MAILDIR": str(maildir)})
    app = build_app(settings, clock=FixedClock(local_time_on(NOTICE, 9)))
    create_schema(app.engine)
    quiet = make_services(sql_uow_factory(app.engine), app.clock)  # a recording outbox: no notices
    t0 = time.perf_counter()
    import_register(quiet, synthetic_register(units, "department"))
    opened = cycles.open_cycle(quiet, actor_id=SECRETARIAT, regime_id=REGIME, year=2019, facts={"notice": NOTICE})
    run_tick(app.services, now=local_time_on(NOTICE + dt.timedelta(days=1), 9))  # start collecting
    print(f"seeded {opened['units']} units, cycle {opened['cycle_id']} in {time.perf_counter() - t0:.1f} s (not timed)")
    return app


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def line(name: str, samples: list[float], target: float | None = None, extra: str = "") -> float:
    med = statistics.median(samples)
    verdict = ""
    if target is not None:
        verdict = f"  = {med / target:5.2f} × target {target * 1000:.0f} ms  {'OK' if med < target else 'MISSED'}"
    print(f"  {name:<46} median {med * 1000:9.1f} ms  min {min(samples) * 1000:9.1f} ms  (n={len(samples)})"
          f"{verdict}{extra}")
    return med


def profile(fn, top: int = 25) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


def prefect_overhead(app, repeat: int) -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.tick import cycle_tick

    logging.getLogger("prefect").setLevel(logging.WARNING)
    with installed(app):
        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=60):
            print(f"  (Prefect test server started in {time.perf_counter() - t0:.1f} s)")
            with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
                cycle_tick()  # warm-up: registers the flow and its tasks
                direct = line("(c) App.tick_once, direct", timed(lambda: app.tick_once(app.clock.now()), repeat))
                flow = line("(c) cycle_tick flow (heartbeat off)", timed(cycle_tick, repeat))
    print(f"  Prefect overhead per tick: {(flow - direct) * 1000:.1f} ms "
          f"({flow / direct:.1f} × the direct call)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=11_000)
    parser.add_argument("--url", default=None, help="database URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--postgres", action="store_true",
                        help="a throw-away database on 127.0.0.1:5432 (store.testing), dropped after")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", choices=["a", "a2", "b"], default=None)
    parser.add_argument("--no-prefect", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        if args.postgres:
            from store.testing import temporary_postgres_database

            args.url = stack.enter_context(temporary_postgres_database())
        url = args.url or f"sqlite:///{tmp}/bench.db"
        app = seed(url, args.units, Path(tmp) / "mail")
        stack.callback(app.engine.dispose)
        svc = app.services
        print(f"One tick over {args.units} units ({app.engine.dialect.name})")
        if args.profile == "a":
            return profile(lambda: run_tick(svc, now=NOTHING_DUE))
        a = timed(lambda: run_tick(svc, now=NOTHING_DUE), args.repeat)
        line("(a) nothing due (run_tick)", a, TARGET_NOTHING_DUE)

        if args.profile == "b":
            return profile(lambda: run_tick(svc, now=ALL_DUE))
        t0 = time.perf_counter()
        result = run_tick(svc, now=ALL_DUE)
        b = time.perf_counter() - t0
        line("(b) a reminder due for every unit (run_tick)", [b], TARGET_ALL_DUE,
             f"  [{result.reminders_queued} queued, {result.reminders_queued / b:,.0f}/s]")
        assert result.reminders_queued >= args.units, result

        if args.profile == "a2":
            return profile(lambda: run_tick(svc, now=NOTHING_NEW))
        a2 = timed(lambda: run_tick(svc, now=NOTHING_NEW), args.repeat)
        line("(a2) nothing new: the day's reminders queued", a2, TARGET_NOTHING_DUE)

        t0 = time.perf_counter()
        sent = app.outbox.drain(NOTHING_NEW)
        d = time.perf_counter() - t0
        print(f"  (for scale) relay drain of (b) to a maildir: {sent} messages in {d:.1f} s ({sent / d:,.0f}/s)")

        app.clock.set(NOTHING_NEW)
        if not args.no_prefect:
            prefect_overhead(app, args.repeat)


if __name__ == "__main__":
    main()
