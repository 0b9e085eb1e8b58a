"""On PostgreSQL, relays claim with FOR UPDATE SKIP LOCKED: two relays at once never send a
message twice (SQLite would prove nothing here: FOR UPDATE compiles away there)."""

from __future__ import annotations

import collections
import secrets
import threading

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from domain.reminders import BEFORE_DUE, DueReminder, Occasion
from notifications.messages import Recipient, Unit, unit_reminder
from notifications.outbox import enqueue, enqueue_many
from notifications.relay import Relay, RelayPolicy
from notifications.transports import SmtpTransport
from notifications.samples import CYCLE, DUE, SECRETARIAT
from store.db import make_engine
from store.outbox import OutboxBody, OutboxMessage, create_outbox_table
from store.testing import DEFAULT_ADMIN_URL, postgres_unreachable

pytestmark = pytest.mark.postgres
MESSAGES = 600


@pytest.fixture(scope="module")
def pg_engine():
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    name = f"dtiflow_notif_{secrets.token_hex(5)}"
    admin = create_engine(DEFAULT_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(DEFAULT_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    try:
        create_outbox_table(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def outbox(pg_engine):
    with pg_engine.begin() as conn:
        conn.execute(OutboxBody.__table__.delete())
        conn.execute(OutboxMessage.__table__.delete())
    return pg_engine


def _mails(composer, clock, count):
    due = DueReminder(Occasion(BEFORE_DUE, "reminder:due-1wd:2019-09-13", DUE.date(), clock.now(), DUE,
                               "submission_due"), DUE.date(), DUE.date(), 1)
    return [composer.compose(unit_reminder(CYCLE, Unit(f"u{n}", f"UBND xã {n}", Recipient(f"f{n}@xa.vn"),
                                                       Recipient(f"h{n}@xa.vn")), due), clock.now())
            for n in range(count)]


def _relay(engine, smtp, clock, composer, name):
    return Relay(engine, SmtpTransport(smtp.host, smtp.port, timeout=10), clock, secretariat=[SECRETARIAT],
                 composer=composer, policy=RelayPolicy(batch_size=25, commit_every=5), name=name)


def test_enqueue_ignores_a_duplicate_key_on_postgresql_too(outbox, composer, clock):
    mails = _mails(composer, clock, 3)
    with Session(outbox) as session:
        assert enqueue_many(session, mails, clock.now()) == 3
        assert not enqueue(session, mails[0], clock.now())  # the transaction is still usable
        assert enqueue_many(session, mails, clock.now()) == 0
        session.commit()
        assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 3


def test_a_claim_skips_the_rows_another_relay_has_locked(outbox, composer, clock, smtp):
    with Session(outbox) as session:
        enqueue_many(session, _mails(composer, clock, 10), clock.now())
        session.commit()
    other = outbox.connect()
    locked_tx = other.begin()  # relay A, in the middle of its claim, holds three rows
    locked = other.execute(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(3)
                           .with_for_update(skip_locked=True)).scalars().all()
    try:
        claimed = _relay(outbox, smtp, clock, composer, "relay-b").claim()
        assert len(claimed) == 7
        assert not {c.id for c in claimed} & set(locked)
    finally:
        locked_tx.rollback()
        other.close()


def test_two_relays_draining_at_once_never_send_a_message_twice(outbox, composer, clock, smtp, capsys):
    mails = _mails(composer, clock, MESSAGES)
    with Session(outbox) as session:
        enqueue_many(session, mails, clock.now())
        session.commit()
    relays = [_relay(outbox, smtp, clock, composer, f"relay-{n}") for n in (1, 2)]
    reports, barrier = {}, threading.Barrier(2)

    def run(relay):
        barrier.wait()
        reports[relay.token] = relay.drain(sleep=lambda s: None)

    threads = [threading.Thread(target=run, args=(r,)) for r in relays]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    received = collections.Counter(r.message_id for r in smtp.sink.received)
    with capsys.disabled():
        print(f"\ntwo relays on PostgreSQL: {', '.join(f'{k} sent {v.sent}' for k, v in sorted(reports.items()))}; "
              f"received {sum(received.values())} deliveries of {len(received)} messages")
    assert set(received) == {m.message_id for m in mails}
    assert max(received.values()) == 1
    assert sum(r.sent for r in reports.values()) == MESSAGES
    with Session(outbox) as session:
        assert session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all() == [
            ("sent", MESSAGES)]
