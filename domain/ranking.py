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

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping, Sequence

from domain.awards import AwardPolicy, NoAward, award_decisions
from domain.classification import MICRO, NotStated, Outcome, Scale, Scores, micro

_NONE = object()


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
    award_note: str = ""
    # What the classification was computed from, so that its reason is written only when read:
    # ranking 11,000 communes needs the labels, not 11,000 sentences.
    scores: Scores | None = field(default=None, repr=False, compare=False)
    scale: Scale | None = field(default=None, repr=False, compare=False)

    @property
    def outcome(self) -> Outcome | None:
        """The classification with its reason ("449,99 điểm ≥ 350: Khá"), computed on demand."""
        if self.scores is None or self.scale is None:
            return None
        return self.scale.classify(self.scores)

    @property
    def classification_reason(self) -> str:
        outcome = self.outcome
        return outcome.reason if outcome is not None else ""


def percent_of(total: float, maximum: float | None) -> float | None:
    if not maximum:
        return None
    return round(micro(total) * 100 / micro(maximum), 2)


def competition_ranks(keys: Sequence) -> list[int]:
    """Ranks for keys already sorted best first: equal keys share a rank, the next rank skips
    (1, 2, 2, 4), as a shared place takes the places it covers."""
    ranks: list[int] = []
    rank, prev = 0, _NONE
    for i, key in enumerate(keys, 1):
        if key != prev:
            rank, prev = i, key
        ranks.append(rank)
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
    # Built for 11,000 units: one shared outcome per band, keys as plain ints, no per-unit tuple,
    # closure or Fraction (fewer objects also means fewer garbage-collector passes).
    scale = rules.scale(group)
    unranked: list[tuple[int, Standing]] = []  # with the entry's position: listed in a stable order
    evaluated: list[Entry] = []
    at: list[int] = []
    for pos, e in enumerate(entries):
        if e.scores is None:
            unranked.append((pos, Standing(e.unit, group, None, None, None, None, None, False,
                                           e.reason or "không được đánh giá")))
        else:
            evaluated.append(e)
            at.append(pos)
    scores = [e.scores for e in evaluated]
    points = [round(s.total * MICRO) for s in scores]  # `micro`, inlined
    bands = scale.band_indexes(scores, points)
    outcomes = scale.outcomes
    percents = _percents(scores, points)

    keep = [k for k, b in enumerate(bands) if outcomes[b].ranked]
    if len(keep) < len(bands):
        for k in sorted(set(range(len(bands))).difference(keep)):
            s = scores[k]
            o = scale.classify(s)
            unranked.append((at[k], Standing(evaluated[k].unit, group, s.total, percents[k], o.label, None, None,
                                             False, o.reason, "", s, scale)))
    # Best first: by classification when the regime says so, then by total; ties in a stable
    # order by unit name, which the rank itself ignores. Two stable sorts, on the name then the key.
    if rules.ranking.order is Order.CLASSIFICATION_THEN_TOTAL:
        keys: list = [(outcomes[b].order, -p) for b, p in zip(bands, points)]
    else:
        keys = [-p for p in points]
    units = [e.unit for e in evaluated]
    keep.sort(key=units.__getitem__)
    keep.sort(key=keys.__getitem__)
    ranks = competition_ranks([keys[k] for k in keep])
    labels = [outcomes[bands[k]].label for k in keep]
    decisions = award_decisions(rules.award_policy(group), ranks, labels)
    out = [Standing(units[k], group, scores[k].total, percents[k], label, rank, d.award, True, "", d.note,
                    scores[k], scale)
           for k, rank, label, d in zip(keep, ranks, labels, decisions)]
    unranked.sort(key=lambda x: x[0])
    rest = [s for _, s in unranked]
    rest.sort(key=lambda s: (s.total is None, -(s.total or 0), s.unit))
    return out + rest


def _percents(scores: list[Scores], points: list[int]) -> list[float | None]:
    """`percent_of` for each unit; the maximum is the same for a group's sheets, so it is fixed
    to micro-points once."""
    out: list[float | None] = []
    last, m = _NONE, None
    for s, p in zip(scores, points):
        if s.max != last:
            last, m = s.max, micro(s.max) if s.max else None
        out.append(None if m is None else round(p * 100 / m, 2))
    return out
