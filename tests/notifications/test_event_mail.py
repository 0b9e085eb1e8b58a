"""Service events and the tick become e-mail in the caller's transaction: the 2019 Bình Thuận
cycle (Decision 1867, letter 697) with its real timeline, calendar and reminder rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from domain import events as ev
from domain.instants import end_of_local_day, local_time_on
from domain.timeline import compute_timeline
from notifications.event_mail import MailOutbox, queue_due_reminders
from rubrics.regime_loader import load_regime
from notifications.samples import SECRETARIAT
from services.ports import MessageRequest
from store.cycle_rows import CycleRow, MilestoneRow, SheetRow
from store.db import make_engine
from store.outbox import OutboxMessage
from store.register_rows import PersonRow, UnitRow
from store.schema import create_schema

CYCLE_ID = "binhthuan-2019-it"
UNITS = [("STC", "Sở Tài chính", "I", "draft"), ("SYT", "Sở Y tế", "I", "submitted"),
         ("TP", "UBND huyện Tuy Phong", "IV", "not_started")]


@pytest.fixture
def store(tmp_path, calendar):
    engine = make_engine(f"sqlite:///{tmp_path / 'dtiflow.db'}")
    create_schema(engine)
    regime = load_regime("binhthuan-2019-it")
    with Session(engine) as s:
        s.add(PersonRow(id="secretariat", full_name="Trần Thị Lệ Hằng", email="hangttl@stttt.binhthuan.gov.vn"))
        for code, name, group, _ in UNITS:
            s.add(PersonRow(id=f"{code}-focal", full_name=f"Đầu mối {name}", email=f"cntt@{code.lower()}.gov.vn"))
            s.add(PersonRow(id=f"{code}-head", full_name=f"Thủ trưởng {name}", email=f"lanhdao@{code.lower()}.gov.vn"))
        s.flush()
        for code, name, group, _ in UNITS:
            s.add(UnitRow(code=code, name=name, kind="district" if group == "IV" else "department",
                          level="district" if group == "IV" else "province",
                          focal_person_id=f"{code}-focal", head_person_id=f"{code}-head"))
        s.add(CycleRow(id=CYCLE_ID, regime_id=regime.id, regime_version=regime.version, year=2019, owner="province",
                       calendar_version="test", state="collecting", notice_date=dt.date(2019, 8, 7),
                       opened_at=local_time_on(dt.date(2019, 8, 1), 9), opened_by="secretariat"))
        s.flush()
        for group in ("I", "IV"):
            timeline = compute_timeline(regime, 2019, group, {"notice": dt.date(2019, 8, 7)}, calendar)
            for ms in timeline.milestones:
                s.add(MilestoneRow(cycle_id=CYCLE_ID, group_id=group, milestone_id=ms.id, name=ms.name, kind=str(ms.kind),
                                   date=ms.date, closes_at=ms.closes_at, rule=ms.rule,
                                   roles=",".join(sorted(str(r) for r in ms.roles))))
        for code, _, group, state in UNITS:
            s.add(SheetRow(cycle_id=CYCLE_ID, unit_code=code, group_id=group, rubric_id=f"binhthuan-2019-it.{group}",
                           state=state, received_at=local_time_on(dt.date(2019, 9, 10), 10) if state == "submitted"
                           else None))
        s.commit()
    yield engine, regime
    engine.dispose()


@pytest.fixture
def outbox(composer):
    return MailOutbox(composer, secretariat=[SECRETARIAT], contact="Bà Trần Thị Lệ Hằng, ĐT 0252.3833505")


def queued(engine) -> list[tuple[str, str, str]]:
    with Session(engine) as s:
        return sorted(s.execute(select(OutboxMessage.unit_id, OutboxMessage.kind, OutboxMessage.occasion)).all())


@pytest.mark.parametrize("day, hour, expected", [
    ("2019-09-05", 8, [("STC", "reminder_before_due", "reminder:due-7wd:2019-09-05"),
                       ("TP", "reminder_before_due", "reminder:due-7wd:2019-09-05")]),
    ("2019-09-13", 9, [("STC", "reminder_before_due", "reminder:due-1wd:2019-09-13"),
                       ("TP", "reminder_before_due", "reminder:due-1wd:2019-09-13")]),
    ("2019-09-14", 9, []),  # Saturday
    ("2019-09-18", 8, [("STC", "grace_reminder", "reminder:grace-3:2019-09-18"),
                       ("TP", "grace_reminder", "reminder:grace-3:2019-09-18")]),
    ("2019-09-25", 8, [("", "staff_milestone_reminder", "staff:preliminary_due-3wd:2019-09-25")]),
])
def test_the_tick_queues_the_current_reminder_of_each_unit_that_owes_its_sheet(store, outbox, calendar, day, hour, expected):
    engine, regime = store
    now = local_time_on(dt.date.fromisoformat(day), hour)
    with Session(engine) as s:
        assert queue_due_reminders(s, outbox, CYCLE_ID, regime.reminders, calendar, now) == len(expected)
        s.commit()
    with Session(engine) as s:  # a second tick at the same moment queues nothing new
        assert queue_due_reminders(s, outbox, CYCLE_ID, regime.reminders, calendar, now + dt.timedelta(minutes=5)) == 0
        s.commit()
    assert [(u, k, o) for u, k, o in queued(engine)] == expected


def test_an_escalated_grace_reminder_copies_the_head(store, outbox, calendar):
    engine, regime = store
    with Session(engine) as s:
        queue_due_reminders(s, outbox, CYCLE_ID, regime.reminders, calendar, local_time_on(dt.date(2019, 9, 18), 8))
        s.commit()
        row = s.execute(select(OutboxMessage).where(OutboxMessage.unit_id == "STC")).scalar_one()
    assert row.recipients == "cntt@stc.gov.vn,lanhdao@stc.gov.vn"
    assert "Khẩn" in row.subject and "còn 3 ngày làm việc" in row.subject


def _request(event, *units):
    return MessageRequest(event=event, recipients=(), idempotency_key=f"{event.name}:{event.at.isoformat()}")


def test_each_service_event_becomes_its_messages_once(store, outbox):
    engine, _ = store
    at = local_time_on(dt.date(2019, 8, 7), 9)
    due, grace = end_of_local_day(dt.date(2019, 9, 15)), end_of_local_day(dt.date(2019, 9, 20))
    events = [
        ev.NoticeIssued(cycle_id=CYCLE_ID, at=at, notice_date=dt.date(2019, 8, 7), submission_due=due,
                        acceptance_end=grace, notice_ref="697/STTTT-BCVT&CNTT"),
        ev.SheetSubmitted(cycle_id=CYCLE_ID, at=local_time_on(dt.date(2019, 9, 17), 9), unit_code="STC",
                          received_at=local_time_on(dt.date(2019, 9, 17), 9), late=True),
        ev.SheetNotEvaluated(cycle_id=CYCLE_ID, at=grace, unit_code="TP", acceptance_end=grace),
        ev.CycleLocked(cycle_id=CYCLE_ID, at=grace, not_evaluated=("TP",)),
        ev.ExplanationRequested(cycle_id=CYCLE_ID, at=local_time_on(dt.date(2019, 9, 26), 9), unit_code="SYT",
                                request_id="1", criterion_ids=("4.2",), question="Cung cấp tử số và mẫu số",
                                due=end_of_local_day(dt.date(2019, 10, 3))),
        ev.ResultsPublished(cycle_id=CYCLE_ID, at=local_time_on(dt.date(2019, 11, 26), 9),
                            location="Cổng thông tin điện tử tỉnh"),
        ev.DraftSaved(cycle_id=CYCLE_ID, at=at, unit_code="STC"),  # sends nothing
    ]
    for _ in range(2):  # the second pass is a replay: nothing new
        with Session(engine) as s:
            for event in events:
                outbox.enqueue(s, _request(event))
            s.commit()
    kinds = [(u, k) for u, k, _ in queued(engine)]
    assert kinds == sorted([("", "lock_digest"), ("STC", "notice"), ("STC", "result_published"),
                            ("STC", "submission_receipt"), ("SYT", "explanation_request"), ("SYT", "notice"),
                            ("SYT", "result_published"), ("TP", "not_evaluated_notice"), ("TP", "notice"),
                            ("TP", "result_published")])
    with Session(engine) as s:
        digest = s.execute(select(OutboxMessage).where(OutboxMessage.kind == "lock_digest")).scalar_one()
    assert digest.subject.endswith("1 đúng hạn, 0 gửi trễ, 2 không gửi")  # STC's sheet row is still a draft here


def test_an_event_rolled_back_with_its_command_leaves_no_mail(store, outbox):
    engine, _ = store
    with Session(engine) as s:
        outbox.enqueue(s, _request(ev.SheetNotEvaluated(cycle_id=CYCLE_ID, at=local_time_on(dt.date(2019, 9, 21), 0),
                                                        unit_code="TP", acceptance_end=end_of_local_day(dt.date(2019, 9, 20)))))
        s.rollback()
        assert s.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 0
