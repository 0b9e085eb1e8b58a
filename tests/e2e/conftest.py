"""The whole demo year, run once for the end-to-end tests: the demo's own scenario
(`dtiflow.demo.scenario.demo_year`), its world (fresh SQLite, loopback SMTP server keeping what it
receives) and its runner, under the test run's one `prefect_test_harness`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from prefect_harness import shared_harness


@pytest.fixture(scope="session")
def prefect_harness():
    with shared_harness():
        yield


@dataclass
class PlayedYear:
    plans: list
    world: object
    run: object
    delivered: list  # what the SMTP server received, in order
    outbox: dict  # Message-ID -> (cycle_id, unit_id, kind)

    def plan(self, regime_id: str, owner: str = "province"):
        return next(p for p in self.plans if p.regime_id == regime_id and p.owner == owner)

    def messages(self, cycle_id: str, unit: str) -> list:
        return [m for m in self.delivered if self.outbox.get(m.message_id, ("", "", ""))[:2] == (cycle_id, unit)]

    def kind(self, message) -> str:
        return self.outbox[message.message_id][2]


def _play(plans, folder, register=None) -> PlayedYear:
    from sqlmodel import Session, select

    from dtiflow.demo.account import Account
    from dtiflow.demo.world import demo_world
    from dtiflow.demo.year import YearRun
    from store.outbox import OutboxMessage

    import io

    start = min(p.notice_at for p in plans) - dt.timedelta(hours=1)
    # The world is installed (flow runs use its app) only while the year runs: later tests in
    # this session must not find it installed. The tests read its database afterwards.
    with demo_world(folder, start, keep_in_memory=True, register=register) as world:
        run = YearRun(world.app, plans, Account(io.StringIO()))
        run.run()
    with Session(world.app.engine) as session:
        rows = session.exec(select(OutboxMessage.message_id, OutboxMessage.cycle_id, OutboxMessage.unit_id,
                                   OutboxMessage.kind)).all()
    return PlayedYear(plans, world, run, world.smtp.sink.received, {r[0]: tuple(r[1:]) for r in rows})


@pytest.fixture(scope="session")
def year(prefect_harness, tmp_path_factory):
    from dtiflow.demo.scenario import demo_year

    return _play(demo_year(), tmp_path_factory.mktemp("demo-year"))


@pytest.fixture(scope="session")
def hanoi(prefect_harness, tmp_path_factory):
    """Hà Nội's 2026 cycle (Decision 5279) in its own database: the city's agencies and its 126
    wards and communes, none under a district."""
    from dtiflow.demo.scenario import hanoi_year

    return _play(hanoi_year(), tmp_path_factory.mktemp("hanoi-2026"), register="hanoi")
