"""Year by year, 2015–2027: the calendar's exceptions are exactly the days of the notices.

Each row lists, from the notices recorded in rubrics/calendar/vn.yaml (and the Labour Code
for holidays and compensatory days), every weekday given off and every Saturday worked.
The table is written from the notices, not from the code: the test compares the whole set.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

D = dt.date

# year -> (weekdays off, Saturdays worked)
NOTICES = {
    2015: ([D(2015, 1, 1), D(2015, 1, 2),                      # Tết Dương lịch; swap for Sat 27/12/2014
            D(2015, 2, 16), D(2015, 2, 17), D(2015, 2, 18), D(2015, 2, 19), D(2015, 2, 20),
            D(2015, 2, 23),                                     # Tết Ất Mùi, 16/02 swapped with Sat 14/02
            D(2015, 4, 28), D(2015, 4, 29), D(2015, 4, 30), D(2015, 5, 1),   # Giỗ Tổ; swap; 30/4; 1/5
            D(2015, 9, 2)],
           [D(2015, 2, 14), D(2015, 4, 25)]),
    2016: ([D(2016, 1, 1),
            D(2016, 2, 8), D(2016, 2, 9), D(2016, 2, 10), D(2016, 2, 11), D(2016, 2, 12),  # Tết 06/02–14/02
            D(2016, 4, 18),                                     # Giỗ Tổ on Sat 16/4 -> Monday
            D(2016, 5, 2), D(2016, 5, 3),                       # 30/4 Sat, 1/5 Sun -> Mon, Tue
            D(2016, 9, 2)],
           []),
    2017: ([D(2017, 1, 2),                                      # 1/1 on Sunday -> Monday
            D(2017, 1, 26), D(2017, 1, 27), D(2017, 1, 30), D(2017, 1, 31), D(2017, 2, 1),
            D(2017, 4, 6),
            D(2017, 5, 1), D(2017, 5, 2),                       # 30/4 Sunday -> Tuesday 2/5
            D(2017, 9, 4)],                                     # 2/9 Saturday -> Monday
           []),
    2018: ([D(2018, 1, 1),
            D(2018, 2, 14), D(2018, 2, 15), D(2018, 2, 16), D(2018, 2, 19), D(2018, 2, 20),
            D(2018, 4, 25), D(2018, 4, 30), D(2018, 5, 1),
            D(2018, 9, 3),                                      # 2/9 Sunday -> Monday
            D(2018, 12, 31)],                                   # swap for Sat 05/01/2019 (6519/VPCP-KGVX)
           []),
    2019: ([D(2019, 1, 1),
            D(2019, 2, 4), D(2019, 2, 5), D(2019, 2, 6), D(2019, 2, 7), D(2019, 2, 8),
            D(2019, 4, 15),                                     # Giỗ Tổ on Sunday 14/4 -> Monday
            D(2019, 4, 29), D(2019, 4, 30), D(2019, 5, 1),      # 29/4 swapped with Sat 4/5
            D(2019, 9, 2)],
           [D(2019, 1, 5), D(2019, 5, 4)]),
    2020: ([D(2020, 1, 1),
            D(2020, 1, 23), D(2020, 1, 24), D(2020, 1, 27), D(2020, 1, 28), D(2020, 1, 29),
            D(2020, 4, 2), D(2020, 4, 30), D(2020, 5, 1),
            D(2020, 9, 2)],
           []),
    2021: ([D(2021, 1, 1),
            D(2021, 2, 10), D(2021, 2, 11), D(2021, 2, 12), D(2021, 2, 15), D(2021, 2, 16),
            D(2021, 4, 21), D(2021, 4, 30),
            D(2021, 5, 3),                                      # 1/5 Saturday -> Monday
            D(2021, 9, 2), D(2021, 9, 3)],                      # Labour Code 2019: two days for 2/9
           []),
    2022: ([D(2022, 1, 3),                                      # 1/1 Saturday -> Monday
            D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4),
            D(2022, 4, 11),                                     # Giỗ Tổ Sunday 10/4 -> Monday
            D(2022, 5, 2), D(2022, 5, 3),
            D(2022, 9, 1), D(2022, 9, 2)],
           []),
    2023: ([D(2023, 1, 2),
            D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25), D(2023, 1, 26),
            D(2023, 5, 1), D(2023, 5, 2), D(2023, 5, 3),        # Giỗ Tổ Sat 29/4, 30/4 Sun -> 2/5, 3/5
            D(2023, 9, 1), D(2023, 9, 4)],                      # 8056/VPCP-KGVX: 01/9–04/9
           []),
    2024: ([D(2024, 1, 1),
            D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14),
            D(2024, 4, 18),
            D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1),      # 2450/VPCP-KGVX
            D(2024, 9, 2), D(2024, 9, 3)],
           [D(2024, 5, 4)]),
    2025: ([D(2025, 1, 1),
            D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
            D(2025, 4, 7),
            D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2),       # 2/5 swapped with Sat 26/4
            D(2025, 9, 1), D(2025, 9, 2)],
           [D(2025, 4, 26)]),
    2026: ([D(2026, 1, 1), D(2026, 1, 2),                       # 12729/VPCP-KGVX: 2/1 off
            D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
            D(2026, 4, 27),                                     # Giỗ Tổ Sunday 26/4 -> Monday
            D(2026, 4, 30), D(2026, 5, 1),
            D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2),       # 31/8 swapped with Sat 22/8
            D(2026, 11, 24)],                                   # estimated (Ngày Văn hóa Việt Nam)
           [D(2026, 1, 10), D(2026, 8, 22)]),
    2027: ([D(2027, 1, 1),
            D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
            D(2027, 4, 16), D(2027, 4, 30),
            D(2027, 5, 3),                                      # 1/5 Saturday -> Monday
            D(2027, 9, 2), D(2027, 9, 3),
            D(2027, 11, 24)],
           []),
}

TET_WEEKDAYS_OFF = {
    2015: 6, 2016: 5, 2017: 5, 2018: 5, 2019: 5, 2020: 5, 2021: 5,
    2022: 5, 2023: 5, 2024: 5, 2025: 5, 2026: 5, 2027: 5,
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_weekdays_off_of_each_year_are_exactly_those_of_the_notices(calendar, year):
    days_off, _ = NOTICES[year]
    found = [d.date for d in calendar.exceptions(year) if not d.working]
    assert found == sorted(days_off)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_the_saturdays_worked_of_each_year_are_exactly_those_of_the_notices(calendar, year):
    _, saturdays = NOTICES[year]
    found = [d.date for d in calendar.exceptions(year) if d.working]
    assert found == sorted(saturdays)
    assert all(calendar.is_working_day(d) for d in saturdays)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_every_listed_day_off_is_not_a_working_day_and_names_its_source(calendar, year):
    for day in NOTICES[year][0]:
        info = calendar.day_info(day)
        assert not calendar.is_working_day(day)
        assert info.name and info.source


@pytest.mark.parametrize("year", sorted(TET_WEEKDAYS_OFF))
def test_each_tet_gives_the_weekdays_off_of_its_notice(calendar, year):
    tet = [d for d in NOTICES[year][0] if d.month in (1, 2) and d > dt.date(year, 1, 3)]
    assert len(tet) == TET_WEEKDAYS_OFF[year]
    assert all(calendar.day_info(d).kind in {"public_holiday", "swap_day_off"} for d in tet)


def test_the_holidays_package_alone_misses_the_new_year_swap_of_2026():
    base = holidays.country_holidays("VN", years=[2026])
    assert dt.date(2026, 1, 2) not in base
    assert dt.date(2026, 1, 10) not in base.weekend_workdays


def test_the_override_gives_friday_2_january_2026_off_for_saturday_10_january(calendar):
    assert not calendar.is_working_day(dt.date(2026, 1, 2))
    assert calendar.is_working_day(dt.date(2026, 1, 10))
    assert "12729/VPCP-KGVX" in calendar.day_info(dt.date(2026, 1, 10)).source
    assert calendar.day_info(dt.date(2026, 1, 10)).name == "Làm bù cho ngày 02/01/2026"


def test_swaps_agreeing_with_the_holidays_package_carry_the_document_number(calendar):
    for day, number in [(dt.date(2024, 5, 4), "2450/VPCP-KGVX"), (dt.date(2019, 1, 5), "6519/VPCP-KGVX"),
                        (dt.date(2025, 5, 2), "6150/TB-BLĐTBXH")]:
        assert number in calendar.day_info(day).source


def test_2027_has_no_official_notice_yet_and_says_so(calendar):
    assert calendar.is_estimated(dt.date(2027, 3, 1))
    assert calendar.is_year_estimated(2027)
    assert all(d.estimated for d in calendar.exceptions(2027))


def test_official_years_are_not_estimated_except_the_unconfirmed_culture_day(calendar):
    assert not any(calendar.is_year_estimated(y) for y in range(2015, 2026))
    assert calendar.is_estimated(dt.date(2026, 11, 24))
    assert not calendar.is_estimated(dt.date(2026, 11, 23))
    assert not calendar.is_estimated_between(dt.date(2026, 1, 1), dt.date(2026, 11, 23))
    assert calendar.is_estimated_between(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_a_holiday_on_a_weekend_is_off_but_not_listed_as_an_exception(calendar):
    saturday = dt.date(2023, 4, 29)  # Giỗ Tổ Hùng Vương 2023
    assert calendar.day_info(saturday).kind == "public_holiday"
    assert saturday not in [d.date for d in calendar.exceptions(2023)]
    assert calendar.day_info(dt.date(2023, 5, 2)).kind == "compensatory_day"
