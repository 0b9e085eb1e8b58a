"""Each shipped regime's timeline, year by year, against the rules of its decision."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.errors import InvalidInput
from domain.regime import Role, YearNotCovered
from domain.timeline import compute_timeline
from rubrics.regime_loader import load_regime

D = dt.date
UTC = dt.timezone.utc


def timeline(calendar, regime_id, year, group=None, **facts):
    return compute_timeline(load_regime(regime_id), year, group, facts, calendar, calendar.version)


# Decision 1867 Art. 8(1): sheets before 15 September; late sheets accepted for "5 working days
# counted from 15 September"; preliminary report 30/9; field verification 10/11; approval 25/11.
@pytest.mark.parametrize(
    "year, grace_end",
    [
        (2019, D(2019, 9, 20)),  # letter 697: 15/9/2019 is a Sunday; Mon 16 – Fri 20
        (2020, D(2020, 9, 22)),
        (2021, D(2021, 9, 22)),
        (2022, D(2022, 9, 22)),
        (2023, D(2023, 9, 22)),
        (2024, D(2024, 9, 20)),
        (2025, D(2025, 9, 22)),
        (2026, D(2026, 9, 22)),
    ],
)
def test_binhthuan_2019_grace_ends_five_working_days_after_15_september(calendar, year, grace_end):
    t = timeline(calendar, "binhthuan-2019-it", year)
    assert t.get("submission_due").date == D(year, 9, 15)
    assert t.get("grace_end").date == grace_end
    assert t.get("grace_end").closes_at == dt.datetime.combine(grace_end, dt.time(17), UTC)
    assert [t.get(m).date for m in ("preliminary_due", "verification_due", "approval_due")] == [
        D(year, 9, 30), D(year, 11, 10), D(year, 11, 25)]
    assert (t.get("data_period_start").date, t.get("data_period_end").date) == (D(year - 1, 9, 1), D(year, 8, 31))


def test_the_2019_cycle_matches_letter_697(calendar):
    t = timeline(calendar, "binhthuan-2019-it", 2019, notice=D(2019, 8, 7))
    assert t.by_role(Role.NOTICE).date == D(2019, 8, 7)
    # "trước ngày 15/9/2019" and "sau 5 ngày làm việc kể từ ngày 15/9/2019"
    assert t.by_role(Role.SUBMISSION).closes_at == dt.datetime(2019, 9, 15, 17, tzinfo=UTC)
    assert t.by_role(Role.LOCK).closes_at == dt.datetime(2019, 9, 20, 17, tzinfo=UTC)
    assert "Chủ nhật 15/09/2019 là ngày nghỉ, hạn không chuyển" in t.get("submission_due").rule
    assert not t.estimated


# Decision 265 Art. 6(1)(a): 15 days from the notice's issue date (Civil Code: from the next day,
# rolling a rest day to the next working day); Art. 6(1)(đ) decision before 15/12, 6(2)(đ) communes 15/11.
@pytest.mark.parametrize(
    "notice, entry_due",
    [
        (D(2023, 11, 1), D(2023, 11, 16)),
        (D(2024, 11, 15), D(2024, 12, 2)),  # Sat 30/11/2024 rolls to Mon 2/12
        (D(2025, 11, 9), D(2025, 11, 24)),
        (D(2026, 1, 15), D(2026, 1, 30)),
        (D(2025, 8, 18), D(2025, 9, 3)),  # Tue 2/9/2025 is National Day; 1/9 is a day off too -> Wed 3/9
        (D(2026, 4, 15), D(2026, 5, 4)),  # Thu 30/4/2026 + 15 = 30/4, holiday; 1/5 holiday; weekend -> Mon 4/5
    ],
)
def test_dti_2023_entry_window_is_15_days_from_the_notice(calendar, notice, entry_due):
    t = timeline(calendar, "binhthuan-2023-dti", notice.year, "department", notice=notice)
    assert t.get("entry_due").date == entry_due
    assert Role.SUBMISSION in t.get("entry_due").roles and Role.LOCK in t.get("entry_due").roles


@pytest.mark.parametrize("year", range(2023, 2028))  # Decision 265 (08/02/2023) covers cycles from 2023
@pytest.mark.parametrize(
    "group, decision, period_start, period_end",
    [
        ("department", (12, 15), (11, 30), (11, 30)),
        ("district", (12, 15), (11, 30), (11, 30)),
        ("commune", (11, 15), (10, 15), (10, 15)),
    ],
)
def test_dti_2023_decision_and_data_period_depend_on_the_level(calendar, year, group, decision, period_start, period_end):
    t = timeline(calendar, "binhthuan-2023-dti", year, group, notice=D(year, 10, 1))
    assert t.get("decision_due").date == D(year, *decision)
    assert t.get("data_period_start").date == D(year - 1, *period_start)
    assert t.get("data_period_end").date == D(year, *period_end)


def naive_add_working_days(calendar, start, n):
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


# Decision 2392 Art. 4: answers within 15 working days of receiving the survey; verification
# within 120 working days of receiving a complete survey.
@pytest.mark.parametrize(
    "received, response_due",
    [
        (D(2019, 10, 1), D(2019, 10, 22)),
        (D(2020, 10, 1), D(2020, 10, 22)),
        (D(2021, 10, 4), D(2021, 10, 25)),
        (D(2022, 10, 3), D(2022, 10, 24)),
        (D(2023, 10, 2), D(2023, 10, 23)),
        (D(2024, 10, 1), D(2024, 10, 22)),
        (D(2025, 10, 1), D(2025, 10, 22)),
        (D(2026, 10, 1), D(2026, 10, 22)),
    ],
)
def test_mic_2017_response_is_due_15_working_days_after_the_survey_arrives(calendar, received, response_due):
    t = timeline(calendar, "mic-2017-egov", received.year, "commune", survey_received=received)
    assert t.get("response_due").date == response_due
    # Without its own date, the complete survey is taken to have arrived with the request.
    assert t.get("verification_due").date == naive_add_working_days(calendar, received, 120)


def test_mic_2017_verification_counts_from_the_complete_survey_when_given(calendar):
    t = timeline(calendar, "mic-2017-egov", 2024, survey_received=D(2024, 10, 1), survey_complete=D(2024, 10, 20))
    assert t.get("verification_due").date == naive_add_working_days(calendar, D(2024, 10, 20), 120)


def test_a_timeline_that_reaches_an_estimated_calendar_year_says_so(calendar):
    t = timeline(calendar, "mic-2017-egov", 2026, survey_received=D(2026, 10, 5))
    assert t.get("verification_due").date.year == 2027
    assert t.get("verification_due").estimated and not t.get("response_due").estimated


def test_tay_ninh_2015_dates_are_set_by_the_secretariat_when_it_opens_the_cycle(calendar):
    open_dates = timeline(calendar, "tayninh-2015-it", 2026)
    assert all(m.date is None for m in open_dates.milestones)
    assert "ấn định khi mở kỳ" in open_dates.get("submission_due").rule
    t = timeline(calendar, "tayninh-2015-it", 2026, notice=D(2026, 8, 3), submission_due=D(2026, 9, 15))
    assert t.by_role(Role.SUBMISSION).closes_at == dt.datetime(2026, 9, 15, 17, tzinfo=UTC)
    assert t.get("approval_due").date is None


def test_a_milestone_counted_from_a_missing_notice_is_listed_undated_with_the_reason(calendar):
    t = timeline(calendar, "binhthuan-2023-dti", 2025, "district")
    assert t.get("entry_due").date is None and t.get("entry_due").closes_at is None
    assert "chưa có ngày" in t.get("entry_due").rule


def test_an_unknown_level_or_fact_is_refused_with_the_known_ones(calendar):
    with pytest.raises(InvalidInput, match="known: department, district, commune"):
        timeline(calendar, "binhthuan-2023-dti", 2025, "province")
    with pytest.raises(InvalidInput, match="no fact or milestone 'notise'"):
        timeline(calendar, "binhthuan-2023-dti", 2025, notise=D(2025, 1, 1))


# Hà Nội, Decision 5279/QĐ-UBND (23/10/2025). The stored texts (the decision's preamble and the
# VietNamNet summary of 24/10/2025) give no date at all: the Department of Science and Technology
# «tham mưu việc thành lập Hội đồng thẩm định đánh giá kết quả chuyển đổi số hằng năm», so every
# milestone is set when the cycle opens, as the year's plan gives it, for 2025, 2026 and 2027 alike.
@pytest.mark.parametrize(
    "year, due, estimated",
    [
        (2025, D(2025, 12, 15), False),  # Monday
        (2026, D(2026, 11, 24), True),   # Ngày Văn hóa Việt Nam: a day off only by Resolution 80-NQ/TW (estimated)
        (2026, D(2026, 12, 15), False),  # Tuesday
        (2027, D(2027, 12, 15), True),   # Wednesday; 2027 has no official notices yet
    ],
)
@pytest.mark.parametrize("group", ["department", "commune"])
def test_hanoi_5279_dates_are_set_at_opening_for_every_year_and_level(calendar, year, due, estimated, group):
    undated = timeline(calendar, "hanoi-2025-dti", year, group)
    assert all(m.date is None for m in undated.milestones)
    assert "ấn định khi mở kỳ" in undated.get("self_assessment_due").rule
    t = timeline(calendar, "hanoi-2025-dti", year, group, notice=D(year, 10, 27), self_assessment_due=due,
                 appraisal_due=due + dt.timedelta(days=10))
    submission = t.by_role(Role.SUBMISSION)
    assert submission.id == "self_assessment_due" and t.by_role(Role.LOCK).id == "self_assessment_due"
    # A date set by the plan is kept as set (the decision gives no rolling rule): end of local day.
    assert submission.date == due and submission.closes_at == dt.datetime.combine(due, dt.time(17), UTC)
    assert submission.estimated is estimated
    assert t.get("appraisal_due").date == due + dt.timedelta(days=10)
    assert t.get("approval_due").date is None


@pytest.mark.parametrize("year", [2019, 2023, 2024])
def test_a_hanoi_5279_cycle_before_2025_is_refused_naming_the_regime_file_and_line(calendar, year):
    with pytest.raises(YearNotCovered, match=rf"rubrics/regimes/hanoi-2025-dti\.yaml:\d+: chế độ hanoi-2025-dti "
                                         rf"áp dụng cho các năm từ 2025; không mở được kỳ đánh giá năm {year}"):
        timeline(calendar, "hanoi-2025-dti", year, "commune")
