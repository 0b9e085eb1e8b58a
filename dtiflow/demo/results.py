"""A cycle's ranking read from the database, and the demo's exports.

Totals are the council's verified points where it verified, else the computed points (the
services' own rule, `services.queries`); classification, ranking and awards come from the regime
file through the one domain function (`domain.ranking.standings`; Decision 1867 Art. 10, 12;
Decision 265 Art. 8, 9). A unit whose sheet was never received is listed unranked with the reason
(Decision 1867 Art. 8.1).
"""

from __future__ import annotations

import csv
import json
import mailbox
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from domain.classification import Scores
from domain.instants import as_local
from domain.ranking import Entry, standings
from services.queries import audit_log, cycle_status


@dataclass(frozen=True)
class ResultRow:
    unit: str
    name: str
    group: str
    state: str
    late: bool
    computed_total: float | None
    total: float | None
    classification: str | None
    rank: int | None
    award: str | None
    reason: str


def ranking(services, *, actor_id: str, cycle_id: str, verified: bool = True) -> list[ResultRow]:
    status = cycle_status(services, actor_id=actor_id, cycle_id=cycle_id)
    regime = services.load_regime(status["regime_id"])
    maxima = {g: services.load_rubric(p["rubric_id"]).max for g, p in status["rubrics"].items()}
    end = status["acceptance_end"]
    entries, sheets = [], {}
    for s in status["sheets"]:
        sheets[s["unit_code"]] = s
        total = s["verified_total"] if verified and s["verified_total"] is not None else s["computed_total"]
        if s["state"] == "not_evaluated" or total is None:
            reason = "Không gửi Phiếu đánh giá trong thời hạn"
            if end:
                reason += f" (hết hạn nhận phiếu {as_local(_instant(end)) :%H:%M %d/%m/%Y})"
            entries.append(Entry(s["unit_code"], s["group"], None, reason))
        else:
            entries.append(Entry(s["unit_code"], s["group"], Scores(total, maxima.get(s["group"]), {}, {})))
    rows = []
    for st in standings(regime.rules, entries):
        s = sheets[st.unit]
        rows.append(ResultRow(st.unit, s["name"], st.group, s["state"], bool(s["late"]), s["computed_total"],
                              st.total, st.classification, st.rank, st.award, st.reason or st.award_note or ""))
    return rows


def _instant(text: str):
    import datetime as dt

    return dt.datetime.fromisoformat(text)


def export_results(rows: list[ResultRow], folder: Path, cycle_id: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = folder / f"{cycle_id}.csv", folder / f"{cycle_id}.json"
    fields = list(ResultRow.__dataclass_fields__)
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for r in rows:
            writer.writerow(asdict(r))
    # The demo runs on a sandbox database: its results say so wherever they are read.
    json_path.write_text(json.dumps({"cycle_id": cycle_id, "environment": "môi trường thử nghiệm",
                                     "results": [asdict(r) for r in rows]},
                                    ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return csv_path, json_path


def export_audit(services, *, actor_id: str, cycle_id: str, path: Path) -> int:
    """The cycle's append-only audit log as JSON lines (one event per line, in order)."""
    entries = audit_log(services, actor_id=actor_id, cycle_id=cycle_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(e, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    return len(entries)


def mail_by_kind(engine, maildir: Path) -> tuple[dict[str, int], int]:
    """Messages in the maildir by kind (the outbox row of the same Message-ID says the kind), and
    how many maildir messages have no outbox row (should be none)."""
    from sqlmodel import Session, select

    from store.outbox import OutboxMessage

    with Session(engine) as session:
        kind_of = dict(session.exec(select(OutboxMessage.message_id, OutboxMessage.kind)).all())
    counts: dict[str, int] = {}
    unknown = 0
    for message in mailbox.Maildir(maildir, create=False):
        kind = kind_of.get((message["Message-ID"] or "").strip())
        if kind is None:
            unknown += 1
        else:
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items())), unknown


def as_dict(row: ResultRow) -> dict[str, Any]:
    return asdict(row)
