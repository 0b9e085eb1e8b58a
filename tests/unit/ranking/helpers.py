"""Builders for the classification and ranking tests, on the shipped regime files."""

from __future__ import annotations

from domain.classification import Scores
from domain.ranking import Entry
from rubrics.regime_loader import load_regime
from rubrics.rubric_loader import load_rubric


def rules(regime_id: str):
    return load_regime(regime_id).rules


def totals(total: float, maximum: float | None = None) -> Scores:
    return Scores(total, maximum, {}, {})


def entry(unit: str, group: str, total: float | None, maximum: float | None = None, reason: str = "") -> Entry:
    return Entry(unit, group, None if total is None else totals(total, maximum), reason)


def mic_scores(level: str, **points: float) -> Scores:
    """Scores of a MIC 2392 sheet from section points (`results_presence=36`, ...); the part
    totals are the sums of their groups, the maxima are the shipped rubric's."""
    rubric = load_rubric(f"mic-2017-egov.{level}")
    sections = {key.replace("_", ".", 1): value for key, value in points.items()}
    for part in ("results", "readiness"):
        sections[part] = sum(v for k, v in sections.items() if k.startswith(part + "."))
    return Scores(sections["results"] + sections["readiness"], rubric.max, sections,
                  {s.id: s.max for s in rubric.sections})


def mic_full(level: str, share: float = 1.0, **override: float) -> Scores:
    """Every group at `share` of its maximum, some groups overridden."""
    rubric = load_rubric(f"mic-2017-egov.{level}")
    points = {s.id.replace(".", "_", 1): s.max * share for s in rubric.sections if "." in s.id}
    points.update(override)
    return mic_scores(level, **points)
