"""Scoring and verification: the secretariat scores (preliminary), asks for explanations, the
unit answers, the council records the verified points.

Decision 1867/QĐ-UBND Art. 8.2 and Art. 9 (summary to the council, field verification);
Decision 265/QĐ-UBND Art. 6(1)(d) (the secretariat asks for explanations where figures look
wrong). Score rows are versioned by the cycle's score round and never updated.
"""

from __future__ import annotations

import math

from typing import Any, Mapping

from domain.authorization import Command
from domain.cycle import CycleState, CycleTrigger
from domain.events import ExplanationGiven, ExplanationRequested, SheetsScored, VerificationRecorded, VerificationStarted
from domain.instants import end_of_local_day, format_moment_vi, local_date
from domain.limits import MAX_TOTAL_UNSTATED, points_cap
from domain.scoring_text import num
from domain.scoring import score_sheet
from domain.scoring_text import num
from domain.sheet import SheetState, SheetTrigger, is_received
from services.common import get_cycle, get_sheet, iso, move_cycle, move_sheet, rubric_fingerprint
from services.config import Services
from services.errors import InvalidRequest, NotFound
from services.runner import Tx, run_command
from store.answer_codec import sheet_answers
from store.cycle_rows import ExplanationRow


def _pinned_rubric(tx: Tx, cycle, group_id: str):
    pinned = cycle.rubric_versions.get(group_id)
    if pinned is None:
        raise InvalidRequest(f"kỳ '{cycle.id}' không ghi nhận mẫu phiếu của nhóm {group_id}")
    rubric = tx.services.load_rubric(pinned["rubric_id"])
    if rubric_fingerprint(rubric) != pinned["fingerprint"]:
        # A rubric edit must not rescore a cycle opened under another version (docs/decisions/0003-rules-are-data.md).
        raise InvalidRequest(f"mẫu phiếu '{pinned['rubric_id']}' đã thay đổi kể từ khi mở kỳ '{cycle.id}' "
                             f"({pinned['fingerprint']} -> {rubric_fingerprint(rubric)}): không chấm lại bằng mẫu khác")
    return rubric


def score_cycle(services: Services, *, actor_id: str | None, cycle_id: str, key: str | None = None) -> dict[str, Any]:
    """Compute every received sheet with its pinned rubric; write self and computed points of
    the current score round; the cycle moves locked -> scored."""

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        sheets = tx.uow.sheets.list(cycle_id)
        still_open = [s.unit_code for s in sheets if s.state in (SheetState.NOT_STARTED, SheetState.DRAFT,
                                                                  SheetState.SUBMITTED, SheetState.SUBMITTED_LATE)]
        if cycle.state == CycleState.LOCKED and still_open:
            raise InvalidRequest(f"còn phiếu chưa khóa (đơn vị được gia hạn): {', '.join(still_open)}")
        rubrics = {group: _pinned_rubric(tx, cycle, group) for group in sorted(cycle.rubric_versions)}
        rows, totals, now = [], {}, tx.now()
        for s in sheets:
            if not is_received(s.state):
                continue
            rubric = rubrics[s.group_id]
            scored = score_sheet(rubric, sheet_answers(s.unit_code, s.group_id, s.rubric_id, tx.uow.answers.list(s.id)))
            totals[s.unit_code] = scored.total
            for c in scored.criteria:
                base = {"cycle_id": cycle_id, "sheet_id": s.id, "criterion_id": c.criterion_id, "round": cycle.score_round,
                        "max_points": c.max, "recorded_by": tx.actor_id or cycle.opened_by, "recorded_at": now}
                rows.append({**base, "kind": "computed", "points": c.points, "explanation": c.explanation})
                if c.self_points is not None:
                    rows.append({**base, "kind": "self", "points": c.self_points, "explanation": ""})
        move_cycle(tx, cycle, CycleTrigger.SCORE, SheetsScored, unit_codes=tuple(sorted(totals)),
                   rubric_version=";".join(f"{g}={p['fingerprint']}" for g, p in sorted(cycle.rubric_versions.items())))
        tx.uow.scores.add_many(rows)
        return {"cycle_id": cycle_id, "state": CycleState.SCORED.value, "round": cycle.score_round,
                "totals": dict(sorted(totals.items()))}

    return run_command(services, Command.SCORE, actor_id=actor_id, key=key, params={"cycle_id": cycle_id}, body=body)


def _enter_verification(tx: Tx, cycle) -> None:
    if cycle.state == CycleState.SCORED:
        move_cycle(tx, cycle, CycleTrigger.START_VERIFICATION, VerificationStarted)
    elif cycle.state != CycleState.VERIFICATION:
        raise InvalidRequest(f"kỳ '{cycle.id}' đang ở trạng thái '{cycle.state}': chưa/không còn ở giai đoạn thẩm định")


