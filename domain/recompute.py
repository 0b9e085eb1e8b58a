"""Which deadlines a changed calendar may move (decision record 0002).

The government announces day swaps late, sometimes weeks ahead; a cycle opened on the old
calendar must then have its *pending* deadlines recomputed, and only those. A milestone whose
instant has passed already judged the writes made against it, so it is never rewritten; and a
pending deadline is never moved into the past, which would refuse, after the fact, a unit that
still had time when it last looked (it keeps its instant and the audit says why).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.instants import end_of_local_day, format_closing_vi, format_date_vi, require_aware


@dataclass(frozen=True, slots=True)
class Dated:
    """One group's milestone as stored: its local day and, for deadlines, its closing instant."""

    group_id: str
    milestone_id: str
    date: dt.date | None
    closes_at: dt.datetime | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.group_id, self.milestone_id)

    def settled_at(self) -> dt.datetime | None:
        """The instant after which the milestone is history (its closing, or its day's end)."""
        if self.closes_at is not None:
            return self.closes_at
        return end_of_local_day(self.date) if self.date is not None else None


@dataclass(frozen=True, slots=True)
class Recomputation:
    take_new: frozenset[tuple[str, str]]  # milestones whose recomputed row replaces the stored one
    changes: tuple[str, ...]  # 'group/milestone: old -> new', for the audit entry
    kept: tuple[str, ...]  # pending milestones left unchanged, with the reason


def recompute_pending(old: list[Dated], new: list[Dated], now: dt.datetime) -> Recomputation:
    require_aware(now, "now")
    stored = {d.key: d for d in old}
    take, changes, kept = set(), [], []
    for fresh in new:
        before = stored.get(fresh.key)
        if before is None:
            take.add(fresh.key)
            continue
        settled = before.settled_at()
        if settled is not None and settled <= now:
            continue  # history: it already judged the writes made against it
        if (before.date, before.closes_at) == (fresh.date, fresh.closes_at):
            continue
        name = f"{fresh.group_id}/{fresh.milestone_id}"
        if fresh.closes_at is not None and fresh.closes_at <= now:
            kept.append(f"{name}: giữ {_show(before)} (lịch mới đưa về {_show(fresh)}, đã qua)")
            continue
        take.add(fresh.key)
        changes.append(f"{name}: {_show(before)} -> {_show(fresh)}")
    return Recomputation(frozenset(take), tuple(changes), tuple(kept))


def _show(d: Dated) -> str:
    if d.closes_at is not None:
        return format_closing_vi(d.closes_at)
    return format_date_vi(d.date) if d.date is not None else "chưa xác định"
