"""`audit verify`: recompute a cycle's hash chain and name the first broken link.

Read-only. From the server's shell (`dtiflow audit verify CYCLE`, trusted as ops) no person is
needed; a person given as `actor_id` must hold a role that may read the audit of the cycle.
`published` is a head published earlier with the results ("#seq:hash"): the chain must still
contain it, which is what shows a cut tail or a chain rewritten from the start (docs/security.md).
"""

from __future__ import annotations

from typing import Any

from domain.authorization import Command, authorize
from services.config import Services
from services.errors import InvalidRequest, NotFound
from services.runner import load_actor
from store.audit_chain import cycle_stream, verify_chain


def parse_published_head(text: str) -> tuple[int, str]:
    """'42:ab12…' (seq, then the 64 hex digits of the hash) -> (42, 'ab12…')."""
    seq_text, _, digest = text.strip().lstrip("#").partition(":")
    digest = digest.strip().lower()
    if not seq_text.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidRequest(f"đầu chuỗi đã công bố '{text}' không đúng dạng SỐ:MÃ_BĂM "
                             f"(ví dụ 42:{'0' * 64}; lấy từ kết quả đã công bố)")
    return int(seq_text), digest


def verify_cycle_audit(services: Services, *, cycle_id: str, actor_id: str | None = None,
                       published: tuple[int, str] | None = None) -> dict[str, Any]:
    stream = cycle_stream(cycle_id)
    with services.uow() as uow:
        cycle = uow.cycles.get(cycle_id)
        if actor_id is not None:
            actor = load_actor(uow, actor_id)
            if cycle is not None:
                authorize(actor, Command.VIEW_AUDIT, cycle_owner=cycle.owner)
        rows = uow.audit.chain(stream, cycle_id)
    if cycle is None and not rows:
        raise NotFound(f"không có kỳ đánh giá '{cycle_id}' (unknown cycle)")
    report = verify_chain(stream, rows, published=published)
    out: dict[str, Any] = {"cycle_id": cycle_id, "stream": stream, "intact": report.intact, "events": report.events,
                           "head": {"seq": report.head_seq, "hash": report.head_hash}}
    if cycle is None:
        out["intact"] = False
        out["broken"] = {"seq": None, "id": None, "reason": f"kỳ '{cycle_id}' không còn trong cơ sở dữ liệu "
                                                            f"nhưng nhật ký của nó còn {len(rows)} sự kiện"}
    if report.broken is not None:
        out["broken"] = {"seq": report.broken.seq, "id": report.broken.row_id, "reason": report.broken.reason}
    return out
