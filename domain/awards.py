"""Awards from the regime file: who gets the certificate once the ranking is approved.

Decision 1867 Art. 12: groups I, III, IV — units classified Tốt and standing 1st, 2nd, 3rd;
group II — "only 01 unit" classified Tốt and standing 1st. Decision 265 Art. 9: Tốt and 1st–3rd
in groups 1 and 2; communes are rewarded by their district. Neither decision says what happens
when units tie across the award line, so the rule says it (`TiesAtLine`), as data.

"At the line" means a group of tied units whose shared positions run past `max_rank`: with
ranks 1, 2, 3, 3 and `max_rank` 3, the two units tied at 3 hold positions 3 and 4. A tie that
fits (1, 2, 2 with `max_rank` 3) is not at the line and every tied unit is awarded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TiesAtLine(StrEnum):
    # Every unit of the tied group is awarded: each one "stands in position 3" as the text asks.
    ALL_AWARDED = "all_awarded"
    # None of the tied group is awarded: the number of certificates never exceeds the places.
    NONE_AWARDED = "none_awarded"
    # No automatic award: the units are flagged and the council breaks the tie.
    COUNCIL_DECIDES = "council_decides"


@dataclass(frozen=True, slots=True)
class AwardRule:
    award: str  # "Bằng khen của Chủ tịch UBND tỉnh"
    classifications: frozenset[str]  # the classification a unit must have (Tốt)
    max_rank: int  # positions 1..max_rank
    ties_at_line: TiesAtLine
    source: str = ""


@dataclass(frozen=True, slots=True)
class NoAward:
    """The regime gives no award to this group here; `note` says why or who decides instead."""

    note: str


AwardPolicy = AwardRule | NoAward


@dataclass(frozen=True, slots=True)
class Placed:
    """A ranked unit as the award rule sees it."""

    rank: int
    classification: str | None


@dataclass(frozen=True, slots=True)
class AwardDecision:
    award: str | None
    note: str = ""  # why not, or what a person must still decide


_NOT_AWARDED = AwardDecision(None)


def decide_awards(policy: AwardPolicy, placed: list[Placed]) -> list[AwardDecision]:
    """One decision per unit, in the order given. `placed` holds the group's ranked units."""
    return award_decisions(policy, [p.rank for p in placed], [p.classification for p in placed])


def award_decisions(policy: AwardPolicy, ranks: list[int], classifications: list[str | None]) -> list[AwardDecision]:
    """`decide_awards` over parallel lists (rank, classification of each ranked unit): the
    ranking of 11,000 units builds no `Placed` per unit, and units past the award line share
    one decision."""
    if isinstance(policy, NoAward):
        none = AwardDecision(None, policy.note)
        return [none] * len(ranks)
    # Size of each tie group: positions held run from `rank` to `rank + size - 1`. Only ranks
    # up to `max_rank` can be awarded, so only theirs are counted.
    line = policy.max_rank
    size: dict[int, int] = {}
    for r in ranks:
        if r <= line:
            size[r] = size.get(r, 0) + 1
    out = []
    for rank, classification in zip(ranks, classifications):
        if rank > line:
            out.append(_NOT_AWARDED)
            continue
        if classification not in policy.classifications:
            wanted = ", ".join(sorted(policy.classifications))
            out.append(AwardDecision(None, f"hạng {rank} nhưng xếp loại {classification or 'không có'}, không phải {wanted} ({policy.source})"))
            continue
        last_position = rank + size[rank] - 1
        if last_position <= line or policy.ties_at_line is TiesAtLine.ALL_AWARDED:
            note = "" if last_position <= line else f"đồng hạng {rank} với {size[rank] - 1} đơn vị khác vượt quá {line} vị trí: tất cả được khen (ties_at_line: all_awarded)"
            out.append(AwardDecision(policy.award, note))
        elif policy.ties_at_line is TiesAtLine.NONE_AWARDED:
            out.append(AwardDecision(None, f"đồng hạng {rank} vượt quá {line} vị trí xét khen: không đơn vị nào trong nhóm đồng hạng được khen (ties_at_line: none_awarded)"))
        else:
            out.append(AwardDecision(None, f"đồng hạng {rank} vượt quá {line} vị trí xét khen: Hội đồng quyết định (ties_at_line: council_decides)"))
    return out
