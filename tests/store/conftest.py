"""The store on SQLite and on PostgreSQL (a throw-away database for this test session)."""

from __future__ import annotations

import pytest

from store.db import make_engine
from store.schema import metadata
from store.testing import postgres_unreachable, temporary_postgres_database


@pytest.fixture(scope="session")
def store_pg_url():
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with temporary_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        eng = make_engine(request.getfixturevalue("store_pg_url"))
        metadata.drop_all(eng)
    metadata.create_all(eng)
    yield eng
    eng.dispose()
