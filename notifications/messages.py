"""What is sent, and to whom: one builder per message kind.

A `Message` is the logical e-mail: its kind, its idempotency key (cycle, unit, kind, occasion),
its recipients and the facts its template shows. Rendering (`notifications.render`) and the
outbox (`notifications.outbox`) turn it into bytes in a table row. Builders take plain values
(no rows, no clock): the caller passes the instants it already knows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Mapping, Sequence

from domain import reminders
from store.outbox import NO_UNIT


class MessageKind(StrEnum):
    NOTICE = "notice"
    REMINDER_BEFORE_DUE = reminders.BEFORE_DUE
    REMINDER_DUE_DAY = reminders.DUE_DAY
    GRACE_REMINDER = reminders.GRACE
    SUBMISSION_RECEIPT = "submission_receipt"
    NOT_EVALUATED_NOTICE = "not_evaluated_notice"
    LOCK_DIGEST = "lock_digest"
    EXPLANATION_REQUEST = "explanation_request"
    STAFF_MILESTONE_REMINDER = reminders.STAFF_MILESTONE
    RESULT_PUBLISHED = "result_published"
    DELIVERY_FAILURE_NOTICE = "delivery_failure_notice"
    TICK_FAILURE_NOTICE = "tick_failure_notice"
    DEADLINE_CHANGED = "deadline_changed"


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


@dataclass(frozen=True)
class Cycle:
    """What every message says about the cycle and who runs it (letter 697: the secretariat)."""

    id: str
    title: str  # "Đánh giá, xếp hạng kết quả ứng dụng CNTT năm 2019"
    year: int
    secretariat: Recipient  # the owner's mailbox: units reply here (Reply-To), digests go here
    secretariat_name: str = "Sở Thông tin và Truyền thông"
    contact: str = ""  # "Bà Trần Thị Lệ Hằng, ĐT 0252.3833505, hangttl@stttt.binhthuan.gov.vn"
    # The owner's deciding authority and office address, from the register (owner_office): a
    # district's commune cycle names the district's People's Committee, not the province's.
    authority: str = "Ủy ban nhân dân tỉnh"
    address: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    focal: Recipient  # the focal person who enters the data (Decision 265 Art. 6.2)
    head: Recipient  # the head, who confirms and answers for a missed deadline


@dataclass(frozen=True)
class DeadlineEvent:
    """A deadline attached to the message as an iCalendar event."""

    summary: str
    closes_at: dt.datetime  # half-open: the first instant that is too late


@dataclass(frozen=True)
class Message:
    kind: MessageKind
    cycle_id: str
    unit_id: str
    occasion: str
    to: tuple[Recipient, ...]
    context: Mapping[str, Any]
    cc: tuple[Recipient, ...] = ()
    deadline: DeadlineEvent | None = None

    @property
    def key(self) -> str:
        return f"{self.cycle_id}/{self.unit_id or '-'}/{self.kind.value}/{self.occasion}"

    def message_id(self, domain: str) -> str:
        """Stable across reruns: the same key always yields the same Message-ID."""
        return f"<{hashlib.sha1(self.key.encode('utf-8')).hexdigest()}@{domain}>"

    def envelope_recipients(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in (*self.to, *self.cc):
            seen.setdefault(r.address.lower(), None)
        return tuple(seen)


def _unit_message(kind, cycle, unit, occasion, context, *, cc_head=True, deadline=None, to_head=False):
    to = (unit.focal, unit.head) if to_head else (unit.focal,)
    cc = (unit.head,) if cc_head and not to_head else ()
    ctx = {"cycle": cycle, "unit": unit, **context}
    return Message(kind, cycle.id, unit.id, occasion, to, ctx, cc, deadline)


def notice(cycle: Cycle, unit: Unit, *, letter: str, issued_on: dt.date | None, data_from: dt.date | None,
           data_to: dt.date | None, due: dt.datetime, grace_end: dt.datetime | None, how_to_send: str) -> Message:
    """The yearly notice to the focal person and the head (letter 697 §2–3)."""
    ctx = dict(letter=letter, issued_on=issued_on, data_from=data_from, data_to=data_to, due=due,
               grace_end=grace_end, how_to_send=how_to_send)
    return _unit_message(MessageKind.NOTICE, cycle, unit, "notice", ctx, to_head=True,
                         deadline=DeadlineEvent("Hạn gửi Phiếu đánh giá", due))


def unit_reminder(cycle: Cycle, unit: Unit, due: reminders.DueReminder) -> Message:
    """A planned reminder (`domain.reminders.due_unit_reminder`) for a unit that has not submitted."""
    kind = MessageKind(due.kind)
    occ = due.occasion
    ctx = dict(deadline=occ.deadline, today=due.today, last_day=due.last_day,
               working_days_left=due.working_days_left, grace_day=occ.grace_day,
               escalated=occ.escalate_to_head)
    summary = "Hết hạn nhận phiếu gửi trễ" if kind is MessageKind.GRACE_REMINDER else "Hạn gửi Phiếu đánh giá"
    cc_head = kind is not MessageKind.GRACE_REMINDER or occ.escalate_to_head
    return _unit_message(kind, cycle, unit, occ.key, ctx, cc_head=cc_head,
                         deadline=DeadlineEvent(summary, occ.deadline))


def submission_receipt(cycle: Cycle, unit: Unit, *, submission_id: str, received_at: dt.datetime,
                       on_time: bool, due: dt.datetime, grace_end: dt.datetime | None,
                       items: Sequence[str] = (), self_total: str | None = None) -> Message:
    """What was received, when, and whether on time or late (within the grace period)."""
    ctx = dict(received_at=received_at, on_time=on_time, due=due, grace_end=grace_end,
               items=list(items), self_total=self_total)
    return _unit_message(MessageKind.SUBMISSION_RECEIPT, cycle, unit, f"receipt:{submission_id}", ctx)


def not_evaluated_notice(cycle: Cycle, unit: Unit, *, grace_end: dt.datetime) -> Message:
    """At the lock, to a unit that never sent its sheet (Decision 1867 Art. 8.1)."""
    return _unit_message(MessageKind.NOT_EVALUATED_NOTICE, cycle, unit, "lock",
                         dict(grace_end=grace_end), to_head=True)


def lock_digest(cycle: Cycle, *, locked_at: dt.datetime, submitted: Sequence[str],
                late: Sequence[str], missing: Sequence[str]) -> Message:
    """At the lock, to the secretariat: who sent on time, who late, who not at all."""
    ctx = dict(cycle=cycle, locked_at=locked_at, submitted=list(submitted), late=list(late),
               missing=list(missing))
    return Message(MessageKind.LOCK_DIGEST, cycle.id, NO_UNIT, "lock", (cycle.secretariat,), ctx)


def explanation_request(cycle: Cycle, unit: Unit, *, request_id: str, questions: Sequence[tuple[str, str]],
                        answer_by: dt.datetime) -> Message:
    """The secretariat asks for explanations of doubtful figures (Decision 265 Art. 6.3).

    `questions` are (criterion label, question) pairs.
    """
    ctx = dict(questions=list(questions), answer_by=answer_by, request_id=request_id)
    return _unit_message(MessageKind.EXPLANATION_REQUEST, cycle, unit, f"explanation:{request_id}", ctx,
                         deadline=DeadlineEvent("Hạn giải trình số liệu", answer_by))


def staff_reminder(cycle: Cycle, *, milestone_name: str, due: reminders.DueReminder,
                   to: Sequence[Recipient]) -> Message:
    """Before the secretariat's or council's own milestone (preliminary report, verification, approval)."""
    occ = due.occasion
    ctx = dict(cycle=cycle, milestone_name=milestone_name, deadline=occ.deadline, today=due.today,
               last_day=due.last_day, working_days_left=due.working_days_left)
    return Message(MessageKind.STAFF_MILESTONE_REMINDER, cycle.id, NO_UNIT, occ.key, tuple(to), ctx,
                   deadline=DeadlineEvent(milestone_name, occ.deadline))


def result_published(cycle: Cycle, unit: Unit, *, round_no: int, decision: str, group: str | None = None,
                     points: str | None = None, classification: str | None = None, rank: int | None = None,
                     award: str | None = None, location: str | None = None,
                     audit_head: dict | None = None) -> Message:
    """The approved result, to every unit (focal person and head); figures when known; the audit
    chain's head at publication ({"seq", "hash"}), which the unit can keep to check the log."""
    ctx = dict(decision=decision, group=group, points=points, classification=classification,
               rank=rank, award=award, location=location, audit_head=audit_head)
    return _unit_message(MessageKind.RESULT_PUBLISHED, cycle, unit, f"published:{round_no}", ctx, to_head=True)


