"""The relay: claims queued messages, sends them over one reused connection, records the outcome.

Guarantees (decision record 0007; SMTP cannot be exactly-once):
- nothing is lost: a row leaves `queued`/`sending` only for `sent` (after the server's 250) or
  `parked` (a permanent refusal, or too many transient ones — and then the secretariat is told);
- a claim is a lease: the row turns `sending` with `next_attempt_at = now + lease`; a relay that
  dies mid-batch leaves rows that any relay claims again once the lease has run out;
- duplicates happen only for messages the server accepted (250) whose `sent` mark was not yet
  committed when the relay died; they carry the same Message-ID, so mail clients fold them.

Claiming: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` (two relays never take the same
row); on SQLite the engine opens every transaction with BEGIN IMMEDIATE (one writer at a time).

Commits: `sent` marks are committed in small groups (`commit_every`, default 20, and at least
every `commit_interval` seconds, and at once after any failure), not after every message: a
commit with its fsync costs 0.5 ms on an idle SQLite disk and 3-8 ms on a busy one, as much as
sending the message, and would keep the relay well under 80% of a raw SMTP loop. The price is
bounded: a crash duplicates at most the `commit_every` messages accepted since the last commit
(the crash test counts them). `commit_every=1` trades throughput for one duplicate per crash.
For the same reason the relay's own connections skip the disk flush at commit
(`notifications.relay_support.relay_engine`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from domain.clock import Clock
from notifications import messages as m
from notifications.outbox import Composer, enqueue
from notifications.transports import (
    Accepted, ConnectionFailure, DeliveryFailure, PermanentFailure, Transport)
from notifications.relay_support import RelayHooks, RelayPolicy, RelayReport, relay_engine
from store.outbox import PARKED, QUEUED, SENDING, SENT, OutboxBody, OutboxMessage

__all__ = ["Relay", "RelayHooks", "RelayPolicy", "RelayReport", "relay_engine"]
log = logging.getLogger(__name__)
T = OutboxMessage.__table__
C = T.c
B = OutboxBody.__table__.c


@dataclass(frozen=True)
class _Claimed:
    id: int
    message_id: str
    sender: str
    recipients: str
    raw: bytes
    attempts: int
    cycle_id: str
    kind: str
    subject: str


class Relay:
    def __init__(self, engine: Engine, transport: Transport, clock: Clock, *,
                 secretariat: Sequence[m.Recipient], composer: Composer,
                 policy: RelayPolicy = RelayPolicy(), hooks: RelayHooks | None = None,
                 name: str | None = None) -> None:
        self.engine, self.transport, self.clock = engine, transport, clock
        self.secretariat, self.composer, self.policy = tuple(secretariat), composer, policy
        self.hooks = hooks or RelayHooks()
        self.token = name or f"relay-{uuid.uuid4().hex[:12]}"
        self._accepted = 0

    # -- claiming -----------------------------------------------------------------------------
    def claim(self) -> list[_Claimed]:
        now = self.clock.now()
        with Session(self.engine) as session, session.begin():
            query = (select(C.id).where(C.status.in_((QUEUED, SENDING)), C.next_attempt_at <= now)
                     .order_by(C.next_attempt_at, C.id).limit(self.policy.batch_size))
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list(session.execute(query).scalars())
            if not ids:
                return []
            session.execute(update(T).where(C.id.in_(ids))
                            .values(status=SENDING, claimed_by=self.token, next_attempt_at=now + self.policy.lease))
            rows = session.execute(select(C.id, C.message_id, C.sender, C.recipients, B.raw, C.attempts,
                                          C.cycle_id, C.kind, C.subject)
                                   .join(OutboxBody.__table__, B.message_id == C.message_id)
                                   .where(C.id.in_(ids)).order_by(C.next_attempt_at, C.id)).all()
        claimed = [_Claimed(*row) for row in rows]
        self.hooks.claimed([c.message_id for c in claimed])
        return claimed

    # -- one batch ----------------------------------------------------------------------------
    def run_once(self) -> RelayReport:
        """Claim one batch and send it. Returns what happened."""
        batch = self.claim()
        report = RelayReport(claimed=len(batch))
        pending_sent: list[_Claimed] = []
        last_commit = time.monotonic()
        try:
            for index, item in enumerate(batch):
                try:
                    accepted = self.transport.send(item.sender, item.recipients.split(","), item.raw)
                except ConnectionFailure as exc:
                    self._commit_sent(pending_sent, report)
                    self._retry_or_park(item, exc, report)
                    report.released += self._release(batch[index + 1:], self._backoff(1))
                    return report
                except DeliveryFailure as exc:
                    self._commit_sent(pending_sent, report)
                    self._retry_or_park(item, exc, report)
                    last_commit = time.monotonic()
                    continue
                self._accepted += 1
                self.hooks.accepted(self._accepted, item.message_id)
                pending_sent.append(item)
                if accepted.refused:
                    self._note_partial_refusal(item, accepted)
                if (len(pending_sent) >= self.policy.commit_every
                        or time.monotonic() - last_commit >= self.policy.commit_interval):
                    self._commit_sent(pending_sent, report)
                    last_commit = time.monotonic()
        finally:
            # Also on an unexpected error: what the server accepted is recorded; rows not yet
            # tried stay claimed until the lease runs out.
            self._commit_sent(pending_sent, report)
        return report

    def _commit_sent(self, items: list[_Claimed], report: RelayReport) -> None:
        if not items:
            return
        now = self.clock.now()
        ids = [i.id for i in items]
        with Session(self.engine) as session, session.begin():
            # Fenced by claimed_by: if our lease ran out and another relay took a row, leave it.
            session.execute(update(T).where(C.id.in_(ids), C.claimed_by == self.token, C.status == SENDING)
                            .values(status=SENT, sent_at=now, attempts=C.attempts + 1, claimed_by=None))
        report.sent += len(items)
        self.hooks.committed([i.message_id for i in items])
        items.clear()

    def _backoff(self, attempts: int) -> dt.timedelta:
        delay = self.policy.backoff_base * (2 ** max(attempts - 1, 0))
        return min(delay, self.policy.backoff_cap)

    def _release(self, items: Sequence[_Claimed], delay: dt.timedelta) -> int:
        """Give back rows not tried because the connection failed (their attempts are unchanged)."""
        if not items:
            return 0
        with Session(self.engine) as session, session.begin():
            session.execute(update(T).where(C.id.in_([i.id for i in items]), C.claimed_by == self.token)
                            .values(status=QUEUED, claimed_by=None, next_attempt_at=self.clock.now() + delay))
        return len(items)

    def _retry_or_park(self, item: _Claimed, exc: DeliveryFailure, report: RelayReport) -> None:
        report.note(exc.reason)
        attempts = item.attempts + 1
        permanent = isinstance(exc, PermanentFailure)
        # An unreachable server is not the message's fault: such failures never park a message
        # (it goes as soon as the server is back); only repeated 4xx replies to it do.
        keep_trying = isinstance(exc, ConnectionFailure) or attempts < self.policy.max_attempts
        if not permanent and keep_trying:
            with Session(self.engine) as session, session.begin():
                session.execute(update(T).where(C.id == item.id, C.claimed_by == self.token).values(
                    status=QUEUED, claimed_by=None, attempts=attempts, last_error=exc.reason[:2000],
                    next_attempt_at=self.clock.now() + self._backoff(attempts)))
            report.retried += 1
            log.info("outbox %s: transient failure (attempt %d): %s", item.message_id, attempts, exc.reason)
            return
        reason = exc.reason if permanent else f"gave up after {attempts} attempts; last: {exc.reason}"
        now = self.clock.now()
        with Session(self.engine) as session, session.begin():
            session.execute(update(T).where(C.id == item.id, C.claimed_by == self.token).values(
                status=PARKED, claimed_by=None, attempts=attempts, last_error=reason[:2000]))
            self._tell_secretariat(session, item, reason, attempts, item.recipients, now)
        report.parked += 1
        log.warning("outbox %s parked: %s", item.message_id, reason)

    def _note_partial_refusal(self, item: _Claimed, accepted: Accepted) -> None:
        permanent = {a: r for a, r in accepted.refused.items() if r[:1] == "5"}
        reason = "; ".join(f"{a}: {r}" for a, r in accepted.refused.items())
        with Session(self.engine) as session, session.begin():
            session.execute(update(T).where(C.id == item.id).values(last_error=f"refused: {reason}"[:2000]))
            if permanent:
                self._tell_secretariat(session, item, reason, item.attempts + 1, ",".join(permanent), self.clock.now())

    def _tell_secretariat(self, session, item: _Claimed, reason: str, attempts: int, recipients: str,
                          now: dt.datetime) -> None:
        """Queue a delivery_failure_notice in the same transaction as the parking."""
        if item.kind == m.MessageKind.DELIVERY_FAILURE_NOTICE.value or not self.secretariat:
            log.error("outbox %s: a notice to the secretariat could not be delivered: %s", item.message_id, reason)
            return
        notice = m.delivery_failure_notice(
            cycle_id=item.cycle_id, secretariat=self.secretariat, failed_message_id=item.message_id,
            failed_subject=item.subject, failed_recipients=recipients.replace(",", ", "),
            failed_kind=item.kind, error=reason, attempts=attempts)
        enqueue(session, self.composer.compose(notice, now), now)

    # -- until nothing is left ----------------------------------------------------------------
    def pending(self) -> tuple[int, dt.datetime | None]:
        """How many rows still wait (queued or sending), and when the earliest is due."""
        with Session(self.engine) as session:
            count, earliest = session.execute(
                select(func.count(), func.min(C.next_attempt_at)).where(C.status.in_((QUEUED, SENDING)))).one()
        if earliest is not None and earliest.tzinfo is None:  # aggregate bypasses the column type
            earliest = earliest.replace(tzinfo=dt.timezone.utc)
        return count, earliest

    def drain(self, sleep: Callable[[float], None] = time.sleep, max_wait: float = 60.0,
              stop: Callable[[], bool] = lambda: False) -> RelayReport:
        """Send until nothing is queued or sending, waiting for backoffs and leases to run out."""
        total = RelayReport()
        while not stop():
            report = self.run_once()
            total.add(report)
            if report.claimed:
                continue
            count, earliest = self.pending()
            if not count:
                break
            wait = (earliest - self.clock.now()).total_seconds() if earliest else max_wait
            sleep(min(max(wait, 0.01), max_wait))
        self.transport.close()
        return total
