"""Ranking within each group, ties sharing a rank (1, 2, 2, 4), then classification and awards.

Decision 265 Art. 8.2: ranked "by points, high to low, within each group". Decision 1867 Art. 8:
a unit that sent its sheet after the grace period, or never sent it, "is not evaluated and not
ranked" — such a unit is listed, unranked, with the reason. Decision 2392 Art. 6: a locality
below level IV is not ranked. The rules come from the regime file (`RankingRules`, parsed by
`rubrics.regime_rules`); this module holds no per-regime `if`.

Two totals tie when they are equal in micro-points (`domain.classification.micro`), so float
drift never splits a tie nor makes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Mapping, Sequence

from domain.awards import AwardPolicy, NoAward, Placed, decide_awards
from domain.classification import NotStated, Outcome, Scale, Scores, micro


class Order(StrEnum):
    TOTAL = "total"  # by total, high to low (1867, 265)
    CLASSIFICATION_THEN_TOTAL = "classification_then_total"  # by level, then total (2392)


@dataclass(frozen=True, slots=True)
class RankingRule:
    order: Order = Order.TOTAL
    # False where the decision states no ranking (Tây Ninh 2693): the order is a listing aid.
    stated: bool = True
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class RankingRules:
    """Everything a regime file says about classification, ranking and awards."""

    groups: tuple[str, ...]  # the regime's group ids, in its order
    classification: Mapping[str, Scale]  # group id -> scale
    ranking: RankingRule
    awards: Mapping[str, AwardPolicy]  # group id -> policy

    def scale(self, group: str) -> Scale:
        return self.classification.get(group, NotStated("Quy định không nêu cách xếp loại"))

    def award_policy(self, group: str) -> AwardPolicy:
        return self.awards.get(group, NoAward("Quy định không nêu khen thưởng"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One unit to rank: its scores, or None with the reason it was not evaluated."""

    unit: str
    group: str
    scores: Scores | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    unit: str
    group: str
    total: float | None
    percent: float | None
    classification: str | None
    rank: int | None
    award: str | None
    ranked: bool
    reason: str = ""  # why not ranked (empty when ranked)
    outcome: Outcome | None = None  # the classification, with its reason on demand
    award_note: str = ""

    @property
    def classification_reason(self) -> str:
        return self.outcome.reason if self.outcome is not None else ""


def percent_of(total: float, maximum: float | None) -> float | None:
    if not maximum:
        return None
    return round(micro(total) * 100 / micro(maximum), 2)


def competition_ranks(keys: Sequence[tuple]) -> list[int]:
    """Ranks for keys already sorted best first: equal keys share a rank, the next rank skips
    (1, 2, 2, 4), as a shared place takes the places it covers."""
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and key == keys[i - 1] else i + 1)
    return ranks


def standings(rules: RankingRules, entries: Sequence[Entry]) -> list[Standing]:
    """Rows by group in the regime's order: ranked units by rank, then the unranked ones."""
    by_group: dict[str, list[Entry]] = {}
    for e in entries:
        by_group.setdefault(e.group, []).append(e)
    order = list(rules.groups) + sorted(g for g in by_group if g not in rules.groups)
    out: list[Standing] = []
    for group in order:
        if group in by_group:
            out.extend(_group_standings(rules, group, by_group[group]))
    return out


def _group_standings(rules: RankingRules, group: str, entries: list[Entry]) -> list[Standing]:
    scale = rules.scale(group)
    by_level = rules.ranking.order is Order.CLASSIFICATION_THEN_TOTAL
    ranked: list[tuple[tuple, Entry, Outcome]] = []
    unranked: list[Standing] = []
    for e in entries:
        if e.scores is None:
            unranked.append(Standing(e.unit, group, None, None, None, None, None, False, e.reason or "không được đánh giá"))
            continue
        outcome = scale.classify(e.scores)
        if not outcome.ranked:
            unranked.append(Standing(e.unit, group, e.scores.total, percent_of(e.scores.total, e.scores.max),
                                     outcome.label, None, None, False, outcome.reason, outcome))
            continue
        ranked.append((_key(by_level, e.scores.total, outcome), e, outcome))
    # Ties keep a stable order by unit name; the rank itself ignores the name.
    ranked.sort(key=lambda t: (t[0], t[1].unit))
    ranks = competition_ranks([k for k, _, _ in ranked])
    decisions = decide_awards(rules.award_policy(group), [Placed(r, o.label) for r, (_, _, o) in zip(ranks, ranked)])
    out = [
        Standing(e.unit, group, e.scores.total, percent_of(e.scores.total, e.scores.max), o.label, r,
                 d.award, True, "", o, d.note)
        for r, (_, e, o), d in zip(ranks, ranked, decisions)
    ]
    unranked.sort(key=lambda s: (s.total is None, -(s.total or 0), s.unit))
    return out + unranked


def _key(by_level: bool, total: float, outcome: Outcome) -> tuple[int, int]:
    # Sorting ascending: a better classification has a smaller `order`, a higher total a smaller -total.
    return (outcome.order if by_level else 0, -micro(total))
