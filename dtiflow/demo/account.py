"""The printed account of the demo: one Vietnamese line per stage, then the ranking tables.

Lines carry the local (Asia/Ho_Chi_Minh) time of the simulated clock; nothing printed depends on
the machine (paths aside), so two runs print the same account.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Iterable, TextIO

from domain.instants import as_local

KIND_LABELS = {
    "notice": "công văn thông báo",
    "reminder_before_due": "nhắc hạn",
    "reminder_due_day": "nhắc hạn ngày cuối",
    "grace_reminder": "nhắc trong thời gian nộp trễ",
    "submission_receipt": "xác nhận đã nhận phiếu",
    "not_evaluated_notice": "thông báo không được đánh giá",
    "lock_digest": "tổng hợp tiếp nhận gửi Sở",
    "explanation_request": "đề nghị giải trình",
    "staff_milestone_reminder": "nhắc hạn nội bộ",
    "result_published": "thông báo kết quả",
    "delivery_failure_notice": "báo lỗi gửi thư",
}


def stamp(at: dt.datetime) -> str:
    return f"{as_local(at):%d/%m/%Y %H:%M}"


def points(x: float | None) -> str:
    if x is None:
        return "—"
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def kinds_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{KIND_LABELS.get(k, k)} ×{n}" for k, n in sorted(counts.items()))


class Account:
    def __init__(self, out: TextIO | None = None, *, json_lines: bool = False) -> None:
        self.out = out or sys.stdout
        self.lines: list[str] = []
        self.json_lines = json_lines  # `dtiflow demo --json`: one object per line

    def say(self, text: str = "", *, at: dt.datetime | None = None) -> None:
        self.lines.append(text)
        if self.json_lines:
            if text:
                row = {"at": at.isoformat(), "message": text} if at is not None else {"message": text}
                print(json.dumps(row, ensure_ascii=False), file=self.out, flush=True)
            return
        print(text, file=self.out, flush=True)

    def at(self, instant: dt.datetime, text: str) -> None:
        if self.json_lines:
            self.lines.append(f"{stamp(instant)}  {text}")
            print(json.dumps({"at": instant.isoformat(), "message": text}, ensure_ascii=False), file=self.out,
                  flush=True)
            return
        self.say(f"{stamp(instant)}  {text}")

    def heading(self, text: str) -> None:
        self.say("")
        self.say(text)
        self.say("─" * min(100, len(text)))

    def table(self, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
        rows = [tuple(str(c) for c in r) for r in rows]
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
        self.say("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
        for r in rows:
            self.say("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
