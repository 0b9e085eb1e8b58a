"""The workbook commands from the command line: a unit downloads its template with its saved
answers, fills it, uploads it as its draft, and sees the score the engine gives; a blank
template for any rubric; a bad workbook is one block of cell errors, exit 2, no traceback."""

from __future__ import annotations

import json

from dtiflow.cli.main import main
from rubrics.rubric_loader import load_rubric
from workbooks import layout as L

from .person import criterion_rows, fill, open_book, save

CYCLE = "binhthuan-2019-it-2019"


def _run(capsys, *argv, expect=0):
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == expect, (argv, out, err)
    if expect:
        assert err.startswith("dtiflow: error: ") and "Traceback" not in err
        return err
    return json.loads(out) if "--json" in argv else out


def test_a_unit_downloads_fills_uploads_and_scores_its_workbook(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DTIFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setenv("DTIFLOW_NOW", "2019-09-10T02:00:00Z")
    _run(capsys, "db", "upgrade", "--sandbox", "--json")
    _run(capsys, "units", "import", "--json")
    _run(capsys, "cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "2019-08-07",
         "--as", "thuongtruc.stttt", "--json")
    blank = tmp_path / "mau.xlsx"
    got = _run(capsys, "sheet", "template", "binhthuan-2019-it.I", "--cycle", CYCLE, "--unit", "STTTT",
               "--as", "daumoi.stttt", "-o", str(blank), "--json")
    assert got["file"] == str(blank)
    rubric = load_rubric("binhthuan-2019-it.I")
    book = open_book(blank.read_bytes())
    ws = book[L.MAIN]
    assert ws["C3"].value == "Sở Thông tin và Truyền thông"  # the unit's name, filled in
    rows = criterion_rows(rubric)
    for cid, points in {"1": 80, "2": 90, "3": 70.5, "4": 100, "5": 60}.items():
        ws.cell(rows[cid], L.COL_A + 1).value = points
    filled = tmp_path / "phieu.xlsx"
    filled.write_bytes(save(book))
    saved = _run(capsys, "sheet", "import", CYCLE, "STTTT", str(filled), "--as", "daumoi.stttt", "--json")
    assert saved["answers"] == 5
    scored = _run(capsys, "score", "--rubric", "binhthuan-2019-it.I", str(filled), "--json")
    assert scored["total"] == 400.5
    # The next download carries what was saved.
    again = tmp_path / "lai.xlsx"
    _run(capsys, "sheet", "template", "binhthuan-2019-it.I", "--cycle", CYCLE, "--unit", "STTTT",
         "--as", "daumoi.stttt", "-o", str(again))
    ws2 = open_book(again.read_bytes())[L.MAIN]
    assert ws2.cell(rows["3"], L.COL_A + 1).value == 70.5
    # The results are the officials': not before scoring, never to a unit's people.
    out = tmp_path / "kq.xlsx"
    assert "chưa chấm điểm, chưa có kết quả để xuất" in _run(
        capsys, "results", "export", CYCLE, "--xlsx", "-o", str(out), "--as", "thuongtruc.stttt", expect=2)
    assert "daumoi.stttt" in _run(capsys, "results", "export", CYCLE, "--xlsx", "-o", str(out), "--as", "daumoi.stttt",
                                  expect=2)
    # Another unit's template is not this unit's sheet.
    other = tmp_path / "khac.xlsx"
    _run(capsys, "sheet", "template", "binhthuan-2019-it.I", "--cycle", CYCLE, "--unit", "SKHDT",
         "--as", "thuongtruc.stttt", "-o", str(other))
    err = _run(capsys, "sheet", "import", CYCLE, "STTTT", str(other), "--as", "daumoi.stttt", expect=2)
    assert "mẫu này tạo cho đơn vị 'SKHDT', không phải 'STTTT'" in err


def test_a_blank_template_for_a_rubric_and_the_cell_errors_of_a_bad_one(tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    _run(capsys, "sheet", "template", "tayninh-2015-it.district", "-o", str(path))
    rubric = load_rubric("tayninh-2015-it.district")
    from rubrics.sheet_loader import load_sheet_file
    from .person import EXAMPLES

    sheet = load_sheet_file(next(p for p in EXAMPLES if p.parent.name == rubric.id)).sheet
    book = open_book(fill(path.read_bytes(), rubric, sheet))
    r = criterion_rows(rubric)
    first_ratio = next(c for c in rubric.criteria if c.kind.value == "ratio" and not c.numerator_may_exceed)
    book[L.MAIN].cell(r[first_ratio.id], L.COL_A + 1).value = 10_000
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(save(book))
    err = _run(capsys, "score", "--rubric", rubric.id, str(bad), expect=2)
    assert f"Phiếu!E{r[first_ratio.id]}: tiêu chí {first_ratio.id}, tử số 10000 lớn hơn mẫu số" in err
    assert _run(capsys, "sheet", "template", "no-such-rubric", "-o", str(path), expect=2).startswith(
        "dtiflow: error: không có phiếu chấm 'no-such-rubric'")
