"""Reopening collection for named units: the secretariat's audited correction of a wrong lock.

When units were marked not evaluated by a move that should not have happened (a lock run too
early, a deadline computed on a wrong calendar, a document system that lost their sheets), the
secretariat gives those units, by name, a new deadline and a written reason. Their sheets go back
to "not started" with the new deadline as their own acceptance end (the same per-unit rule as an
extension: Decision 1867/QĐ-UBND Art. 8 counts a sheet against the deadline the unit was given);
a cycle already scored goes back to "locked", its score round bumped so the earlier scores stay.
The new deadline is the end of a working day (the cycle's calendar), after now, and before the
next dated stage of the cycle (the preliminary report, or verification), which it must not eat.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from domain.authorization import Command
from domain.cycle import CycleState, CycleTrigger
from domain.events import CollectionReopened, StageReopened
from domain.instants import as_local, end_of_local_day
from domain.sheet import SheetState, SheetTrigger
from services.common import (
    LOCK_ROLE,
    SUBMISSION_ROLE,
    get_cycle,
    get_sheet,
    iso,
    milestone_instants,
    move_cycle,
    move_sheet,
)
from services.config import Services
from services.errors import InvalidRequest
from services.runner import Tx, run_command

# Milestones that belong to collection itself; the first dated milestone after them is the stage
# a new deadline must leave room for.
_COLLECTION_ROLES = frozenset({"notice", "data_period_start", "data_period_end", SUBMISSION_ROLE, LOCK_ROLE})
REOPENABLE = frozenset({CycleState.LOCKED, CycleState.SCORED})


def _vi(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _next_stage(tx: Tx, cycle_id: str, group_id: str):
    """The first dated milestone of the group after its acceptance end that is not part of
    collection (None if the timeline has none)."""
    instants = milestone_instants(tx, cycle_id, group_id)
    end = instants.get(LOCK_ROLE, instants.get(SUBMISSION_ROLE))
    later = [m for m in tx.uow.cycles.milestones(cycle_id, group_id)
             if m.closes_at is not None and (end is None or m.closes_at > end)
             and not (set(filter(None, m.roles.split(","))) <= _COLLECTION_ROLES)]
    return min(later, key=lambda m: m.closes_at, default=None)


def reopen_collection(services: Services, *, actor_id: str, cycle_id: str, unit_codes: Sequence[str],
                      until: dt.date, reason: str, key: str | None = None) -> dict[str, Any]:
    units = list(dict.fromkeys(u.strip() for u in unit_codes if u and u.strip()))
    params = {"cycle_id": cycle_id, "units": units, "until": iso(until), "reason": reason}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, exclusive=True)
        if not units:
            raise InvalidRequest("cần nêu ít nhất một đơn vị được mở lại việc nhận phiếu (--unit)")
        sheets = [get_sheet(tx, cycle_id, code) for code in units]
        for sheet in sheets:
            tx.authorize(cycle.owner, sheet.unit_code)
        if not reason or not reason.strip():
            raise InvalidRequest("mở lại việc nhận phiếu cần ghi rõ lý do (--reason)")
        if cycle.state not in REOPENABLE:
            raise InvalidRequest(f"kỳ '{cycle_id}' đang ở trạng thái '{cycle.state}': chỉ mở lại việc nhận phiếu khi kỳ "
                                 f"đã khóa hoặc vừa chấm sơ bộ (mở lại giai đoạn về 'scored' trước: dtiflow stage reopen)")
        open_ = [s.unit_code for s in sheets if s.state in (SheetState.NOT_STARTED, SheetState.DRAFT)]
        if open_:
            raise InvalidRequest(f"phiếu của {', '.join(open_)} chưa bị đánh dấu không được đánh giá: "
                                 f"gia hạn bằng dtiflow unit extend")
        received = [f"{s.unit_code} ({s.state})" for s in sheets if s.state != SheetState.NOT_EVALUATED]
        if received:
            raise InvalidRequest(f"chỉ mở lại cho đơn vị bị đánh dấu không được đánh giá; đã nhận phiếu của: "
                                 f"{', '.join(received)}")
        calendar = services.load_calendar()
        if not calendar.is_working_day(until):
            raise InvalidRequest(f"hạn mới {_vi(until)} không phải ngày làm việc theo lịch "
                                 f"(ngày làm việc kế tiếp: {_vi(calendar.next_working_day(until))})")
        deadline = end_of_local_day(until)
        now = tx.now()
        if deadline <= now:
            raise InvalidRequest(f"hạn mới {_vi(until)} đã qua (bây giờ là {as_local(now):%d/%m/%Y %H:%M})")
        for sheet in sheets:
            nxt = _next_stage(tx, cycle_id, sheet.group_id)
            if nxt is not None and until >= (nxt.date or as_local(nxt.closes_at).date()):
                raise InvalidRequest(f"hạn mới {_vi(until)} phải trước ngày {_vi(nxt.date or as_local(nxt.closes_at).date())} "
                                     f"của mốc '{nxt.name}' (nhóm {sheet.group_id}): không lấn vào giai đoạn sau")
        before = cycle.state
        round_no = cycle.score_round
        if cycle.state == CycleState.SCORED:
            round_no += 1
            move_cycle(tx, cycle, CycleTrigger.REOPEN, StageReopened, reopen_to=CycleState.LOCKED.value,
                       reason=reason.strip(), fields={"score_round": round_no})
        for sheet in sheets:
            move_sheet(tx, cycle_id, sheet, SheetTrigger.REOPEN_COLLECTION, CollectionReopened, reason=reason.strip(),
                       fields={"extended_until": deadline, "extension_reason": reason.strip()},
                       extended_until=deadline, notify=False)
        return {"cycle_id": cycle_id, "from_state": before, "state": cycle.state, "score_round": round_no,
                "units": units, "until": iso(deadline), "reason": reason.strip()}

    return run_command(services, Command.EXTEND_DEADLINE, actor_id=actor_id, key=key, params=params, body=body)
