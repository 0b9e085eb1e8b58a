"""`dtiflow timeline` as the secretariat uses it: readable text, --json, --ics, and one-line errors."""

from __future__ import annotations

import json

import pytest

from dtiflow.cli.main import main


def run(capsys, *argv):
    """Exit status, stdout and stderr of one command; argparse's own errors exit via SystemExit."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_timeline_has_the_documented_keys_and_local_closing_instants(capsys):
    code, out, _ = run(capsys, "timeline", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"regime", "year", "level", "milestones"} <= set(data)
    grace = next(m for m in data["milestones"] if m["id"] == "grace_end")
    assert set(grace) >= {"id", "date", "closes_at", "rule", "estimated"}
    assert (grace["date"], grace["closes_at"], grace["estimated"]) == ("2019-09-20", "2019-09-21T00:00:00+07:00", False)
    assert next(m for m in data["milestones"] if m["id"] == "notice")["date"] == "2019-08-07"


def test_the_readable_timeline_uses_vietnamese_weekdays_and_shows_the_calendar_behind_it(capsys):
    code, out, _ = run(capsys, "timeline", "binhthuan-2019-it", "--year", "2019")
    assert code == 0
    assert "Thứ Sáu, 20/09/2019 — hạn chót 24:00 Thứ Sáu, 20/09/2019" in out
    assert "Ngày nghỉ và ngày làm bù" in out and "Quốc khánh" in out


def test_the_commune_level_of_dti_2023_has_its_own_decision_date(capsys):
    code, out, _ = run(capsys, "timeline", "binhthuan-2023-dti", "--year", "2024", "--level", "commune",
                       "--notice-date", "2024-10-01", "--json")
    ms = {m["id"]: m for m in json.loads(out)["milestones"]}
    assert (code, ms["decision_due"]["date"], ms["entry_due"]["date"]) == (0, "2024-11-15", "2024-10-16")


def test_the_ics_export_is_an_icalendar_file_a_calendar_application_imports(capsys, tmp_path):
    path = tmp_path / "cycle.ics"
    code, out, _ = run(capsys, "timeline", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-08-07",
                       "--ics", str(path))
    raw = path.read_bytes()
    assert code == 0 and str(path) in out
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert raw.count(b"BEGIN:VEVENT") == 8 == raw.count(b"END:VEVENT")
    assert all(len(line) <= 75 for line in lines), "RFC 5545 3.1 folds lines at 75 octets"
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    assert "DTSTART;VALUE=DATE:20190920" in unfolded
    assert "SUMMARY:Hết hạn nhận phiếu gửi trễ" in unfolded


@pytest.mark.parametrize(
    "argv, message",
    [
        (["timeline", "nope", "--year", "2019"], "unknown regime 'nope'"),
        (["timeline", "binhthuan-2023-dti", "--year", "2024", "--level", "province"], "no group or level 'province'"),
        (["timeline", "binhthuan-2019-it", "--year", "2031"], "nằm ngoài lịch làm việc"),
        (["timeline", "binhthuan-2019-it", "--year", "19"], "'19' không phải một năm"),
        (["timeline", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-02-30"], "không phải một ngày có thật"),
        (["timeline", "binhthuan-2019-it", "--year", "2019", "--notice-date", "tomorrow"], "không phải một ngày"),
        (["timeline", "mic-2017-egov", "--year", "2019", "--notice-date", "2019-10-01"], "use --received-date"),
        (["timeline", "tayninh-2015-it", "--year", "2019", "--set", "submission_due"], "write ID=DATE"),
        (["timeline", "tayninh-2015-it", "--year", "2019", "--set", "due=2019-09-15"], "no fact or milestone 'due'"),
        (["timeline", "binhthuan-2019-it"], "required: --year"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_status_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
