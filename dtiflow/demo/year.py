"""The demo year's actions over one App: the real Prefect flows for the heartbeat and the stages a
person starts (open, record verification, approve, publish), the service commands for what a
unit or the secretariat does outside Prefect (save a draft, send a sheet, ask and answer an
explanation), all on the App's `FixedClock` (`agenda.Agenda` jumps it).

`YearRun(app, plans, account).run()` plays the year; `outcomes` keeps what each step returned,
for the account and the end-to-end test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any


from domain.instants import as_local, local_date, local_time_on
from dtiflow.demo.account import Account, kinds_text, points, stamp
from dtiflow.demo.agenda import Agenda
from dtiflow.demo.readback import Readback
from dtiflow.demo.results import ranking
from dtiflow.demo.scenario import LATE, ON_TIME, CyclePlan, UnitPlan
from services.errors import ServiceError
from store.outbox import OutboxMessage

END_OF_DAY = 17  # the local hour of the day's last heartbeat after units sent their sheets


@dataclass
class Outcomes:
    submissions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (cycle, unit) -> result
    refusals: dict[tuple[str, str], str] = field(default_factory=dict)
    verifications: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    flow_runs: int = 0


class YearRun:
    def __init__(self, app, plans: list[CyclePlan], account: Account | None = None) -> None:
        self.app, self.plans = app, plans
        self.services = app.services
        self.account = account or Account()
        self.outcomes = Outcomes()
        self._sent_today: dict[tuple[str, dt.date], list[tuple[UnitPlan, dict]]] = defaultdict(list)
        self._labels = {p.cycle_id: p.label for p in plans}
        self.read = Readback(app)

    # --- building the year ------------------------------------------------------------------
    def agenda(self) -> Agenda:
        agenda = Agenda()
        for plan in self.plans:
            self._plan(agenda, plan)
        return agenda

    def run(self) -> int:
        return self.agenda().run(self.app.clock)

    def _plan(self, agenda: Agenda, plan: CyclePlan) -> None:
        agenda.add(plan.notice_at, "open", lambda: self.open(plan))
        agenda.tick(plan.notice_at + dt.timedelta(minutes=1), self.tick)
        for unit in plan.units:
            if unit.draft_at is not None:
                agenda.add(unit.draft_at, "draft", lambda u=unit: self.save_draft(plan, u))
            if unit.submit_at is not None:
                agenda.add(unit.submit_at, "submit", lambda u=unit: self.submit(plan, u))
                if unit.submit_at < plan.acceptance_end:
                    day = local_date(unit.submit_at)
                    evening = max(local_time_on(day, END_OF_DAY), unit.submit_at + dt.timedelta(minutes=5))
                    agenda.add(evening, "sent-today", lambda p=plan, d=day: self.report_sent(p, d))
                    agenda.tick(evening, self.tick)
        for wakeup in plan.wakeups:
            agenda.tick(wakeup, self.tick)
        if plan.preliminary_at is not None:
            agenda.add(plan.preliminary_at, "preliminary", lambda: self.preliminary(plan))
        for e in plan.explanations:
            agenda.add(e.asked_at, "explain?", lambda e=e: self.ask(plan, e))
            agenda.tick(e.asked_at + dt.timedelta(minutes=1), self.tick)
            agenda.add(e.answered_at, "explain!", lambda e=e: self.answer(plan, e))
        agenda.add(plan.verify_at, "verify", lambda: self.verify(plan))
        agenda.add(plan.approve_at, "approve", lambda: self.approve(plan))
        agenda.add(plan.publish_at, "publish", lambda: self.publish(plan))
        agenda.tick(plan.publish_at + dt.timedelta(minutes=1), self.tick)

    # --- the flows ----------------------------------------------------------------------------
    def _flows(self):
        from flows import stages, tick

        return stages, tick

    def open(self, plan: CyclePlan) -> None:
        stages, _ = self._flows()
        result = stages.open_cycle(actor_id=plan.secretariat, regime_id=plan.regime_id, year=plan.year,
                                   facts={"notice": plan.notice, **plan.facts},
                                   idempotency_key=f"demo:{plan.cycle_id}:open",
                                   owner=plan.owner, level=plan.level)
        self.outcomes.flow_runs += 1
        self._say(plan, f"Mở kỳ đánh giá, Công văn {plan.letter} ngày {plan.notice:%d/%m/%Y} tới {result['units']} đơn vị "
                        f"(hạn gửi phiếu: hết {_last_day(plan.due)}; hết hạn nhận: {stamp(plan.acceptance_end)})")

    def tick(self) -> None:
        _, tick = self._flows()
        before = self.read.cycle_states()
        counts = tick.cycle_tick()
        self.outcomes.flow_runs += 1
        now = self.app.clock.now()
        queued = self.read.queued_at(now)
        after = self.read.cycle_states()
        self.outcomes.ticks.append({"at": now, **counts, "queued": queued})
        lines = [f"[{self._labels.get(c, c)}] "
                 + self.read.tick_text(c, before.get(c), after.get(c), queued.get(c, {}))
                 for c in sorted(set(queued) | {c for c in after if after[c] != before.get(c)})]
        sent = counts["messages_sent"]
        if sent and lines:
            lines[-1] += f" — {sent} thư gửi qua SMTP"
        elif sent:  # mail queued by the people's actions since the last heartbeat
            kinds = Counter()
            for by_kind in self.read.outbox_at(OutboxMessage.sent_at, now).values():
                kinds.update(by_kind)
            lines.append(f"Nhịp hệ thống gửi {sent} thư qua SMTP ({kinds_text(dict(kinds))})")
        for line in lines:
            self.account.at(now, line)

    def verify(self, plan: CyclePlan) -> None:
        stages, _ = self._flows()
        adjusted = {a.unit: a for a in plan.adjustments}
        received = self.read.received(plan)
        changed = []
        for i, unit in enumerate(received):
            self.app.clock.set(plan.verify_at + dt.timedelta(minutes=5 * i))
            a = adjusted.get(unit.code)
            result = stages.record_verification(
                actor_id=plan.council, cycle_id=plan.cycle_id, unit_code=unit.code,
                points=dict(a.points) if a else {}, note=a.note if a else "Hội đồng chấp nhận điểm tính",
                idempotency_key=f"demo:{plan.cycle_id}:verify:{unit.code}")
            self.outcomes.flow_runs += 1
            self.outcomes.verifications[(plan.cycle_id, unit.code)] = result
            if a:
                changed.append(f"{unit.code} {points(result['computed_total'])} → {points(result['verified_total'])}")
        self._say(plan, f"Hội đồng thẩm định ({plan.council}) ghi điểm thẩm định {len(received)} phiếu; "
                        f"điều chỉnh {len(changed)} đơn vị: {'; '.join(changed)}")

    def approve(self, plan: CyclePlan) -> None:
        stages, _ = self._flows()
        result = stages.approve(actor_id=plan.approver, cycle_id=plan.cycle_id, decision_number=plan.decision_number,
                                decision_date=plan.decision_date, idempotency_key=f"demo:{plan.cycle_id}:approve")
        self.outcomes.flow_runs += 1
        self._say(plan, f"Phê duyệt: Quyết định {result['decision_number']} ngày {plan.decision_date:%d/%m/%Y}, "
                        f"người phê duyệt {plan.approver} (khác người thẩm định {plan.council}: hai người, bốn mắt)")

    def publish(self, plan: CyclePlan) -> None:
        stages, _ = self._flows()
        stages.publish(actor_id=plan.secretariat, cycle_id=plan.cycle_id, location=plan.location,
                       idempotency_key=f"demo:{plan.cycle_id}:publish")
        self.outcomes.flow_runs += 1
        self._say(plan, f"Công bố kết quả xếp hạng, xếp loại, khen thưởng tại {plan.location}")

    # --- what units and the secretariat do outside Prefect ------------------------------------
    def save_draft(self, plan: CyclePlan, unit: UnitPlan) -> None:
        from services.sheets import save_draft

        save_draft(self.services, actor_id=unit.focal, cycle_id=plan.cycle_id, unit_code=unit.code,
                   answers=unit.answers, key=f"demo:{plan.cycle_id}:draft:{unit.code}")

    def submit(self, plan: CyclePlan, unit: UnitPlan) -> None:
        from services.sheets import submit_sheet

        try:
            result = submit_sheet(self.services, actor_id=unit.leader, cycle_id=plan.cycle_id, unit_code=unit.code,
                                  key=f"demo:{plan.cycle_id}:submit:{unit.code}")
        except ServiceError as exc:
            self.outcomes.refusals[(plan.cycle_id, unit.code)] = str(exc)
            self._say(plan, f"{unit.name} gửi phiếu sau khi hết hạn nhận: bị từ chối ({exc})")
            return
        self.outcomes.submissions[(plan.cycle_id, unit.code)] = result
        if result["outcome"] == "refused":
            self.outcomes.refusals[(plan.cycle_id, unit.code)] = result["outcome"]
            self._say(plan, f"{unit.name} gửi phiếu lúc {stamp(self.app.clock.now())}, sau khi hết hạn nhận "
                            f"(trước khi nhịp hệ thống khóa kỳ): bị từ chối, ghi nhật ký")
            return
        self._sent_today[(plan.cycle_id, local_date(self.app.clock.now()))].append((unit, result))

    def report_sent(self, plan: CyclePlan, day: dt.date) -> None:
        sent = self._sent_today.pop((plan.cycle_id, day), [])
        if not sent:
            return
        by = Counter(r["outcome"] for _, r in sent)
        what = ", ".join(f"{n} {'đúng hạn' if o == ON_TIME else 'gửi trễ (được ghi nhận trễ hạn)' if o == LATE else o}"
                         for o, n in sorted(by.items(), key=lambda x: x[0] != ON_TIME))
        names = ", ".join(u.code for u, _ in sent)
        self._say(plan, f"Lãnh đạo đơn vị xác nhận và gửi phiếu: {what} ({names})")

    def preliminary(self, plan: CyclePlan) -> None:
        rows = ranking(self.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id, verified=False)
        scored = [r for r in rows if r.total is not None]
        by = Counter(r.classification for r in scored)
        spread = ", ".join(f"{label} {n}" for label, n in sorted(by.items(), key=lambda x: -x[1]))
        self._say(plan, f"Báo cáo Hội đồng kết quả tổng hợp sơ bộ: {len(scored)} phiếu đã chấm ({spread}); "
                        f"{len(rows) - len(scored)} đơn vị không được đánh giá")

    def ask(self, plan: CyclePlan, e) -> None:
        from services.verification import request_explanation

        result = request_explanation(self.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id, unit_code=e.unit,
                                     question=e.question, criterion_id=e.criterion,
                                     key=f"demo:{plan.cycle_id}:explain:{e.unit}")
        self._request_ids = getattr(self, "_request_ids", {})
        self._request_ids[(plan.cycle_id, e.unit)] = result["request_id"]
        self._say(plan, f"Đề nghị {plan.unit(e.unit).name} giải trình tiêu chí {e.criterion} "
                        f"(hạn trả lời: hết ngày {_last_day(_instant(result['due']))})")

    def answer(self, plan: CyclePlan, e) -> None:
        from services.verification import answer_explanation

        unit = plan.unit(e.unit)
        result = answer_explanation(self.services, actor_id=unit.focal, cycle_id=plan.cycle_id, unit_code=e.unit,
                                    request_id=self._request_ids[(plan.cycle_id, e.unit)], answer=e.answer,
                                    key=f"demo:{plan.cycle_id}:answer:{e.unit}")
        self._say(plan, f"{unit.name} trả lời giải trình ({'trễ hạn' if result['late'] else 'trong hạn'})")

    # --- reading back -------------------------------------------------------------------------
    def _say(self, plan: CyclePlan, text: str) -> None:
        self.account.at(self.app.clock.now(), f"[{plan.label}] {text}")


def _last_day(due: dt.datetime) -> str:
    from domain.reminders import last_day_of

    return f"{last_day_of(due):%d/%m/%Y}"


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


__all__ = ["YearRun", "Outcomes", "as_local"]
