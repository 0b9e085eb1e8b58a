"""The secretariat's cycle commands: open, extend one unit, lock, reopen, cancel; and the
time-driven moves the tick performs (`advance`).

Legal basis: Decision 1867/QĐ-UBND Art. 8 (Bình Thuận 2019: notice, sheets before 15/9, late
sheets for 5 working days, then not evaluated); Decision 265/QĐ-UBND Art. 6 (2023: a district
runs its communes' cycle).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from domain.authorization import Command
from domain.cycle import CycleState, CycleTrigger, next_cycle_state
from domain.events import (
    CycleCancelled,
    CycleOpened,
    DeadlineExtended,
    NoticeIssued,
    SheetReopened,
    StageReopened,
)
from domain.instants import format_closing_vi, format_date_vi, local_date, require_aware
from domain.regime import FromFact, Role, YearNotCovered
from domain.sheet import SheetState, SheetTrigger
from domain.timeline import compute_timeline
from domain.timeline_checks import fact_problems, missing_for_notice, order_problems, passed_deadlines
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
CYCLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def cycle_id_for(regime_id: str, year: int, owner: str, level: str | None) -> str:
    parts = [regime_id, str(year)]
    if owner != PROVINCE:
        parts.append(owner)
    if level:
        parts.append(level)
    return "-".join(parts)


def open_cycle(services: Services, *, actor_id: str, regime_id: str, year: int, facts: Mapping[str, dt.date],
               owner: str = PROVINCE, level: str | None = None, cycle_id: str | None = None,
               reference_date: dt.date | None = None, key: str | None = None,
               notice_ref: str | None = None) -> dict[str, Any]:
    """Pin the regime, rubric and calendar versions, compute and store each group's timeline,
    enrol the units of the regime's groups valid on the reference date (by default the notice's
    date, else the day it opens: domain.units), and issue the notice when its date is known.

    `facts["notice"]` is the notice letter's date whatever the regime calls it (the survey's
    receipt in Decision 2392); `notice_ref` is the letter's number ("697/STTTT-CNTT"), quoted
    in the notice e-mail. Every date is checked first (`domain.timeline_checks`): within a year
    of the cycle's year, stages in order, and no notice for a deadline already past."""
    params = {"regime_id": regime_id, "year": year, "facts": {k: iso(v) for k, v in sorted(facts.items())},
              "owner": owner, "level": level, "cycle_id": cycle_id, "notice_ref": notice_ref}
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
        given = _with_notice_fact(regime, facts)
        notice_id = notice_fact_id(regime)
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
        cid = cycle_id if cycle_id is not None else cycle_id_for(regime_id, year, owner, level)
        check_cycle_id(cid)
        if tx.uow.cycles.get(cid) is not None:
            raise InvalidRequest(f"kỳ đánh giá '{cid}' đã tồn tại")
        timelines = {g.id: compute_timeline(regime, year, g.id, dict(given), calendar, calendar.version)
                     for g in groups}
        check_timelines(regime, year, given, timelines.values(), tx.now() if notice_id in given else None)
        pinned, milestones, sheets = {}, [], []
        on = reference_date or given.get(notice_id) or local_date(tx.now())
        for g in groups:
            rubric = services.load_rubric(g.rubric_id)
            pinned[g.id] = {"rubric_id": g.rubric_id, "fingerprint": rubric_fingerprint(rubric)}
            milestones += _rows(cid, g.id, timelines[g.id])
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
                       notice_date=given.get(notice_id), facts={k: iso(v) for k, v in given.items()},
                       reference_date=on, opened_at=tx.now(), opened_by=tx.actor_id)
        tx.uow.cycles.add(row, milestones)
        tx.uow.sheets.add_many(sheets)
        rubric_summary = ";".join(f"{k}={v['rubric_id']}@{v['fingerprint']}" for k, v in sorted(pinned.items()))
        tx.emit(tx.event(CycleOpened, cycle_id=cid, to_state=row.state, owner=owner, year=year, regime_id=regime.id,
                         regime_version=str(regime.version), rubric_version=rubric_summary, level=level),
                notify=False)
        due, end = cycle_bounds(tx, cid)
        state = row.state
        if notice_id in given and due is not None:
            move_cycle(tx, row, CycleTrigger.ISSUE_NOTICE, NoticeIssued, notice_date=given[notice_id],
                       submission_due=due, acceptance_end=end, notice_ref=notice_ref)
            state = CycleState.OPEN.value
        missing = [m.name for t in timelines.values() for m in missing_for_notice(t)]
        return {"cycle_id": cid, "state": state, "units": len(sheets), "groups": [g.id for g in groups],
                "reference_date": iso(on),
                "submission_due": iso(due), "acceptance_end": iso(end), "calendar_version": calendar.version,
                "rubrics": pinned, "notice_fact": notice_id, "missing_facts": sorted(set(missing)),
                "notice_ref": notice_ref}

    return run_command(services, Command.OPEN_CYCLE, actor_id=actor_id, key=key, params=params, body=body)


