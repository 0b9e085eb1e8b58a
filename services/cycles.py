"""The secretariat's cycle commands: open, extend one unit, lock, reopen, cancel; and the
time-driven moves the tick performs (`advance`).

Legal basis: Decision 1867/QĐ-UBND Art. 8 (Bình Thuận 2019: notice, sheets before 15/9, late
sheets for 5 working days, then not evaluated); Decision 265/QĐ-UBND Art. 6 (2023: a district
runs its communes' cycle).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from domain.authorization import Command
from domain.cycle import CycleState, CycleTrigger, driver_of
from domain.events import (
    CollectionStarted,
    CycleCancelled,
    CycleLocked,
    CycleOpened,
    DeadlineExtended,
    NoticeIssued,
    SheetLocked,
    SheetNotEvaluated,
    SheetReopened,
    StageReopened,
    SubmissionsClosed,
)
from domain.instants import require_aware
from domain.sheet import SheetState, SheetTrigger
from domain.timeline import compute_timeline
from services.common import (
    cycle_bounds,
    get_cycle,
    get_sheet,
    iso,
    move_all_sheets,
    move_cycle,
    rubric_fingerprint,
    window_for,
)
from services.config import Services
from services.errors import InvalidRequest, NotFound
from services.runner import Tx, run_command
from store.cycle_rows import CycleRow, MilestoneRow

VERIFICATION_STATES = frozenset({SheetState.EXPLANATION_REQUESTED, SheetState.EXPLAINED, SheetState.VERIFIED})
PROVINCE = "province"
TICK = "tick"  # the audit's command name for time-driven moves (no person, no authorization)  # the owner of province-run cycles; a district's unit code owns its communes'


def cycle_id_for(regime_id: str, year: int, owner: str, level: str | None) -> str:
    parts = [regime_id, str(year)]
    if owner != PROVINCE:
        parts.append(owner)
    if level:
        parts.append(level)
    return "-".join(parts)


def open_cycle(services: Services, *, actor_id: str, regime_id: str, year: int, facts: Mapping[str, dt.date],
               owner: str = PROVINCE, level: str | None = None, cycle_id: str | None = None,
               key: str | None = None) -> dict[str, Any]:
    """Pin the regime, rubric and calendar versions, compute and store each group's timeline,
    enrol the units of the regime's groups, and issue the notice when its date is known."""
    params = {"regime_id": regime_id, "year": year, "facts": {k: iso(v) for k, v in sorted(facts.items())},
              "owner": owner, "level": level, "cycle_id": cycle_id}

    def body(tx: Tx) -> dict[str, Any]:
        tx.authorize(owner)
        regime = services.load_regime(regime_id)
        calendar = services.load_calendar()
        owner_kind = PROVINCE if owner == PROVINCE else "district"
        if owner != PROVINCE:
            district = tx.uow.units.get(owner)
            if district is None or district.kind != "district":
                raise InvalidRequest(f"chủ trì '{owner}' không phải một đơn vị cấp huyện trong danh mục")
        groups = [g for g in regime.groups if g.owner == owner_kind and (level is None or g.id == level)]
        if not groups:
            known = ", ".join(f"{g.id} ({g.owner})" for g in regime.groups)
            raise InvalidRequest(f"chế độ {regime_id} không có nhóm nào do '{owner_kind}' chủ trì"
                                 f"{' với nhóm ' + level if level else ''} (nhóm: {known})")
        cid = cycle_id or cycle_id_for(regime_id, year, owner, level)
        if tx.uow.cycles.get(cid) is not None:
            raise InvalidRequest(f"kỳ đánh giá '{cid}' đã tồn tại")
        pinned, milestones, sheets = {}, [], []
        for g in groups:
            rubric = services.load_rubric(g.rubric_id)
            pinned[g.id] = {"rubric_id": g.rubric_id, "fingerprint": rubric_fingerprint(rubric)}
            timeline = compute_timeline(regime, year, g.id, dict(facts), calendar, calendar.version)
            milestones += [MilestoneRow(cycle_id=cid, group_id=g.id, milestone_id=m.id, name=m.name,
                                        kind=str(m.kind), date=m.date, closes_at=m.closes_at, rule=m.rule,
                                        estimated=m.estimated, roles=",".join(sorted(str(r) for r in m.roles)))
                           for m in timeline.milestones]
            units = tx.uow.units.list(kinds=[g.unit_kind], parent=None if owner == PROVINCE else owner)
            sheets += [{"cycle_id": cid, "unit_code": u.code, "group_id": g.id, "rubric_id": g.rubric_id,
                        "state": SheetState.NOT_STARTED.value, "late": False} for u in units]
        if not sheets:
            raise InvalidRequest(f"không có đơn vị nào trong danh mục thuộc các nhóm {', '.join(g.id for g in groups)}: "
                                 f"hãy nhập danh mục đơn vị trước (dtiflow units import)")
        row = CycleRow(id=cid, regime_id=regime.id, regime_version=regime.version, rubric_versions=pinned, year=year,
                       owner=owner, calendar_version=calendar.version, state=CycleState.DRAFT.value,
                       notice_date=facts.get("notice"), facts={k: iso(v) for k, v in facts.items()},
                       opened_at=tx.now(), opened_by=tx.actor_id)
        tx.uow.cycles.add(row, milestones)
        tx.uow.sheets.add_many(sheets)
        rubric_summary = ";".join(f"{k}={v['rubric_id']}@{v['fingerprint']}" for k, v in sorted(pinned.items()))
        tx.emit(tx.event(CycleOpened, cycle_id=cid, to_state=row.state, owner=owner, year=year, regime_id=regime.id,
                         regime_version=str(regime.version), rubric_version=rubric_summary, level=level),
                notify=False)
        due, end = cycle_bounds(tx, cid)
        state = row.state
        if "notice" in facts and due is not None:
            move_cycle(tx, row, CycleTrigger.ISSUE_NOTICE, NoticeIssued, notice_date=facts["notice"],
                       submission_due=due, acceptance_end=end)
            state = CycleState.OPEN.value
        return {"cycle_id": cid, "state": state, "units": len(sheets), "groups": [g.id for g in groups],
                "submission_due": iso(due), "acceptance_end": iso(end), "calendar_version": calendar.version,
                "rubrics": pinned}

    return run_command(services, Command.OPEN_CYCLE, actor_id=actor_id, key=key, params=params, body=body)


