"""The fast path (`score_many`) and the explained path (`score_sheet`) run the same compiled
code: they agree on every kind, every rule and every odd value, and each reason ends with the
points actually given."""

from __future__ import annotations

import datetime as dt
import math
import random

from domain.answers import Answer, IssuedDocument, SheetAnswers
from domain.rubric import Criterion, Evidence, FlagRule, Kind, Option, RatioMode, Rubric, Section, Tier
from domain.scoring import score_many, score_sheet, section_totals_many
from domain.scoring_text import pts

NA = FlagRule("not_applicable", 1.0, "QĐ 265 Điều 7.2")
HALF = FlagRule("no_system", 0.5, "QĐ 2693")


def every_shape() -> Rubric:
    ratio = dict(numerator_label="n", denominator_label="d")
    cs = [
        Criterion("a", "có/không", Kind.YES_NO, 2.0, "S"),
        Criterion("b", "văn bản", Kind.DOCUMENT, 5.0, "S", rules=(HALF,)),
        Criterion("c", "ngưỡng", Kind.RATIO, 5.0, "S", tiers=(Tier(5.0, 5.0),), ratio_mode=RatioMode.TIERS, **ratio),
        Criterion("d", "bậc", Kind.RATIO, 9.0, "S", tiers=(Tier(50.0, 3.0), Tier(80.0, 9.0)), ratio_mode=RatioMode.TIERS,
                  rules=(NA, HALF), **ratio),
        Criterion("e", "tỷ lệ", Kind.RATIO, 7.0, "T", ratio_mode=RatioMode.PROPORTIONAL, full_at_percent=90.0, **ratio),
        Criterion("f", "vượt", Kind.RATIO, 1.0, "T", tiers=(Tier(100.0, 1.0),), ratio_mode=RatioMode.TIERS,
                  numerator_may_exceed=True, **ratio),
        Criterion("g", "số lượng", Kind.COUNT, 2.0, "T", tiers=(Tier(3.0, 2.0),), evidence=Evidence(True, "x")),
        Criterion("h", "bậc số lượng", Kind.COUNT, 6.0, "T", tiers=(Tier(1.0, 1.0), Tier(4.0, 6.0))),
        Criterion("i", "lựa chọn", Kind.CHOICE, 10.0, "T", options=(Option("x", "X", 1.0), Option("y", "Y", 0.25))),
        Criterion("j", "điểm", Kind.POINTS, 12.5, "T", rules=(NA,)),
        Criterion("k", "điểm không tối đa", Kind.POINTS, None, "T"),
    ]
    sections = (Section("S", "S", None, None, ("a", "b", "c", "d")), Section("T", "T", None, None, tuple("efghijk")))
    return Rubric("fuzz", "fuzz", "test", None, sections, tuple(cs))


ODD = [None, 0, 1, 3, 4.5, 50, 100, 120, -1, math.nan, math.inf, 0.1]


def random_answer(rng: random.Random, cid: str) -> Answer:
    return Answer(
        cid,
        yes=rng.choice([None, True, False]),
        numerator=rng.choice(ODD),
        denominator=rng.choice(ODD),
        count=rng.choice(ODD),
        document=rng.choice([None, IssuedDocument("5/QĐ", dt.date(2024, 1, 2)), IssuedDocument(" ", dt.date(2024, 1, 2))]),
        choice=rng.choice([None, "x", "y", "z"]),
        points=rng.choice(ODD + [12.5, 13]),
        not_applicable=rng.random() < 0.15,
        no_system=rng.random() < 0.15,
        evidence=rng.choice([(), ("a.pdf",)]),
        self_points=rng.choice([None, 1.0]),
    )


def test_both_paths_agree_and_every_reason_ends_with_the_points_given():
    rng = random.Random(3)
    rubric = every_shape()
    sheets = [
        SheetAnswers(f"u{i}", "g", rubric.id,
                     {c.id: random_answer(rng, c.id) for c in rubric.criteria if rng.random() < 0.9})
        for i in range(1000)
    ]
    totals = score_many(rubric, sheets)
    sections = section_totals_many(rubric, sheets)
    for s, total, by_section in zip(sheets, totals, sections):
        scored = score_sheet(rubric, s)
        assert scored.total == total
        assert scored.section_points == by_section
        for c in scored.criteria:
            assert c.points >= 0 and not math.isnan(c.points)
            assert c.explanation.split(" (bỏ qua")[0].endswith(pts(c.points)), (c, s.answers.get(c.criterion_id))


def test_a_criterion_id_is_data_never_code():
    nasty = "I.1'); raise SystemExit('x'); ('"
    c = Criterion(nasty, "có/không", Kind.YES_NO, 1.0, "S")
    rubric = Rubric("nasty", "t", "s", 1.0, (Section("S", "S", 1.0, None, (nasty,)),), (c,))
    s = SheetAnswers("u", "g", rubric.id, {nasty: Answer(nasty, yes=True)})
    assert score_many(rubric, [s]) == [1.0]
    assert score_sheet(rubric, s).criteria[0].criterion_id == nasty
