"""10,000 reminders to a loopback SMTP server (aiosmtpd in its own process), all in one run.

    .venv/bin/python benchmarks/bench_email.py [--messages 10000]

(a) raw smtplib over one connection, the same pre-rendered bytes each time — the ceiling;
(b) the relay alone draining an outbox of rendered messages (SQLite file)   — target >= 80% of (a);
(c) render + enqueue + relay, end to end                                   — target >= 50% of (a).
Then where the time of one message goes: our template + direct-MIME composition, against
`email.message.EmailMessage` with the default policy and the compat32 `email.mime` classes.
Figures are msg/s on a noisy machine: compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import smtplib
import subprocess
import sys
import tempfile
import time
from email import policy as email_policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from domain.clock import FixedClock  # noqa: E402
from domain.instants import end_of_local_day, local_time_on  # noqa: E402
from domain.reminders import BEFORE_DUE, DueReminder, Occasion  # noqa: E402
from notifications import mime  # noqa: E402
from notifications.messages import Cycle, Recipient, Unit, unit_reminder  # noqa: E402
from notifications.outbox import Composer, enqueue_many  # noqa: E402
from notifications.relay import Relay, relay_engine  # noqa: E402
from notifications.render import Renderer  # noqa: E402
from notifications.transports import SmtpTransport  # noqa: E402
from sqlmodel import Session  # noqa: E402
from store.db import make_engine  # noqa: E402
from store.outbox import create_outbox_table  # noqa: E402

SENDER = Recipient("noreply@stttt.binhthuan.gov.vn", "Sở TT&TT Bình Thuận")
SECRETARIAT = Recipient("stttt@binhthuan.gov.vn", "Sở Thông tin và Truyền thông Bình Thuận")
CYCLE = Cycle("binhthuan-2019-it", "Đánh giá, xếp hạng kết quả ứng dụng công nghệ thông tin năm 2019", 2019,
              SECRETARIAT, contact="Bà Trần Thị Lệ Hằng, ĐT 0252.3833505, hangttl@stttt.binhthuan.gov.vn")
DUE = end_of_local_day(dt.date(2019, 9, 15))
NOW = local_time_on(dt.date(2019, 9, 11), 8)


def reminders(count: int):
    day = dt.date(2019, 9, 11)
    due = DueReminder(Occasion(BEFORE_DUE, "reminder:due-3wd:2019-09-11", day, NOW, DUE, "submission_due"),
                      day, dt.date(2019, 9, 15), 3)
    for n in range(count):
        unit = Unit(f"xa-{n:05d}", f"UBND xã số {n}", Recipient(f"vanthu{n}@xa.binhthuan.gov.vn", "Văn thư"),
                    Recipient(f"chutich{n}@xa.binhthuan.gov.vn", "Chủ tịch UBND xã"))
        yield unit_reminder(CYCLE, unit, due)


def start_server() -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "notifications.testing_smtp", "--count-only"], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    if not line or line[0] != "READY":
        raise SystemExit(f"the SMTP server did not start: {line}")
    return proc, int(line[1])


def fresh_engine(folder: Path, name: str):
    engine = make_engine(f"sqlite:///{folder / name}")
    create_outbox_table(engine)
    return engine


def relay_for(engine, port: int, composer: Composer) -> Relay:
    return Relay(relay_engine(engine.url.render_as_string(hide_password=False)), SmtpTransport("127.0.0.1", port),
                 FixedClock(NOW + dt.timedelta(minutes=1)),
                 secretariat=[SECRETARIAT], composer=composer)


def per_message(label: str, fn, rounds: int = 500) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    ms = (time.perf_counter() - start) * 1000 / rounds
    print(f"  {label:<62} {ms:6.3f} ms")
    return ms


def raw_loop(port: int, sample, n: int) -> float:
    smtp = smtplib.SMTP("127.0.0.1", port)
    start = time.perf_counter()
    for _ in range(n):
        smtp.sendmail(sample.sender, list(sample.recipients), sample.raw)
    seconds = time.perf_counter() - start
    smtp.quit()
    return seconds


def relay_alone(folder: Path, name: str, port: int, composer: Composer, mails) -> float:
    engine = fresh_engine(folder, name)
    with Session(engine) as session:
        enqueue_many(session, mails, NOW)
        session.commit()
    start = time.perf_counter()
    report = relay_for(engine, port, composer).drain(sleep=lambda s: None)
    seconds = time.perf_counter() - start
    assert report.sent == len(mails), report
    engine.dispose()
    return seconds


def end_to_end(folder: Path, name: str, port: int, composer: Composer, count: int) -> tuple[float, float]:
    engine = fresh_engine(folder, name)
    start = time.perf_counter()
    batch = []
    with Session(engine) as session:
        for message in reminders(count):
            batch.append(composer.compose(message, NOW))
            if len(batch) == 500:  # one transaction per 500, as a tick over many units would do
                enqueue_many(session, batch, NOW)
                session.commit()
                batch.clear()
        enqueue_many(session, batch, NOW)
        session.commit()
    queued = time.perf_counter() - start
    report = relay_for(engine, port, composer).drain(sleep=lambda s: None)
    seconds = time.perf_counter() - start
    assert report.sent == count, report
    engine.dispose()
    return seconds, queued


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="each of (a), (b), (c) runs this many times, interleaved; the best run counts")
    args = parser.parse_args()
    count = args.messages
    composer = Composer(Renderer(), SENDER)
    server, port = start_server()
    raw, relay, e2e, queued = [], [], [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sample = composer.compose(next(reminders(1)), NOW)
            mails = [composer.compose(m, NOW) for m in reminders(count)]
            print(f"{count:,} reminders of {len(sample.raw):,} bytes to aiosmtpd on 127.0.0.1:{port} "
                  f"(own process), {args.rounds} interleaved rounds")
            raw_loop(port, sample, min(count, 1000))  # warm-up
            for n in range(args.rounds):
                raw.append(raw_loop(port, sample, count))
                relay.append(relay_alone(folder, f"b{n}.db", port, composer, mails))
                seconds, queue_seconds = end_to_end(folder, f"c{n}.db", port, composer, count)
                e2e.append(seconds)
                queued.append(queue_seconds)
                print(f"  round {n + 1}: (a) {count / raw[-1]:,.0f}  (b) {count / relay[-1]:,.0f}  "
                      f"(c) {count / e2e[-1]:,.0f} msg/s")
    finally:
        server.terminate()
        received = server.communicate(timeout=30)[0].strip()

    raw_s, relay_s, e2e_s = min(raw), min(relay), min(e2e)
    rate = lambda seconds: count / seconds  # noqa: E731
    print(f"best of {args.rounds}:")
    print(f"(a) raw smtplib, one connection       {rate(raw_s):8,.0f} msg/s")
    print(f"(b) relay draining the outbox         {rate(relay_s):8,.0f} msg/s   {raw_s / relay_s:6.0%} of (a)"
          f"   (target >= 80%)")
    print(f"(c) render + enqueue + relay          {rate(e2e_s):8,.0f} msg/s   {raw_s / e2e_s:6.0%} of (a)"
          f"   (target >= 50%; render + enqueue {min(queued) * 1000 / count:.3f} ms/msg)")
    print(f"server: {received}")

    print("where the time of one message goes:")
    message = next(reminders(1))
    rendered = composer.renderer.render(message, uid=sample.message_id, stamp=NOW)
    per_message("templates only (subject, text, HTML, .ics)",
                lambda: composer.renderer.render(message, uid=sample.message_id, stamp=NOW))
    per_message("templates + direct MIME bytes (what dtiflow does)", lambda: composer.compose(message, NOW))

    def with_email_message():
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"], msg["Message-ID"] = rendered.subject, SENDER.address, "a@b.vn", "<x@y>"
        msg.set_content(rendered.text)
        msg.add_alternative(rendered.html, subtype="html")
        msg.add_attachment(rendered.ics, maintype="text", subtype="calendar", filename="han.ics")
        return msg.as_bytes(policy=email_policy.SMTP)

    def with_compat32():
        msg = MIMEMultipart("mixed")
        msg["Subject"], msg["From"], msg["To"], msg["Message-ID"] = rendered.subject, SENDER.address, "a@b.vn", "<x@y>"
        alt = MIMEMultipart("alternative")
        alt.attach(MIMEText(rendered.text, "plain", "utf-8"))
        alt.attach(MIMEText(rendered.html, "html", "utf-8"))
        msg.attach(alt)
        msg.attach(MIMEText(rendered.ics.decode("utf-8"), "calendar", "utf-8"))
        return msg.as_bytes(policy=compat32_crlf)

    compat32_crlf = email_policy.compat32.clone(linesep="\r\n")

    per_message("MIME only, EmailMessage (default policy), build + flatten", with_email_message)
    per_message("MIME only, email.mime (compat32), build + flatten", with_compat32)
    def with_direct_bytes():
        return mime.compose(message_id="<x@y>", date=NOW, sender=(SENDER.name, SENDER.address),
                            to=[("Văn thư", "a@b.vn")], cc=[("Chủ tịch UBND xã", "c@b.vn")],
                            subject=rendered.subject, text=rendered.text, html=rendered.html,
                            attachments=(mime.Part('text/calendar; charset="utf-8"', rendered.ics, "han.ics"),))

    per_message("MIME only, direct bytes (notifications.mime)", with_direct_bytes)
    print(f"  one message over SMTP, raw loop                                {raw_s * 1000 / count:6.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
