"""Every kind of message reaches a real SMTP server with the right recipients, subject and body."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from sqlalchemy import select
from sqlmodel import Session

from notifications.messages import MessageKind
from notifications.outbox import enqueue, enqueue_many
from notifications.samples import COUNCIL, SECRETARIAT, SENDER, UNIT, every_kind
from store.outbox import OutboxMessage

FOCAL, HEAD = UNIT.focal.address, UNIT.head.address

EXPECTED = {
    # kind: (envelope recipients, a phrase of the subject, a phrase of the plain-text body
    #        [, the phrase as the HTML shows it, when it differs])
    MessageKind.NOTICE: ({FOCAL, HEAD}, "hạn gửi Phiếu đánh giá 24:00 Chủ nhật, 15/09/2019",
                         "từ ngày 01/09/2018 đến ngày 31/08/2019"),
    MessageKind.REMINDER_BEFORE_DUE: ({FOCAL, HEAD}, "còn 3 ngày làm việc",
                                      "đến hết ngày Chủ nhật, 15/09/2019"),
    MessageKind.REMINDER_DUE_DAY: ({FOCAL, HEAD}, "Hôm nay là hạn cuối", "trước 24:00 Chủ nhật, 15/09/2019"),
    MessageKind.GRACE_REMINDER: ({FOCAL, HEAD}, "Khẩn", "không được đánh giá, xếp hạng"),
    MessageKind.SUBMISSION_RECEIPT: ({FOCAL, HEAD}, "(gửi trễ)", "09:30 Thứ Ba, 17/09/2019"),
    MessageKind.NOT_EVALUATED_NOTICE: ({FOCAL, HEAD}, "không được đánh giá, xếp hạng năm 2019",
                                       "24:00 Thứ Sáu, 20/09/2019"),
    MessageKind.LOCK_DIGEST: ({SECRETARIAT.address}, "2 đúng hạn, 1 gửi trễ, 1 không gửi", "UBND thị xã La Gi"),
    MessageKind.EXPLANATION_REQUEST: ({FOCAL, HEAD}, "hạn 24:00 Thứ Sáu, 04/10/2019", "tử số và mẫu số"),
    MessageKind.STAFF_MILESTONE_REMINDER: ({SECRETARIAT.address, COUNCIL.address}, "Nhắc hạn nội bộ",
                                           "Còn 4 ngày làm việc"),
    MessageKind.RESULT_PUBLISHED: ({FOCAL, HEAD}, "Kết quả đánh giá, xếp hạng năm 2019", "Xếp loại: Tốt",
                                   "Xếp loại Tốt"),
    MessageKind.DELIVERY_FAILURE_NOTICE: ({SECRETARIAT.address}, "Không gửi được thư", "550 5.1.1"),
    MessageKind.TICK_FAILURE_NOTICE: ({SECRETARIAT.address}, "tạm dừng", "nằm ngoài lịch làm việc"),
    MessageKind.DEADLINE_CHANGED: ({UNIT.focal.address, UNIT.head.address}, "Gia hạn gửi Phiếu đánh giá",
                                   "24:00 Thứ Sáu, 27/09/2019"),
}


def _visible_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_message_kind_has_an_expectation():
    assert set(EXPECTED) == set(MessageKind) == set(every_kind())


def test_every_kind_of_message_arrives_with_its_recipients_subject_and_body(engine, clock, composer, make_relay, smtp):
    with Session(engine) as session:
        for message in every_kind().values():
            assert enqueue(session, composer.compose(message, clock.now()), clock.now())
        session.commit()

    report = make_relay().drain(sleep=lambda s: None)

    assert report.sent == len(MessageKind)
    by_id = {r.message_id: r for r in smtp.sink.received}
    for kind, message in every_kind().items():
        recipients, subject_part, body_part, *html_part = EXPECTED[kind]
        got = by_id[message.message_id(composer.domain)]
        parsed = got.parsed()
        assert set(got.recipients) == recipients, kind
        assert got.sender == SENDER.address
        assert subject_part in parsed["subject"], kind
        assert body_part in parsed.get_body(("plain",)).get_content(), kind
        assert (html_part or [body_part])[0] in _visible_text(parsed.get_body(("html",)).get_content()), kind
        calendars = [p for p in parsed.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert bool(calendars) == (message.deadline is not None), kind


def test_a_rerun_never_queues_the_same_occasion_twice(engine, clock, composer):
    mails = [composer.compose(msg, clock.now()) for msg in every_kind().values()]
    with Session(engine) as session:
        assert enqueue_many(session, mails, clock.now()) == len(mails)
        session.commit()
    clock.advance(dt.timedelta(hours=1))
    with Session(engine) as session:  # the tick or the command runs again
        assert enqueue_many(session, [composer.compose(msg, clock.now()) for msg in every_kind().values()],
                            clock.now()) == 0
        assert not enqueue(session, mails[0], clock.now())
        session.commit()
        assert len(session.execute(select(OutboxMessage.id)).all()) == len(mails)


def test_a_duplicate_does_not_abort_the_callers_transaction(engine, clock, composer):
    first, second = list(every_kind().values())[:2]
    with Session(engine) as session:
        enqueue(session, composer.compose(first, clock.now()), clock.now())
        session.commit()
    with Session(engine) as session:
        assert not enqueue(session, composer.compose(first, clock.now()), clock.now())
        assert enqueue(session, composer.compose(second, clock.now()), clock.now())
        session.commit()
        kinds = sorted(session.execute(select(OutboxMessage.kind)).scalars())
    assert kinds == sorted([first.kind.value, second.kind.value])


def test_an_enqueue_rolled_back_with_its_event_sends_nothing(engine, clock, composer, make_relay, smtp):
    with Session(engine) as session:
        enqueue(session, composer.compose(every_kind()[MessageKind.NOTICE], clock.now()), clock.now())
        session.rollback()  # the command failed: no event, no e-mail
    assert make_relay().drain(sleep=lambda s: None).sent == 0
    assert smtp.sink.received == []


def test_the_message_id_is_stable_and_in_the_bytes(clock, composer):
    message = every_kind()[MessageKind.REMINDER_BEFORE_DUE]
    one = composer.compose(message, clock.now())
    two = composer.compose(message, clock.now() + dt.timedelta(days=1))
    assert one.message_id == two.message_id
    assert one.message_id.endswith("@dtiflow.local>")
    assert f"Message-ID: {one.message_id}".encode() in one.raw


def test_bytes_use_crlf_line_ends_only(clock, composer):
    raw = composer.compose(every_kind()[MessageKind.NOTICE], clock.now()).raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


@pytest.mark.parametrize("address", ["no-at-sign", "đơn.vị@binhthuan.gov.vn", "a@b\r\nBcc: x@y"])
def test_a_recipient_address_that_cannot_be_used_is_refused_by_name(clock, composer, address):
    from dataclasses import replace

    from notifications.mime import BadAddress
    message = every_kind()[MessageKind.LOCK_DIGEST]
    bad = replace(message, to=(replace(message.to[0], address=address),))
    with pytest.raises(BadAddress, match="is not a usable e-mail address"):
        composer.compose(bad, clock.now())
