"""`sheet import --evidence CRITERION=FILE` keeps the file in the file store, or refuses it in
one line: a device, a FIFO, a folder, /proc, a file of a refused kind, a criterion the rubric
does not have. SQLite is enough here: the service's rows are tested on both databases in
tests/services/test_evidence_files.py."""

from __future__ import annotations

import hashlib
import os

import pytest

from dtiflow.cli.main import main

CYCLE = "binhthuan-2019-it-2019"
SHEET = """unit: Sở Thông tin và Truyền thông
group: I
rubric: binhthuan-2019-it.I
answers:
  "1": {points: 80}
"""
PDF = b"%PDF-1.4\n% 12/QD-STTTT\n%%EOF\n"


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("DTIFLOW_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("DTIFLOW_NOW", "2019-08-07T02:00:00Z")

    def run(*argv: str, expect: int = 0) -> str:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        assert code == expect, (argv, out, err)
        if expect:
            assert err.startswith("dtiflow: error: ") and "Traceback" not in err and len(err.splitlines()) == 1
            return err
        return out

    return run


@pytest.fixture
def opened(cli, tmp_path):
    cli("db", "upgrade", "--sandbox")
    cli("units", "import")
    cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-08-07", "--as", "thuongtruc.stttt")
    sheet = tmp_path / "stttt.yaml"
    sheet.write_text(SHEET, encoding="utf-8")
    return sheet


def _import(cli, sheet, evidence: str, expect: int = 2) -> str:
    return cli("sheet", "import", CYCLE, "STTTT", str(sheet), "--evidence", evidence, "--as", "daumoi.stttt",
               expect=expect)


def _kept(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "files").rglob("*") if p.is_file()) if (tmp_path / "files").exists() else []


def test_a_pdf_is_copied_into_the_file_store_under_its_sha256(cli, opened, tmp_path):
    pdf = tmp_path / "QĐ 12.pdf"
    pdf.write_bytes(PDF)
    _import(cli, opened, f"1={pdf}", expect=0)
    assert _kept(tmp_path) == [hashlib.sha256(PDF).hexdigest()]


@pytest.mark.parametrize("target, words", [
    ("/dev/zero", "tệp đặc biệt"), ("/proc/self/environ", "tệp đặc biệt"), ("/etc/passwd", "không thuộc loại"),
    ("FOLDER", "thư mục"), ("FIFO", "FIFO"),
])
def test_a_file_that_is_not_evidence_is_refused_in_one_line_and_nothing_is_kept(cli, opened, tmp_path, target, words):
    if target == "FOLDER":
        target = str(tmp_path)
    elif target == "FIFO":
        target = str(tmp_path / "pipe.pdf")
        os.mkfifo(target)
    assert words in _import(cli, opened, f"1={target}")
    assert _kept(tmp_path) == []


def test_evidence_for_a_criterion_the_rubric_does_not_have_is_refused_before_it_is_stored(cli, opened, tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(PDF)
    assert "không có tiêu chí '9'" in _import(cli, opened, f"9={pdf}")
    assert _kept(tmp_path) == []
