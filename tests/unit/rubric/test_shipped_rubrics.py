"""Every shipped rubric loads and agrees with the maxima and counts its decision states."""

from __future__ import annotations

import re

import pytest

from rubrics.rubric_loader import SHEETS_DIR, check_rubric_file, list_rubrics, load_rubric

EXPECTED_IDS = [
    "binhthuan-2019-it.I", "binhthuan-2019-it.II", "binhthuan-2019-it.III", "binhthuan-2019-it.IV",
    "binhthuan-2023-dti.commune", "binhthuan-2023-dti.department", "binhthuan-2023-dti.district",
    "hanoi-2025-dti.commune", "hanoi-2025-dti.department",
    "mic-2017-egov.commune", "mic-2017-egov.district", "mst-2025-dti.province",
    "tayninh-2015-it.department", "tayninh-2015-it.district",
]


def test_every_rubric_id_of_the_issue_is_shipped():
    assert list_rubrics() == EXPECTED_IDS


@pytest.mark.parametrize("rubric_id", EXPECTED_IDS)
def test_a_shipped_rubric_loads_without_errors(rubric_id):
    problems = check_rubric_file(SHEETS_DIR / f"{rubric_id}.yaml")
    assert [str(p) for p in problems if p.is_error] == []
    assert load_rubric(rubric_id).id == rubric_id


# Decision 2693 Phụ lục I and II: the printed section totals ("40 điểm") and "Tổng cộng: 100 điểm".
@pytest.mark.parametrize(
    "rubric_id, sections, items",
    [
        ("tayninh-2015-it.department", {"I": 40, "II": 35, "III": 9, "IV": 5, "V": 5, "VI": 6}, 36),
        ("tayninh-2015-it.district", {"I": 9, "II": 40, "III": 31, "IV": 6, "V": 5, "VI": 3, "VII": 6}, 42),
    ],
)
def test_the_tay_ninh_sheets_have_every_item_of_their_appendix(rubric_id, sections, items):
    r = load_rubric(rubric_id)
    assert r.max == 100
    assert {s.id: s.max for s in r.top_sections} == sections
    assert len(r.criteria) == items
    assert sum(c.max for c in r.criteria) == 100


def test_tay_ninh_criterion_ids_follow_the_decisions_numbering():
    for rubric_id in ("tayninh-2015-it.department", "tayninh-2015-it.district"):
        for c in load_rubric(rubric_id).criteria:
            assert re.fullmatch(r"[IVX]+(\.\d+){1,2}", c.id), c.id
            assert c.id.startswith(c.section_id + "."), (c.id, c.section_id)


@pytest.mark.parametrize(
    "rubric_id, criterion_id, text",
    [
        ("tayninh-2015-it.department", "I.4", "Đạt từ 5% trở lên tổng số văn bản phát hành"),
        ("tayninh-2015-it.department", "II.1.11", "Cung cấp 100% số thủ tục hành chính của đơn vị được ban hành"),
        ("tayninh-2015-it.department", "III.2", "Có phát sinh và xử lý đúng hạn từ 03 hồ sơ DVC đạt mức độ 3 trong năm"),
        ("tayninh-2015-it.district", "II.5.1", "Hồ sơ giải quyết đúng hạn đạt từ 80% trở lên"),
        ("tayninh-2015-it.district", "VI.1", "Có phân công nhân sự phụ trách CNTT tại cơ quan có trình độ Cao đẳng CNTT trở lên"),
    ],
)
def test_tay_ninh_items_keep_the_decisions_text(rubric_id, criterion_id, text):
    assert load_rubric(rubric_id).criterion(criterion_id).text == text


def test_tay_ninh_rules_sit_where_the_decision_puts_them():
    dept = load_rubric("tayninh-2015-it.department")
    assert dept.criterion("II.1.11").rule("not_applicable").share == 1
    assert [c.id for c in dept.criteria if c.rule("no_system")] == ["I.6.1", "I.6.2"]
    assert {c.id for c in dept.criteria if c.evidence.required} == {"III.2", "III.3"}
    district = load_rubric("tayninh-2015-it.district")
    assert [c.id for c in district.criteria if c.rules] == []  # Phụ lục II prints neither rule


# Decision 265 Art. 5: points and criteria per level and per main index.
@pytest.mark.parametrize(
    "level, total, count, indices",
    [
        ("department", 500, 41, {"awareness": (50, 5), "institutions": (80, 6), "infrastructure": (20, 2),
                                 "human_resources": (60, 5), "cyber_security": (100, 9), "dt_activities": (190, 14)}),
        ("district", 600, 53, {"awareness": (70, 7), "institutions": (80, 6), "infrastructure": (20, 2),
                               "human_resources": (60, 7), "cyber_security": (90, 9), "digital_government": (160, 13),
                               "digital_economy": (60, 4), "digital_society": (60, 5)}),
        ("commune", 330, 26, {"awareness": (50, 4), "institutions": (60, 4), "infrastructure": (20, 2),
                              "human_resources": (60, 6), "cyber_security": (20, 2), "dt_activities": (120, 8)}),
    ],
)
def test_the_dti_sheets_have_the_indices_of_decision_265(level, total, count, indices):
    r = load_rubric(f"binhthuan-2023-dti.{level}")
    assert (r.max, r.stated_count, r.complete) == (total, count, False)
    assert {s.id: (s.max, s.stated_count) for s in r.top_sections} == indices
    assert all(c.kind.value == "points" and c.rule("not_applicable") for c in r.criteria)


