"""`dtiflow calendar ...` through the real `main`: Vietnamese text, --json keys, one-line errors."""

from __future__ import annotations

import json

import pytest


def test_is_working_day_explains_the_2026_new_year_swap_in_vietnamese(run_cli):
    status, out, err = run_cli("calendar", "is-working-day", "02/01/2026")
    assert status == 0 and err == ""
    assert out.startswith("Thứ Sáu 02/01/2026: ngày nghỉ")
    assert "12729/VPCP-KGVX" in out


def test_is_working_day_as_json_has_date_working_day_and_reason(run_cli):
    status, out, _ = run_cli("calendar", "is-working-day", "2026-01-10", "--json")
    data = json.loads(out)
    assert status == 0
    assert data["date"] == "2026-01-10" and data["working_day"] is True
    assert data["reason"] == "Làm bù cho ngày 02/01/2026 (Công văn 12729/VPCP-KGVX ngày 25/12/2025)"
    assert data["estimated"] is False


def test_a_weekend_day_is_named_by_its_vietnamese_weekday(run_cli):
    _, out, _ = run_cli("calendar", "is-working-day", "2026-01-04")
    assert "Chủ nhật 04/01/2026: ngày nghỉ — Chủ nhật, nghỉ hằng tuần" in out


def test_add_working_days_counts_from_the_day_after(run_cli):
    status, out, _ = run_cli("calendar", "add-working-days", "15/09/2019", "5")
    assert status == 0
    assert "Thứ Sáu 20/09/2019" in out


def test_add_working_days_as_json(run_cli):
    _, out, _ = run_cli("calendar", "add-working-days", "2026-01-09", "1", "--json")
    assert json.loads(out) == {"start": "2026-01-09", "working_days": 1, "date": "2026-01-10", "estimated": False}


def test_count_working_days_as_json(run_cli):
    _, out, _ = run_cli("calendar", "count-working-days", "2026-01-01", "2026-01-31", "--json")
    data = json.loads(out)
    assert (data["from"], data["to"], data["working_days"]) == ("2026-01-01", "2026-01-31", 21)


def test_an_answer_that_depends_on_2027_says_it_is_estimated(run_cli):
    _, out, _ = run_cli("calendar", "add-working-days", "2026-12-28", "10")
    assert "dự kiến" in out
    _, out, _ = run_cli("calendar", "count-working-days", "2026-12-28", "2027-01-29", "--json")
    assert json.loads(out)["estimated"] is True


def test_year_lists_every_day_breaking_the_week_with_its_source(run_cli):
    status, out, _ = run_cli("calendar", "year", "2026", "--json")
    data = json.loads(out)
    assert status == 0 and data["year"] == 2026
    saturdays = [d["date"] for d in data["days"] if d["working_day"]]
    assert saturdays == ["2026-01-10", "2026-08-22"]
    assert all(set(d) >= {"date", "working_day", "kind", "name", "source"} for d in data["days"])
    assert all(d["source"] for d in data["days"])


def test_year_2027_is_marked_estimated_in_json_and_text(run_cli):
    _, out, _ = run_cli("calendar", "year", "2027", "--json")
    assert json.loads(out)["estimated"] is True
    _, text, _ = run_cli("calendar", "year", "2027")
    assert "dự kiến (chưa có thông báo chính thức)" in text


def test_year_text_lists_the_sources_of_the_year(run_cli):
    _, out, _ = run_cli("calendar", "year", "2024")
    assert "Lịch làm việc năm 2024 — chính thức" in out
    assert "Thứ Bảy 04/05/2024" in out and "Nguồn: Công văn 2450/VPCP-KGVX" in out


@pytest.mark.parametrize("argv,fragment", [
    (("is-working-day", "2014-06-02"), "ngày 02/06/2014 nằm ngoài lịch làm việc (2015–2027)"),
    (("year", "2030"), "ngày 01/01/2030 nằm ngoài lịch làm việc (2015–2027)"),
    (("add-working-days", "2027-12-28", "15"), "nằm ngoài lịch làm việc (2015–2027)"),
    (("add-working-days", "2026-01-05", "-3"), "phải từ 0 trở lên"),
    (("count-working-days", "2026-02-01", "2026-01-01"), "ở trước ngày"),
    (("is-working-day", "2026-02-30"), "'2026-02-30' không phải một ngày có thật"),
    (("is-working-day", "30-01-2026"), "không phải một ngày: viết dd/mm/yyyy hoặc YYYY-MM-DD"),
    (("add-working-days", "2026-01-05", "five"), "'five' không phải một số nguyên"),
    (("year", "26"), "'26' không phải một năm"),
])
def test_bad_input_gets_one_line_and_exit_status_2(run_cli, argv, fragment):
    status, out, err = run_cli("calendar", *argv)
    assert status == 2 and out == ""
    assert fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_broken_override_file_gets_one_line_naming_file_and_line(run_cli, tmp_path):
    bad = tmp_path / "vn.yaml"
    bad.write_text('version: "x"\nfirst_year: 2026\nlast_year: 2026\nyears:\n'
                   '  2026: {status: official, sources: ["a"]}\noverrides:\n'
                   '  - {date: 2026-01-05, kind: holiday, name: n, source: s, confidence: official}\n',
                   encoding="utf-8")
    status, out, err = run_cli("calendar", "is-working-day", "2026-01-05", "--calendar", str(bad))
    assert status == 2 and out == ""
    assert "vn.yaml:7:" in err and "kind must be one of" in err
    assert err.count("\n") == 1
