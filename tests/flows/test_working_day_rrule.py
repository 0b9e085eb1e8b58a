"""The working-day RRULE, expanded the way Prefect does, fires on exactly the calendar's working days."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from zoneinfo import ZoneInfo

import dateutil.rrule
import pytest

from flows.schedules import (MAX_RRULE_LENGTH, ScheduleRequestError, parse_time_of_day,
                             working_day_schedules)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = range(2019, 2028)  # 2027: the calendar only estimates it (no government notice yet)
AT = dt.time(8, 0)


@pytest.fixture(scope="module")
def schedules(calendar):
    return working_day_schedules(calendar, YEARS[0], YEARS[-1], AT)


def _days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def _expected(calendar, year: int) -> list[dt.datetime]:
    return [dt.datetime.combine(d, AT) for d in _days(year) if calendar.is_working_day(d)]


def _covering(schedules, year: int):
    [s] = [s for s in schedules if s.first_year <= year <= s.last_year]
    return s


@pytest.mark.parametrize("year", YEARS)
def test_dateutil_expands_the_rule_to_exactly_the_working_days_at_8_local(calendar, schedules, year):
    rule = dateutil.rrule.rrulestr(_covering(schedules, year).rrule, forceset=True)
    got = rule.between(dt.datetime(year, 1, 1), dt.datetime(year, 12, 31, 23, 59), inc=True)
    assert got == _expected(calendar, year)


@pytest.mark.parametrize("year", YEARS)
def test_prefects_scheduler_fires_on_exactly_the_working_days_in_vietnam_time(calendar, schedules, year):
    from prefect.client.schemas.schedules import RRuleSchedule as ClientRRule
    from prefect.server.schemas.schedules import RRuleSchedule as ServerRRule

    spec = _covering(schedules, year).prefect_schedule()
    ClientRRule(**spec)  # the validation `prefect deploy` applies (length cap, syntax, time zone)
    got = asyncio.run(ServerRRule(**spec).get_dates(start=dt.datetime(year, 1, 1, tzinfo=VN),
                                                    end=dt.datetime(year, 12, 31, 23, 59, tzinfo=VN)))
    assert got == [instant.replace(tzinfo=VN) for instant in _expected(calendar, year)]


def test_the_years_checked_include_weekdays_off_and_saturdays_worked(calendar):
    kinds = [info.working for y in YEARS for info in calendar.exceptions(y)]
    assert kinds.count(True) >= 5 and kinds.count(False) >= 50


def test_years_without_an_official_notice_are_marked_estimated(calendar, schedules):
    assert 2027 in _covering(schedules, 2027).estimated_years
    assert not [y for s in schedules for y in s.estimated_years if y < 2026]
    assert [y for y in YEARS if calendar.is_year_estimated(y)] == sorted(y for s in schedules for y in s.estimated_years)


def test_every_date_is_a_plain_local_time(schedules):
    for s in schedules:
        assert "Z" not in s.rrule and "TZID" not in s.rrule and s.timezone == "Asia/Ho_Chi_Minh"
        assert len(s.rrule) <= MAX_RRULE_LENGTH


def test_a_range_too_long_for_one_rule_is_split_into_consecutive_whole_year_rules(calendar):
    parts = working_day_schedules(calendar, 2015, 2027, AT, max_length=1500)
    assert len(parts) > 1
    assert [p.first_year for p in parts] == [2015] + [p.last_year + 1 for p in parts[:-1]]
    assert parts[-1].last_year == 2027
    assert all(len(p.rrule) <= 1500 for p in parts)
    fired = [d for p in parts for d in dateutil.rrule.rrulestr(p.rrule, forceset=True)]
    assert fired == [x for y in range(2015, 2028) for x in _expected(calendar, y)]


@pytest.mark.parametrize("first, last, message", [
    (2014, 2019, "outside it"),
    (2027, 2028, "outside it"),
    (2020, 2019, "is after"),
])
def test_years_the_calendar_cannot_answer_are_refused(calendar, first, last, message):
    with pytest.raises(ScheduleRequestError, match=message):
        working_day_schedules(calendar, first, last, AT)


def test_a_single_year_over_the_cap_is_refused_not_truncated(calendar):
    with pytest.raises(ScheduleRequestError, match="over Prefect's cap"):
        working_day_schedules(calendar, 2019, 2019, AT, max_length=200)


@pytest.mark.parametrize("text, expected", [("08:00", dt.time(8)), ("7:30", dt.time(7, 30)), ("23:59", dt.time(23, 59))])
def test_times_of_day_are_read_as_hh_mm(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["8", "24:00", "08:60", "08:00:00", "8h", ""])
def test_anything_else_is_not_a_time_of_day(text):
    with pytest.raises(ScheduleRequestError, match="time of day"):
        parse_time_of_day(text)


def test_the_cli_prints_json_that_prefect_accepts_as_schedules(capsys):
    from prefect.client.schemas.schedules import RRuleSchedule

    from dtiflow.cli.main import main

    assert main(["schedule", "rrule", "--from", "2019", "--to", "2027", "--at", "07:30", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload[0]["first_year"] == 2019 and payload[-1]["last_year"] == 2027
    for item in payload:
        schedule = RRuleSchedule(rrule=item["rrule"], timezone=item["timezone"])
        assert "BYHOUR=7;BYMINUTE=30" in schedule.rrule
    assert 2027 in payload[-1]["estimated_years"]


def test_the_cli_prints_the_rule_and_warns_about_estimated_years(capsys):
    from dtiflow.cli.main import main

    assert main(["schedule", "rrule", "--from", "2026", "--to", "2027"]) == 0
    out = capsys.readouterr().out
    assert "DTSTART:20260101T080000" in out and "RDATE:" in out and "dự kiến" in out


@pytest.mark.parametrize("argv, message", [
    (["--from", "2030", "--to", "2031"], "outside it"),
    (["--from", "2019", "--to", "2019", "--at", "8am"], "not a time of day"),
])
def test_the_cli_refuses_bad_requests_in_one_line(argv, message, capsys):
    from dtiflow.cli.main import main

    assert main(["schedule", "rrule", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_the_cli_prints_a_schedules_block_that_prefect_deploy_reads_back_to_the_same_rules(calendar, capsys):
    import yaml
    from prefect.cli.deploy._schedules import _schedule_config_to_deployment_schedule

    from dtiflow.cli.main import main

    assert main(["schedule", "rrule", "--from", "2015", "--to", "2027", "--yaml"]) == 0
    block = yaml.safe_load(capsys.readouterr().out)
    read = [_schedule_config_to_deployment_schedule(item)["schedule"] for item in block["schedules"]]
    expected = working_day_schedules(calendar, 2015, 2027, AT)
    assert [(r.rrule.strip(), r.timezone) for r in read] == [(s.rrule, s.timezone) for s in expected]
