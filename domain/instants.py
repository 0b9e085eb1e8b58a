"""The one place that knows about time zones (the pendulum shim).

Every instant in dtiflow is timezone-aware UTC; local dates are Asia/Ho_Chi_Minh. A deadline
"end of local day D" is the instant ``D+1 00:00 local``, and a write is on time when
``received_at < deadline`` — half-open, so there is no 23:59:59.999 anywhere.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
UTC = dt.timezone.utc


@lru_cache(maxsize=1)
def _pendulum():
    """pendulum, imported on first use: it costs ~0.1 s of start-up, and a command that only
    formats dates (`dtiflow calendar ...`) never needs a time zone."""
    import pendulum

    return pendulum


@lru_cache(maxsize=1)
def _local_tz():
    return _pendulum().timezone(LOCAL_TZ_NAME)


def __getattr__(name: str):  # LOCAL_TZ stays importable, built on first use
    if name == "LOCAL_TZ":
        return _local_tz()
    raise AttributeError(name)

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class NaiveInstantError(ValueError):
    """An instant without a time zone reached code that must not guess one."""


def require_aware(instant: dt.datetime, what: str = "instant") -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveInstantError(f"{what} {instant.isoformat()} has no time zone")
    return instant


def to_utc(instant: dt.datetime) -> dt.datetime:
    """The same instant as a plain `datetime` in UTC."""
    return require_aware(instant).astimezone(UTC)


def start_of_local_day(day: dt.date) -> dt.datetime:
    """00:00 local on `day`, as a UTC instant."""
    local = _pendulum().datetime(day.year, day.month, day.day, tz=_local_tz())
    return dt.datetime.fromtimestamp(local.timestamp(), UTC)


def end_of_local_day(day: dt.date) -> dt.datetime:
    """The instant local day `day` ends: 00:00 local of the next day (Civil Code 2015 Art. 148(1))."""
    return start_of_local_day(day + dt.timedelta(days=1))


def local_time_on(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`hour:minute` local on `day`, as a UTC instant (reminders go out at a local hour)."""
    local = _pendulum().datetime(day.year, day.month, day.day, hour, minute, tz=_local_tz())
    return dt.datetime.fromtimestamp(local.timestamp(), UTC)


def local_date(instant: dt.datetime) -> dt.date:
    """The local calendar day an instant falls on."""
    require_aware(instant)
    return _pendulum().instance(instant).in_timezone(_local_tz()).date()


def as_local(instant: dt.datetime) -> dt.datetime:
    """The instant seen on a wall clock in Vietnam (for display only)."""
    require_aware(instant)
    p = _pendulum().instance(instant).in_timezone(_local_tz())
    return dt.datetime(p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond,
                       tzinfo=dt.timezone(dt.timedelta(seconds=p.utcoffset().total_seconds())))


def is_before(received_at: dt.datetime, deadline: dt.datetime) -> bool:
    """On time means strictly before the deadline instant (half-open interval)."""
    return require_aware(received_at, "received_at") < require_aware(deadline, "deadline")


def format_date_vi(day: dt.date) -> str:
    """dd/mm/yyyy, as Vietnamese documents write dates."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def weekday_vi(day: dt.date) -> str:
    return WEEKDAYS_VI[day.weekday()]


def format_closing_vi(deadline: dt.datetime) -> str:
    """'24:00 Thứ Sáu, 20/09/2019' for an end-of-day deadline; 'HH:MM Thứ .., dd/mm/yyyy' otherwise."""
    local = as_local(deadline)
    if local.hour == 0 and local.minute == 0:
        last_day = local.date() - dt.timedelta(days=1)
        return f"24:00 {weekday_vi(last_day)}, {format_date_vi(last_day)}"
    return f"{local:%H:%M} {weekday_vi(local.date())}, {format_date_vi(local.date())}"


def format_moment_vi(instant: dt.datetime) -> str:
    """'17:00 ngày 20/09/2019': when something happened (received, recorded), local wall clock."""
    local = as_local(instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC))
    return f"{local:%H:%M} ngày {format_date_vi(local.date())}"
