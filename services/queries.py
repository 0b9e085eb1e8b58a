"""Read-only views: a cycle's status table and its audit log (with the same role checks)."""

from __future__ import annotations

from typing import Any

from domain.authorization import Actor, Command, authorize
from files.store import FileNotStored
from services.common import cycle_bounds, iso
from services.config import Services
from services.errors import NotFound
from services.runner import Tx, load_actor


def _latest(rows, kind: str) -> dict[int, dict[str, float]]:
    """Per sheet, the latest round's points of one kind, by criterion (earlier rounds are kept
    in the table; a view shows the newest)."""
    by_sheet: dict[int, dict[int, dict[str, float]]] = {}
    for r in rows:
        if r.kind == kind:
            by_sheet.setdefault(r.sheet_id, {}).setdefault(r.round, {})[r.criterion_id] = r.points
    return {sid: rounds[max(rounds)] for sid, rounds in by_sheet.items()}


def _totals(rows) -> tuple[dict[int, float], dict[int, float]]:
    """Computed totals, and verified totals (a criterion the council did not re-score keeps its
    computed points, as in `domain.scoring`)."""
    computed, verified = _latest(rows, "computed"), _latest(rows, "verified")
    computed_totals = {sid: sum(points.values()) for sid, points in computed.items()}
    verified_totals = {sid: sum({**computed.get(sid, {}), **points}.values()) for sid, points in verified.items()}
    return computed_totals, verified_totals



def _cycle_for(uow, actor_id: str, cycle_id: str, command: Command, unit_code: str | None = None) -> tuple[Actor, Any]:
    """The person and the cycle, once the person is known and may read it (role, own unit)."""
    actor = load_actor(uow, actor_id)
    cycle = uow.cycles.get(cycle_id)
    if cycle is None:
        raise NotFound(f"không có kỳ đánh giá '{cycle_id}'")
    authorize(actor, command, cycle_owner=cycle.owner, unit_code=unit_code)
    return actor, cycle


def cycle_status(services: Services, *, actor_id: str, cycle_id: str, unit_code: str | None = None) -> dict[str, Any]:
    with services.uow() as uow:
        actor, cycle = _cycle_for(uow, actor_id, cycle_id, Command.VIEW_STATUS, unit_code=unit_code)
        units = {u.code: u for u in uow.units.list(include_inactive=True)}  # a closed cycle shows its units as they were
        scores = uow.scores.list(cycle_id=cycle_id)
        computed, verified = _totals(scores)
        tx = Tx(services, uow, Command.VIEW_STATUS, actor, None)
        due, end = cycle_bounds(tx, cycle_id)
        sheets = []
        for s in uow.sheets.list(cycle_id):
            if unit_code is not None and s.unit_code != unit_code:
                continue
            sheets.append({"unit_code": s.unit_code, "name": units[s.unit_code].name if s.unit_code in units else "",
                           "group": s.group_id, "state": s.state, "late": s.late, "received_at": iso(s.received_at),
                           "extended_until": iso(s.extended_until), "computed_total": computed.get(s.id),
                           "verified_total": verified.get(s.id)})
        milestones = [{"group": m.group_id, "id": m.milestone_id, "name": m.name, "date": iso(m.date),
                       "closes_at": iso(m.closes_at), "roles": m.roles, "estimated": m.estimated}
                      for m in uow.cycles.milestones(cycle_id)]
        return {"cycle_id": cycle.id, "regime_id": cycle.regime_id, "regime_version": cycle.regime_version,
                "year": cycle.year, "owner": cycle.owner, "state": cycle.state, "score_round": cycle.score_round,
                "calendar_version": cycle.calendar_version, "rubrics": cycle.rubric_versions,
                "submission_due": iso(due), "acceptance_end": iso(end), "sheets": sheets, "milestones": milestones}


