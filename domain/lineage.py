"""A merged unit's result computed from its predecessors' results.

The Ministry of Science and Technology published DTI 2024 (21/10/2025) for the 34 provinces that
exist since 1/7/2025 (Resolution 202/2025/QH15), although the data were those of the 63 former
provinces: «Kết quả DTI của các tỉnh, thành sau sáp nhập được tính toán dựa trên giá trị trung
bình cộng các chỉ số chính của DTI các tỉnh trước sáp nhập» (the Ministry at the publication,
Huế Ngày nay 20/10/2025). So each main index of a merged province is the arithmetic mean of that
index over its former provinces, and its total is the sum of those means. The mean is linear,
so that total is also the mean of the former totals; an unchanged province keeps its result.

Pure: results in, results out. Nothing here knows where the results or the lineage come from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Lineage:
    """A unit and the former units whose whole area and population it took."""

    successor: str
    predecessors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergedResult:
    unit: str
    predecessors: tuple[str, ...]
    indices: Mapping[str, float]  # main index id -> mean over the predecessors
    total: float

    @property
    def merged(self) -> bool:
        return self.predecessors != (self.unit,)


class LineageError(InvalidInput):
    """The results and the lineage do not fit: the message names the units concerned."""


def average_main_indices(results: Mapping[str, Mapping[str, float]],
                         lineages: Sequence[Lineage]) -> tuple[list[MergedResult], tuple[str, ...]]:
    """Each successor's main indices as the mean of its predecessors' (in the lineage's order),
    and the successors none of whose predecessors has a result (listed, not computed).

    Refused, never guessed: a predecessor without a result (the mean of the others would
    silently change the rule), predecessors scored on different indices, and a result of a
    unit that no lineage names (a misspelt name would otherwise vanish from the table).
    """
    named = {p for lin in lineages for p in lin.predecessors}
    stray = sorted(set(results) - named)
    if stray:
        raise LineageError(f"kết quả của đơn vị không có trong danh sách sắp xếp: {', '.join(stray)}")
    out: list[MergedResult] = []
    without: list[str] = []
    for lin in lineages:
        missing = [p for p in lin.predecessors if p not in results]
        if len(missing) == len(lin.predecessors):
            without.append(lin.successor)
            continue
        if missing:
            raise LineageError(f"{lin.successor}: thiếu kết quả năm trước của {', '.join(missing)} "
                               f"(cần đủ {len(lin.predecessors)} đơn vị: {', '.join(lin.predecessors)})")
        index_sets = {p: tuple(sorted(results[p])) for p in lin.predecessors}
        first = index_sets[lin.predecessors[0]]
        odd = [p for p, ids in index_sets.items() if ids != first]
        if odd:
            raise LineageError(f"{lin.successor}: {', '.join(odd)} có các chỉ số chính khác "
                               f"{lin.predecessors[0]} ({', '.join(first)})")
        n = len(lin.predecessors)
        indices = {i: math.fsum(results[p][i] for p in lin.predecessors) / n for i in first}
        out.append(MergedResult(lin.successor, lin.predecessors, indices, math.fsum(indices.values())))
    return out, tuple(without)


__all__ = ["Lineage", "LineageError", "MergedResult", "average_main_indices"]
