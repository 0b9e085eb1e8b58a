"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: for tests, the demo
and the benchmark. Never a mock: the relay talks real SMTP to it.

In a test:   with LoopbackSmtp() as smtp: ... smtp.sink.received ...
Own process: python -m notifications.testing_smtp --maildir var/mail [--port 2525] [--count-only]
             (prints "READY <port>" once it accepts connections; SIGTERM or Ctrl-C stops it)

The sink can misbehave on purpose: scripted replies to DATA (e.g. "451 ..." then the normal
250), permanent refusals of chosen recipients, and a delay before answering RCPT (a slow server).
"""

from __future__ import annotations

import argparse
import json
import asyncio
import mailbox
import re
import signal
import socket
import sys
import threading
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    raw: bytes

    @property
    def message_id(self) -> str | None:
        found = _MESSAGE_ID.search(self.raw)
        return found.group(1).decode("ascii") if found else None

    def parsed(self):
        return message_from_bytes(self.raw, policy=policy.default)


class MailSink:
    """The aiosmtpd handler: stores every accepted message in memory and/or in a maildir."""

    def __init__(self, maildir: str | Path | None = None, keep: bool = True) -> None:
        self.keep = keep
        self.maildir = mailbox.Maildir(maildir, create=True) if maildir else None
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.count = 0
        self.data_replies: deque[str] = deque()  # consumed one per DATA before normal service
        self.refuse: dict[str, str] = {}  # lower-case address -> reply, e.g. "550 5.1.1 no such user"
        self.rcpt_delay = 0.0  # seconds before answering each RCPT

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self.count = 0
        self.data_replies.clear()
        self.refuse.clear()
        self.rcpt_delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.popleft()
        item = Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content))
        with self._lock:
            self.count += 1
            if self.keep:
                self._received.append(item)
        if self.maildir is not None:
            self.maildir.add(f"X-Envelope-To: {', '.join(item.recipients)}\r\n".encode("ascii") + item.raw)
        return "250 2.0.0 Message accepted for delivery"


class LoopbackSmtp:
    """An aiosmtpd server in a background thread on 127.0.0.1."""

    def __init__(self, sink: MailSink | None = None, port: int | None = None) -> None:
        self.sink = sink or MailSink()
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._controller: Controller | None = None

    def start(self) -> "LoopbackSmtp":
        self._controller = Controller(self.sink, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "LoopbackSmtp":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notifications.testing_smtp", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--maildir", help="store every message in this maildir folder")
    parser.add_argument("--count-only", action="store_true", help="keep nothing, only count (benchmarks)")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of READY/RECEIVED")
    args = parser.parse_args(argv)
    sink = MailSink(maildir=None if args.count_only else args.maildir, keep=False)
    server = LoopbackSmtp(sink, port=args.port or None).start()
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    if args.json:
        print(json.dumps({"listening": "127.0.0.1", "port": server.port, "maildir": args.maildir}), flush=True)
    else:
        print(f"READY {server.port}", flush=True)
    stopped.wait()
    server.stop()
    print(json.dumps({"received": sink.count}) if args.json else f"RECEIVED {sink.count}", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
