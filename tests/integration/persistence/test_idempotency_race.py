"""The same request sent several times at once (a double click, a retrying client) on
PostgreSQL: it runs once, and every caller gets the first result."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from domain.clock import FixedClock
from domain.instants import UTC
from services import cycles, sheets
from services.register import import_register
from services.testing import SECRETARIAT, answers_for, make_services, synthetic_register
from store.uow import sql_uow_factory


@pytest.mark.postgres
def test_a_key_sent_eight_times_at_once_submits_once_and_answers_everyone_alike(pg_engine):
    services = make_services(sql_uow_factory(pg_engine), FixedClock(dt.datetime(2019, 8, 7, 2, tzinfo=UTC)))
    import_register(services, synthetic_register(2))
    cycles.open_cycle(services, actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019, level="I",
                      cycle_id="k", facts={"notice": dt.date(2019, 8, 7)})
    sheets.save_draft(services, actor_id="focal.d001", cycle_id="k", unit_code="D001",
                      answers=answers_for(services, "binhthuan-2019-it.I", "D001", "I"))
    services.clock.set(dt.datetime(2019, 9, 10, tzinfo=UTC))
    start, results, errors = threading.Barrier(8), [], []

    def send() -> None:
        start.wait()
        try:
            results.append(sheets.submit_sheet(services, actor_id="head.d001", cycle_id="k", unit_code="D001",
                                               key="submit-D001"))
        except Exception as exc:  # each caller must get the answer, not an error
            errors.append(repr(exc))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 8 and sum(not r.get("replayed") for r in results) == 1
    assert {(r["outcome"], r["received_at"]) for r in results} == {("on_time", "2019-09-10T00:00:00+00:00")}
    with services.uow() as uow:
        assert [a.event for a in uow.audit.list("k")].count("SheetSubmitted") == 1
