"""`dtiflow mail`: ops see the outbox, send it, and queue a parked message again."""

from __future__ import annotations

import json
import mailbox

from sqlalchemy import update
from sqlmodel import Session

from dtiflow.cli.main import main
from notifications.messages import MessageKind
from notifications.outbox import enqueue
from notifications.samples import every_kind
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
    assert "Đã gửi 1 thư" in capsys.readouterr().out
    assert main(["mail", "requeue", receipt.message_id(composer.domain)]) == 0
    assert "vào hàng đợi gửi lại" in capsys.readouterr().out
    assert main(["mail", "relay", "--wait"]) == 0
    assert "Đã gửi 1 thư" in capsys.readouterr().out.splitlines()[0]
    assert len(mailbox.Maildir(tmp_path / "mail", create=False)) == 2


def test_requeueing_a_message_that_is_not_parked_is_refused_by_name(engine, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", str(engine.url))
    assert main(["mail", "requeue", "<khong-co@dtiflow.local>"]) == 2
    assert "không có thư đang dừng gửi với Message-ID <khong-co@dtiflow.local>" in capsys.readouterr().err


def test_a_province_previews_its_own_template_on_sample_content(tmp_path, monkeypatch, capsys):
    (tmp_path / "reminder_before_due.txt.j2").write_text(
        '{% extends "_base.txt.j2" %}{% block subject %}[Tây Ninh] còn {{ working_days_left }} ngày{% endblock %}'
        "{% block body %}Hạn: {{ deadline|closing_vi }}{% endblock %}", encoding="utf-8")
    monkeypatch.setenv("DTIFLOW_MAIL_TEMPLATES", str(tmp_path))
    assert main(["mail", "preview", "reminder_before_due"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiêu đề: [Tây Ninh] còn 3 ngày\n\nHạn: 24:00 Chủ nhật, 15/09/2019")
    assert main(["mail", "preview", "notice", "--ics"]) == 0
    assert "DTSTART;VALUE=DATE:20190915" in capsys.readouterr().out


def test_a_broken_override_template_is_named_with_its_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "notice.txt.j2").write_text('{% extends "_base.txt.j2" %}\n{% block subject %}{{ x }\n',
                                            encoding="utf-8")
    monkeypatch.setenv("DTIFLOW_MAIL_TEMPLATES", str(tmp_path))
    assert main(["mail", "preview", "notice"]) == 2
    err = capsys.readouterr().err
    assert "mẫu thư 'notice'" in err and "notice.txt.j2:2" in err


def test_previewing_an_unknown_kind_lists_the_kinds(capsys):
    assert main(["mail", "preview", "thu-moi"]) == 2
    assert "'thu-moi' không phải một loại thư; các loại: notice, reminder_before_due" in capsys.readouterr().err