def extend_deadline(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, until: dt.datetime,
                    reason: str, key: str | None = None) -> dict[str, Any]:
    """One unit gets more time (secretariat, with a reason, audited). The lock leaves its sheet
    open until then; the submission is judged against the extended instant."""
    require_aware(until, "extended_until")
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "until": iso(until), "reason": reason}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, share=True)
        sheet = get_sheet(tx, cycle_id, unit_code)
        tx.authorize(cycle.owner, unit_code)
        if not reason or not reason.strip():
            raise InvalidRequest("gia hạn cần ghi rõ lý do (--reason)")
        if sheet.state not in (SheetState.NOT_STARTED, SheetState.DRAFT):
            raise InvalidRequest(f"phiếu của '{unit_code}' đang ở trạng thái '{sheet.state}': chỉ gia hạn cho phiếu chưa gửi")
        window = window_for(tx, cycle_id, sheet)
        if until <= window.submission_due:
            raise InvalidRequest(f"hạn gia hạn {until.isoformat()} phải sau hạn gửi phiếu {window.submission_due.isoformat()}")
        if tx.now() >= window.end:
            raise InvalidRequest(f"đã hết thời hạn nhận phiếu của '{unit_code}' ({window.end.isoformat()}): không gia hạn sau khi đã hết hạn")
        tx.uow.sheets.set_fields(sheet.id, extended_until=until, extension_reason=reason.strip())
        tx.emit(tx.event(DeadlineExtended, cycle_id=cycle_id, unit_code=unit_code, reason=reason.strip(),
                         previous_due=window.due, extended_until=until))
        return {"cycle_id": cycle_id, "unit_code": unit_code, "extended_until": iso(until), "previous_due": iso(window.due)}

    return run_command(services, Command.EXTEND_DEADLINE, actor_id=actor_id, key=key, params=params, body=body)


def _catch_up(tx: Tx, cycle, *, lock: bool) -> list[str]:
    """Perform the time-driven moves that are due now, in order; returns the events' names
    (a sheet batch as 'SheetsLocked:<locked>:NotEvaluated:<not evaluated>')."""
    done: list[str] = []
    now = tx.now()
    due, end = cycle_bounds(tx, cycle.id)
    if cycle.state == CycleState.OPEN:
        move_cycle(tx, cycle, CycleTrigger.START_COLLECTING, CollectionStarted, submission_due=due)
        done.append("CollectionStarted")
    if cycle.state == CycleState.COLLECTING and due is not None and now >= due and end is not None and end > due:
        move_cycle(tx, cycle, CycleTrigger.CLOSE_SUBMISSIONS, SubmissionsClosed, acceptance_end=end)
        done.append("SubmissionsClosed")
    if lock and cycle.state in (CycleState.COLLECTING, CycleState.GRACE) and end is not None and now >= end:
        # The cycle row first: on PostgreSQL this UPDATE waits for every submission holding
        # FOR SHARE on it, and later submissions see the locked row (DESIGN decision 4).
        move_cycle(tx, cycle, CycleTrigger.LOCK, CycleLocked)
        done.append("CycleLocked")
    if lock and cycle.state == CycleState.LOCKED:
        locked = move_all_sheets(tx, cycle.id, SheetTrigger.LOCK, SheetLocked, unless_extended_after=now, notify=False)
        missing = move_all_sheets(tx, cycle.id, SheetTrigger.MARK_NOT_EVALUATED, SheetNotEvaluated,
                                  unless_extended_after=now, acceptance_end=end)
        if locked or missing:
            done.append(f"SheetsLocked:{len(locked)}:NotEvaluated:{len(missing)}")
    return done


