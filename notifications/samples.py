"""One message of every kind, with the 2019 Bình Thuận facts (letter 697/STTTT, 7/8/2019).

Used by the golden-file tests and by `dtiflow mail preview KIND`, so that a province editing its
templates (DTIFLOW_MAIL_TEMPLATES) sees the result on realistic content.
"""

from __future__ import annotations

import datetime as dt

from domain.instants import end_of_local_day, local_time_on
from domain.reminders import DueReminder, Occasion, last_day_of
from notifications import messages as m

NOTICE_DAY = dt.date(2019, 8, 7)
DUE = end_of_local_day(dt.date(2019, 9, 15))
GRACE_END = end_of_local_day(dt.date(2019, 9, 20))

SECRETARIAT = m.Recipient("stttt@binhthuan.gov.vn", "Sở Thông tin và Truyền thông Bình Thuận")
COUNCIL = m.Recipient("hoidong@binhthuan.gov.vn", "Hội đồng thẩm định")
SENDER = m.Recipient("noreply@stttt.binhthuan.gov.vn", "Sở TT&TT Bình Thuận")

CYCLE = m.Cycle(
    id="binhthuan-2019-it",
    title="Đánh giá, xếp hạng kết quả ứng dụng công nghệ thông tin năm 2019",
    year=2019,
    secretariat=SECRETARIAT,
    contact="Bà Trần Thị Lệ Hằng, Phòng BCVT&CNTT, ĐT 0252.3833505, hangttl@stttt.binhthuan.gov.vn",
    authority="Ủy ban nhân dân tỉnh Bình Thuận",
    address="Số 1 đường Minh Họa, thành phố Phan Thiết, tỉnh Bình Thuận (địa chỉ minh họa)",
)
UNIT = m.Unit(
    id="so-tai-chinh",
    name="Sở Tài chính",
    focal=m.Recipient("cntt@stc.binhthuan.gov.vn", "Nguyễn Văn Đầu Mối"),
    head=m.Recipient("giamdoc@stc.binhthuan.gov.vn", "Giám đốc Sở Tài chính"),
)


def _due(kind: str, key: str, day: dt.date, deadline: dt.datetime, left: int, grace_day=None,
         escalate=False, milestone="submission_due") -> DueReminder:
    occasion = Occasion(kind, key, day, local_time_on(day, 8), deadline, milestone, grace_day, escalate)
    return DueReminder(occasion, day, last_day_of(deadline), left)


def every_kind() -> dict[m.MessageKind, m.Message]:
    k = m.MessageKind
    return {
        k.NOTICE: m.notice(CYCLE, UNIT, letter="Công văn số 697/STTTT-BCVT&CNTT", issued_on=NOTICE_DAY,
                           data_from=dt.date(2018, 9, 1), data_to=dt.date(2019, 8, 31), due=DUE,
                           grace_end=GRACE_END,
                           how_to_send="văn bản điện tử có ký số qua hệ thống Quản lý văn bản và điều hành, "
                                       "hoặc hộp thư công vụ stttt@binhthuan.gov.vn"),
        k.REMINDER_BEFORE_DUE: m.unit_reminder(CYCLE, UNIT, _due(
            k.REMINDER_BEFORE_DUE, "reminder:due-3wd:2019-09-11", dt.date(2019, 9, 11), DUE, 3)),
        k.REMINDER_DUE_DAY: m.unit_reminder(CYCLE, UNIT, _due(
            k.REMINDER_DUE_DAY, "reminder:due-day:2019-09-15", dt.date(2019, 9, 15), DUE, 0)),
        k.GRACE_REMINDER: m.unit_reminder(CYCLE, UNIT, _due(
            k.GRACE_REMINDER, "reminder:grace-3:2019-09-18", dt.date(2019, 9, 18), GRACE_END, 3,
            grace_day=3, escalate=True, milestone="grace_end")),
        k.SUBMISSION_RECEIPT: m.submission_receipt(
            CYCLE, UNIT, submission_id="42", received_at=local_time_on(dt.date(2019, 9, 17), 9, 30),
            on_time=False, due=DUE, grace_end=GRACE_END,
            items=["Phiếu đánh giá (Phụ lục I), 38 tiêu chí", "Tài liệu kiểm chứng: 12 tệp"], self_total="412,5"),
        k.NOT_EVALUATED_NOTICE: m.not_evaluated_notice(CYCLE, UNIT, grace_end=GRACE_END),
        k.LOCK_DIGEST: m.lock_digest(CYCLE, locked_at=GRACE_END, submitted=["Sở Tài chính", "Sở Y tế"],
                                     late=["UBND huyện Tuy Phong"], missing=["UBND thị xã La Gi"]),
        k.EXPLANATION_REQUEST: m.explanation_request(
            CYCLE, UNIT, request_id="7", answer_by=end_of_local_day(dt.date(2019, 10, 4)),
            questions=[("Tiêu chí 4.2 — Tỷ lệ văn bản điện tử có ký số",
                        "cung cấp tử số và mẫu số (số văn bản ký số / tổng số văn bản phát hành)")]),
        k.STAFF_MILESTONE_REMINDER: m.staff_reminder(
            CYCLE, milestone_name="Báo cáo Hội đồng thẩm định kết quả tổng hợp sơ bộ",
            due=_due(k.STAFF_MILESTONE_REMINDER, "staff:preliminary_due-3wd:2019-09-25", dt.date(2019, 9, 25),
                     end_of_local_day(dt.date(2019, 9, 30)), 4, milestone="preliminary_due"),
            to=[SECRETARIAT, COUNCIL]),
        k.RESULT_PUBLISHED: m.result_published(
            CYCLE, UNIT, round_no=1, decision="Quyết định số 3050/QĐ-UBND ngày 22/11/2019 của UBND tỉnh",
            group="Nhóm I — Các cơ quan chuyên môn thuộc UBND tỉnh", points="462,5", classification="Tốt",
            rank=2, award="Bằng khen của Chủ tịch UBND tỉnh"),
        k.DELIVERY_FAILURE_NOTICE: m.delivery_failure_notice(
            cycle_id=CYCLE.id, secretariat=[SECRETARIAT],
            failed_message_id="<0f1e2d3c4b5a69788796a5b4c3d2e1f001234567@dtiflow.local>",
            failed_subject="Nhắc hạn: còn 3 ngày làm việc để gửi Phiếu đánh giá",
            failed_recipients="cntt@stc.binhthuan.gov.vn", failed_kind="reminder_before_due",
            error="550 5.1.1 <cntt@stc.binhthuan.gov.vn>: Recipient address rejected", attempts=1),
        k.DEADLINE_CHANGED: m.deadline_changed(
            CYCLE, UNIT, previous=end_of_local_day(dt.date(2019, 9, 15)), new=end_of_local_day(dt.date(2019, 9, 27)),
            reason="Sự cố hệ thống quản lý văn bản của đơn vị", occasion="extended:2019-09-27T17:00:00+00:00"),
        k.TICK_FAILURE_NOTICE: m.tick_failure_notice(
            cycle_id=CYCLE.id, secretariat=[SECRETARIAT], failed_at=dt.datetime(2019, 9, 23, 1, tzinfo=dt.timezone.utc),
            error="ngày 29/09/2999 nằm ngoài lịch làm việc (2015–2027)",
            occasion="tick-failure:2019-09-23:0f1e2d3c"),
    }
