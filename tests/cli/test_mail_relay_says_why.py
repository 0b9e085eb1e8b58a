"""The relay that cannot deliver says why and exits non-zero when nothing went out; the outbox
shows the error stored with each message waiting for another try."""

from __future__ import annotations

import json


def test_a_relay_that_cannot_write_the_maildir_says_why_and_fails(cli, tmp_path, monkeypatch):
    cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019",
        "--as", "thuongtruc.stttt", now="2019-08-07T02:00:00Z")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the maildir should be", encoding="utf-8")
    monkeypatch.setenv("DTIFLOW_MAILDIR", str(blocker / "mail"))

    out = cli("mail", "relay", now="2019-08-07T02:05:00Z", expect=1)
    assert "Không gửi được thư nào" in out and "cannot write to maildir" in out
    assert "None" not in out

    listed = cli("mail", "outbox", now="2019-08-07T02:06:00Z")
    assert "Chờ gửi lại lúc 09:06 ngày 07/08/2019" in listed and "cannot write to maildir" in listed
    report = cli("mail", "relay", "--json", now="2019-08-07T03:00:00Z", expect=1)
    assert report["sent"] == 0 and any("cannot write to maildir" in e for e in report["errors"])

    monkeypatch.setenv("DTIFLOW_MAILDIR", str(tmp_path / "mail"))
    sent = cli("mail", "relay", "--json", now="2019-08-07T05:00:00Z")
    assert sent["sent"] > 0 and sent["errors"] == []


def test_mail_commands_answer_in_json(cli):
    preview = cli("mail", "preview", "notice", "--json")
    assert preview["subject"].startswith("Triển khai đánh giá") and "Kính gửi" in preview["text"]
    err = cli("mail", "requeue", "<khong-co@dtiflow.local>", "--json", expect=2)
    assert "không có thư đang dừng gửi" in err
    json.dumps(cli("mail", "outbox", "--json"))
