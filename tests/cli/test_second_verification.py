"""A second verification of the same sheet in the same round says what happened — recorded by
whom and when, and how to verify again (a new round) — instead of a database error."""

from __future__ import annotations

from pathlib import Path

SHEET = Path(__file__).resolve().parents[2] / "examples" / "sheets" / "binhthuan-2019-it.I" / "so-ke-hoach-dau-tu.yaml"
CYCLE = "binhthuan-2019-it-2019"


def test_the_second_verification_in_a_round_names_the_first(cli):
    cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019", "--as",
        "thuongtruc.stttt", now="2019-08-07T02:00:00Z")
    cli("sheet", "import", CYCLE, "SKHDT", str(SHEET), "--as", "daumoi.skhdt", now="2019-09-10T02:00:00Z")
    cli("sheet", "submit", CYCLE, "SKHDT", "--as", "lanhdao.skhdt", now="2019-09-10T02:00:00Z")
    cli("cycle", "tick", CYCLE, now="2019-09-20T18:00:00Z")
    cli("stage", "verify", CYCLE, "SKHDT", "--points", "1=80", "--as", "hoidong.1", now="2019-11-05T03:30:00Z")
    err = cli("stage", "verify", CYCLE, "SKHDT", "--points", "1=70", "--as", "hoidong.2", now="2019-11-06T02:00:00Z",
              expect=2)
    assert ("kết quả thẩm định của SKHDT ở vòng 1 đã được hoidong.1 ghi lúc 10:30 ngày 05/11/2019; không ghi đè"
            in err)
    assert f"dtiflow stage reopen {CYCLE} --to verification" in err and "UNIQUE" not in err


def test_a_verified_point_out_of_range_reads_as_a_sentence(cli):
    cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019", "--as",
        "thuongtruc.stttt", now="2019-08-07T02:00:00Z")
    cli("sheet", "import", CYCLE, "SKHDT", str(SHEET), "--as", "daumoi.skhdt", now="2019-09-10T02:00:00Z")
    cli("sheet", "submit", CYCLE, "SKHDT", "--as", "lanhdao.skhdt", now="2019-09-10T02:00:00Z")
    cli("cycle", "tick", CYCLE, now="2019-09-20T18:00:00Z")
    err = cli("stage", "verify", CYCLE, "SKHDT", "--points", "1=-2,5", "--as", "hoidong.1", now="2019-11-05T03:30:00Z",
              expect=2)
    assert "điểm thẩm định của tiêu chí '1' là -2.5, phải là số từ 0" in err and "None" not in err
