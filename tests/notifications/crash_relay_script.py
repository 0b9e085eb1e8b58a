"""The relay as a separate process, for the crash test: drains the outbox of a SQLite file.

    python crash_relay_script.py DB_PATH SMTP_PORT JOURNAL_PATH

Deterministic kill points (environment), each a SIGKILL of this very process:
    CRASH_AFTER_ACCEPT=N   right after the server's 250 for the N-th message of this run
                           (before its "sent" mark is committed)
    CRASH_AFTER_COMMIT=K   right after the K-th commit of "sent" marks
    CRASH_AFTER_CLAIM=1    right after the first batch is claimed, before anything is sent
The journal gets one line per message and event ("claimed|accepted|committed <Message-ID>"),
written with write(2) as it happens so that it survives the kill.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys

from dtiflow.clock import SystemClock
from notifications.messages import Recipient
from notifications.outbox import Composer
from notifications.relay import Relay, RelayHooks, RelayPolicy, relay_engine
from notifications.render import Renderer
from notifications.transports import SmtpTransport


def main() -> int:
    db_path, port, journal_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    after_accept = int(os.environ.get("CRASH_AFTER_ACCEPT", "0"))
    after_commit = int(os.environ.get("CRASH_AFTER_COMMIT", "0"))
    after_claim = os.environ.get("CRASH_AFTER_CLAIM") == "1"
    journal = os.open(journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    commits = 0

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def on_claimed(ids):
        os.write(journal, "".join(f"claimed {i}\n" for i in ids).encode())
        if after_claim:
            die()

    def on_accepted(n, message_id):
        os.write(journal, f"accepted {message_id}\n".encode())
        if n == after_accept:
            die()

    def on_committed(ids):
        nonlocal commits
        os.write(journal, "".join(f"committed {i}\n" for i in ids).encode())
        commits += 1
        if commits == after_commit:
            die()

    relay = Relay(relay_engine(f"sqlite:///{db_path}"), SmtpTransport("127.0.0.1", port, timeout=10), SystemClock(),
                  secretariat=[Recipient("stttt@binhthuan.gov.vn")],
                  composer=Composer(Renderer(), Recipient("noreply@stttt.binhthuan.gov.vn")),
                  policy=RelayPolicy(lease=dt.timedelta(seconds=1)),
                  hooks=RelayHooks(claimed=on_claimed, accepted=on_accepted, committed=on_committed))
    report = relay.drain(max_wait=0.5)
    print(f"sent={report.sent} claimed={report.claimed}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
