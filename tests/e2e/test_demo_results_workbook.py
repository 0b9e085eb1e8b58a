"""The results workbook of the demo's 2019 year (Decision 1867), checked cell by cell against
the cycle's results query (`dtiflow.demo.results.ranking`, what the demo publishes): every
group's rows in rank order with STT, unit, total, classification, rank and award; the units not
evaluated with the reason; every criterion's computed and verified points as the scores table
holds them; formatted as the decisions print (bold headers, numbers with a number format)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from dtiflow.demo.results import ranking
from services.queries import sheet_detail
from services.results_view import results_workbook

pytestmark = pytest.mark.prefect

HEADER = 5  # 0-based row of every table's header


@pytest.fixture(scope="module")
def exported(year):
    plan = year.plan("binhthuan-2019-it")
    services = year.world.app.services
    data = results_workbook(services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    return plan, services, data, sheets


def test_each_group_sheet_lists_the_units_as_the_results_query_ranks_them(exported):
    plan, services, _, sheets = exported
    expected = ranking(services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)
    regime = services.load_regime(plan.regime_id)
    checked = 0
    for g in regime.groups:
        mine = [r for r in expected if r.group == g.id]
        if not mine:
            continue
        table = sheets[f"Nhóm {g.id}"]
        assert table[HEADER] == ["STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng", "Khen thưởng", "Ghi chú"]
        body = [line for line in table[HEADER + 1:] if any(v != "" for v in line)]
        assert len(body) == len(mine)
        for i, (line, r) in enumerate(zip(body, mine), start=1):
            assert line[0] == i
            assert line[1] == r.name
            assert line[2] == ("" if r.total is None else pytest.approx(r.total))
            assert line[3] == (r.classification or "")
            assert line[4] == ("" if r.rank is None else r.rank)
            assert line[5] == (r.award or "")
            if r.rank is None:
                assert line[6].startswith("Không gửi Phiếu đánh giá trong thời hạn")
            checked += 1
    assert checked == len(expected) == 33


def test_the_units_not_evaluated_are_listed_with_the_reason(exported):
    plan, services, _, sheets = exported
    expected = [r for r in ranking(services, actor_id=plan.secretariat, cycle_id=plan.cycle_id) if r.rank is None]
    body = [line for line in sheets["Không đánh giá"][HEADER + 1:] if any(v != "" for v in line)]
    assert [(line[1], line[3]) for line in body] == [(r.unit, r.group) for r in expected] and expected
    assert all(line[4].startswith("Không gửi Phiếu đánh giá trong thời hạn (hết hạn nhận phiếu ") for line in body)


def test_every_criterions_computed_and_verified_points_are_those_the_scores_table_holds(exported):
    plan, services, _, sheets = exported
    body = [line for line in sheets["Điểm từng tiêu chí"][HEADER + 1:] if any(v != "" for v in line)]
    assert body
    details = {}
    for line in body:
        unit, cid = line[1], line[3]
        if unit not in details:
            details[unit] = sheet_detail(services, actor_id=plan.secretariat, cycle_id=plan.cycle_id, unit_code=unit)
        scores = details[unit]["scores"].get(cid, [])
        for col, kind in ((6, "computed"), (7, "verified")):
            rounds = [s for s in scores if s["kind"] == kind]
            want = max(rounds, key=lambda s: s["round"])["points"] if rounds else ""
            assert line[col] == (want if want == "" else pytest.approx(want)), (unit, cid, kind)
    assert any(line[7] != "" for line in body)  # the council's adjustments are there


def test_the_information_sheet_states_the_decision_and_the_audit_logs_state(exported):
    _, _, _, sheets = exported
    info = {line[0]: line[1] for line in sheets["Thông tin"] if line and line[0]}
    assert info["Quyết định phê duyệt"].startswith("Quyết định số ")
    assert int(info["Số sự kiện trong nhật ký"]) > 0
    head = info["Đầu chuỗi băm nhật ký (SHA-256)"]
    assert head.startswith("Chuỗi băm nhật ký chưa được lưu") or len(head.split(":")[1]) == 64


def test_the_workbook_is_formatted_as_the_decisions_print(exported):
    _, _, data, _ = exported
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Nhóm I"]
    assert all(ws.cell(HEADER + 1, c).font.b for c in range(1, 8))
    assert ws.cell(HEADER + 2, 3).number_format == "#,##0.00"  # the reader's decimal comma
    assert ws.column_dimensions["B"].width > 30
    assert (ws.page_setup.paperSize, ws.print_title_rows) == (9, f"${HEADER + 1}:${HEADER + 1}")
