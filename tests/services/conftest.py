"""Services wired over a fake (in-memory) unit of work, over SQLite and over PostgreSQL, with a
fixed clock. Every service test runs on all three: the fake proves the logic, the databases
prove the same logic holds on real rows, constraints and triggers."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from domain.instants import UTC
from services.testing import load_sample_units, make_services
from store.db import make_engine
from store.memory import memory_uow_factory
from store.schema import create_schema, metadata
from store.uow import sql_uow_factory

NOTICE_DAY = dt.datetime(2019, 8, 7, 2, 0, tzinfo=UTC)  # 09:00 local on the day of letter 697


@pytest.fixture(scope="session")
def services_pg_engine(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def svc(request, tmp_path):
    clock = FixedClock(NOTICE_DAY)
    if request.param == "memory":
        services = make_services(memory_uow_factory(), clock)
    elif request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'dtiflow.db'}")
        create_schema(engine)
        services = make_services(sql_uow_factory(engine), clock)
    else:
        engine = request.getfixturevalue("services_pg_engine")
        metadata.drop_all(engine)
        create_schema(engine)
        services = make_services(sql_uow_factory(engine), clock)
    load_sample_units(services)
    services.backend = request.param
    return services
