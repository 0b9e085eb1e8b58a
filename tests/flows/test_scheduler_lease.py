"""The scheduler lease: one holder per database, taken over only once it has expired."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from domain.clock import FixedClock
from store import scheduler_lease as leases
from store.db import make_engine

T0 = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.timezone.utc)
TTL = dt.timedelta(seconds=90)
NAME = "cycle-tick"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'lease.db'}")
    else:
        engine = request.getfixturevalue("pg_engine")
    leases.ensure_table(engine)
    return engine


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


def test_the_first_scheduler_takes_the_free_lease_until_now_plus_its_length(engine, clock):
    got = leases.acquire(engine, NAME, "a", clock.now(), TTL)
    assert got.acquired
    assert leases.current(engine, NAME) == leases.Lease(NAME, "a", T0, T0, T0 + TTL)


def test_a_second_scheduler_is_refused_while_the_lease_runs_and_told_who_holds_it(engine, clock):
    leases.acquire(engine, NAME, "a", clock.now(), TTL)
    clock.advance(TTL - dt.timedelta(microseconds=1))
    got = leases.acquire(engine, NAME, "b", clock.now(), TTL)
    assert not got.acquired
    assert (got.lease.holder, got.lease.expires_at) == ("a", T0 + TTL)


def test_an_expired_lease_is_taken_over_at_its_expiry_instant(engine, clock):
    leases.acquire(engine, NAME, "a", clock.now(), TTL)
    clock.set(T0 + TTL)  # half-open: [acquired_at, expires_at)
    got = leases.acquire(engine, NAME, "b", clock.now(), TTL)
    assert got.acquired and got.lease == leases.Lease(NAME, "b", T0 + TTL, T0 + TTL, T0 + 2 * TTL)


def test_renewing_keeps_the_lease_and_moves_its_expiry(engine, clock):
    leases.acquire(engine, NAME, "a", clock.now(), TTL)
    clock.advance(dt.timedelta(seconds=60))
    assert leases.renew(engine, NAME, "a", clock.now(), TTL)
    clock.advance(dt.timedelta(seconds=60))  # past the first expiry, within the renewed one
    assert not leases.acquire(engine, NAME, "b", clock.now(), TTL).acquired


def test_a_holder_whose_lease_was_taken_over_cannot_renew_it(engine, clock):
    leases.acquire(engine, NAME, "a", clock.now(), TTL)
    clock.advance(TTL)
    leases.acquire(engine, NAME, "b", clock.now(), TTL)
    assert not leases.renew(engine, NAME, "a", clock.now(), TTL)
    assert leases.current(engine, NAME).holder == "b"


def test_only_the_holder_can_release_and_then_anyone_may_take_it_at_once(engine, clock):
    leases.acquire(engine, NAME, "a", clock.now(), TTL)
    assert not leases.release(engine, NAME, "b")
    assert leases.release(engine, NAME, "a")
    assert leases.current(engine, NAME) is None
    assert leases.acquire(engine, NAME, "b", clock.now(), TTL).acquired


def test_naive_times_and_empty_lengths_are_refused(engine):
    with pytest.raises(ValueError, match="time zone|timezone|aware"):
        leases.acquire(engine, NAME, "a", dt.datetime(2026, 11, 26, 8, 0), TTL)
    with pytest.raises(ValueError, match="positive"):
        leases.acquire(engine, NAME, "a", T0, dt.timedelta(0))


@pytest.mark.postgres
@pytest.mark.parametrize("situation", ["no lease yet", "an expired lease"])
def test_on_postgresql_many_schedulers_racing_for_the_lease_leave_exactly_one_holder(pg_engine, situation):
    leases.ensure_table(pg_engine)
    if situation == "an expired lease":
        leases.acquire(pg_engine, NAME, "dead", T0 - 2 * TTL, TTL)
    racers = [f"racer-{i}" for i in range(8)]
    start = threading.Barrier(len(racers))
    results: dict[str, bool] = {}

    def race(holder: str) -> None:
        start.wait()
        results[holder] = leases.acquire(pg_engine, NAME, holder, T0, TTL).acquired

    threads = [threading.Thread(target=race, args=(h,)) for h in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [h for h, won in results.items() if won]
    assert len(winners) == 1
    assert leases.current(pg_engine, NAME).holder == winners[0]
