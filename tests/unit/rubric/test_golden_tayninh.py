"""Hand-checked sheets for both Tây Ninh 2693 appendices, scored to exact totals and reasons.

Every criterion of each appendix is listed with the points worked out by hand from the
decision's rules, including its three notes: a unit with no administrative procedures scores the
item's maximum (Phụ lục I, II.1.11), a unit without the complaints software scores half
(Phụ lục I, item 6), and an item without the figures or evidence it requires scores 0.
"""

from __future__ import annotations

import pytest

from domain.scoring import score_many, score_sheet
from rubrics.rubric_loader import load_rubric

from .helpers import doc, sheet

NA_SOURCE = "QĐ 2693/QĐ-UBND, Phụ lục I, ghi chú mục II.1.11: đơn vị không có thủ tục hành chính thì được tính điểm tối đa"
HALF_SOURCE = "QĐ 2693/QĐ-UBND, Phụ lục I, ghi chú mục I.6: cơ quan không có phần mềm được tính ½ tổng điểm"

# criterion -> (answer, points, explanation): Sở Nội vụ, Phụ lục I.
DEPARTMENT = {
    "I.1.1": (dict(numerator=45, denominator=45), 1, "Tỷ lệ 45/45 = 100% ≥ 100%: 1 điểm"),
    "I.1.2": (dict(numerator=27, denominator=45), 1, "Tỷ lệ 27/45 = 60% ≥ 60%: 1 điểm"),
    "I.2.1": (dict(yes=True), 3, "Có: 3 điểm"),
    "I.2.2": (dict(yes=True), 3, "Có: 3 điểm"),
    "I.2.3": (dict(yes=False), 0, "Không: 0 điểm"),
    "I.2.4": (dict(document=doc("15/QĐ-SNV")), 5, "Văn bản số 15/QĐ-SNV ngày 10/03/2016: 5 điểm"),
    "I.3.1": (dict(numerator=45, denominator=100, self_points=5), 0, "Tỷ lệ 45/100 = 45% < 50%: 0 điểm"),
    "I.4": (dict(numerator=5, denominator=100), 5, "Tỷ lệ 5/100 = 5% ≥ 5%: 5 điểm"),
    "I.5.1": (dict(yes=True), 2, "Có: 2 điểm"),
    "I.5.2": (dict(), 0, "Không cung cấp số, ngày ban hành văn bản: 0 điểm"),
    "I.6.1": (dict(no_system=True), 1, f"Đơn vị không có hệ thống ({HALF_SOURCE}): tính 50% điểm tối đa, 1 điểm"),
    "I.6.2": (dict(no_system=True), 1, f"Đơn vị không có hệ thống ({HALF_SOURCE}): tính 50% điểm tối đa, 1 điểm"),
    "I.7": (dict(yes=True), 2, "Có: 2 điểm"),
    "I.8": (dict(yes=False), 0, "Không: 0 điểm"),
    "I.9": (None, 0, "Chưa trả lời: 0 điểm"),
    **{f"II.1.{k}": (dict(yes=k != 8), 0 if k == 8 else 2, "Không: 0 điểm" if k == 8 else "Có: 2 điểm") for k in range(1, 11)},
    "II.1.11": (dict(not_applicable=True), 5, f"Không áp dụng đối với đơn vị ({NA_SOURCE}): tính điểm tối đa, 5 điểm"),
    "II.2": (dict(document=doc("20/QĐ-SNV")), 5, "Văn bản số 20/QĐ-SNV ngày 10/03/2016: 5 điểm"),
    "II.3": (dict(document=doc(" ")), 0, "Số liệu không hợp lệ (document.number: thiếu số văn bản): 0 điểm"),
    "III.1": (dict(numerator=40, denominator=50), 5, "Tỷ lệ 40/50 = 80% ≥ 80%: 5 điểm"),
    "III.2": (dict(count=4, self_points=2), 0, "Không cung cấp tài liệu chứng minh: 0 điểm"),
    "III.3": (dict(count=3, evidence=("bien-ban-01.pdf",)), 2, "Số lượng 3 ≥ 3: 2 điểm"),
    "IV.1": (dict(yes=True), 5, "Có: 5 điểm"),
    "V.1": (dict(numerator=29, denominator=30), 0, "Tỷ lệ 29/30 = 96,67% < 100%: 0 điểm"),
    "VI.1": (dict(document=doc("3/KH-SNV")), 2, "Văn bản số 3/KH-SNV ngày 10/03/2016: 2 điểm"),
    "VI.2": (dict(document=doc("4/QĐ-SNV")), 2, "Văn bản số 4/QĐ-SNV ngày 10/03/2016: 2 điểm"),
    "VI.3": (dict(yes=True), 2, "Có: 2 điểm"),
}
DEPARTMENT_SECTIONS = {"I": 24, "I.1": 2, "I.2": 11, "I.3": 0, "I.5": 2, "I.6": 2,
                       "II": 28, "II.1": 23, "III": 7, "IV": 5, "V": 0, "VI": 6}

