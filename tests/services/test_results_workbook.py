"""The results workbook of a scored and verified 2019 cycle, without Prefect: each group sheet
and the not-evaluated sheet cell by cell against the cycle's results query
(`dtiflow.demo.results.ranking`), every criterion's self / computed / verified points against
the scores table, the audit log's state; and who may have it, and when."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from domain.authorization import NotAuthorized
from dtiflow.demo.results import ranking
from services.errors import InvalidRequest
from services.queries import sheet_detail
from services.results_view import results_workbook
from services.testing import SECRETARIAT
from svc_scenario import CYCLE, focal, open_2019
from test_verify_approve_reopen import _verified

HEADER = 5


def _book(svc) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(results_workbook(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _body(table):
    return [line for line in table[HEADER + 1:] if any(v != "" for v in line)]


def test_the_results_workbook_matches_the_results_query_cell_by_cell(svc):
    _verified(svc)
    sheets = _book(svc)
    expected = ranking(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    assert len(expected) == 33
    seen = 0
    for group in ("I", "II", "III", "IV"):
        mine = [r for r in expected if r.group == group]
        body = _body(sheets[f"Nhóm {group}"])
        assert [(line[0], line[1], line[3], line[4], line[5]) for line in body] == [
            (i, r.name, r.classification or "", "" if r.rank is None else r.rank, r.award or "")
            for i, r in enumerate(mine, start=1)]
        assert [line[2] for line in body] == ["" if r.total is None else pytest.approx(r.total) for r in mine]
        seen += len(body)
    assert seen == 33
    not_evaluated = _body(sheets["Không đánh giá"])
    assert [line[1] for line in not_evaluated] == [r.unit for r in expected if r.rank is None]
    assert all(line[4].startswith("Không gửi Phiếu đánh giá trong thời hạn (hết hạn nhận phiếu 21/09/2019 00:00)")
               for line in not_evaluated)


def test_every_criterions_three_points_are_the_scores_tables(svc):
    _verified(svc)
    body = _body(_book(svc)["Điểm từng tiêu chí"])
    assert {line[1] for line in body} == {"STTTT", "SNV"} and len(body) == 10
    for line in body:
        scores = sheet_detail(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code=line[1])["scores"][line[3]]
        latest = {s["kind"]: s["points"] for s in sorted(scores, key=lambda s: s["round"])}
        assert (line[5], line[6], line[7]) == (latest.get("self", ""), latest["computed"], latest.get("verified", ""))
    assert any(line[7] == 40 for line in body)  # the council's points on criterion 1


def test_the_information_sheet_tells_the_audit_state_without_inventing_a_head(svc):
    _verified(svc)
    info = {line[0]: line[1] for line in _book(svc)["Thông tin"] if line and line[0]}
    assert info["Kỳ đánh giá"] == CYCLE and info["Quyết định phê duyệt"] == "chưa phê duyệt"
    assert int(info["Số sự kiện trong nhật ký"]) > 0 and info["Sự kiện cuối"].startswith("#")
    head = info["Đầu chuỗi băm nhật ký (SHA-256)"]
    assert head.startswith("Chuỗi băm nhật ký chưa được lưu") or len(head.split(":")[1]) == 64


def test_only_the_cycles_officials_have_it_and_only_once_scored(svc):
    open_2019(svc)
    with pytest.raises(InvalidRequest, match="chưa chấm điểm"):
        results_workbook(svc, actor_id=SECRETARIAT, cycle_id=CYCLE)
    with pytest.raises(NotAuthorized):
        results_workbook(svc, actor_id=focal("STTTT"), cycle_id=CYCLE)


def test_a_sandbox_databases_results_say_on_every_sheet_that_they_are_not_official(svc):
    # The services' test databases are sandboxes (simulated clock): an export from them must never
    # pass for the People's Committee's results.
    _verified(svc)
    for name, table in _book(svc).items():
        head = " ".join(str(v) for line in table[:5] for v in line)
        assert "BẢN THỬ NGHIỆM" in head, name
