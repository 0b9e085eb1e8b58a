"""Approval (the decision's number and date) and publication.

Decision 1867/QĐ-UBND Art. 8.3: the PPC approves the ranking by decision; Decision 265/QĐ-UBND
Art. 6: the chairman signs, results are published on the portal. Four eyes: the approver must
not be a person who recorded verified points — checked here (`check_four_eyes`) and again by
the database (trigger `approval_four_eyes`, store.schema).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.authorization import Command, check_four_eyes
from domain.cycle import CycleState, CycleTrigger
from domain import events as _events
from domain.events import CycleApproved, ResultsPublished
from domain.sheet import SheetState, is_received
from domain.timeline_checks import decision_date_problem
from services.common import cycle_bounds, get_cycle, iso, move_cycle
from services.config import Services
from services.errors import InvalidRequest
from services.results import unit_results
from services.runner import Tx, run_command
from store.audit_chain import cycle_stream
from store.cycle_rows import ApprovalRow

# The hand-over event (named SubmittedForApproval; ApprovalRequested in some revisions).
ApprovalRequested = getattr(_events, "SubmittedForApproval", None) or getattr(_events, "ApprovalRequested")


def approve_cycle(services: Services, *, actor_id: str, cycle_id: str, decision_number: str,
                  decision_date: dt.date, key: str | None = None) -> dict[str, Any]:
    params = {"cycle_id": cycle_id, "decision_number": decision_number, "decision_date": iso(decision_date)}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        if not decision_number or not decision_number.strip():
            raise InvalidRequest("cần số quyết định phê duyệt (--decision)")
        _due, end = cycle_bounds(tx, cycle_id)
        problem = decision_date_problem(decision_date, cycle.year, end)
        if problem:
            raise InvalidRequest(problem)
        pending = [s.unit_code for s in tx.uow.sheets.list(cycle_id)
                   if is_received(s.state) and s.state != SheetState.VERIFIED]
        if pending:
            raise InvalidRequest(f"còn phiếu chưa thẩm định xong: {', '.join(pending)}")
        verifiers = {r.recorded_by for r in tx.uow.scores.list(cycle_id=cycle_id, kind="verified")}
        check_four_eyes(tx.actor_id, verifiers)
        if cycle.state == CycleState.VERIFICATION:
            # The hand-over to the approver is implicit in the approval itself (audited).
            move_cycle(tx, cycle, CycleTrigger.SUBMIT_FOR_APPROVAL, ApprovalRequested)
        move_cycle(tx, cycle, CycleTrigger.APPROVE, CycleApproved, decision_number=decision_number.strip(),
                   decision_date=decision_date)
        tx.uow.approvals.add(ApprovalRow(cycle_id=cycle_id, round=cycle.score_round, decision_number=decision_number.strip(),
                                         decision_date=decision_date, approver_id=tx.actor_id, approved_at=tx.now()))
        return {"cycle_id": cycle_id, "state": CycleState.APPROVED.value, "decision_number": decision_number.strip(),
                "decision_date": iso(decision_date), "round": cycle.score_round}

    return run_command(services, Command.APPROVE, actor_id=actor_id, key=key, params=params, body=body)


def publish_cycle(services: Services, *, actor_id: str, cycle_id: str, location: str | None = None,
                  key: str | None = None) -> dict[str, Any]:
    params = {"cycle_id": cycle_id, "location": location}

    def body(tx: Tx) -> dict[str, Any]:
        cycle = get_cycle(tx, cycle_id)
        tx.authorize(cycle.owner)
        now = tx.now()
        # The audit chain's head as it stands when the results are published: whoever holds the
        # published results can later check that the log still contains it (`audit verify --head`).
        seq, digest = tx.uow.audit.head(cycle_stream(cycle_id))
        head = {"seq": seq, "hash": digest}
        if cycle.state == CycleState.APPROVED:  # each unit's e-mail carries its own result
            tx.mail_context = {"results": unit_results(tx, cycle), "audit_head": head}
        move_cycle(tx, cycle, CycleTrigger.PUBLISH, ResultsPublished, location=location, fields={"published_at": now},
                   audit_head=head)
        return {"cycle_id": cycle_id, "state": CycleState.PUBLISHED.value, "published_at": iso(now), "location": location,
                "audit_head": head}

    return run_command(services, Command.PUBLISH, actor_id=actor_id, key=key, params=params, body=body)
