"""A unit's commands on its own sheet: save a draft (focal person), confirm and submit (leader).

Decision 265/QĐ-UBND Art. 6(1)(b)(c): the focal person enters the data; the unit's leader
confirms and sends it. Decision 1867/QĐ-UBND Art. 8: on time before the due instant, late (and
flagged) within the grace period, refused after it. The decision is taken inside the submit's
own transaction, from the instants stored on the cycle and the server's time (decision record 0004).
"""

from __future__ import annotations

from typing import Any, Sequence

from domain.acceptance import Receipt, classify_receipt, sheet_trigger_for
from domain.answers import SheetAnswers
from domain.authorization import Command
from domain.events import DraftSaved, SheetRefused, SheetSubmitted
from domain.instants import format_closing_vi, local_date
from domain.timeline_checks import document_problems
from domain.sheet import SheetTrigger
from services.common import ACCEPTING, get_cycle, get_sheet, iso, move_sheet, window_for
from services.config import Services
from services.errors import InvalidRequest
from services.evidence import EvidenceFile
from services.runner import Tx, run_command
from store.answer_codec import answer_to_json
from store.cycle_rows import AnswerRow, EvidenceRow


def _check_open(cycle) -> None:
    if cycle.state not in ACCEPTING:
        raise InvalidRequest(f"kỳ đánh giá '{cycle.id}' đang ở trạng thái '{cycle.state}': không nhận phiếu")


def save_draft(services: Services, *, actor_id: str, cycle_id: str, unit_code: str, answers: SheetAnswers,
               evidence: Sequence[EvidenceFile] = (), key: str | None = None) -> dict[str, Any]:
    """Replace the draft's answers (the focal person; only before the sheet is sent) and add
    evidence files already kept in the file store (`services.evidence.store_uploads`): each for a
    criterion of the sheet's rubric, all of the sheet's files within `file_limits.max_sheet`."""
    payload = {cid: answer_to_json(a) for cid, a in sorted(answers.answers.items())}
    params = {"cycle_id": cycle_id, "unit_code": unit_code, "answers": payload,
              "evidence": [e.__dict__ for e in evidence]}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id, share=True)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
        _check_open(cycle)
        unit = tx.uow.units.get(unit_code)
        if answers.unit not in (unit_code, unit.name if unit else None):
            raise InvalidRequest(f"phiếu khai cho đơn vị '{answers.unit}', không phải '{unit_code}'"
                                 f"{' (' + unit.name + ')' if unit else ''}")
        if answers.group != sheet.group_id:
            raise InvalidRequest(f"phiếu khai cho nhóm '{answers.group}', đơn vị '{unit_code}' thuộc nhóm '{sheet.group_id}'")
        if answers.rubric_id != sheet.rubric_id:
            raise InvalidRequest(f"phiếu theo mẫu '{answers.rubric_id}', kỳ này đơn vị '{unit_code}' dùng mẫu '{sheet.rubric_id}'")
        now = tx.now()
        period_end = next((m.date for m in tx.uow.cycles.milestones(cycle_id, sheet.group_id)
                           if "data_period_end" in (m.roles or "").split(",") and m.date is not None), None)
        problems = document_problems(answers, local_date(now), period_end)
        if problems:
            raise InvalidRequest("ngày văn bản không hợp lệ: " + "; ".join(problems))
        window = window_for(tx, cycle_id, sheet)
        if now >= window.end:  # nothing can be sent any more: a draft would be a dead letter
            raise InvalidRequest(f"đã hết thời hạn nhận phiếu của '{unit_code}' ({format_closing_vi(window.end)}): không lưu bản nháp")
        move_sheet(tx, cycle_id, sheet, SheetTrigger.SAVE_DRAFT, DraftSaved, fields={"draft_saved_at": now},
                   notify=False)
        tx.uow.answers.replace(sheet.id, [AnswerRow(sheet_id=sheet.id, criterion_id=cid, data=data, saved_at=now)
                                          for cid, data in payload.items()])
        _record_evidence(tx, sheet, evidence, now)
        return {"cycle_id": cycle_id, "unit_code": unit_code, "state": "draft", "answers": len(payload),
                "evidence": len(evidence), "saved_at": iso(now)}

    return run_command(services, Command.SAVE_DRAFT, actor_id=actor_id, key=key, params=params, body=body)