def delivery_failure_notice(*, cycle_id: str, secretariat: Sequence[Recipient], failed_message_id: str,
                            failed_subject: str, failed_recipients: str, failed_kind: str,
                            error: str, attempts: int) -> Message:
    """To the secretariat when the relay parks a message: someone must reach the unit another way."""
    ctx = dict(failed_message_id=failed_message_id, failed_subject=failed_subject,
               failed_recipients=failed_recipients, failed_kind=failed_kind, error=error, attempts=attempts)
    return Message(MessageKind.DELIVERY_FAILURE_NOTICE, cycle_id, NO_UNIT, f"failure:{failed_message_id}",
                   tuple(secretariat), ctx)


def tick_failure_notice(*, cycle_id: str, secretariat: Sequence[Recipient], failed_at: dt.datetime,
                        error: str, occasion: str) -> Message:
    """To the secretariat when the heartbeat could not do a cycle's due moves: the other cycles
    went on; this one waits until the cause is fixed (the next tick retries)."""
    ctx = dict(failed_cycle=cycle_id, failed_at=failed_at, error=error)
    return Message(MessageKind.TICK_FAILURE_NOTICE, cycle_id, NO_UNIT, occasion, tuple(secretariat), ctx)


def deadline_changed(cycle: Cycle, unit: Unit, *, previous: dt.datetime, new: dt.datetime, reason: str,
                     occasion: str) -> Message:
    """The unit's own deadline moved (an extension granted to it): the old and the new deadline,
    and why, to the focal person and the head."""
    ctx = dict(previous=previous, new=new, reason=reason)
    return _unit_message(MessageKind.DEADLINE_CHANGED, cycle, unit, occasion, ctx, to_head=True,
                         deadline=DeadlineEvent("Hạn gửi Phiếu đánh giá (đã gia hạn)", new))
