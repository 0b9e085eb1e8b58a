"""Fixtures of the notification tests: a real loopback SMTP server, an outbox on a SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from notifications.outbox import Composer
from notifications.relay import Relay, RelayPolicy
from notifications.render import Renderer
from notifications.testing_smtp import LoopbackSmtp
from notifications.transports import SmtpTransport
from notifications.samples import SECRETARIAT, SENDER
from store.db import make_engine
from store.outbox import create_outbox_table

START = dt.datetime(2019, 9, 11, 1, 0, tzinfo=dt.timezone.utc)  # 08:00 in Bình Thuận


@pytest.fixture(scope="session")
def smtp_server():
    with LoopbackSmtp() as server:
        yield server


@pytest.fixture
def smtp(smtp_server):
    smtp_server.sink.clear()
    yield smtp_server
    smtp_server.sink.clear()


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    create_outbox_table(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture(scope="session")
def composer():
    return Composer(Renderer(), SENDER)


@pytest.fixture
def make_relay(engine, clock, composer, smtp):
    def make(policy: RelayPolicy = RelayPolicy(), transport=None, **kwargs):
        transport = transport or SmtpTransport(smtp.host, smtp.port, timeout=5)
        return Relay(engine, transport, clock, secretariat=[SECRETARIAT], composer=composer,
                     policy=policy, **kwargs)
    return make