def _record_evidence(tx: Tx, sheet, evidence: Sequence[EvidenceFile], now) -> None:
    if not evidence:
        return
    rubric = tx.services.load_rubric(sheet.rubric_id)
    for e in evidence:
        if rubric.criterion(e.criterion_id) is None:
            raise InvalidRequest(f"tệp minh chứng '{e.file_name}' cho tiêu chí '{e.criterion_id}': mẫu phiếu "
                                 f"'{sheet.rubric_id}' không có tiêu chí này")
    rows = tx.uow.evidence.list(sheet.id)
    known = {(r.criterion_id, r.sha256) for r in rows}
    total = sum(r.size_bytes for r in rows)
    cap = tx.services.file_limits.max_sheet
    for e in evidence:
        if (e.criterion_id, e.sha256) in known:
            continue
        total += e.size_bytes
        if total > cap:
            raise InvalidRequest(f"tệp minh chứng của phiếu '{sheet.unit_code}' vượt tổng giới hạn "
                                 f"{cap / 2**20:g} MB (đến tệp '{e.file_name}' của tiêu chí {e.criterion_id})")
        known.add((e.criterion_id, e.sha256))
        tx.uow.evidence.add(EvidenceRow(sheet_id=sheet.id, criterion_id=e.criterion_id, file_name=e.file_name,
                                        size_bytes=e.size_bytes, sha256=e.sha256, media_type=e.media_type,
                                        storage_uri=f"sha256:{e.sha256}", added_by=tx.actor_id, added_at=now))


def submit_sheet(services: Services, *, actor_id: str, cycle_id: str, unit_code: str,
                 key: str | None = None) -> dict[str, Any]:
    """The leader confirms and sends. Returns outcome on_time / late / refused; a refusal is
    audited (SheetRefused) and changes nothing else."""

    def body(tx: Tx) -> dict[str, Any]:
        # FOR SHARE on the cycle row first (PostgreSQL): a lock committing concurrently either
        # waits for us (and then locks our accepted sheet) or we wait for it (and then read its
        # time, after the acceptance end). Only then do we read the clock.
        cycle = get_cycle(tx, cycle_id, share=True)
        tx.authorize(cycle.owner, unit_code)  # before the sheet: nothing to probe
        sheet = get_sheet(tx, cycle_id, unit_code)
        _check_open(cycle)
        window = window_for(tx, cycle_id, sheet)
        now = tx.now()
        receipt = classify_receipt(now, window)
        result = {"cycle_id": cycle_id, "unit_code": unit_code, "received_at": iso(now), "outcome": receipt.value,
                  "due": iso(window.due), "acceptance_end": iso(window.end)}
        if receipt is Receipt.REFUSED:
            tx.emit(tx.event(SheetRefused, cycle_id=cycle_id, unit_code=unit_code, from_state=sheet.state,
                             to_state=sheet.state, received_at=now, acceptance_end=window.end))
            return {**result, "state": sheet.state}
        event = move_sheet(tx, cycle_id, sheet, sheet_trigger_for(receipt), SheetSubmitted,
                           fields={"received_at": now, "late": receipt is Receipt.LATE, "submitted_by": tx.actor_id},
                           received_at=now, late=receipt is Receipt.LATE)
        return {**result, "state": event.to_state}

    return run_command(services, Command.SUBMIT_SHEET, actor_id=actor_id, key=key,
                       params={"cycle_id": cycle_id, "unit_code": unit_code}, body=body)
