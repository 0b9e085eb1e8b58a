"""Writing to the outbox inside the caller's transaction (decision record 0007).

    composer = Composer(Renderer(settings.template_dir), sender=Recipient("stttt@...", "Sở TT&TT"))
    with Session(engine) as session:            # the service's own unit of work
        ...                                      # record the event (submission, lock, ...)
        enqueue(session, composer.compose(message, now))   # same transaction
        session.commit()                         # the event and its e-mail, or neither

The insert is `ON CONFLICT DO NOTHING` on the key (cycle, unit, kind, occasion) and on the
Message-ID derived from it, so a retried command or a rerun tick queues nothing twice, and the
conflict does not abort the caller's transaction (PostgreSQL would, on a plain IntegrityError).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.instants import require_aware, to_utc
from notifications import mime
from notifications.messages import Message, Recipient
from notifications.render import Rendered, Renderer
from store.outbox import QUEUED, OutboxBody, OutboxMessage

ICS_FILENAME = "han.ics"


@dataclass(frozen=True)
class OutgoingMail:
    """One finished message, ready for the outbox table."""

    cycle_id: str
    unit_id: str
    kind: str
    occasion: str
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    raw: bytes

    def row(self, now: dt.datetime) -> dict:
        now = to_utc(require_aware(now, "enqueue time"))
        return dict(cycle_id=self.cycle_id, unit_id=self.unit_id, kind=self.kind, occasion=self.occasion,
                    message_id=self.message_id, sender=self.sender, recipients=",".join(self.recipients),
                    subject=self.subject, status=QUEUED, attempts=0, next_attempt_at=now, created_at=now)

    def body(self) -> dict:
        return dict(message_id=self.message_id, raw=self.raw)


class Composer:
    """Message -> finished bytes: template rendering plus the MIME envelope."""

    def __init__(self, renderer: Renderer, sender: Recipient, message_id_domain: str = "dtiflow.local",
                 sandbox: Callable[[], bool] | None = None) -> None:
        mime.check_address(sender.address)
        self.renderer, self.sender, self.domain = renderer, sender, message_id_domain
        # Whether the database is a sandbox (store.database_mode.SandboxProbe): its messages are
        # marked here, after rendering, so that no template (a province's own) can leave it out.
        self.sandbox = sandbox or (lambda: False)

    def compose(self, message: Message, now: dt.datetime) -> OutgoingMail:
        require_aware(now, "compose time")
        if not message.to:
            raise ValueError(f"message {message.key} has no recipient")
        message_id = message.message_id(self.domain)
        rendered = self.renderer.render(message, uid=message_id, stamp=now)
        if self.sandbox():
            rendered = mark_sandbox(rendered)
        attachments = ()
        if rendered.ics is not None:
            attachments = (mime.Part('text/calendar; charset="utf-8"; method=PUBLISH', rendered.ics, ICS_FILENAME),)
        # The cycle's owner sends and signs (its secretariat's name as the display name) and is
        # replied to (its mailbox); the system's address stays the From address, so the mail
        # server's sender checks still hold.
        cycle = message.context.get("cycle")
        name = getattr(cycle, "secretariat_name", None) or self.sender.name
        mailbox = getattr(getattr(cycle, "secretariat", None), "address", None)
        reply_to = ("", mailbox) if mailbox and mailbox.lower() != self.sender.address.lower() else None
        raw = mime.compose(
            message_id=message_id, date=now, sender=(name, self.sender.address), reply_to=reply_to,
            to=[(r.name, r.address) for r in message.to], cc=[(r.name, r.address) for r in message.cc],
            subject=rendered.subject, text=rendered.text, html=rendered.html, attachments=attachments)
        return OutgoingMail(message.cycle_id, message.unit_id, message.kind.value, message.occasion, message_id,
                            self.sender.address, message.envelope_recipients(), rendered.subject, raw)


SANDBOX_SUBJECT = "[MÔI TRƯỜNG THỬ NGHIỆM]"
SANDBOX_NOTICE = ("Thư này được gửi từ môi trường thử nghiệm của dtiflow (diễn tập, kiểm thử, đào tạo): "
                  "không có giá trị hành chính, không cần thực hiện.")


def mark_sandbox(rendered: Rendered) -> Rendered:
    """Subject, text and HTML of a sandbox's message say so (docs/security.md)."""
    banner = f'<p style="border:2px solid #b00;padding:8px;color:#b00"><strong>{html.escape(SANDBOX_NOTICE)}</strong></p>'
    page = rendered.html
    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
    return dataclasses.replace(rendered, subject=f"{SANDBOX_SUBJECT} {rendered.subject}",
                               text=f"{SANDBOX_NOTICE}\n\n{rendered.text}", html=page[:at] + banner + page[at:])


def _insert_ignoring_duplicates(session: Session, table=OutboxMessage.__table__):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"the outbox supports SQLite and PostgreSQL, not {dialect}")  # pragma: no cover


def enqueue(session: Session, mail: OutgoingMail, now: dt.datetime) -> bool:
    """Queue one message in the caller's transaction; False if its key was already queued."""
    result = session.execute(_insert_ignoring_duplicates(session).values(**mail.row(now)))
    if result.rowcount != 1:
        return False
    session.execute(_insert_ignoring_duplicates(session, OutboxBody.__table__).values(**mail.body()))
    return True


def enqueue_many(session: Session, mails: Iterable[OutgoingMail], now: dt.datetime) -> int:
    """Queue many in one statement batch; returns how many were new."""
    mails = list(mails)
    if not mails:
        return 0
    stmt = _insert_ignoring_duplicates(session).returning(OutboxMessage.__table__.c.message_id)
    new = set(session.execute(stmt, [m.row(now) for m in mails]).scalars())
    bodies = [m.body() for m in mails if m.message_id in new]
    if bodies:
        session.execute(_insert_ignoring_duplicates(session, OutboxBody.__table__), bodies)
    return len(new)


__all__ = ["Composer", "OutgoingMail", "enqueue", "enqueue_many"]
