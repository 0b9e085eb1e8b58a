"""The override file: the shipped one loads; a broken one fails with file:line and what is wrong."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest

from rubrics.calendar_loader import DEFAULT_PATH, clear_cache, load_calendar, load_calendar_file
from rubrics.source import DataFileError

HEAD = """\
version: "t-1"
first_year: 2026
last_year: 2026
years:
  2026:
    status: official
    sources: ["Công văn 12729/VPCP-KGVX ngày 25/12/2025"]
overrides:
"""  # the first override starts on line 9

ENTRY = """\
  - date: {date}
    kind: {kind}
    name: "Nghỉ hoán đổi"
    source: "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
    confidence: official
"""


def write(tmp_path, text: str):
    clear_cache()
    path = tmp_path / "vn.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path) -> str:
    with pytest.raises(DataFileError) as info:
        load_calendar(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def line_of(message: str) -> int:
    m = re.match(r"^.*vn\.yaml:(\d+): ", message)
    assert m, message
    return int(m.group(1))


def test_the_shipped_file_loads_and_covers_2015_to_2027():
    clear_cache()
    f = load_calendar_file()
    assert (f.calendar.first_year, f.calendar.last_year) == (2015, 2027)
    assert sorted(f.years) == list(range(2015, 2028))
    assert f.calendar.version


def test_every_official_year_of_the_shipped_file_names_its_sources_and_2027_is_estimated():
    f = load_calendar_file(DEFAULT_PATH)
    for year, record in f.years.items():
        if record.status == "official":
            assert record.sources, year
    assert f.years[2027].status == "estimated" and f.years[2027].note


def test_the_loader_caches_one_calendar_per_path():
    assert load_calendar() is load_calendar(DEFAULT_PATH)


def test_a_valid_file_builds_its_calendar(tmp_path):
    cal = load_calendar(write(tmp_path, HEAD + ENTRY.format(date="2026-01-05", kind="swap_day_off")))
    assert not cal.is_working_day(dt.date(2026, 1, 5))
    assert cal.version == "t-1"


@pytest.mark.parametrize("date,fragment", [
    ("2026-02-30", "not a real date"),
    ('"2026/01/05"', "must be a date YYYY-MM-DD"),
    ('"5/1/2026"', "must be a date YYYY-MM-DD"),
    ("2025-12-31", "outside the covered years"),
])
def test_a_bad_date_is_reported_on_its_line(tmp_path, date, fragment):
    msg = error_of(write(tmp_path, HEAD + ENTRY.format(date=date, kind="swap_day_off")))
    assert fragment in msg
    assert line_of(msg) == 9


def test_an_unknown_kind_is_reported_on_its_line_with_the_known_kinds(tmp_path):
    msg = error_of(write(tmp_path, HEAD + ENTRY.format(date="2026-01-05", kind="holiday")))
    assert line_of(msg) == 10
    assert "kind must be one of" in msg and "swap_working_day" in msg


def test_a_date_given_twice_is_reported_on_the_second_entry_naming_the_first(tmp_path):
    text = HEAD + ENTRY.format(date="2026-01-05", kind="swap_day_off") + ENTRY.format(date="2026-01-05", kind="public_holiday")
    msg = error_of(write(tmp_path, text))
    assert line_of(msg) == 14
    assert "given twice (first on line 9)" in msg


def test_an_entry_without_its_legal_source_is_refused(tmp_path):
    text = HEAD + ENTRY.format(date="2026-01-05", kind="swap_day_off").replace(
        '    source: "Công văn 12729/VPCP-KGVX ngày 25/12/2025"\n', "")
    msg = error_of(write(tmp_path, text))
    assert line_of(msg) == 9
    assert "missing required key 'source'" in msg


def test_a_make_up_saturday_on_a_weekday_is_refused(tmp_path):
    msg = error_of(write(tmp_path, HEAD + ENTRY.format(date="2026-01-05", kind="swap_working_day")))
    assert line_of(msg) == 9
    assert "needs a Saturday or Sunday" in msg


def test_an_unknown_key_in_an_entry_is_refused(tmp_path):
    text = HEAD + ENTRY.format(date="2026-01-05", kind="swap_day_off") + "    notes: x\n"
    msg = error_of(write(tmp_path, text))
    assert line_of(msg) == 14 and "unknown key 'notes'" in msg


def test_a_covered_year_without_an_entry_is_refused(tmp_path):
    text = HEAD.replace("last_year: 2026", "last_year: 2027") + ENTRY.format(date="2026-01-05", kind="swap_day_off")
    msg = error_of(write(tmp_path, text))
    assert line_of(msg) == 5 and "2027 have no entry" in msg


def test_an_official_year_without_sources_is_refused(tmp_path):
    text = HEAD.replace('    sources: ["Công văn 12729/VPCP-KGVX ngày 25/12/2025"]\n', "")
    msg = error_of(write(tmp_path, text + ENTRY.format(date="2026-01-05", kind="swap_day_off")))
    assert line_of(msg) == 6 and "missing required key 'sources'" in msg


def test_an_estimated_year_must_say_why(tmp_path):
    text = HEAD.replace("status: official", "status: estimated")
    msg = error_of(write(tmp_path, text + ENTRY.format(date="2026-01-05", kind="swap_day_off")))
    assert line_of(msg) == 6 and "say why in a 'note'" in msg


def test_a_file_that_is_not_yaml_is_reported_with_its_line(tmp_path):
    msg = error_of(write(tmp_path, HEAD + "  - date: [2026-01-05\n"))
    assert "not valid YAML" in msg


def test_a_missing_file_is_reported_by_name(tmp_path):
    clear_cache()
    with pytest.raises(DataFileError, match="no such file"):
        load_calendar(tmp_path / "absent.yaml")


def test_an_estimated_year_marks_everything_in_it_estimated(tmp_path):
    text = textwrap.dedent("""\
        version: "t-2"
        first_year: 2026
        last_year: 2026
        years:
          2026: {status: estimated, note: "chưa có thông báo"}
        overrides: []
        """)
    cal = load_calendar(write(tmp_path, text))
    assert cal.is_estimated(dt.date(2026, 6, 1))
    assert all(d.estimated for d in cal.exceptions(2026))
