"""A small rubric with every kind of criterion, for the sheet-file tests."""

from __future__ import annotations

from domain.rubric import Criterion, Evidence, FlagRule, Kind, Option, RatioMode, Rubric, Section, Tier


def _rubric() -> Rubric:
    criteria = (
        Criterion("I.1", "Có quy chế", Kind.YES_NO, 4.0, "I"),
        Criterion("I.2", "Tỷ lệ văn bản ký số", Kind.RATIO, 6.0, "I", tiers=(Tier(50, 6),), ratio_mode=RatioMode.TIERS),
        Criterion("I.3", "Hộp thư cấp cho CBCC", Kind.RATIO, 2.0, "I", tiers=(Tier(100, 2),),
                  ratio_mode=RatioMode.TIERS, numerator_may_exceed=True),
        Criterion("I.10", "Hồ sơ DVC mức 3", Kind.COUNT, 2.0, "I", tiers=(Tier(3, 2),), evidence=Evidence(True, "Sổ theo dõi")),
        Criterion("II.1", "Quy chế phần mềm", Kind.DOCUMENT, 3.0, "II", rules=(FlagRule("no_system", 0.5, "QĐ thử"),)),
        Criterion("II.2", "Trưởng ban chỉ đạo", Kind.CHOICE, 4.0, "II",
                  options=(Option("chairman", "Chủ tịch", 1.0), Option("vice_chairman", "Phó Chủ tịch", 0.5))),
        Criterion("II.3", "Điểm Hội đồng", Kind.POINTS, 5.0, "II"),
        Criterion("1.1", "Thủ tục hành chính", Kind.RATIO, 4.0, "II", tiers=(Tier(100, 4),), ratio_mode=RatioMode.TIERS,
                  rules=(FlagRule("not_applicable", 1.0, "QĐ thử"),)),
        Criterion("1.10", "Mã trông như số", Kind.POINTS, 1.0, "II"),
    )
    sections = (
        Section("I", "Mục I", 14.0, None, ("I.1", "I.2", "I.3", "I.10")),
        Section("II", "Mục II", 17.0, None, ("II.1", "II.2", "II.3", "1.1", "1.10")),
    )
    return Rubric("test.unit", "Phiếu thử", "Quyết định thử", 31.0, sections, criteria)


RUBRIC = _rubric()


def rubric_for(rubric_id: str) -> Rubric:
    if rubric_id != RUBRIC.id:
        raise LookupError(f"no rubric '{rubric_id}'")
    return RUBRIC


HEADER = "unit: Sở Thử\ngroup: department\nrubric: test.unit\n"
