"""The maildir transport stores a message once per Message-ID: a relay killed after writing a
message but before marking it sent sends it again on restart, and the maildir keeps one copy
(`dtiflow serve` restarted repeats nothing)."""

from __future__ import annotations

import mailbox

from notifications.transports import MaildirTransport


def _raw(message_id: str, body: str = "Nhắc hạn gửi phiếu.") -> bytes:
    return (f"From: noreply@dtiflow.local\r\nTo: daumoi@test.example\r\nSubject: nhac han\r\n"
            f"Message-ID: {message_id}\r\n\r\n{body}\r\n").encode("utf-8")


def _ids(path) -> list[str]:
    return sorted(msg["Message-ID"] for msg in mailbox.Maildir(path, create=False))


def test_a_message_sent_again_by_a_restarted_relay_is_stored_once(tmp_path):
    first = MaildirTransport(tmp_path)
    first.send("noreply@dtiflow.local", ["daumoi@test.example"], _raw("<r1@dtiflow.local>"))
    # The process dies before its "sent" mark is committed; the next one sends the row again.
    again = MaildirTransport(tmp_path)
    again.send("noreply@dtiflow.local", ["daumoi@test.example"], _raw("<r1@dtiflow.local>"))
    again.send("noreply@dtiflow.local", ["daumoi@test.example"], _raw("<r1@dtiflow.local>"))
    assert _ids(tmp_path) == ["<r1@dtiflow.local>"]
    assert list((tmp_path / "tmp").iterdir()) == []  # no temporary file left behind


def test_a_message_already_read_in_a_mail_client_is_not_delivered_again(tmp_path):
    transport = MaildirTransport(tmp_path)
    transport.send("noreply@dtiflow.local", ["daumoi@test.example"], _raw("<r1@dtiflow.local>"))
    [name] = [p.name for p in (tmp_path / "new").iterdir()]
    (tmp_path / "new" / name).rename(tmp_path / "cur" / f"{name}:2,S")  # what a mail client does
    MaildirTransport(tmp_path).send("noreply@dtiflow.local", ["daumoi@test.example"], _raw("<r1@dtiflow.local>"))
    assert _ids(tmp_path) == ["<r1@dtiflow.local>"]


def test_different_messages_are_all_stored_and_keep_their_envelope_line(tmp_path):
    transport = MaildirTransport(tmp_path)
    for i in range(3):
        transport.send("noreply@dtiflow.local", ["daumoi@test.example"], _raw(f"<r{i}@dtiflow.local>"))
    assert _ids(tmp_path) == ["<r0@dtiflow.local>", "<r1@dtiflow.local>", "<r2@dtiflow.local>"]
    [msg, *_] = list(mailbox.Maildir(tmp_path, create=False))
    assert msg["X-Envelope-To"] == "daumoi@test.example" and msg["Return-Path"] == "<noreply@dtiflow.local>"


def test_a_message_without_a_message_id_is_still_delivered_every_time(tmp_path):
    raw = b"From: a@dtiflow.local\r\nTo: b@test.example\r\nSubject: x\r\n\r\nno id\r\n"
    transport = MaildirTransport(tmp_path)
    transport.send("a@dtiflow.local", ["b@test.example"], raw)
    transport.send("a@dtiflow.local", ["b@test.example"], raw)
    assert len(mailbox.Maildir(tmp_path, create=False)) == 2  # nothing to recognise it by
