"""`dtiflow mail`: ops see the outbox, send it, and queue a parked message again."""

from __future__ import annotations

import json
import mailbox

from sqlalchemy import update
from sqlmodel import Session

from dtiflow.cli.main import main
from notifications.messages import MessageKind
from notifications.outbox import enqueue
from sample_messages import every_kind
from store.outbox import OutboxMessage


def test_ops_list_send_and_requeue_through_the_command_line(tmp_path, monkeypatch, capsys, engine, composer, clock):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", str(engine.url))
    monkeypatch.setenv("DTIFLOW_MAILDIR", str(tmp_path / "mail"))
    monkeypatch.setenv("DTIFLOW_NOW", "2019-09-11T02:00:00Z")
    reminder, receipt = every_kind()[MessageKind.REMINDER_BEFORE_DUE], every_kind()[MessageKind.SUBMISSION_RECEIPT]
    with Session(engine) as session:
        enqueue(session, composer.compose(reminder, clock.now()), clock.now())
        enqueue(session, composer.compose(receipt, clock.now()), clock.now())
        session.execute(update(OutboxMessage).where(OutboxMessage.kind == receipt.kind.value)
                        .values(status="parked", last_error="550 5.1.1 User unknown"))
        session.commit()

    assert main(["mail", "outbox", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["counts"] == {"parked": 1, "queued": 1}
    assert listed["parked"][0]["last_error"] == "550 5.1.1 User unknown"

    assert main(["mail", "relay"]) == 0
    assert "đã gửi 1" in capsys.readouterr().out
    assert main(["mail", "requeue", receipt.message_id(composer.domain)]) == 0
    assert main(["mail", "relay", "--wait"]) == 0
    assert "đã gửi 1" in capsys.readouterr().out.splitlines()[-1]
    assert len(mailbox.Maildir(tmp_path / "mail", create=False)) == 2


def test_requeueing_a_message_that_is_not_parked_is_refused_by_name(engine, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", str(engine.url))
    assert main(["mail", "requeue", "<khong-co@dtiflow.local>"]) == 2
    assert "không có thư đang dừng gửi với Message-ID <khong-co@dtiflow.local>" in capsys.readouterr().err
