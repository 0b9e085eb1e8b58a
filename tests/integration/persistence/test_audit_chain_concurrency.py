"""Two transactions appending to one cycle's chain queue on its head instead of forking it
(PostgreSQL: READ COMMITTED, one connection per thread; store.repo_records.SqlAudit.append_many)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from domain.instants import UTC
from store.audit_chain import verify_chain
from store.db import make_engine
from store.schema import create_schema, metadata
from store.uow import SqlUnitOfWork

pytestmark = pytest.mark.postgres

STREAM = "cycle:race"


def _event(writer: int, n: int) -> dict:
    return {"cycle_id": "race", "unit_code": None, "actor_id": f"writer.{writer}", "role": "secretariat",
            "at": dt.datetime(2019, 9, 20, 17, 0, tzinfo=UTC) + dt.timedelta(seconds=n), "command": "lock", "event": "Probe",
            "from_state": None, "to_state": None, "reason": None, "details": {"writer": writer, "n": n}}


@pytest.fixture
def pg_engine(pg_url):
    engine = make_engine(pg_url, pool_size=10, max_overflow=0)
    metadata.drop_all(engine)
    create_schema(engine)
    yield engine
    engine.dispose()


def test_a_second_writer_waits_for_the_first_to_commit_then_links_after_it(pg_engine):
    first = SqlUnitOfWork(pg_engine).__enter__()
    first.audit.append_many([_event(1, 1)])  # holds the head's lock until it commits
    done = threading.Event()

    def second() -> None:
        with SqlUnitOfWork(pg_engine) as uow:
            uow.audit.append_many([_event(2, 1)])
            uow.commit()
        done.set()

    t = threading.Thread(target=second)
    t.start()
    # Proven by the server, not by a timer: the second connection is waiting on the advisory lock.
    with pg_engine.connect() as probe:
        for _ in range(600):
            waiting = probe.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar()
            if waiting:
                break
            probe.execute(text("SELECT pg_sleep(0.05)"))
    assert waiting == 1 and not done.is_set()
    first.commit()
    first.__exit__(None, None, None)
    t.join(timeout=60)
    assert done.is_set()
    with SqlUnitOfWork(pg_engine) as uow:
        rows = uow.audit.chain(STREAM)
    assert [(r.seq, r.actor_id) for r in rows] == [(1, "writer.1"), (2, "writer.2")]
    assert verify_chain(STREAM, rows).intact


def test_many_concurrent_writers_leave_one_unbroken_chain(pg_engine):
    writers, each = 6, 15
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(w: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with SqlUnitOfWork(pg_engine) as uow:
                    uow.audit.append_many([_event(w, n), _event(w, n + 100)])
                    uow.commit()
        except BaseException as exc:  # reported below: a fork shows as a unique or trigger violation
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    with SqlUnitOfWork(pg_engine) as uow:
        rows = uow.audit.chain(STREAM)
    report = verify_chain(STREAM, rows)
    assert report.intact and report.events == writers * each * 2
    assert [r.seq for r in rows] == list(range(1, writers * each * 2 + 1))
