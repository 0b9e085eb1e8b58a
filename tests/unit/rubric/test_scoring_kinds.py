"""Each kind of criterion, scored from its data, with the Vietnamese reason for the points."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from domain.answers import Answer, IssuedDocument, SheetAnswers
from domain.rubric import Criterion, Evidence, FlagRule, Kind, Option, RatioMode, Rubric, Section, Tier
from domain.scoring import score_many, score_sheet


def rubric_of(c: Criterion) -> Rubric:
    return Rubric("t.one", "Một tiêu chí", "thử", c.max, (Section("S", "Mục", c.max, None, (c.id,)),), (c,))


def scored(c: Criterion, **answer):
    """(points, explanation) of one answer, checking the fast path agrees."""
    r = rubric_of(c)
    s = SheetAnswers("Đơn vị", "g", r.id, {c.id: Answer(c.id, **answer)} if answer is not None else {})
    cs = score_sheet(r, s).criteria[0]
    assert score_many(r, [s]) == [round(cs.points, 6)]
    return cs.points, cs.explanation


THRESHOLD_5 = Criterion("I.4", "Đạt từ 5% trở lên tổng số văn bản phát hành", Kind.RATIO, 5.0, "S",
                        tiers=(Tier(5.0, 5.0),), ratio_mode=RatioMode.TIERS,
                        numerator_label="Số lượng VB ký số", denominator_label="Số lượng VB phát hành")
THRESHOLD_50 = Criterion("I.3.1", "Đạt từ 50%", Kind.RATIO, 5.0, "S", tiers=(Tier(50.0, 5.0),),
                         ratio_mode=RatioMode.TIERS, numerator_label="liên thông", denominator_label="phát hành")
TIERS = Criterion("T", "Tỷ lệ hồ sơ đúng hạn", Kind.RATIO, 10.0, "S",
                  tiers=(Tier(50.0, 4.0), Tier(80.0, 7.0), Tier(95.0, 10.0)), ratio_mode=RatioMode.TIERS,
                  numerator_label="đúng hạn", denominator_label="tổng số")
PROPORTIONAL = Criterion("P", "Tỷ lệ DVC trực tuyến", Kind.RATIO, 10.0, "S", ratio_mode=RatioMode.PROPORTIONAL,
                         full_at_percent=80.0, numerator_label="trực tuyến", denominator_label="tổng số")


@pytest.mark.parametrize(
    "criterion, numerator, denominator, points, explanation",
    [
        (THRESHOLD_50, 45, 100, 0, "Tỷ lệ 45/100 = 45% < 50%: 0 điểm"),
        (THRESHOLD_50, 50, 100, 5, "Tỷ lệ 50/100 = 50% ≥ 50%: 5 điểm"),
        (THRESHOLD_5, 5, 100, 5, "Tỷ lệ 5/100 = 5% ≥ 5%: 5 điểm"),  # the edge is exact
        (THRESHOLD_5, 3, 60, 5, "Tỷ lệ 3/60 = 5% ≥ 5%: 5 điểm"),
        (THRESHOLD_5, 4.99, 100, 0, "Tỷ lệ 4,99/100 = 4,99% < 5%: 0 điểm"),
        (TIERS, 49, 100, 0, "Tỷ lệ 49/100 = 49% < 50%: 0 điểm"),
        (TIERS, 50, 100, 4, "Tỷ lệ 50/100 = 50% ≥ 50%: 4 điểm"),
        (TIERS, 94, 100, 7, "Tỷ lệ 94/100 = 94% ≥ 80%: 7 điểm"),
        (TIERS, 19, 20, 10, "Tỷ lệ 19/20 = 95% ≥ 95%: 10 điểm"),
        (PROPORTIONAL, 40, 100, 5, "Tỷ lệ 40/100 = 40%, tính theo tỷ lệ 40%/80% × 10: 5 điểm"),
        (PROPORTIONAL, 90, 100, 10, "Tỷ lệ 90/100 = 90% ≥ 80%: 10 điểm"),  # capped at the maximum
        (PROPORTIONAL, 1, 3, 4.166666666666667, "Tỷ lệ 1/3 = 33,33%, tính theo tỷ lệ 33,33%/80% × 10: 4,17 điểm"),
    ],
)
def test_a_ratio_scores_by_its_thresholds_tiers_or_proportion(criterion, numerator, denominator, points, explanation):
    assert scored(criterion, numerator=numerator, denominator=denominator) == (points, explanation)


@pytest.mark.parametrize(
    "answer, explanation",
    [
        (dict(numerator=5), "Không cung cấp số liệu (liên thông/phát hành): 0 điểm"),
        (dict(denominator=100), "Không cung cấp số liệu (liên thông/phát hành): 0 điểm"),
        (dict(numerator=0, denominator=0), "Mẫu số bằng 0 (phát hành): không tính được tỷ lệ, 0 điểm"),
        (dict(numerator=120, denominator=100), "Số liệu không hợp lệ (numerator: tử số 120 lớn hơn mẫu số 100): 0 điểm"),
        (dict(numerator=-1, denominator=100), "Số liệu không hợp lệ (numerator: phải là số không âm, nhận được -1): 0 điểm"),
        (dict(numerator=math.nan, denominator=100), "Số liệu không hợp lệ (numerator: phải là số không âm, nhận được nan): 0 điểm"),
        (dict(numerator=1, denominator=math.inf), "Số liệu không hợp lệ (denominator: phải là số không âm, nhận được inf): 0 điểm"),
    ],
)
def test_a_ratio_without_usable_figures_scores_0_and_says_why(answer, explanation):
    assert scored(THRESHOLD_50, **answer) == (0, explanation)


def test_a_ratio_that_may_exceed_100_percent_is_scored_above_it():
    c = Criterion("M", "Hộp thư được cấp / CBCC", Kind.RATIO, 1.0, "S", tiers=(Tier(100.0, 1.0),),
                  ratio_mode=RatioMode.TIERS, numerator_label="hộp thư", denominator_label="CBCC",
                  numerator_may_exceed=True)
    assert scored(c, numerator=120, denominator=100) == (1, "Tỷ lệ 120/100 = 120% ≥ 100%: 1 điểm")


YES_NO = Criterion("I.7", "Có cập nhật đầy đủ, kịp thời", Kind.YES_NO, 2.0, "S")
DOCUMENT = Criterion("I.2.4", "Ban hành quy chế", Kind.DOCUMENT, 5.0, "S")
COUNT = Criterion("III.2", "Từ 03 hồ sơ", Kind.COUNT, 2.0, "S", tiers=(Tier(3.0, 2.0),))
COUNT_TIERS = Criterion("C", "Số hồ sơ", Kind.COUNT, 6.0, "S", tiers=(Tier(1.0, 2.0), Tier(10.0, 6.0)))
CHOICE = Criterion("BCĐ", "Trưởng ban chỉ đạo chuyển đổi số", Kind.CHOICE, 10.0, "S", options=(
    Option("chairman", "Chủ tịch", 1.0), Option("vice", "Phó Chủ tịch", 0.5), Option("none", "Không có", 0.0)))
POINTS = Criterion("1", "Chỉ số Nhận thức số", Kind.POINTS, 50.0, "S")
POINTS_NO_MAX = Criterion("1", "Văn bản chỉ đạo", Kind.POINTS, None, "S")


@pytest.mark.parametrize(
    "criterion, answer, points, explanation",
    [
        (YES_NO, dict(yes=True), 2, "Có: 2 điểm"),
        (YES_NO, dict(yes=False), 0, "Không: 0 điểm"),
        (YES_NO, dict(), 0, "Không trả lời có/không: 0 điểm"),
        (DOCUMENT, dict(document=IssuedDocument("15/QĐ-SNV", dt.date(2016, 3, 10))), 5,
         "Văn bản số 15/QĐ-SNV ngày 10/03/2016: 5 điểm"),
        (DOCUMENT, dict(), 0, "Không cung cấp số, ngày ban hành văn bản: 0 điểm"),
        (DOCUMENT, dict(document=IssuedDocument("  ", dt.date(2016, 3, 10))), 0,
         "Số liệu không hợp lệ (document.number: thiếu số văn bản): 0 điểm"),
        (COUNT, dict(count=2), 0, "Số lượng 2 < 3: 0 điểm"),
        (COUNT, dict(count=3), 2, "Số lượng 3 ≥ 3: 2 điểm"),
        (COUNT, dict(count=-3), 0, "Số liệu không hợp lệ (count: phải là số không âm, nhận được -3): 0 điểm"),
        (COUNT_TIERS, dict(count=4), 2, "Số lượng 4 ≥ 1: 2 điểm"),
        (COUNT_TIERS, dict(count=12), 6, "Số lượng 12 ≥ 10: 6 điểm"),
        (CHOICE, dict(choice="chairman"), 10, "Phương án «Chủ tịch» (100% điểm tối đa): 10 điểm"),
        (CHOICE, dict(choice="vice"), 5, "Phương án «Phó Chủ tịch» (50% điểm tối đa): 5 điểm"),
        (CHOICE, dict(choice="none"), 0, "Phương án «Không có» (0% điểm tối đa): 0 điểm"),
        (CHOICE, dict(choice="secretary"), 0,
         "Số liệu không hợp lệ (choice: phương án 'secretary' không có trong tiêu chí (có: chairman, vice, none)): 0 điểm"),
        (POINTS, dict(points=42.5), 42.5, "Điểm nhập 42,5 trong tối đa 50: 42,5 điểm"),
        (POINTS, dict(points=50), 50, "Điểm nhập 50 trong tối đa 50: 50 điểm"),
        (POINTS, dict(points=50.5), 0, "Số liệu không hợp lệ (points: 50,5 vượt điểm tối đa 50): 0 điểm"),
        (POINTS, dict(points=math.nan), 0, "Số liệu không hợp lệ (points: phải là số không âm, nhận được nan): 0 điểm"),
        (POINTS_NO_MAX, dict(points=137), 137,
         "Điểm nhập 137 (phụ lục chi tiết chưa nạp, không có điểm tối đa): 137 điểm"),
    ],
)
def test_each_kind_scores_its_own_field(criterion, answer, points, explanation):
    assert scored(criterion, **answer) == (points, explanation)


def test_an_unanswered_criterion_scores_0():
    r = rubric_of(YES_NO)
    cs = score_sheet(r, SheetAnswers("Đơn vị", "g", r.id, {})).criteria[0]
    assert (cs.points, cs.explanation) == (0, "Chưa trả lời: 0 điểm")


NA = FlagRule("not_applicable", 1.0, "QĐ 265 Điều 7 khoản 2")
HALF = FlagRule("no_system", 0.5, "QĐ 2693 Phụ lục I mục I.6")


@pytest.mark.parametrize(
    "criterion, answer, points, explanation",
    [
        (Criterion("X", "TTHC", Kind.RATIO, 5.0, "S", tiers=(Tier(100.0, 5.0),), ratio_mode=RatioMode.TIERS,
                   numerator_label="n", denominator_label="d", rules=(NA,)),
         dict(not_applicable=True), 5, "Không áp dụng đối với đơn vị (QĐ 265 Điều 7 khoản 2): tính điểm tối đa, 5 điểm"),
        (Criterion("Y", "Quy chế", Kind.DOCUMENT, 2.0, "S", rules=(HALF,)),
         dict(no_system=True), 1, "Đơn vị không có hệ thống (QĐ 2693 Phụ lục I mục I.6): tính 50% điểm tối đa, 1 điểm"),
        (Criterion("Z", "Hồ sơ", Kind.COUNT, 2.0, "S", tiers=(Tier(3.0, 2.0),), evidence=Evidence(True, "tài liệu")),
         dict(count=5), 0, "Không cung cấp tài liệu chứng minh: 0 điểm"),
        (Criterion("Z", "Hồ sơ", Kind.COUNT, 2.0, "S", tiers=(Tier(3.0, 2.0),), evidence=Evidence(True, "tài liệu")),
         dict(count=5, evidence=("hs-01.pdf",)), 2, "Số lượng 5 ≥ 3: 2 điểm"),
        # A flag the criterion has no rule for changes nothing, and the reason names it.
        (YES_NO, dict(yes=True, not_applicable=True), 2,
         "Có: 2 điểm (bỏ qua: tiêu chí I.7 không có quy định 'not_applicable')"),
    ],
)
def test_flag_rules_and_evidence_come_before_the_kind(criterion, answer, points, explanation):
    assert scored(criterion, **answer) == (points, explanation)