# criterion -> (answer, points, explanation): UBND huyện Hòa Thành, Phụ lục II.
DISTRICT = {
    "I.1.1": (dict(numerator=40, denominator=50), 2, "Tỷ lệ 40/50 = 80% ≥ 80%: 2 điểm"),
    "I.2.1": (dict(numerator=48, denominator=50), 0, "Tỷ lệ 48/50 = 96% < 100%: 0 điểm"),
    "I.2.2": (dict(numerator=50, denominator=50), 2, "Tỷ lệ 50/50 = 100% ≥ 100%: 2 điểm"),
    "I.3.1": (dict(yes=True), 1, "Có: 1 điểm"),
    "I.3.2": (dict(yes=False), 0, "Không: 0 điểm"),
    "I.3.3": (dict(numerator=39, denominator=50), 0, "Tỷ lệ 39/50 = 78% < 80%: 0 điểm"),
    "II.1.1": (dict(numerator=120, denominator=120), 1, "Tỷ lệ 120/120 = 100% ≥ 100%: 1 điểm"),
    "II.1.2": (dict(numerator=60, denominator=120), 0, "Tỷ lệ 60/120 = 50% < 60%: 0 điểm"),
    "II.2.1": (dict(yes=True), 3, "Có: 3 điểm"),
    "II.2.2": (dict(yes=True), 3, "Có: 3 điểm"),
    "II.2.3": (dict(yes=True), 3, "Có: 3 điểm"),
    "II.2.4": (dict(document=doc("7/QĐ-UBND")), 3, "Văn bản số 7/QĐ-UBND ngày 10/03/2016: 3 điểm"),
    "II.3.1": (dict(numerator=600, denominator=1000), 5, "Tỷ lệ 600/1000 = 60% ≥ 50%: 5 điểm"),
    "II.4.1": (dict(numerator=40, denominator=1000), 0, "Tỷ lệ 40/1000 = 4% < 5%: 0 điểm"),
    "II.5.1": (dict(numerator=1700, denominator=2000), 3, "Tỷ lệ 1700/2000 = 85% ≥ 80%: 3 điểm"),
    "II.5.2": (dict(document=doc("8/QĐ-UBND")), 3, "Văn bản số 8/QĐ-UBND ngày 10/03/2016: 3 điểm"),
    "II.6.1": (dict(yes=True), 3, "Có: 3 điểm"),
    "II.6.2": (None, 0, "Chưa trả lời: 0 điểm"),
    # Phụ lục II has no half-points note: the flag changes nothing, and the reason says so.
    "II.7.1": (dict(document=doc("9/QĐ-UBND"), no_system=True), 3,
               "Văn bản số 9/QĐ-UBND ngày 10/03/2016: 3 điểm (bỏ qua: tiêu chí II.7.1 không có quy định 'no_system')"),
    "II.7.2": (dict(yes=False), 0, "Không: 0 điểm"),
    "II.8.1": (dict(numerator=9, denominator=10), 2, "Tỷ lệ 9/10 = 90% ≥ 90%: 2 điểm"),
    **{f"III.1.{k}": (dict(yes=k != 7), 0 if k == 7 else 2, "Không: 0 điểm" if k == 7 else "Có: 2 điểm") for k in range(1, 11)},
    "III.1.11": (dict(numerator=30, denominator=32), 0, "Tỷ lệ 30/32 = 93,75% < 100%: 0 điểm"),
    "III.2": (dict(document=doc("10/QĐ-UBND")), 3, "Văn bản số 10/QĐ-UBND ngày 10/03/2016: 3 điểm"),
    "III.3": (dict(document=doc("11/QĐ-UBND")), 3, "Văn bản số 11/QĐ-UBND ngày 10/03/2016: 3 điểm"),
    "IV.1": (dict(numerator=45, denominator=50), 2, "Tỷ lệ 45/50 = 90% ≥ 80%: 2 điểm"),
    "IV.2": (dict(count=5, evidence=("hs-muc3.pdf",)), 2, "Số lượng 5 ≥ 3: 2 điểm"),
    "IV.3": (dict(count=2, evidence=("hs-muc4.pdf",)), 0, "Số lượng 2 < 3: 0 điểm"),
    "V.1": (dict(numerator=60, denominator=60), 5, "Tỷ lệ 60/60 = 100% ≥ 100%: 5 điểm"),
    "VI.1": (dict(yes=True), 3, "Có: 3 điểm"),
    "VII.1": (dict(document=doc("12/KH-UBND")), 2, "Văn bản số 12/KH-UBND ngày 10/03/2016: 2 điểm"),
    "VII.2": (dict(document=doc("13/QĐ-UBND")), 0, "Không cung cấp tài liệu chứng minh: 0 điểm"),
    "VII.3": (dict(yes=True), 2, "Có: 2 điểm"),
}
DISTRICT_SECTIONS = {"I": 5, "I.1": 2, "I.2": 2, "I.3": 1, "II": 32, "II.1": 1, "II.2": 12, "II.3": 5,
                     "II.4": 0, "II.5": 6, "II.6": 3, "II.7": 3, "II.8": 2, "III": 24, "III.1": 18,
                     "IV": 4, "V": 5, "VI": 3, "VII": 4}