def lock_cycle(services: Services, *, actor_id: str | None, cycle_id: str, key: str | None = None) -> dict[str, Any]:
    """Lock (idempotent): refused before the acceptance end; after it, moves the cycle to locked
    and every open sheet at once (received -> locked, never submitted -> not evaluated). A unit
    with an extension still running keeps its sheet open; a later lock catches it."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        _due, end = cycle_bounds(tx, cycle_id)
        if cycle.state in (CycleState.DRAFT, CycleState.CANCELLED):
            raise InvalidRequest(f"kỳ '{cycle_id}' đang ở trạng thái '{cycle.state}': không thể khóa")
        if end is None or tx.now() < end:
            raise InvalidRequest(f"chưa hết thời hạn nhận phiếu ({iso(end)}): không khóa sớm")
        before = cycle.state
        done = _catch_up(tx, cycle, lock=True)
        return _lock_result(tx, cycle_id, before, done)

    return run_command(services, Command.LOCK, actor_id=actor_id, key=key, params={"cycle_id": cycle_id}, body=body)


def _lock_result(tx: Tx, cycle_id: str, before: str, done: list[str]) -> dict[str, Any]:
    sheets = tx.uow.sheets.list(cycle_id)
    counts: dict[str, int] = {}
    for s in sheets:
        counts[s.state] = counts.get(s.state, 0) + 1
    cycle = tx.uow.cycles.get(cycle_id)
    return {"cycle_id": cycle_id, "from_state": before, "state": cycle.state, "moves": done,
            "transitions": count_transitions(done), "sheets": dict(sorted(counts.items())),
            "already_locked": not done}


def count_transitions(moves: list[str]) -> int:
    """Cycle moves count one each; a sheet batch counts its sheets."""
    total = 0
    for move in moves:
        parts = move.split(":")
        total += sum(int(p) for p in parts[1::2]) if len(parts) > 1 else 1
    return total


def advance(services: Services, *, cycle_id: str) -> dict[str, Any]:
    """The tick's entry point: do the time-driven moves that are due now (the regime says which
    moves are time-driven). Safe to call as often as you like: a move happens once."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        regime = tx.services.load_regime(cycle.regime_id)
        before = cycle.state
        lock = driver_of(CycleTrigger.LOCK, regime.stage_drivers) == "time"
        done = _catch_up(tx, cycle, lock=lock) if cycle.state not in (CycleState.DRAFT, CycleState.CANCELLED) else []
        return _lock_result(tx, cycle_id, before, done)

    return run_command(services, TICK, actor_id=None, key=None, params={"cycle_id": cycle_id}, body=body)


def reopen_stage(services: Services, *, actor_id: str, cycle_id: str, to_state: str, reason: str,
                 key: str | None = None) -> dict[str, Any]:
    """Reopen a stage with a reason. Scores are versioned: the cycle's score round goes up, so
    earlier score rows stay as they were and new ones are written beside them."""
    params = {"cycle_id": cycle_id, "to_state": to_state, "reason": reason}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        before = cycle.state
        move_cycle(tx, cycle, CycleTrigger.REOPEN, StageReopened, reopen_to=to_state, reason=reason,
                   fields={"score_round": cycle.score_round + 1})
        # A not-evaluated sheet stays so: reopening a stage does not reopen collection.
        reopened = move_all_sheets(tx, cycle_id, SheetTrigger.REOPEN, SheetReopened, reason=reason, notify=False,
                                   only_from=VERIFICATION_STATES)
        return {"cycle_id": cycle_id, "from_state": before, "state": to_state, "score_round": cycle.score_round + 1,
                "sheets_reopened": reopened, "reason": reason}

    return run_command(services, Command.REOPEN, actor_id=actor_id, key=key, params=params, body=body)


def cancel_cycle(services: Services, *, actor_id: str, cycle_id: str, reason: str, key: str | None = None) -> dict[str, Any]:
    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        before = cycle.state
        move_cycle(tx, cycle, CycleTrigger.CANCEL, CycleCancelled, reason=reason)
        return {"cycle_id": cycle_id, "from_state": before, "state": CycleState.CANCELLED.value, "reason": reason}

    return run_command(services, Command.CANCEL_CYCLE, actor_id=actor_id, key=key,
                       params={"cycle_id": cycle_id, "reason": reason}, body=body)
