"""Services wired over a fake (in-memory) unit of work and over SQLite, with a fixed clock.

Every service test runs on both: the fake proves the logic, SQLite proves the same logic holds
on real rows, constraints and triggers. PostgreSQL runs in tests/integration/persistence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from domain.instants import UTC
from services.testing import load_sample_units, make_services
from store.db import make_engine
from store.memory import memory_uow_factory
from store.schema import create_schema
from store.uow import sql_uow_factory

NOTICE_DAY = dt.datetime(2019, 8, 7, 2, 0, tzinfo=UTC)  # 09:00 local on the day of letter 697


@pytest.fixture(params=["memory", "sqlite"])
def svc(request, tmp_path):
    clock = FixedClock(NOTICE_DAY)
    if request.param == "memory":
        services = make_services(memory_uow_factory(), clock)
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'dtiflow.db'}")
        create_schema(engine)
        services = make_services(sql_uow_factory(engine), clock)
    load_sample_units(services)
    services.backend = request.param
    return services
