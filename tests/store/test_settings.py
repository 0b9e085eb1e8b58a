"""dtiflow.settings: the one module that reads the environment."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.clock import FixedClock
from dtiflow.clock import SystemClock
from dtiflow.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_without_variables_the_database_is_the_sqlite_file_and_the_clock_the_system_clock():
    s = load_settings({})
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/dtiflow.db"
    assert isinstance(s.clock(), SystemClock)


def test_dtiflow_now_pins_the_clock_to_an_aware_instant_for_demos_and_tests():
    s = load_settings({"DTIFLOW_NOW": "2019-09-20T23:59:00+07:00", "DTIFLOW_DATABASE_URL": "postgresql://x/y"})
    clock = s.clock()
    assert isinstance(clock, FixedClock)
    assert clock.now() == dt.datetime(2019, 9, 20, 16, 59, tzinfo=dt.timezone.utc)
    assert s.database_url == "postgresql://x/y"


@pytest.mark.parametrize("env, message", [
    ({"DTIFLOW_NOW": "2019-09-20T10:00:00"}, "no time zone"),
    ({"DTIFLOW_NOW": "hôm qua"}, "not an ISO instant"),
    ({"DTIFLOW_SMTP_PORT": "smtp"}, "not a port"),
    ({"DTIFLOW_SMTP_PORT": "70000"}, "out of range"),
])
def test_a_bad_variable_is_refused_by_name(env, message):
    with pytest.raises(SettingsError, match=message) as err:
        load_settings(env)
    assert next(iter(env)) in str(err.value)
