"""PostgreSQL for the persistence tests: one throw-away database per test session."""

from __future__ import annotations

import pytest

from store.db import make_engine
from store.schema import metadata


@pytest.fixture
def pg_engine(pg_url):
    """A fresh schema for each test (drop, create): tests do not see each other's rows."""
    engine = make_engine(pg_url, pool_size=40, max_overflow=10)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    engine.dispose()
