"""Every date a person gives is checked when it is given, against the working-day calendar,
the cycle's year and its milestones, and refused in a sentence that names it; nothing
impossible is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from store.db import make_engine

SECRETARIAT = ("--as", "thuongtruc.stttt")
CYCLE = "binhthuan-2019-it-2019"


@pytest.fixture
def cycle_2019(cli):
    cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019", *SECRETARIAT,
        now="2019-08-07T02:00:00Z")
    return cli


@pytest.mark.parametrize("until, says", [
    ("2999-09-30", "nằm ngoài lịch làm việc (2015–2027)"),
    ("2019-10-15", "quá mốc tiếp theo của kỳ đánh giá: Báo cáo Hội đồng thẩm định kết quả tổng hợp sơ bộ "
                   "(24:00 Thứ Hai, 30/09/2019)"),
    ("2019-09-10", "phải sau hạn gửi phiếu 24:00 Chủ nhật, 15/09/2019"),
])
def test_an_extension_is_checked_against_the_calendar_and_the_cycles_milestones(cycle_2019, until, says):
    err = cycle_2019("unit", "extend", CYCLE, "SNV", "--until", until, "--reason", "Sự cố", *SECRETARIAT,
                     now="2019-09-12T02:00:00Z", expect=2)
    assert says in err
    assert cycle_2019("cycle", "status", CYCLE, "--unit", "SNV", *SECRETARIAT, "--json")["sheets"][0][
        "extended_until"] is None


def test_an_extension_within_the_cycle_reads_in_local_time_with_the_old_deadline(cycle_2019):
    out = cycle_2019("unit", "extend", CYCLE, "SNV", "--until", "27/09/2019", "--reason", "Sự cố QLVB", *SECRETARIAT,
                     now="2019-09-12T02:00:00Z")
    assert out == "Đã gia hạn cho SNV đến 24:00 Thứ Sáu, 27/09/2019 (hạn cũ 24:00 Chủ nhật, 15/09/2019)\n"
    engine = make_engine(cycle_2019.url)  # the unit is told its old and new deadline
    with engine.connect() as conn:
        (subject,) = conn.execute(text("SELECT subject FROM outbox_message WHERE kind = 'deadline_changed' "
                                       "AND unit_id = 'SNV'")).scalars().all()
    engine.dispose()
    assert subject.endswith("Gia hạn gửi Phiếu đánh giá năm 2019: đến 24:00 Thứ Sáu, 27/09/2019")  # sandbox prefix


@pytest.mark.parametrize("args, now, says", [
    (("binhthuan-2023-dti", "--year", "2024", "--notice-date", "2023-01-01"), "2023-01-01T02:00:00Z",
     "Công văn thông báo đánh giá DTI ngày 01/01/2023 trước khi kỳ số liệu bắt đầu"),
    (("binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019"), "2026-12-07T02:00:00Z",
     "các mốc sau đã qua: Hạn gửi Phiếu đánh giá (24:00 Chủ nhật, 15/09/2019)"),
    (("binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2021"), "2019-08-07T02:00:00Z",
     "ngày 07/08/2021 không thuộc kỳ đánh giá năm 2019"),
    (("tayninh-2015-it", "--year", "2020", "--notice-date", "01/09/2020", "--fact", "submission_due=30/09/2020",
      "--fact", "approval_due=15/09/2020"), "2020-09-01T02:00:00Z",
     "Hạn phê duyệt kết quả ngày 15/09/2020 trước hạn gửi bảng đánh giá ngày 30/09/2020"),
    (("tayninh-2015-it", "--year", "2020", "--notice-date", "01/09/2020"), "2020-09-01T02:00:00Z",
     "cần ngày của submission_due (Hạn gửi bảng đánh giá)"),
])
def test_impossible_cycle_dates_are_refused_naming_them(cli, args, now, says):
    err = cli("cycle", "open", *args, *SECRETARIAT, now=now, expect=2)
    assert says in err
    assert cli("cycle", "list", "--json") == []


@pytest.mark.parametrize("cycle_id", ["../../x y'; DROP TABLE cycle", "", "Kỳ-2019", "-x"])
def test_a_cycle_id_is_a_slug(cli, cycle_id):
    err = cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019", f"--id={cycle_id}",
              *SECRETARIAT, now="2019-08-07T02:00:00Z", expect=2)
    assert f"mã kỳ đánh giá '{cycle_id}' không hợp lệ" in err


def test_a_regime_whose_notice_is_another_fact_opens_with_it(cli):
    """Decision 2392: the survey letter's receipt dates the cycle (its notice)."""
    opened = cli("cycle", "open", "mic-2017-egov", "--year", "2020", "--level", "district",
                 "--fact", "survey_received=2020-09-01", *SECRETARIAT, "--json", now="2020-09-01T02:00:00Z")
    assert opened["state"] == "open" and opened["notice_fact"] == "survey_received"


