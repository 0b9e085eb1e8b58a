"""One cycle that fails does not stop the others: the failure is in the tick's result, the
cycle's audit log and a notice to the secretariat (once per distinct error a day); the other
cycles' moves and reminders go on, and the relay still sends."""

from __future__ import annotations

import mailbox
from email.header import decode_header, make_header

from sqlalchemy import text

from store.db import make_engine

BROKEN, HEALTHY = "bt-2019-nhom-i", "bt-2019-nhom-ii"
REMINDER_MORNING = "2019-09-05T01:00:00Z"  # 08:00 local, 7 working days before the due day


def open_two_cycles(cli):
    for level, cid in (("I", BROKEN), ("II", HEALTHY)):
        cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--level", level, "--id", cid,
            "--notice-date", "07/08/2019", "--as", "thuongtruc.stttt", now="2019-08-07T02:00:00Z")


def break_an_extension(cli):
    """An extension stored before dates were checked: far outside the working-day calendar."""
    engine = make_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE sheet SET extended_until = '2999-09-29 17:00:00.000000', extension_reason = 'x' "
                          "WHERE cycle_id = :c AND unit_code = 'SNV'"), {"c": BROKEN})
    engine.dispose()


def rows(cli, sql: str, **params):
    engine = make_engine(cli.url)
    with engine.connect() as conn:
        found = conn.execute(text(sql), params).all()
    engine.dispose()
    return found


def test_a_failing_cycle_is_reported_and_the_others_go_on(cli):
    open_two_cycles(cli)
    break_an_extension(cli)

    result = cli("cycle", "tick", "--json", now=REMINDER_MORNING, expect=1)
    assert set(result["errors"]) == {BROKEN}
    assert "nằm ngoài lịch làm việc" in result["errors"][BROKEN]
    assert result["cycles"][HEALTHY] == ["CollectionStarted"] and result["reminders_queued"] > 0

    text_out = cli("cycle", "tick", now=REMINDER_MORNING, expect=1)
    assert f"Kỳ {BROKEN}: KHÔNG thực hiện được" in text_out

    log = cli("audit", BROKEN, "--as", "thuongtruc.stttt", "--json")
    (failed,) = [e for e in log if e["event"] == "TickFailed"]  # the second tick the same day added none
    assert failed["actor"] == "system:tick"  # the clock, as the audit names it
    notices = rows(cli, "SELECT recipients, subject FROM outbox_message WHERE kind = 'tick_failure_notice'")
    assert len(notices) == 1 and BROKEN in notices[0][1]

    cli("mail", "relay", now=REMINDER_MORNING)
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in mailbox.Maildir(cli.maildir, create=False)]
    assert sum(f"Kỳ đánh giá {BROKEN} tạm dừng" in s for s in subjects) == 1
    assert len(subjects) > 1, "the healthy cycle's reminders went out too"


def test_an_unknown_cycle_is_refused_with_a_sentence(cli):
    err = cli("cycle", "tick", "khong-co-ky-nay", expect=2)
    assert err == "dtiflow: error: không có kỳ đánh giá 'khong-co-ky-nay'\n"