def notice_fact_id(regime) -> str:
    """The fact that dates the notice: the one the regime's notice milestone is dated from (the
    survey's receipt in Decision 2392), else the fact whose role is the notice."""
    for m in regime.milestones:
        if Role.NOTICE in m.roles and isinstance(m.rule, FromFact):
            return m.rule.fact
    fact = regime.fact_with_role("notice")
    return fact.id if fact is not None else "notice"


def _with_notice_fact(regime, facts: Mapping[str, dt.date]) -> dict[str, dt.date]:
    """`facts` with the generic 'notice' key renamed to the regime's own notice fact."""
    out = dict(facts)
    notice_id = notice_fact_id(regime)
    if "notice" in out and notice_id != "notice":
        day = out.pop("notice")
        if notice_id in out and out[notice_id] != day:
            raise InvalidRequest(f"ngày thông báo ({format_date_vi(day)}) và {notice_id} "
                                 f"({format_date_vi(out[notice_id])}) khác nhau")
        out[notice_id] = day
    return out


def check_timelines(regime, year: int, facts: Mapping[str, dt.date], timelines, now: dt.datetime | None) -> None:
    """Refuse impossible dates, naming each (`domain.timeline_checks`); with `now` (the notice is
    being issued), also a notice whose deadlines are missing or already past."""
    names = {f.id: f.name for f in regime.facts} | {m.id: m.name for m in regime.milestones}
    problems = fact_problems(facts, year, names)
    missing: list[str] = []
    passed: list[str] = []
    for t in timelines:
        problems += [p for p in order_problems(t) if p not in problems]
        if now is not None:
            missing += [f"{m.id} ({m.name})" for m in missing_for_notice(t) if f"{m.id} ({m.name})" not in missing]
            passed += [p for p in passed_deadlines(t, now) if p not in passed]
    if problems:
        raise InvalidRequest("ngày không hợp lệ: " + "; ".join(problems))
    if missing:
        hint = " ".join(f"--fact {m.split(' ')[0]}=dd/mm/yyyy" for m in missing)
        raise InvalidRequest(f"chưa thể gửi thông báo: chế độ {regime.id} cần ngày của {', '.join(missing)}, "
                             f"do Cơ quan thường trực ấn định khi mở kỳ ({hint})")
    if passed:
        raise InvalidRequest(f"các mốc sau đã qua: {'; '.join(passed)}; không gửi thông báo cho thời hạn đã qua "
                             f"(kiểm tra lại năm và ngày thông báo)")


def check_cycle_id(cycle_id: str) -> None:
    """A cycle id is a slug: it appears in file names, URLs and e-mail keys."""
    if not CYCLE_ID.fullmatch(cycle_id):
        raise InvalidRequest(f"mã kỳ đánh giá '{cycle_id}' không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, "
                             f"dấu gạch ngang, dấu chấm hoặc gạch dưới (tối đa 100 ký tự), bắt đầu bằng chữ hoặc số")


def _rows(cycle_id: str, group_id: str, timeline) -> list[MilestoneRow]:
    return [MilestoneRow(cycle_id=cycle_id, group_id=group_id, milestone_id=m.id, name=m.name, kind=str(m.kind),
                         date=m.date, closes_at=m.closes_at, rule=m.rule, estimated=m.estimated,
                         roles=",".join(sorted(str(r) for r in m.roles)))
            for m in timeline.milestones]


def milestone_rows(cycle_id: str, regime, year: int, group_id: str, facts: Mapping[str, dt.date], calendar):
    """One group's timeline as rows to store (opening, a late notice, a changed calendar)."""
    timeline = compute_timeline(regime, year, group_id, dict(facts), calendar, calendar.version)
    return [MilestoneRow(cycle_id=cycle_id, group_id=group_id, milestone_id=m.id, name=m.name, kind=str(m.kind),
                         date=m.date, closes_at=m.closes_at, rule=m.rule, estimated=m.estimated,
                         roles=",".join(sorted(str(r) for r in m.roles)))
            for m in timeline.milestones]