def test_a_draft_cycle_says_which_date_it_still_needs(cli):
    out = cli("cycle", "open", "tayninh-2015-it", "--year", "2020", *SECRETARIAT, now="2020-09-01T02:00:00Z")
    assert "chưa có ngày: Hạn gửi bảng đánh giá" in out and "None" not in out


SHEET_I = """unit: Sở Nội vụ
group: I
rubric: binhthuan-2019-it.I
answers:
  "1": {points: 80}
"""


def test_an_approval_is_dated_after_the_acceptance_end_within_the_cycles_year(cycle_2019, tmp_path):
    sheet = tmp_path / "snv.yaml"
    sheet.write_text(SHEET_I, encoding="utf-8")
    cycle_2019("sheet", "import", CYCLE, "SNV", str(sheet), "--as", "daumoi.snv", now="2019-09-10T02:00:00Z")
    cycle_2019("sheet", "submit", CYCLE, "SNV", "--as", "lanhdao.snv", now="2019-09-10T02:00:00Z")
    cycle_2019("cycle", "tick", CYCLE, now="2019-09-20T18:00:00Z")
    cycle_2019("stage", "verify", CYCLE, "SNV", "--as", "hoidong.1", now="2019-11-05T02:00:00Z")
    approve = ("stage", "approve", CYCLE, "--decision", "2912/QĐ-UBND", "--as", "chutich.ubndtinh")
    err = cycle_2019(*approve, "--decision-date", "01/01/1900", now="2019-11-20T02:00:00Z", expect=2)
    assert "ngày quyết định 01/01/1900 không thuộc kỳ đánh giá năm 2019" in err
    err = cycle_2019(*approve, "--decision-date", "19/09/2019", now="2019-11-20T02:00:00Z", expect=2)
    assert "ngày quyết định 19/09/2019 trước khi hết thời hạn nhận phiếu (24:00 Thứ Sáu, 20/09/2019)" in err
    err = cycle_2019(*approve, "--decision-date", "31/12/9999", now="2019-11-20T02:00:00Z", expect=2)
    assert "ngày quyết định 31/12/9999 không thuộc kỳ đánh giá năm 2019" in err
    assert cycle_2019(*approve, "--decision-date", "20/11/2019", "--json", now="2019-11-20T02:00:00Z")["state"] == "approved"


@pytest.mark.parametrize("date, says", [
    ("9999-12-31", "văn bản số 45/QĐ-STP ghi ngày 31/12/9999, sau ngày hôm nay (10/09/2020)"),
    ("2020-09-05", "ban hành sau khi kỳ số liệu kết thúc (31/08/2020)"),
])
def test_a_document_date_is_checked_against_today_and_the_data_period(cli, tmp_path, date, says):
    cli("cycle", "open", "tayninh-2015-it", "--year", "2020", "--level", "department", "--notice-date", "01/09/2020",
        "--fact", "data_period_start=01/09/2019", "--fact", "data_period_end=31/08/2020",
        "--fact", "submission_due=30/09/2020", *SECRETARIAT, now="2020-09-01T02:00:00Z")
    sheet = tmp_path / "stp.yaml"
    sheet.write_text("unit: Sở Tư pháp\ngroup: department\nrubric: tayninh-2015-it.department\nanswers:\n"
                     f"  I.2.4: {{document: {{number: 45/QĐ-STP, date: {date}}}}}\n", encoding="utf-8")
    err = cli("sheet", "import", "tayninh-2015-it-2020-department", "STP", str(sheet), "--as", "daumoi.stp",
              now="2020-09-10T02:00:00Z", expect=2)
    assert says in err