CASES = [
    ("tayninh-2015-it.department", DEPARTMENT, DEPARTMENT_SECTIONS, 70),
    ("tayninh-2015-it.district", DISTRICT, DISTRICT_SECTIONS, 77),
]


def golden_sheet(rubric_id, table):
    return sheet(rubric_id, {cid: answer for cid, (answer, _, _) in table.items() if answer is not None})


@pytest.mark.parametrize("rubric_id, table, sections, total", CASES)
def test_the_golden_sheet_lists_every_item_of_the_appendix(rubric_id, table, sections, total):
    assert list(table) == list(load_rubric(rubric_id).criterion_ids)


@pytest.mark.parametrize("rubric_id, table, sections, total", CASES)
def test_each_item_scores_the_hand_checked_points_with_its_reason(rubric_id, table, sections, total):
    scored = score_sheet(load_rubric(rubric_id), golden_sheet(rubric_id, table))
    got = {c.criterion_id: (c.points, c.explanation) for c in scored.criteria}
    assert got == {cid: (points, text) for cid, (_, points, text) in table.items()}


@pytest.mark.parametrize("rubric_id, table, sections, total", CASES)
def test_the_sections_and_the_total_add_up_to_the_hand_checked_figures(rubric_id, table, sections, total):
    rubric = load_rubric(rubric_id)
    scored = score_sheet(rubric, golden_sheet(rubric_id, table))
    assert scored.section_points == sections
    assert (scored.total, scored.max) == (total, 100)
    assert score_many(rubric, [golden_sheet(rubric_id, table)]) == [total]


def test_the_department_sheet_shows_its_claims_beside_the_computed_points():
    scored = score_sheet(load_rubric("tayninh-2015-it.department"), golden_sheet("tayninh-2015-it.department", DEPARTMENT))
    # The unit claimed 5 for I.3.1 (45% < 50%) and 2 for III.2 (no evidence): both differ.
    assert [(c.criterion_id, c.self_points, c.points) for c in scored.differences()] == [("I.3.1", 5, 0), ("III.2", 2, 0)]
    assert scored.self_total == 7


@pytest.mark.parametrize("rubric_id, criterion_id", [("tayninh-2015-it.department", "I.1.1"), ("tayninh-2015-it.district", "II.1.1")])
def test_more_mailboxes_than_staff_still_reaches_100_percent(rubric_id, criterion_id):
    scored = score_sheet(load_rubric(rubric_id), sheet(rubric_id, {criterion_id: dict(numerator=50, denominator=45)}))
    c = scored.criterion(criterion_id)
    assert (c.points, c.explanation) == (1, "Tỷ lệ 50/45 = 111,11% ≥ 100%: 1 điểm")
