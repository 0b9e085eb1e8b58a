"""The stages a person starts, as Prefect flows: a form in the Prefect UI over a service command.

Each flow only carries the call: its typed, documented parameters (the form Prefect shows) go
unchanged to the service command, which checks the person's role, writes the audit event and
answers a repeated `idempotency_key` with the first result (decision record 0006). No flow waits
paused for the next stage: the state is in our database, and the next person's action starts
the next run. A refused command (wrong role, wrong state, a key reused with other parameters)
fails the run with the service's message; nothing is retried.

The e-mail a command queues (the notice, an explanation request, the publication) is sent by
the same run, right after the command (`drain-outbox`, flows/mail.py), not at the next tick. If
the mail server is down then, the stage still succeeds (its command is committed) and the next
tick sends the mail with its retries and back-off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow, get_run_logger

from dtiflow.bootstrap import App, ready_app
from flows.mail import drain_outbox

PROVINCE = "province"  # services.cycles.PROVINCE: the owner of province-run cycles

# One attempt here: while SMTP is down the tick's drain retries with back-off; a stage run that
# waited for those retries would keep the person at the form for minutes.
_send_now = drain_outbox.with_options(retries=0)


def _send_queued_mail(app: App, result: Any) -> dict[str, Any]:
    """Send what the command queued, then return the command's result unchanged."""
    state = _send_now(app.clock.now(), return_state=True)
    logger = get_run_logger()
    if state.is_completed():
        logger.info("Đã gửi %s thư trong hộp thư đi.", state.result())
    else:
        logger.warning("Chưa gửi được thư trong hộp thư đi (%s); lần chạy định kỳ sau sẽ gửi lại.", state.message)
    return dict(result)


@flow(name="open-cycle", validate_parameters=True)
def open_cycle(actor_id: str, regime_id: str, year: int, facts: dict[str, dt.date], idempotency_key: str,
               owner: str = PROVINCE, level: str | None = None, cycle_id: str | None = None) -> dict[str, Any]:
    """Mở kỳ đánh giá: pin the regime, rubric and calendar versions, compute the timeline, enrol
    the units and issue the notice.

    Args:
        actor_id: the secretariat person opening the cycle (id in the people register).
        regime_id: the regime file, e.g. `binhthuan-2019-it` or `binhthuan-2023-dti`.
        year: the evaluation year, e.g. 2019.
        facts: the cycle's own dates by name, e.g. {"notice": "2019-08-07"} (letter 697/STTTT).
        idempotency_key: any text unique to this request; repeating it repeats nothing.
        owner: `province`, or the district's unit code when a district runs its communes' cycle.
        level: the unit level for regimes with several (e.g. `commune` in the DTI 2023 regime).
        cycle_id: an explicit cycle id; empty to derive it from regime, year, owner and level.
    """
    app = ready_app()
    return _send_queued_mail(app, app.commands.open_cycle(
        actor_id=actor_id, regime_id=regime_id, year=year, facts=facts, owner=owner, level=level,
        cycle_id=cycle_id, key=idempotency_key))


@flow(name="record-verification", validate_parameters=True)
def record_verification(actor_id: str, cycle_id: str, unit_code: str, points: dict[str, float],
                        idempotency_key: str, note: str = "") -> dict[str, Any]:
    """Ghi kết quả thẩm định: the council's verified points for some criteria of one unit (the
    others keep their computed points). The recorder cannot approve this cycle (four eyes).

    Args:
        actor_id: the council member recording the verification.
        cycle_id: the cycle, e.g. `binhthuan-2019-it-2019`.
        unit_code: the unit whose sheet was verified.
        points: verified points by criterion id, e.g. {"II.1": 20}.
        idempotency_key: any text unique to this request; repeating it repeats nothing.
        note: the council's note (why the points changed).
    """
    app = ready_app()
    return _send_queued_mail(app, app.commands.record_verification(
        actor_id=actor_id, cycle_id=cycle_id, unit_code=unit_code, points=points, note=note, key=idempotency_key))


@flow(name="approve", validate_parameters=True)
def approve(actor_id: str, cycle_id: str, decision_number: str, decision_date: dt.date,
            idempotency_key: str) -> dict[str, Any]:
    """Phê duyệt kết quả: record the People's Committee's decision approving the ranking
    (Decision 1867 Art. 8.3). The approver must not have recorded verified points.

    Args:
        actor_id: the person approving (not one who verified).
        cycle_id: the cycle to approve.
        decision_number: the decision's number, e.g. `2875/QĐ-UBND`.
        decision_date: the decision's date.
        idempotency_key: any text unique to this request; repeating it repeats nothing.
    """
    app = ready_app()
    return _send_queued_mail(app, app.commands.approve(
        actor_id=actor_id, cycle_id=cycle_id, decision_number=decision_number, decision_date=decision_date,
        key=idempotency_key))


@flow(name="publish", validate_parameters=True)
def publish(actor_id: str, cycle_id: str, idempotency_key: str, location: str | None = None) -> dict[str, Any]:
    """Công bố kết quả: publish the approved ranking, classification and awards and tell the units
    (Decision 265 Art. 6: on the provincial portal, or the district's site for communes).

    Args:
        actor_id: the secretariat person publishing.
        cycle_id: the approved cycle.
        idempotency_key: any text unique to this request; repeating it repeats nothing.
        location: where the results are published (a URL), shown in the units' e-mail.
    """
    app = ready_app()
    return _send_queued_mail(app, app.commands.publish(
        actor_id=actor_id, cycle_id=cycle_id, location=location, key=idempotency_key))


@flow(name="reopen", validate_parameters=True)
def reopen(actor_id: str, cycle_id: str, to_state: str, reason: str, idempotency_key: str) -> dict[str, Any]:
    """Mở lại một bước: reopen a stage with a reason; the score round goes up and earlier scores
    stay as they were (audited).

    Args:
        actor_id: the secretariat person reopening.
        cycle_id: the cycle.
        to_state: the stage to go back to, e.g. `verification`.
        reason: why (kept in the audit log and told to the people concerned).
        idempotency_key: any text unique to this request; repeating it repeats nothing.
    """
    app = ready_app()
    return _send_queued_mail(app, app.commands.reopen(
        actor_id=actor_id, cycle_id=cycle_id, to_state=to_state, reason=reason, key=idempotency_key))
