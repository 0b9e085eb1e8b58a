"""Units through time: each unit of a register is valid for a period of days, and may continue
one or more earlier units (merged, split, renamed, moved from another province).

Why: since 1 July 2025 the district level is gone and the commune-level units were rearranged
(Resolution 202/2025/QH15; the Standing Committee's resolutions of 16/6/2025, e.g. Resolution
1656/NQ-UBTVQH15 for Hà Nội). A register therefore holds units that ended and units that began;
a cycle enrols the units valid on its reference date, and a closed cycle keeps the units it
enrolled. Pure: dates in, answers out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

# How a unit came from its predecessors (what the Standing Committee's resolution says was done).
CHANGES = ("established", "merged", "split", "renamed", "moved")

# Kinds of unit and the level each belongs to. `special_zone` (đặc khu) is a commune-level unit
# (Law on the Organisation of Local Government 2025, Art. 2: xã, phường, đặc khu).
# `province`: a province evaluated by the Ministry (the national DTI, Decision 405/QĐ-BKHCN).
LEVEL_OF_KIND = {"department": "province", "office": "province", "public_service_unit": "province",
                 "district": "district", "commune": "commune", "special_zone": "commune", "province": "national"}
UNIT_KINDS = tuple(LEVEL_OF_KIND)
COMMUNE_LEVEL_KINDS = tuple(k for k, level in LEVEL_OF_KIND.items() if level == "commune")


@dataclass(frozen=True)
class Validity:
    """The days a unit exists, both ends included; None: open at that end."""

    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def empty(self) -> bool:
        return self.valid_from is not None and self.valid_until is not None and self.valid_until < self.valid_from

    def contains(self, day: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))

    def covers(self, other: "Validity") -> bool:
        """Whether every day of `other` is a day of this period."""
        starts = self.valid_from is None or (other.valid_from is not None and self.valid_from <= other.valid_from)
        ends = self.valid_until is None or (other.valid_until is not None and other.valid_until <= self.valid_until)
        return starts and ends


def valid_on(periods: Mapping[str, Validity], day: dt.date) -> list[str]:
    """The codes whose period contains `day`, sorted."""
    return sorted(code for code, period in periods.items() if period.contains(day))


def successor_loop(predecessors: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A chain of units that comes back to where it started (A continues B ... continues A), as
    the list of codes along it, or None. Such a chain is a mistake in the data: a unit cannot
    be its own ancestor."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(predecessors):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(predecessors.get(start, ()))))]
        state[start], path = 1, [start]
        while stack:
            code, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[code] = 2
                stack.pop()
                path.pop()
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if not state.get(nxt) and nxt in predecessors:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(predecessors.get(nxt, ())))))
    return None


@dataclass(frozen=True)
class RegisterChange:
    """What re-importing a register changed: units that ended and units that began."""

    ended: tuple[str, ...]
    began: tuple[str, ...]
    updated: tuple[str, ...]


def compare_registers(before: Mapping[str, Validity], after: Mapping[str, Validity]) -> RegisterChange:
    """`before`: the units as stored; `after`: as the new file gives them. A unit that is in the
    store but not in the new file is not deleted (cycles enrolled it): it ends, and the import
    must have said so in the file (an end date); a unit whose end date appears now has ended."""
    ended = sorted(c for c, p in after.items() if p.valid_until is not None
                   and (c not in before or before[c].valid_until != p.valid_until))
    began = sorted(c for c in after if c not in before)
    updated = sorted(c for c, p in after.items() if c in before and before[c] != p and c not in ended)
    return RegisterChange(tuple(ended), tuple(began), tuple(updated))
