"""The services' outbox port (`services.ports.Outbox`) and the tick's reminders, as e-mail.

`MailOutbox.enqueue(session, request)` turns one service event into its messages and queues them
with `session`, i.e. in the transaction of the command that caused them (decision record 0007).
`queue_due_reminders(...)` is what the heartbeat calls for one cycle at `now`: the single current
reminder of every unit that still owes its sheet, and of the staff's own milestones
(`domain.reminders`); rerunning it at the same moment queues nothing new.

Which event says what:
    NoticeIssued         -> notice to every unit's focal person and head
    SheetSubmitted       -> submission_receipt (on time or late)
    SheetNotEvaluated    -> not_evaluated_notice
    CycleLocked          -> lock_digest to the secretariat (submitted, late, missing)
    ExplanationRequested -> explanation_request, with its own deadline
    ResultsPublished     -> result_published to every unit (figures when the request carries them)
    TickFailed           -> tick_failure_notice to the secretariat (once per distinct error a day)
    DeadlineExtended     -> deadline_changed to the unit (old and new deadline, the reason)
Other events send nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any, Callable, Sequence

from domain import reminders as plan
from domain.instants import local_date
from domain.sheet import SheetState, is_received
from notifications import messages as m
from notifications.directory import Directory, Milestone, by_role, day_of_role, default_title
from notifications.outbox import Composer, enqueue_many
from store.outbox import NO_UNIT

log = logging.getLogger(__name__)

HOW_TO_SEND = ("văn bản điện tử có ký số qua hệ thống Quản lý văn bản và điều hành, hoặc hộp thư điện tử "
               "công vụ của đơn vị gửi đến hộp thư công vụ của {secretariat_name} ({mailbox})")


class MailOutbox:
    def __init__(self, composer: Composer, *, secretariat: Sequence[m.Recipient],
                 secretariat_name: str = "Sở Thông tin và Truyền thông", contact: str = "",
                 title: Callable[[Any], str] = default_title, how_to_send: str = HOW_TO_SEND) -> None:
        self.composer, self.how_to_send = composer, how_to_send
        self._directory_args = dict(secretariat=secretariat, secretariat_name=secretariat_name, contact=contact,
                                    title=title)
        self._builders = {
            "NoticeIssued": self._notice, "SheetSubmitted": self._receipt, "SheetNotEvaluated": self._not_evaluated,
            "CycleLocked": self._lock_digest, "ExplanationRequested": self._explanation,
            "ResultsPublished": self._published, "TickFailed": self._tick_failed,
            "DeadlineExtended": self._extended,
        }

    def directory(self, session) -> Directory:
        return Directory(session, **self._directory_args)

    def enqueue(self, session, request) -> None:
        build = self._builders.get(request.event.name)
        if build is None:
            return
        if session is None:  # an in-memory unit of work has no outbox table
            log.info("no session: %s sends no e-mail", request.event.name)
            return
        event = request.event
        messages = build(self.directory(session), event, request)
        enqueue_many(session, [self.composer.compose(msg, event.at) for msg in messages], event.at)

    # -- one builder per event ------------------------------------------------------------------
    def _units_of(self, d: Directory, event, request) -> dict[str, m.Unit]:
        codes = {r.unit_code for r in request.recipients if r.unit_code} or {s.unit_code for s in d.sheets(event.cycle_id)}
        return d.units(codes)

    def _group_milestones(self, d: Directory, cycle_id: str, unit_code: str) -> list[Milestone]:
        sheet = next((s for s in d.sheets(cycle_id) if s.unit_code == unit_code), None)
        groups = d.milestones(cycle_id)
        return groups.get(sheet.group_id, []) if sheet else next(iter(groups.values()), [])

    def _notice(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        groups = d.milestones(event.cycle_id)
        any_group = next(iter(groups.values()), [])
        letter = f"Công văn số {event.notice_ref}" if event.notice_ref else "công văn triển khai"
        return [m.notice(cycle, unit, letter=letter, issued_on=event.notice_date,
                         data_from=day_of_role(any_group, "data_period_start"),
                         data_to=day_of_role(any_group, "data_period_end"), due=event.submission_due,
                         grace_end=event.acceptance_end,
                         how_to_send=self.how_to_send.format(secretariat_name=cycle.secretariat_name,
                                                             mailbox=cycle.secretariat.address))
                for unit in self._units_of(d, event, request).values()]

    def _receipt(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        unit = d.units([event.unit_code]).get(event.unit_code)
        if unit is None:
            return []
        ms = self._group_milestones(d, event.cycle_id, event.unit_code)
        due, grace = by_role(ms, "submission"), by_role(ms, "lock")
        return [m.submission_receipt(cycle, unit, submission_id=event.received_at.isoformat(),
                                     received_at=event.received_at, on_time=not event.late,
                                     due=due.closes_at if due else event.received_at,
                                     grace_end=grace.closes_at if grace else None)]

    def _not_evaluated(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        unit = d.units([event.unit_code]).get(event.unit_code)
        return [m.not_evaluated_notice(cycle, unit, grace_end=event.acceptance_end)] if unit else []

    def _lock_digest(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        sheets = d.sheets(event.cycle_id)
        names = {code: u.name for code, u in d.units(s.unit_code for s in sheets).items()}
        name = lambda code: names.get(code, code)  # noqa: E731
        submitted = [name(s.unit_code) for s in sheets if s.received_at is not None and not s.late]
        late = [name(s.unit_code) for s in sheets if s.received_at is not None and s.late]
        missing = [name(s.unit_code) for s in sheets if s.received_at is None]
        msg = m.lock_digest(cycle, locked_at=event.at, submitted=submitted, late=late, missing=missing)
        return [msg]

    def _explanation(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        unit = d.units([event.unit_code]).get(event.unit_code)
        label = "Tiêu chí " + ", ".join(event.criterion_ids) if event.criterion_ids else "Phiếu đánh giá"
        return [m.explanation_request(cycle, unit, request_id=event.request_id, questions=[(label, event.question)],
                                      answer_by=event.due)] if unit else []

    def _extended(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)
        unit = d.units([event.unit_code]).get(event.unit_code)
        occasion = f"extended:{event.extended_until.isoformat()}"
        return [m.deadline_changed(cycle, unit, previous=event.previous_due, new=event.extended_until,
                                   reason=event.reason or "", occasion=occasion)] if unit else []

    def _tick_failed(self, d: Directory, event, request) -> list[m.Message]:
        cycle, _ = d.cycle(event.cycle_id)  # the cycle's owner runs it: its secretariat is told
        staff = d.staff_of(cycle)
        digest = hashlib.sha1(event.error.encode("utf-8")).hexdigest()[:10]
        occasion = f"tick-failure:{local_date(event.at).isoformat()}:{digest}"  # once per error a day
        return [m.tick_failure_notice(cycle_id=event.cycle_id, secretariat=staff, failed_at=event.at,
                                      error=event.error, occasion=occasion)]

    def _published(self, d: Directory, event, request) -> list[m.Message]:
        cycle, row = d.cycle(event.cycle_id)
        results = (request.context or {}).get("results", {})
        out = []
        for code, unit in self._units_of(d, event, request).items():
            r = results.get(code, {})
            out.append(m.result_published(
                cycle, unit, round_no=row.score_round, decision=r.get("decision", f"quyết định của {cycle.authority}"),
                group=r.get("group"), points=r.get("points"), classification=r.get("classification"),
                rank=r.get("rank"), award=r.get("award"), location=getattr(event, "location", None),
                audit_head=getattr(event, "audit_head", None)))
        return out


def queue_due_reminders(session, outbox: MailOutbox, cycle_id: str, rules: plan.ReminderRules, calendar,
                        now: dt.datetime, *, staff: Sequence[m.Recipient] = ()) -> int:
    """Queue the reminders due at `now` for one cycle; returns how many were new.

    Set-based (target: a tick over 11,000 units with nothing due in under 200 ms): the plan
    depends only on the deadlines and the sheet's state, so it is made once per (due, grace,
    state), not per unit; and a reminder whose (unit, kind, occasion) is already in the outbox is
    not rendered again (the unique key stays the guarantee; this only skips the work)."""
    d = outbox.directory(session)
    cycle, _ = d.cycle(cycle_id)
    groups = d.milestones(cycle_id)
    plans: dict[tuple, plan.DueReminder | None] = {}
    due_now: list[tuple[str, plan.DueReminder]] = []
    for unit_code, group_id, state, extended_until in d.waiting_sheets(cycle_id, plan.AWAITING_SHEET_STATES):
        ms = groups.get(group_id, [])
        due, grace = by_role(ms, "submission"), by_role(ms, "lock")
        if due is None:
            continue
        if extended_until is not None:  # the unit's own extended deadline replaces the due
            due = Milestone("extended_due", due.name, None, extended_until, due.roles)
            grace = grace if grace is not None and grace.closes_at > extended_until else None
        key = (due, grace, state)
        if key not in plans:
            plans[key] = plan.due_unit_reminder(rules, due, grace, calendar, state, now)
        if plans[key] is not None:
            due_now.append((unit_code, plans[key]))
    seen: dict[str, Milestone] = {}
    for ms in groups.values():
        for milestone in ms:
            if milestone.closes_at is not None:
                seen.setdefault(milestone.id, milestone)
    staff_due = plan.due_staff_reminders(rules, list(seen.values()), calendar, now)
    if staff_due and _council_has_verified(d, cycle_id):
        # Nothing is left to verify: the reminders before the verification deadline stop.
        staff_due = [f for f in staff_due if "verification" not in seen[f.occasion.milestone_id].roles]
    queued = d.queued(cycle_id, {found.key for _, found in due_now} | {found.key for found in staff_due})
    due_now = [(code, found) for code, found in due_now if (code, found.kind, found.key) not in queued]
    units = d.units(code for code, _ in due_now)
    messages: list[m.Message] = [m.unit_reminder(cycle, units[code], found) for code, found in due_now
                                 if code in units]
    for found in staff_due:
        if (NO_UNIT, found.kind, found.key) not in queued:
            messages.append(m.staff_reminder(cycle, milestone_name=seen[found.occasion.milestone_id].name,
                                             due=found, to=tuple(staff) or d.staff_of(cycle)))
    return enqueue_many(session, [outbox.composer.compose(msg, now) for msg in messages], now)


def _council_has_verified(d: Directory, cycle_id: str) -> bool:
    """Every sheet received (on time or late) carries the council's verification."""
    received = [s.state for s in d.sheets(cycle_id) if is_received(s.state)]
    return bool(received) and all(state == SheetState.VERIFIED for state in received)
