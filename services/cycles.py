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
from domain.cycle import CycleState, CycleTrigger
from domain.events import (
    CycleCancelled,
    CycleOpened,
    DeadlineExtended,
    NoticeIssued,
    SheetReopened,
    StageReopened,
)
from domain.instants import local_date, require_aware
from domain.regime import YearNotCovered
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
from services.errors import InvalidRequest
from services.lock import TICK, advance, count_transitions, lock_cycle  # noqa: F401  (all cycle commands here)
from services.runner import Tx, run_command
from store.cycle_rows import CycleRow, MilestoneRow

VERIFICATION_STATES = frozenset({SheetState.EXPLANATION_REQUESTED, SheetState.EXPLAINED, SheetState.VERIFIED})
PROVINCE = "province"  # the owner of province-run cycles; a district's unit code owns its communes'


def cycle_id_for(regime_id: str, year: int, owner: str, level: str | None) -> str:
    parts = [regime_id, str(year)]
    if owner != PROVINCE:
        parts.append(owner)
    if level:
        parts.append(level)
    return "-".join(parts)


def open_cycle(services: Services, *, actor_id: str, regime_id: str, year: int, facts: Mapping[str, dt.date],
               owner: str = PROVINCE, level: str | None = None, cycle_id: str | None = None,
               reference_date: dt.date | None = None, key: str | None = None) -> dict[str, Any]:
    """Pin the regime, rubric and calendar versions, compute and store each group's timeline,
    enrol the units of the regime's groups valid on the reference date (by default the notice's
    date, else the day it opens: domain.units), and issue the notice when its date is known."""
    params = {"regime_id": regime_id, "year": year, "facts": {k: iso(v) for k, v in sorted(facts.items())},
              "owner": owner, "level": level, "cycle_id": cycle_id}
    if reference_date is not None:
        params["reference_date"] = iso(reference_date)

    def body(tx: Tx) -> dict[str, Any]:
        tx.authorize(owner)
        regime = services.load_regime(regime_id)
        try:
            regime.check_year(year)
        except YearNotCovered as exc:
            raise InvalidRequest(str(exc)) from None
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
        on = reference_date or facts.get("notice") or local_date(tx.now())
        for g in groups:
            rubric = services.load_rubric(g.rubric_id)
            pinned[g.id] = {"rubric_id": g.rubric_id, "fingerprint": rubric_fingerprint(rubric)}
            milestones += milestone_rows(cid, regime, year, g.id, facts, calendar)
            units = tx.uow.units.list(kinds=list(g.unit_kinds), parent=None if owner == PROVINCE else owner,
                                      valid_on=on)
            sheets += [{"cycle_id": cid, "unit_code": u.code, "group_id": g.id, "rubric_id": g.rubric_id,
                        "state": SheetState.NOT_STARTED.value, "late": False} for u in units]
        if not sheets:
            raise InvalidRequest(f"không có đơn vị nào trong danh mục thuộc các nhóm {', '.join(g.id for g in groups)} "
                                 f"còn hiệu lực ngày {on.strftime('%d/%m/%Y')}: hãy nhập danh mục đơn vị trước "
                                 f"(dtiflow units import)")
        row = CycleRow(id=cid, regime_id=regime.id, regime_version=regime.version, rubric_versions=pinned, year=year,
                       owner=owner, calendar_version=calendar.version, state=CycleState.DRAFT.value,
                       notice_date=facts.get("notice"), facts={k: iso(v) for k, v in facts.items()},
                       reference_date=on, opened_at=tx.now(), opened_by=tx.actor_id)
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
                "reference_date": iso(on),
                "submission_due": iso(due), "acceptance_end": iso(end), "calendar_version": calendar.version,
                "rubrics": pinned}

    return run_command(services, Command.OPEN_CYCLE, actor_id=actor_id, key=key, params=params, body=body)


def milestone_rows(cycle_id: str, regime, year: int, group_id: str, facts: Mapping[str, dt.date], calendar):
    """One group's timeline as rows to store (opening, a late notice, a changed calendar)."""
    timeline = compute_timeline(regime, year, group_id, dict(facts), calendar, calendar.version)
    return [MilestoneRow(cycle_id=cycle_id, group_id=group_id, milestone_id=m.id, name=m.name, kind=str(m.kind),
                         date=m.date, closes_at=m.closes_at, rule=m.rule, estimated=m.estimated,
                         roles=",".join(sorted(str(r) for r in m.roles)))
            for m in timeline.milestones]


def issue_notice(services: Services, *, actor_id: str, cycle_id: str, notice_date: dt.date,
                 key: str | None = None) -> dict[str, Any]:
    """Issue the notice of a cycle opened without one: the timeline is recomputed with the
    notice's date (Decision 265 Art. 6: "within 15 days of the notice") on the calendar the
    cycle pinned, and the cycle moves draft -> open."""
    params = {"cycle_id": cycle_id, "notice_date": iso(notice_date)}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        regime = services.load_regime(cycle.regime_id)
        calendar = services.load_calendar()
        if calendar.version != cycle.calendar_version:
            raise InvalidRequest(f"lịch làm việc đã đổi từ phiên bản {cycle.calendar_version} sang {calendar.version}: "
                                 f"tính lại thời hạn cần một thao tác riêng (có ghi nhật ký)")
        facts = {k: dt.date.fromisoformat(v) for k, v in cycle.facts.items()}
        facts["notice"] = notice_date
        rows = [r for g in sorted(cycle.rubric_versions) for r in
                milestone_rows(cycle_id, regime, cycle.year, g, facts, calendar)]
        tx.uow.cycles.replace_milestones(cycle_id, rows)
        tx.uow.cycles.set_fields(cycle_id, notice_date=notice_date, facts={k: iso(v) for k, v in facts.items()})
        due, end = cycle_bounds(tx, cycle_id)
        if due is None:
            raise InvalidRequest(f"kỳ '{cycle_id}' vẫn chưa có hạn gửi phiếu sau khi có ngày thông báo")
        move_cycle(tx, cycle, CycleTrigger.ISSUE_NOTICE, NoticeIssued, notice_date=notice_date,
                   submission_due=due, acceptance_end=end)
        return {"cycle_id": cycle_id, "state": CycleState.OPEN.value, "notice_date": iso(notice_date),
                "submission_due": iso(due), "acceptance_end": iso(end)}

    return run_command(services, Command.OPEN_CYCLE, actor_id=actor_id, key=key, params=params, body=body)


def extend_deadline(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, until: dt.datetime,
                    reason: str, key: str | None = None) -> dict[str, Any]:
    """One unit gets more time (secretariat, with a reason, audited). The lock leaves its sheet
    open until then; the submission is judged against the extended instant."""
    require_aware(until, "extended_until")
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "until": iso(until), "reason": reason}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, share=True)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
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
