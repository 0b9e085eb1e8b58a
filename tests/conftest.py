"""Fixtures shared by every test: the shipped calendar and regimes, a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from rubrics.calendar_loader import load_calendar
from store.testing import postgres_unreachable, temporary_postgres_database


@pytest.fixture(scope="session")
def calendar():
    """The working-day calendar shipped in rubrics/calendar (holidays + official overrides)."""
    return load_calendar()


@pytest.fixture
def clock() -> FixedClock:
    """A clock that only moves when the test moves it (time travel, not sleeps)."""
    return FixedClock(dt.datetime(2019, 8, 1, 1, 0, tzinfo=dt.timezone.utc))


@pytest.fixture(scope="session")
def pg_url():
    """One throw-away PostgreSQL database for the whole run (127.0.0.1:5432), dropped after;
    the tests that need it skip, saying why, only when the server cannot be reached."""
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with temporary_postgres_database() as url:
        yield url
