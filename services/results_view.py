"""A cycle's results for the results workbook (`dtiflow results export`, the secretariat's and
approver's download button): totals (the council's verified points where it verified, else the
computed points, as `services.queries` reads them), classification, rank and award by the
regime's rules (`domain.ranking.standings`; Decision 1867 Art. 10, 12; Decision 265 Art. 8, 9),
every criterion's self / computed / verified points, the units not evaluated with the reason
(Decision 1867 Art. 8.1), and the audit log's state.
"""

from __future__ import annotations

from typing import Any

from domain.authorization import Command
from domain.classification import Scores
from domain.instants import as_local
from domain.ranking import Entry, standings
from services.config import Services
from services.errors import InvalidRequest
from services.queries import _cycle_for, _latest, _totals
from store.database_mode import DatabaseMode
from workbooks.results_book import CriterionPoints, GroupResults, NotEvaluated, ResultsBook, UnitResult, build_results

NOT_SENT = "Không gửi Phiếu đánh giá trong thời hạn"
# Results exist once the sheets are scored; before that every unit would look "not evaluated".
SCORED_STATES = ("scored", "verification", "approval", "approved", "published")


def _local(instant) -> str:
    return f"{as_local(instant):%d/%m/%Y %H:%M}" if instant is not None else ""


def results_view(services: Services, *, actor_id: str, cycle_id: str) -> ResultsBook:
    with services.uow() as uow:
        # Every unit's points before publication: the cycle's officials only (those who may read
        # its audit: secretariat, council, approver), not a unit's people.
        _, cycle = _cycle_for(uow, actor_id, cycle_id, Command.VIEW_AUDIT)
        if cycle.state not in SCORED_STATES:
            raise InvalidRequest(f"kỳ đánh giá '{cycle_id}' đang ở trạng thái '{cycle.state}': chưa chấm điểm, "
                                 "chưa có kết quả để xuất")
        regime = services.load_regime(cycle.regime_id)
        if regime.rules is None:
            raise InvalidRequest(f"chế độ {regime.id} chưa có quy định xếp loại, xếp hạng: không có kết quả để xuất")
        names = {u.code: u.name for u in uow.units.list()}
        sheets = uow.sheets.list(cycle_id)
        score_rows = uow.scores.list(cycle_id=cycle_id)
        approvals = sorted(uow.approvals.list(cycle_id), key=lambda a: a.round)
        audit = uow.audit.list(cycle_id)
        # A sandbox's results are never to be taken for official ones: every sheet says so.
        sandbox = uow.database_mode() is DatabaseMode.SANDBOX
        from services.common import cycle_bounds
        from services.runner import Tx

        _, end = cycle_bounds(Tx(services, uow, Command.VIEW_STATUS, None, None), cycle_id)
        state, year, pinned = cycle.state, cycle.year, dict(cycle.rubric_versions)
    rubrics = {g: services.load_rubric(p["rubric_id"]) for g, p in pinned.items()}
    computed, verified = _totals(score_rows)
    by_kind = {k: _latest(score_rows, k) for k in ("self", "computed", "verified")}
    reason = NOT_SENT + (f" (hết hạn nhận phiếu {_local(end)})" if end is not None else "")
    entries, sheet_of = [], {}
    for s in sheets:
        sheet_of[s.unit_code] = s
        total = verified.get(s.id, computed.get(s.id))
        if s.state == "not_evaluated" or total is None:
            entries.append(Entry(s.unit_code, s.group_id, None, reason))
        else:
            r = rubrics.get(s.group_id)
            entries.append(Entry(s.unit_code, s.group_id, Scores(total, r.max if r else None, {}, {})))
    rows_by_group: dict[str, list[UnitResult]] = {}
    not_evaluated = []
    for st in standings(regime.rules, entries):
        s = sheet_of[st.unit]
        notes = [x for x in ("Gửi phiếu trễ hạn (trong thời gian cho phép)" if s.late else "", st.award_note,
                             st.reason) if x]
        rows_by_group.setdefault(st.group, []).append(UnitResult(
            st.unit, names.get(st.unit, st.unit), st.total, st.classification, st.rank, st.award, "; ".join(notes)))
        if not st.ranked:
            not_evaluated.append(NotEvaluated(st.unit, names.get(st.unit, st.unit), st.group, st.reason))
    groups = tuple(GroupResults(g.id, g.name, rubrics[g.id].max if g.id in rubrics else None,
                                tuple(rows_by_group.get(g.id, ())))
                   for g in regime.groups if g.id in rows_by_group)
    criteria = []
    for s in sorted(sheets, key=lambda s: ([g.id for g in regime.groups].index(s.group_id)
                                           if s.group_id in [g.id for g in regime.groups] else 99, s.unit_code)):
        r = rubrics.get(s.group_id)
        if r is None or not any(s.id in by_kind[k] for k in by_kind):
            continue
        for c in r.criteria:
            pick = {k: by_kind[k].get(s.id, {}).get(c.id) for k in by_kind}
            criteria.append(CriterionPoints(s.group_id, s.unit_code, names.get(s.unit_code, s.unit_code), c.id, c.max,
                                            pick["self"], pick["computed"], pick["verified"]))
    last = audit[-1] if audit else None
    decision = (f"Quyết định số {approvals[-1].decision_number} ngày {approvals[-1].decision_date:%d/%m/%Y}"
                if approvals else None)
    return ResultsBook(
        cycle_id=cycle_id, title=regime.title, year=year, state=state, decision=decision,
        generated_at=_local(services.clock.now()), groups=groups, criteria=tuple(criteria),
        not_evaluated=tuple(not_evaluated), audit_events=len(audit),
        audit_last=f"#{last.id} {last.event} lúc {_local(last.at)}" if last is not None else "",
        audit_head=_audit_head(audit), sandbox=sandbox,
    )


def _audit_head(audit: list[Any]) -> str | None:
    """The chain's head as `audit verify --head` reads it (SEQ:HASH of the cycle's last event),
    where events carry their hash; None where they do not: the workbook then says the chain is
    not kept, rather than print a value that proves nothing."""
    last = audit[-1] if audit else None
    digest, seq = getattr(last, "hash", None), getattr(last, "seq", None)
    return f"{seq}:{digest}" if digest and seq is not None else None


def results_workbook(services: Services, *, actor_id: str, cycle_id: str) -> bytes:
    return build_results(results_view(services, actor_id=actor_id, cycle_id=cycle_id))
