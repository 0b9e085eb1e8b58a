"""What the demo reads back from the database to tell the story: states, outbox rows by kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlmodel import Session, select

from dtiflow.demo.account import kinds_text
from dtiflow.demo.scenario import CyclePlan, UnitPlan
from store.outbox import OutboxMessage


class Readback:
    def __init__(self, app) -> None:
        self.app = app

    def received(self, plan: CyclePlan) -> list[UnitPlan]:
        with self.app.services.uow() as uow:
            states = {s.unit_code: s.state for s in uow.sheets.list(plan.cycle_id)}
        return [u for u in plan.units if states.get(u.code) not in (None, "not_started", "draft", "not_evaluated")]

    def cycle_states(self) -> dict[str, str]:
        with self.app.services.uow() as uow:
            return {c.id: c.state for c in uow.cycles.list()}

    def sheet_counts(self, cycle_id: str) -> Counter:
        with self.app.services.uow() as uow:
            return Counter(s.state for s in uow.sheets.list(cycle_id))

    def queued_at(self, now: dt.datetime) -> dict[str, dict[str, int]]:
        return self.outbox_at(OutboxMessage.created_at, now)

    def outbox_at(self, column, now: dt.datetime) -> dict[str, dict[str, int]]:
        """Outbox rows by cycle and kind whose `column` (created_at, sent_at) is `now`."""
        with Session(self.app.engine) as session:
            rows = session.exec(select(OutboxMessage.cycle_id, OutboxMessage.kind).where(column == now)).all()
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for cycle_id, kind in rows:
            out[cycle_id][kind] = out[cycle_id].get(kind, 0) + 1
        return dict(out)

    def tick_text(self, cycle_id: str, before: str | None, after: str | None, queued: dict[str, int]) -> str:
        parts = []
        if before != after and after in ("locked", "scored"):
            counts = self.sheet_counts(cycle_id)
            late = self.late_count(cycle_id)
            parts.append(f"Khóa nhận phiếu: {counts.get('locked', 0)} phiếu khóa ({late} gửi trễ), "
                         f"{counts.get('not_evaluated', 0)} đơn vị không được đánh giá")
            if after == "scored":
                parts.append(f"chấm điểm tự động {counts.get('locked', 0)} phiếu theo mẫu phiếu đã ghim")
        elif before != after and after:
            parts.append(f"kỳ chuyển sang: {_state_vi(after)}")
        if queued:
            parts.append(f"xếp hàng thư: {kinds_text(queued)}")
        return "; ".join(parts) or "không có việc đến hạn"

    def late_count(self, cycle_id: str) -> int:
        with self.app.services.uow() as uow:
            return sum(1 for s in uow.sheets.list(cycle_id) if s.late)


def _state_vi(state: str) -> str:
    from domain.cycle import CYCLE_STATE_LABELS_VI, CycleState

    try:
        return CYCLE_STATE_LABELS_VI[CycleState(state)].lower()
    except (KeyError, ValueError):
        return state
