"""A server that is down, slow, or says 4xx gets the message later; a 5xx parks it and tells the
secretariat. Time is travelled with the fixed clock, never slept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from notifications.messages import MessageKind
from notifications.outbox import enqueue
from notifications.relay import RelayPolicy
from notifications.testing_smtp import LoopbackSmtp, free_port
from notifications.transports import MaildirTransport, SmtpTransport
from notifications.samples import SECRETARIAT, UNIT, every_kind
from store.outbox import OutboxMessage

REMINDER = every_kind()[MessageKind.REMINDER_BEFORE_DUE]
RECEIPT = every_kind()[MessageKind.SUBMISSION_RECEIPT]


def queue(engine, composer, clock, *messages):
    with Session(engine) as session:
        for message in messages:
            enqueue(session, composer.compose(message, clock.now()), clock.now())
        session.commit()


def rows(engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {r.kind: r for r in session.execute(select(OutboxMessage)).scalars()}


def test_a_4xx_reply_is_retried_after_a_backoff_and_then_delivered(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    smtp.sink.data_replies.extend(["451 4.3.0 Mailbox temporarily unavailable"])
    relay = make_relay(RelayPolicy(backoff_base=dt.timedelta(minutes=1)))

    first = relay.run_once()
    row = rows(engine)[REMINDER.kind.value]
    assert (first.retried, row.status, row.attempts) == (1, "queued", 1)
    assert row.last_error.startswith("451 4.3.0")
    assert row.next_attempt_at == clock.now() + dt.timedelta(minutes=1)
    assert relay.run_once().claimed == 0  # not before the backoff has run out

    clock.advance(dt.timedelta(minutes=1))
    assert relay.run_once().sent == 1
    row = rows(engine)[REMINDER.kind.value]
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, clock.now())
    assert [r.message_id for r in smtp.sink.received] == [REMINDER.message_id(composer.domain)]


def test_backoff_doubles_and_is_capped(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    smtp.sink.data_replies.extend(["452 4.2.2 Over quota"] * 5)
    relay = make_relay(RelayPolicy(backoff_base=dt.timedelta(minutes=1), backoff_cap=dt.timedelta(minutes=5)))
    waits = []
    for _ in range(5):
        relay.run_once()
        row = rows(engine)[REMINDER.kind.value]
        waits.append(row.next_attempt_at - clock.now())
        clock.set(row.next_attempt_at)
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 5, 5)]
    assert relay.run_once().sent == 1


def test_a_server_that_is_down_gets_the_messages_when_it_is_back(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER, RECEIPT)
    port = free_port()  # nothing listens here yet
    relay = make_relay(transport=SmtpTransport("127.0.0.1", port, timeout=2))

    report = relay.run_once()
    assert (report.retried, report.released, report.sent) == (1, 1, 0)
    statuses = {r.status for r in rows(engine).values()}
    assert statuses == {"queued"}
    assert "cannot reach 127.0.0.1" in rows(engine)[REMINDER.kind.value].last_error

    with LoopbackSmtp(port=port) as late_server:
        clock.advance(dt.timedelta(hours=3))
        assert relay.drain(sleep=lambda s: None).sent == 2
        assert len(late_server.sink.received) == 2
    assert {r.status for r in rows(engine).values()} == {"sent"}


def test_a_server_that_stays_down_never_parks_a_message(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    relay = make_relay(RelayPolicy(max_attempts=3), transport=SmtpTransport("127.0.0.1", free_port(), timeout=2))
    for _ in range(6):
        relay.run_once()
        clock.advance(dt.timedelta(hours=3))
    row = rows(engine)[REMINDER.kind.value]
    assert (row.status, row.attempts) == ("queued", 6)


def test_a_slow_server_times_out_and_the_message_goes_later(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    smtp.sink.rcpt_delay = 1.0
    relay = make_relay(transport=SmtpTransport(smtp.host, smtp.port, timeout=0.3))
    assert relay.run_once().retried == 1
    assert "timed out" in rows(engine)[REMINDER.kind.value].last_error
    smtp.sink.rcpt_delay = 0.0
    clock.advance(dt.timedelta(minutes=1))
    assert relay.run_once().sent == 1
    assert len(smtp.sink.received) == 1


def test_a_5xx_parks_the_message_and_tells_the_secretariat(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER, RECEIPT)
    for address in (UNIT.focal.address, UNIT.head.address):
        smtp.sink.refuse[address] = "550 5.1.1 Recipient address rejected: User unknown"

    report = make_relay().drain(sleep=lambda s: None)

    assert (report.parked, report.sent) == (2, 2)  # two parked, two notices sent
    by_kind = rows(engine)
    parked = [r for r in by_kind.values() if r.status == "parked"]
    assert {r.kind for r in parked} == {REMINDER.kind.value, RECEIPT.kind.value}
    assert all("550 5.1.1" in r.last_error for r in parked)
    notices = [r for r in smtp.sink.received if r.recipients == (SECRETARIAT.address,)]
    assert len(notices) == 2
    bodies = [n.parsed().get_body(("plain",)).get_content() for n in notices]
    assert any(REMINDER.message_id(composer.domain) in b for b in bodies)
    assert all("cntt@stc.binhthuan.gov.vn" in b and "550 5.1.1" in b for b in bodies)


def test_repeated_4xx_replies_park_the_message_after_the_last_attempt(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    smtp.sink.data_replies.extend(["451 4.7.1 Greylisted"] * 3)
    relay = make_relay(RelayPolicy(max_attempts=3))
    for _ in range(3):
        relay.run_once()
        clock.advance(dt.timedelta(hours=3))
    row = rows(engine)[REMINDER.kind.value]
    assert row.status == "parked"
    assert row.last_error.startswith("gave up after 3 attempts")
    assert rows(engine)[MessageKind.DELIVERY_FAILURE_NOTICE.value].status == "queued"


def test_a_recipient_refused_among_others_is_reported_but_the_others_get_the_message(
        engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    smtp.sink.refuse[UNIT.head.address] = "550 5.1.1 User unknown"
    make_relay().drain(sleep=lambda s: None)
    by_kind = rows(engine)
    assert by_kind[REMINDER.kind.value].status == "sent"
    assert "giamdoc@stc.binhthuan.gov.vn: 550 5.1.1" in by_kind[REMINDER.kind.value].last_error
    assert by_kind[MessageKind.DELIVERY_FAILURE_NOTICE.value].status == "sent"
    delivered = {r.recipients for r in smtp.sink.received}
    assert (UNIT.focal.address,) in delivered and (SECRETARIAT.address,) in delivered


def test_a_notice_about_a_failed_notice_is_not_sent_in_a_loop(engine, composer, clock, make_relay, smtp):
    queue(engine, composer, clock, REMINDER)
    for address in (UNIT.focal.address, UNIT.head.address, SECRETARIAT.address):
        smtp.sink.refuse[address] = "550 5.1.1 User unknown"
    make_relay().drain(sleep=lambda s: None)
    statuses = sorted((r.kind, r.status) for r in rows(engine).values())
    assert statuses == [("delivery_failure_notice", "parked"), ("reminder_before_due", "parked")]


def test_the_maildir_transport_delivers_to_files(engine, composer, clock, make_relay, tmp_path):
    import mailbox
    queue(engine, composer, clock, REMINDER, RECEIPT)
    assert make_relay(transport=MaildirTransport(tmp_path / "mail")).drain(sleep=lambda s: None).sent == 2
    box = mailbox.Maildir(tmp_path / "mail", create=False)
    subjects = sorted(str(msg["Subject"]) for msg in box)
    assert len(subjects) == 2
    stored = [msg for msg in box if msg["Message-ID"] == REMINDER.message_id(composer.domain)]
    assert stored[0]["X-Envelope-To"] == "cntt@stc.binhthuan.gov.vn, giamdoc@stc.binhthuan.gov.vn"


def test_the_smtp_transport_never_shows_its_password():
    transport = SmtpTransport("smtp.example", 587, "starttls", "stttt", "s3cret-Passw0rd")
    assert "s3cret" not in repr(transport) and "s3cret" not in str(vars(transport).get("password"))


def test_an_unknown_security_mode_is_refused_by_name():
    import pytest
    with pytest.raises(ValueError, match="none, starttls, tls"):
        SmtpTransport("smtp.example", 25, "ssl")
