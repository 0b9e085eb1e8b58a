"""The calendar's year-by-year result is pinned: every weekday off and every weekend day worked,
2015–2027, with its kind. The `holidays` package is read through its structured data (the
holidays without observed days, the observed rule's additions, the swap table), so a new
translation upstream cannot change a result; a changed rule upstream fails here, loudly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import pytest

from domain.calendar import WorkingCalendar

GOLDEN = Path(__file__).parent / "golden"


def table(cal: WorkingCalendar) -> list[str]:
    return [f"{i.date.isoformat()} {'worked' if i.working else 'off'} {i.kind}"
            for year in range(2015, 2028) for i in cal.exceptions(year)]


def golden(name: str) -> list[str]:
    return [line for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]


def test_the_shipped_calendar_gives_exactly_the_golden_days_2015_to_2027(calendar):
    assert table(calendar) == golden("vn-2015-2027.txt")


def test_the_holidays_package_alone_gives_exactly_its_golden_days_2015_to_2027():
    assert table(WorkingCalendar.build(2015, 2027, [], "package")) == golden("holidays-package-2015-2027.txt")


@pytest.mark.parametrize("line", [
    "2026-01-02 off swap_day_off",        # Công văn 12729/VPCP-KGVX: Friday off …
    "2026-01-10 worked swap_working_day", # … for Saturday 10/1/2026 worked
    "2026-02-16 off public_holiday",      # Tết Bính Ngọ: 14/02–22/02/2026
    "2026-02-20 off public_holiday",
    "2026-04-27 off compensatory_day",    # Giỗ Tổ (Sunday 26/4) moves to Monday, Art. 111(3)
    "2026-08-22 worked swap_working_day", # Saturday 22/8 worked for Monday 31/8
    "2026-08-31 off swap_day_off",
])
def test_the_2026_notices_are_in_the_golden_table(line):
    assert line in golden("vn-2015-2027.txt")


def test_a_different_translation_of_the_package_changes_no_kind_and_no_day(monkeypatch):
    real = holidays.country_holidays

    def thai_labels(*args, **kwargs):
        if kwargs.get("language") == "vi":
            kwargs["language"] = "th"
        return real(*args, **kwargs)

    before = table(WorkingCalendar.build(2015, 2027, [], "package"))
    monkeypatch.setattr(holidays, "country_holidays", thai_labels)  # domain.calendar imports it on use
    after = WorkingCalendar.build(2015, 2027, [], "package")
    assert table(after) == before
    assert after.day_info(dt.date(2016, 4, 18)).kind == "compensatory_day"  # Giỗ Tổ on a Sunday
