"""The store on SQLite and on PostgreSQL (a throw-away database for this test session)."""

from __future__ import annotations

import pytest

from store.db import make_engine
from store.schema import metadata


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        eng = make_engine(request.getfixturevalue("pg_url"))
        metadata.drop_all(eng)
    metadata.create_all(eng)
    yield eng
    eng.dispose()