def audit_log(services: Services, *, actor_id: str, cycle_id: str) -> list[dict[str, Any]]:
    with services.uow() as uow:
        _cycle_for(uow, actor_id, cycle_id, Command.VIEW_AUDIT)
        return [{"id": r.id, "at": iso(r.at), "actor": r.actor_id, "role": r.role, "command": r.command,
                 "event": r.event, "unit_code": r.unit_code, "from": r.from_state, "to": r.to_state,
                 "reason": r.reason, "details": r.details} for r in uow.audit.list(cycle_id)]


def sheet_detail(services: Services, *, actor_id: str, cycle_id: str, unit_code: str) -> dict[str, Any]:
    """One unit's sheet: state, answers, evidence, explanation requests, and every score row
    (self, computed, verified; each round kept) by criterion. The unit's own people may see it."""
    with services.uow() as uow:
        _cycle_for(uow, actor_id, cycle_id, Command.VIEW_STATUS, unit_code=unit_code)
        sheet = uow.sheets.get(cycle_id, unit_code)
        if sheet is None:
            raise NotFound(f"đơn vị '{unit_code}' không tham gia kỳ đánh giá '{cycle_id}'")
        scores: dict[str, list[dict[str, Any]]] = {}
        for r in uow.scores.list(sheet_id=sheet.id):
            scores.setdefault(r.criterion_id, []).append(
                {"kind": r.kind, "round": r.round, "points": r.points, "max": r.max_points,
                 "explanation": r.explanation, "by": r.recorded_by, "at": iso(r.recorded_at)})
        return {
            "cycle_id": cycle_id, "unit_code": unit_code, "group": sheet.group_id, "rubric_id": sheet.rubric_id,
            "state": sheet.state, "late": sheet.late, "received_at": iso(sheet.received_at),
            "submitted_by": sheet.submitted_by, "extended_until": iso(sheet.extended_until),
            "extension_reason": sheet.extension_reason,
            "answers": {a.criterion_id: a.data for a in uow.answers.list(sheet.id)},
            "evidence": [_evidence_json(e) for e in uow.evidence.list(sheet.id)],
            "explanations": [{"id": x.id, "criterion_id": x.criterion_id, "question": x.question, "due": iso(x.due_at),
                              "answer": x.answer, "answered_at": iso(x.answered_at)}
                             for x in uow.explanations.list(cycle_id) if x.sheet_id == sheet.id],
            "scores": scores,
        }


def _evidence_json(e) -> dict[str, Any]:
    return {"criterion_id": e.criterion_id, "file_name": e.file_name, "size_bytes": e.size_bytes,
            "sha256": e.sha256, "media_type": e.media_type, "added_by": e.added_by, "added_at": iso(e.added_at)}


def open_evidence(services: Services, *, actor_id: str, cycle_id: str, unit_code: str,
                  sha256: str) -> tuple[dict[str, Any], Any]:
    """One evidence file of a unit's sheet, for a download: its record (label, kind, size) and
    its bytes open for reading, only for a reader who may see that sheet (the same grant as
    `sheet_detail`). The portal serves it as an attachment under its label, with its kind; the
    caller closes the stream. NotFound when the sheet has no file with this address."""
    with services.uow() as uow:
        _cycle_for(uow, actor_id, cycle_id, Command.VIEW_STATUS, unit_code=unit_code)
        sheet = uow.sheets.get(cycle_id, unit_code)
        row = next((e for e in uow.evidence.list(sheet.id) if e.sha256 == sha256), None) if sheet else None
        if row is None:
            raise NotFound(f"phiếu của '{unit_code}' trong kỳ '{cycle_id}' không có tệp minh chứng {sha256}")
        meta = _evidence_json(row)
    if services.files is None:
        raise NotFound("chưa cấu hình kho tệp (DTIFLOW_FILES_DIR)")
    try:
        return meta, services.files.open(sha256)
    except FileNotStored:
        raise NotFound(f"tệp minh chứng {sha256} không còn trong kho tệp") from None
