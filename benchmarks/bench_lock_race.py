"""The lock race on PostgreSQL, with and without the share lock on the cycle row.

Runs the harness of tests/integration/persistence/lock_race.py: N trials of 24 units submitting
on separate connections around the acceptance end while the lock runs. First as shipped
(submissions hold FOR SHARE on the cycle row; the lock takes FOR UPDATE on it first), then with
the share lock removed, to show that the test can see the anomaly it guards against (a sheet
accepted while the lock runs is left out of the locked snapshot). Then the same with every unit
extended past a cycle that is already locked (the lock no longer changes the cycle row), as
shipped and with the lock's FOR UPDATE removed. Prints counts per variant.
Run: .venv/bin/python benchmarks/bench_lock_race.py [TRIALS]
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration" / "persistence"))

from lock_race import run_trial  # noqa: E402

from domain.clock import FixedClock  # noqa: E402
from services.register import import_register  # noqa: E402
from services.testing import make_services, synthetic_register  # noqa: E402
from store.db import make_engine  # noqa: E402
from store.repositories import SqlCycles  # noqa: E402
from store.schema import metadata  # noqa: E402
from store.testing import postgres_unreachable, temporary_postgres_database  # noqa: E402
from store.uow import sql_uow_factory  # noqa: E402

UNITS = 24


def race(url: str, trials: int, label: str, extended: bool = False) -> None:
    engine = make_engine(url, pool_size=40, max_overflow=10)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    services = make_services(sql_uow_factory(engine), FixedClock(dt.datetime(2019, 8, 1, tzinfo=dt.timezone.utc)))
    import_register(services, synthetic_register(UNITS))
    units = [f"D{i:03d}" for i in range(1, UNITS + 1)]
    t0 = time.perf_counter()
    results = [run_trial(services, units, t, seed=1, extended=extended) for t in range(trials)]
    took = time.perf_counter() - t0
    kinds = Counter(a.split(":")[0] for r in results for a in r.anomalies)
    accepted = sum(r.on_time + r.late for r in results)
    refused = sum(r.refused for r in results)
    print(f"{label:<58} {trials} trials x {UNITS} submitters: accepted {accepted}, refused {refused}, "
          f"anomalies {sum(kinds.values())} {dict(kinds)}  ({took:.1f} s)")
    engine.dispose()


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    reason = postgres_unreachable()
    if reason:
        print(f"skipped: {reason}")
        return
    with temporary_postgres_database() as url:
        race(url, trials, "as shipped (FOR SHARE / FOR UPDATE)")
        shipped = SqlCycles.get_for_share
        SqlCycles.get_for_share = SqlCycles.get  # the mistake the design warns about
        try:
            race(url, trials, "without the submissions' share lock")
        finally:
            SqlCycles.get_for_share = shipped
        race(url, trials, "extended units, cycle locked: as shipped", extended=True)
        shipped = SqlCycles.get_for_update
        SqlCycles.get_for_update = SqlCycles.get
        try:
            race(url, trials, "extended units, cycle locked: lock without FOR UPDATE", extended=True)
        finally:
            SqlCycles.get_for_update = shipped


if __name__ == "__main__":
    main()
