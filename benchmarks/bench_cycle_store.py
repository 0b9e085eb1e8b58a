"""How long the store takes for a province-sized cycle: enrolling and locking 11,000 units.

Prints, for SQLite (file, WAL) and PostgreSQL (if reachable): importing the register, opening
the cycle (timeline + bulk enrolment), and the lock — set-based (one UPDATE per source state,
bulk audit insert) against a baseline that moves each sheet by its own compare-and-set, as an
ORM loop would. Run: .venv/bin/python benchmarks/bench_cycle_store.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from domain.authorization import Role
from domain.clock import FixedClock
from domain.instants import UTC
from domain.events import SheetLocked, SheetNotEvaluated
from domain.sheet import SheetTrigger
from services import cycles
from services.common import move_sheet
from services.register import import_register
from services.runner import run_command
from services.testing import SECRETARIAT, make_services, synthetic_register
from store.db import make_engine
from store.schema import create_schema, metadata
from store.testing import postgres_unreachable, temporary_postgres_database
from store.uow import sql_uow_factory

END = dt.datetime(2019, 9, 20, 17, 0, tzinfo=UTC)


def _prepare(engine, n: int, cycle_id: str):
    services = make_services(sql_uow_factory(engine), FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC)))
    t0 = time.perf_counter()
    cycles.open_cycle(services, actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019, level="I",
                      cycle_id=cycle_id, facts={"notice": dt.date(2019, 8, 7)})
    opened = time.perf_counter() - t0
    with engine.begin() as conn:  # half the units sent their sheet (setup only, not the app's path)
        conn.execute(text("UPDATE sheet SET state = 'submitted' WHERE cycle_id = :c AND id % 2 = 0"), {"c": cycle_id})
    services.clock.set(END)
    return services, opened


def _per_row_lock(services, cycle_id: str) -> None:
    def body(tx):
        tx.role = Role.SECRETARIAT  # the baseline skips the table lookup, not the audit
        for s in tx.uow.sheets.list(cycle_id):
            if s.state == "submitted":
                move_sheet(tx, cycle_id, s, SheetTrigger.LOCK, SheetLocked, notify=False)
            else:
                move_sheet(tx, cycle_id, s, SheetTrigger.MARK_NOT_EVALUATED, SheetNotEvaluated, notify=False,
                           acceptance_end=END)
        return {}
    run_command(services, "lock-per-row", actor_id=SECRETARIAT, key=None, params={}, body=body)


def bench(engine, n: int) -> None:
    services = make_services(sql_uow_factory(engine), FixedClock(dt.datetime(2019, 8, 1, tzinfo=UTC)))
    t0 = time.perf_counter()
    import_register(services, synthetic_register(n))
    imported = time.perf_counter() - t0
    services, opened = _prepare(engine, n, "set-based")
    t0 = time.perf_counter()
    result = cycles.lock_cycle(services, actor_id=SECRETARIAT, cycle_id="set-based")
    set_based = time.perf_counter() - t0
    services, _ = _prepare(engine, n, "per-row")
    t0 = time.perf_counter()
    _per_row_lock(services, "per-row")
    per_row = time.perf_counter() - t0
    print(f"{engine.dialect.name:<10} N={n}: import register {imported:6.2f} s | open cycle {opened:5.2f} s | "
          f"lock set-based {set_based * 1000:7.0f} ms ({result['sheets']}) | per-row CAS loop {per_row * 1000:7.0f} ms "
          f"| ratio {per_row / set_based:4.1f}x")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 11_000
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        create_schema(engine)
        bench(engine, n)
        engine.dispose()
    reason = postgres_unreachable()
    if reason:
        print(f"postgresql: skipped ({reason})")
        return
    with temporary_postgres_database() as url:
        engine = make_engine(url)
        metadata.create_all(engine)
        bench(engine, n)
        engine.dispose()


if __name__ == "__main__":
    main()
