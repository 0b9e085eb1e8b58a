"""The lock cannot lose an accepted sheet nor refuse an on-time one, on PostgreSQL
with one connection per submitting thread, and on SQLite (BEGIN IMMEDIATE serialises writers)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from lock_race import run_trial
from services.register import import_register
from services.testing import make_services, synthetic_register
from store.db import make_engine
from store.schema import create_schema
from store.uow import sql_uow_factory

UNITS = 24


def _race(engine, trials: int, *, extended: bool = False) -> list:
    services = make_services(sql_uow_factory(engine), FixedClock(dt.datetime(2019, 8, 1, tzinfo=dt.timezone.utc)))
    import_register(services, synthetic_register(UNITS))
    units = [f"D{i:03d}" for i in range(1, UNITS + 1)]
    results = [run_trial(services, units, trial, extended=extended) for trial in range(trials)]
    totals = {k: sum(getattr(r, k) for r in results) for k in ("submissions", "on_time", "late", "refused",
                                                               "locked", "not_evaluated")}
    anomalies = [a for r in results for a in r.anomalies]
    print(f"\n{engine.dialect.name}{' (units with extensions, cycle already locked)' if extended else ''}: {trials} trials x {UNITS} concurrent submissions while locking: {totals}; "
          f"anomalies: {len(anomalies)}")
    return [results, anomalies]


@pytest.mark.postgres
def test_concurrent_submissions_straddling_the_lock_lose_nothing_on_postgresql(pg_engine):
    results, anomalies = _race(pg_engine, trials=25)
    assert anomalies == []
    # The race really straddled the instant: both sides of it were hit in most trials.
    straddled = sum(1 for r in results if (r.on_time + r.late) > 0 and r.refused > 0)
    print(f"trials with submissions on both sides of the acceptance end: {straddled} of {len(results)}")
    assert straddled >= len(results) // 2, [(r.on_time + r.late, r.refused) for r in results]


def test_concurrent_submissions_straddling_the_lock_lose_nothing_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    create_schema(engine)
    results, anomalies = _race(engine, trials=5)
    assert anomalies == []
    assert all(r.submissions == UNITS for r in results)


@pytest.mark.postgres
def test_extended_units_submitting_while_a_locked_cycle_locks_again_lose_nothing_on_postgresql(pg_engine):
    results, anomalies = _race(pg_engine, trials=20, extended=True)
    assert anomalies == []
    straddled = sum(1 for r in results if (r.on_time + r.late) > 0 and r.refused > 0)
    assert straddled >= len(results) // 2, [(r.on_time + r.late, r.refused) for r in results]