def test_the_dti_sheets_say_plainly_that_the_detailed_appendix_is_not_loaded():
    problems = check_rubric_file(SHEETS_DIR / "binhthuan-2023-dti.department.yaml")
    warnings = [str(p) for p in problems if not p.is_error]
    assert any("detailed appendix is not loaded" in w for w in warnings)
    assert any("section cyber_security: detailed appendix not loaded" in w and "9 criteria" in w for w in warnings)


@pytest.mark.parametrize(
    "level, sections",
    [
        ("district", {"readiness": 50, "readiness.infrastructure": 30, "readiness.human_resources": 12,
                      "readiness.environment": 8, "results": 100, "results.presence": 40,
                      "results.interaction": 35, "results.transaction": 20, "results.transformation": 5}),
        ("commune", {"readiness": 30, "readiness.infrastructure": 18, "readiness.human_resources": 7.2,
                     "readiness.environment": 4.8, "results": 60, "results.presence": 27,
                     "results.interaction": 18, "results.transaction": 10, "results.transformation": 5}),
    ],
)
def test_the_egov_sheets_have_the_groups_and_maxima_of_decision_2392(level, sections):
    r = load_rubric(f"mic-2017-egov.{level}")
    assert {s.id: s.max for s in r.sections} == sections


def test_the_commune_readiness_inconsistency_is_stated_and_resolved_in_the_file():
    readiness = load_rubric("mic-2017-egov.commune").section("readiness")
    assert "Mâu thuẫn" in readiness.note and "Cách xử lý" in readiness.note
    assert "30/50" in readiness.note and "hạ tầng 18, nhân lực 7,2, môi trường chính sách 4,8" in readiness.note


@pytest.mark.parametrize("group", ["I", "II", "III", "IV"])
def test_the_1867_sheets_invent_no_maximum_and_warn_about_it(group):
    r = load_rubric(f"binhthuan-2019-it.{group}")
    assert r.max is None and not r.complete
    assert [s.id for s in r.sections] == ["documents", "infrastructure", "human_resources", "application", "investment"]
    assert all(c.max is None and c.kind.value == "points" for c in r.criteria)
    problems = check_rubric_file(SHEETS_DIR / f"binhthuan-2019-it.{group}.yaml")
    assert not [p for p in problems if p.is_error]
    warnings = [str(p) for p in problems]
    assert any("appendix is not loaded" in w for w in warnings)
    assert sum("criterion" in w and "no maximum" in w for w in warnings) == 5


def test_loading_a_rubric_twice_gives_the_same_object_so_its_compiled_form_is_reused():
    assert load_rubric("tayninh-2015-it.district") is load_rubric("tayninh-2015-it.district")


def test_an_edited_rubric_file_is_read_again(tmp_path):
    from rubrics.rubric_loader import load_rubric_file

    from .helpers import MINIMAL, write

    path = write(tmp_path, MINIMAL)
    first = load_rubric_file(path)
    path.write_text(MINIMAL.replace("Phiếu thử", "Phiếu thử (sửa đổi)"), encoding="utf-8")
    assert load_rubric_file(path).title == "Phiếu thử (sửa đổi)" and first.title == "Phiếu thử"


# Decision 5279/QĐ-UBND (Hà Nội, 23/10/2025), as summarised the day after (VietNamNet 24/10/2025):
# «cấp thành phố có 34 chỉ số thành phần được chia thành 9 nhóm gồm: Nhận thức số (3 chỉ số); thể
# chế số (4 chỉ số); hạ tầng số (2 chỉ số); nhân lực số (3 chỉ số); an toàn thông tin mạng (5 chỉ
# số); hoạt động chính quyền số (11 chỉ số); hoạt động kinh tế số (1 chỉ số); hoạt động xã hội số
# (3 chỉ số); mức độ hoàn thành kế hoạch chuyển đổi số của năm (2 chỉ số)» and «cấp xã gồm 47 chỉ
# số thành phần được chia thành 8 nhóm: Nhận thức số (5 chỉ số); thể chế số (3 chỉ số); hạ tầng số
# (5 chỉ số); nhân lực số (6 chỉ số); an toàn thông tin mạng (4 chỉ số); hoạt động chính quyền số
# (10 chỉ số); hoạt động kinh tế số (6 chỉ số); hoạt động xã hội số (8 chỉ số)».
HANOI_CITY = [("awareness", 3), ("institutions", 4), ("infrastructure", 2), ("human_resources", 3),
              ("cyber_security", 5), ("digital_government", 11), ("digital_economy", 1),
              ("digital_society", 3), ("plan_completion", 2)]
HANOI_COMMUNE = [("awareness", 5), ("institutions", 3), ("infrastructure", 5), ("human_resources", 6),
                 ("cyber_security", 4), ("digital_government", 10), ("digital_economy", 6),
                 ("digital_society", 8)]


@pytest.mark.parametrize(
    "rubric_id, groups, total",
    [("hanoi-2025-dti.department", HANOI_CITY, 34), ("hanoi-2025-dti.commune", HANOI_COMMUNE, 47)],
)
def test_the_hanoi_5279_sheets_have_the_decisions_groups_in_order_with_their_sub_index_counts(rubric_id, groups, total):
    r = load_rubric(rubric_id)
    assert [(s.id, s.stated_count) for s in r.sections] == groups
    assert sum(n for _, n in groups) == r.stated_count == total
    # One criterion per group numbered 1..n in the decision's order, and no maximum invented.
    assert r.criterion_ids == tuple(str(i) for i in range(1, len(groups) + 1))
    assert r.max is None and all(c.max is None for c in r.criteria)
    assert r.complete is False