def issue_notice(services: Services, *, actor_id: str, cycle_id: str, notice_date: dt.date,
                 key: str | None = None, notice_ref: str | None = None) -> dict[str, Any]:
    """Issue the notice of a cycle opened without one: the timeline is recomputed with the
    notice's date (Decision 265 Art. 6: "within 15 days of the notice") on the calendar the
    cycle pinned, and the cycle moves draft -> open. The dates are checked as at opening."""
    params = {"cycle_id": cycle_id, "notice_date": iso(notice_date), "notice_ref": notice_ref}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        regime = services.load_regime(cycle.regime_id)
        calendar = services.load_calendar()
        if calendar.version != cycle.calendar_version:
            raise InvalidRequest(f"lịch làm việc đã đổi từ phiên bản {cycle.calendar_version} sang {calendar.version}: "
                                 f"tính lại thời hạn cần một thao tác riêng (có ghi nhật ký)")
        if cycle.state != CycleState.DRAFT:  # refused by the state machine, before any date is checked
            next_cycle_state(cycle.state, CycleTrigger.ISSUE_NOTICE)
        facts = {k: dt.date.fromisoformat(v) for k, v in cycle.facts.items()}
        facts[notice_fact_id(regime)] = notice_date
        timelines = {g: compute_timeline(regime, cycle.year, g, dict(facts), calendar, calendar.version)
                     for g in sorted(cycle.rubric_versions)}
        check_timelines(regime, cycle.year, facts, timelines.values(), tx.now())
        rows = [r for g, t in timelines.items() for r in _rows(cycle_id, g, t)]
        tx.uow.cycles.replace_milestones(cycle_id, rows)
        tx.uow.cycles.set_fields(cycle_id, notice_date=notice_date, facts={k: iso(v) for k, v in facts.items()})
        due, end = cycle_bounds(tx, cycle_id)
        move_cycle(tx, cycle, CycleTrigger.ISSUE_NOTICE, NoticeIssued, notice_date=notice_date,
                   submission_due=due, acceptance_end=end, notice_ref=notice_ref)
        return {"cycle_id": cycle_id, "state": CycleState.OPEN.value, "notice_date": iso(notice_date),
                "submission_due": iso(due), "acceptance_end": iso(end), "notice_ref": notice_ref}

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
        _check_extension_bounds(tx, cycle, sheet, until, window)
        if until <= window.submission_due:
            raise InvalidRequest(f"hạn gia hạn {format_closing_vi(until)} phải sau hạn gửi phiếu "
                                 f"{format_closing_vi(window.submission_due)}")
        if tx.now() >= window.end:
            raise InvalidRequest(f"đã hết thời hạn nhận phiếu của '{unit_code}' ({format_closing_vi(window.end)}): không gia hạn sau khi đã hết hạn")
        tx.uow.sheets.set_fields(sheet.id, extended_until=until, extension_reason=reason.strip())
        tx.emit(tx.event(DeadlineExtended, cycle_id=cycle_id, unit_code=unit_code, reason=reason.strip(),
                         previous_due=window.due, extended_until=until))
        return {"cycle_id": cycle_id, "unit_code": unit_code, "extended_until": iso(until), "previous_due": iso(window.due)}

    return run_command(services, Command.EXTEND_DEADLINE, actor_id=actor_id, key=key, params=params, body=body)


def _check_extension_bounds(tx: Tx, cycle, sheet, until: dt.datetime, window) -> None:
    """An extension ends on a day the working-day calendar covers, and before the cycle's next
    stage after the acceptance end (the preliminary report, the verification...): the sheet
    must be in before the secretariat works on the results (Decision 1867 Art. 8)."""
    last_day = local_date(until - dt.timedelta(microseconds=1))
    calendar = tx.services.load_calendar()
    if not calendar.first_year <= last_day.year <= calendar.last_year:
        raise InvalidRequest(f"hạn gia hạn {format_closing_vi(until)} nằm ngoài lịch làm việc "
                             f"({calendar.first_year}–{calendar.last_year})")
    later = sorted((m for m in tx.uow.cycles.milestones(cycle.id, sheet.group_id)
                    if m.closes_at is not None and m.closes_at > window.end), key=lambda m: m.closes_at)
    if later and until > later[0].closes_at:
        raise InvalidRequest(f"hạn gia hạn {format_closing_vi(until)} quá mốc tiếp theo của kỳ đánh giá: "
                             f"{later[0].name} ({format_closing_vi(later[0].closes_at)})")
    if not later and last_day.year > cycle.year + 1:
        raise InvalidRequest(f"hạn gia hạn {format_closing_vi(until)} không thuộc kỳ đánh giá năm {cycle.year}")


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