def request_explanation(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, question: str,
                        criterion_id: str | None = None, key: str | None = None) -> dict[str, Any]:
    """Ask the unit to explain; its deadline is the regime's working days, end of that day."""
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "question": question, "criterion_id": criterion_id}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
        if not question or not question.strip():
            raise InvalidRequest("yêu cầu giải trình cần nội dung câu hỏi")
        if criterion_id is not None and _pinned_rubric(tx, cycle, sheet.group_id).criterion(criterion_id) is None:
            raise InvalidRequest(f"mẫu phiếu '{sheet.rubric_id}' không có tiêu chí '{criterion_id}'")
        _enter_verification(tx, cycle)
        regime = tx.services.load_regime(cycle.regime_id)
        calendar = tx.services.load_calendar()
        now = tx.now()
        due = end_of_local_day(calendar.add_working_days(local_date(now), regime.explanation_working_days))
        row = tx.uow.explanations.add(ExplanationRow(cycle_id=cycle_id, sheet_id=sheet.id, criterion_id=criterion_id,
                                                     question=question.strip(), requested_by=tx.actor_id,
                                                     requested_at=now, due_at=due))
        move_sheet(tx, cycle_id, sheet, SheetTrigger.REQUEST_EXPLANATION, ExplanationRequested,
                   request_id=str(row.id), criterion_ids=(criterion_id,) if criterion_id else (),
                   question=question.strip(), due=due)
        return {"cycle_id": cycle_id, "unit_code": unit_code, "request_id": row.id, "due": iso(due),
                "state": SheetState.EXPLANATION_REQUESTED.value}

    return run_command(services, Command.REQUEST_EXPLANATION, actor_id=actor_id, key=key, params=params, body=body)


def answer_explanation(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, request_id: int,
                       answer: str, key: str | None = None) -> dict[str, Any]:
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "request_id": request_id, "answer": answer}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
        request = tx.uow.explanations.get(request_id)
        if request is None or request.sheet_id != sheet.id:
            raise NotFound(f"không có yêu cầu giải trình số {request_id} cho đơn vị '{unit_code}' trong kỳ '{cycle_id}'")
        if not answer or not answer.strip():
            raise InvalidRequest("nội dung giải trình trống")
        now = tx.now()
        if not tx.uow.explanations.answer(request_id, answer=answer.strip(), answered_by=tx.actor_id, answered_at=now):
            raise InvalidRequest(f"yêu cầu giải trình số {request_id} đã được trả lời")
        move_sheet(tx, cycle_id, sheet, SheetTrigger.EXPLAIN, ExplanationGiven, request_id=str(request_id),
                   answer=answer.strip())
        return {"cycle_id": cycle_id, "unit_code": unit_code, "request_id": request_id, "answered_at": iso(now),
                "late": now >= request.due_at, "state": SheetState.EXPLAINED.value}

    return run_command(services, Command.ANSWER_EXPLANATION, actor_id=actor_id, key=key, params=params, body=body)


def record_verification(services: Services, *, actor_id: str, cycle_id: str, unit_code: str,
                        points: Mapping[str, float], note: str = "", key: str | None = None) -> dict[str, Any]:
    """The council's verified points for some criteria (the others keep their computed points).
    The recorder is remembered: they cannot approve this cycle (four eyes)."""
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "points": dict(sorted(points.items())), "note": note}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
        _enter_verification(tx, cycle)
        earlier = tx.uow.scores.list(sheet_id=sheet.id, kind="verified", round=cycle.score_round)
        if earlier:
            raise InvalidRequest(
                f"kết quả thẩm định của {unit_code} ở vòng {cycle.score_round} đã được {earlier[0].recorded_by} ghi lúc "
                f"{format_moment_vi(earlier[0].recorded_at)}; không ghi đè. Muốn thẩm định lại, mở lại giai đoạn thẩm "
                f"định để sang vòng mới: dtiflow stage reopen {cycle_id} --to verification --reason \"...\"")
        rubric = _pinned_rubric(tx, cycle, sheet.group_id)
        for cid, value in points.items():
            criterion = rubric.criterion(cid)
            if criterion is None:
                raise InvalidRequest(f"mẫu phiếu '{sheet.rubric_id}' không có tiêu chí '{cid}'")
            # Finite and within the criterion's maximum, or the cap where the rubric states none
            # (domain.limits): infinity would be stored, summed and published.
            cap = points_cap(criterion.max)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not 0 <= value <= cap:
                raise InvalidRequest(f"điểm thẩm định của tiêu chí '{cid}' là {value}, phải là số từ 0 đến {num(cap)}"
                                     + ("" if criterion.max is not None else " (tiêu chí không ghi điểm tối đa)"))
        answers = sheet_answers(sheet.unit_code, sheet.group_id, sheet.rubric_id, tx.uow.answers.list(sheet.id))
        scored = score_sheet(rubric, answers, verified=dict(points))
        if rubric.max is None and (scored.verified_total or 0) > MAX_TOTAL_UNSTATED:
            raise InvalidRequest(f"tổng điểm thẩm định {num(scored.verified_total)} vượt giới hạn "
                                 f"{num(MAX_TOTAL_UNSTATED)} của phiếu không ghi điểm tối đa")
        now = tx.now()
        # One verified row per criterion: the council's points where it rescored, the computed
        # points it accepted elsewhere. Every row names the verifier (four eyes, store.schema).
        tx.uow.scores.add_many([
            {"cycle_id": cycle_id, "sheet_id": sheet.id, "criterion_id": c.criterion_id, "kind": "verified",
             "round": cycle.score_round, "points": float(points.get(c.criterion_id, c.points)), "max_points": c.max,
             "explanation": note if c.criterion_id in points else "Hội đồng chấp nhận điểm tính",
             "recorded_by": tx.actor_id, "recorded_at": now}
            for c in scored.criteria])
        move_sheet(tx, cycle_id, sheet, SheetTrigger.VERIFY, VerificationRecorded, criterion_ids=tuple(sorted(points)))
        total = scored.verified_total if scored.verified_total is not None else scored.total
        return {"cycle_id": cycle_id, "unit_code": unit_code, "round": cycle.score_round, "verified_total": total,
                "computed_total": scored.total, "state": SheetState.VERIFIED.value}

    return run_command(services, Command.RECORD_VERIFICATION, actor_id=actor_id, key=key, params=params, body=body)
