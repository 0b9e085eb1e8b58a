"""The end of the demo: each cycle's ranking table, and where the mail, audit log and results are."""

from __future__ import annotations

from pathlib import Path

from dtiflow.demo.account import KIND_LABELS, Account, points
from dtiflow.demo.results import export_audit, export_results, mail_by_kind, ranking
from dtiflow.demo.scenario import CyclePlan


def final_report(app, plans: list[CyclePlan], account: Account, out_dir: Path, maildir: Path) -> dict:
    written: dict = {"results": {}, "audit": {}}
    for plan in plans:
        rows = ranking(app.services, actor_id=plan.secretariat, cycle_id=plan.cycle_id)
        account.heading(f"Kết quả {plan.label} — {plan.cycle_id} (Quyết định {plan.decision_number} "
                        f"ngày {plan.decision_date:%d/%m/%Y})")
        account.table(("Đơn vị", "Nhóm", "Tổng điểm", "Xếp loại", "Hạng", "Khen thưởng / lý do"),
                      [(f"{r.name}{' (trễ hạn)' if r.late else ''}", r.group, points(r.total), r.classification or "—",
                        str(r.rank) if r.rank else "—", r.award or r.reason or "") for r in rows])
        written["results"][plan.cycle_id] = export_results(rows, out_dir / "results", plan.cycle_id)
        path = out_dir / "audit" / f"{plan.cycle_id}.jsonl"
        written["audit"][plan.cycle_id] = (path, export_audit(app.services, actor_id=plan.secretariat,
                                                              cycle_id=plan.cycle_id, path=path))
    counts, unknown = mail_by_kind(app.engine, maildir)
    account.heading("Ở đâu")
    account.say(f"Thư (maildir, nhận qua SMTP trên 127.0.0.1): {maildir} — {sum(counts.values())} thư")
    for kind, n in counts.items():
        account.say(f"  {KIND_LABELS.get(kind, kind):34} {kind:26} {n:5}")
    if unknown:
        account.say(f"  (không rõ loại: {unknown})")
    for cycle_id, (path, n) in written["audit"].items():
        account.say(f"Nhật ký kiểm toán {cycle_id}: {path} ({n} sự kiện)")
    for cycle_id, (csv_path, json_path) in written["results"].items():
        account.say(f"Kết quả {cycle_id}: {csv_path}, {json_path}")
    written["mail"] = counts
    return written
