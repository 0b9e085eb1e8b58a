"""The audit log's hash chain: each event carries the SHA-256 of the previous event of its stream.

A stream is one chain: every event of a cycle (`cycle:<cycle id>`), or another named sequence of
events (the units register's, for instance: `register`). Each stored event has its position in
the stream (`seq`, from 1), the previous event's hash (`prev_hash`; 64 zeros for the first) and
its own `hash`: SHA-256 over the canonical encoding below. Editing, deleting or inserting an
event anywhere but at the end breaks a link that `verify_chain` names; the chain's head (last
`seq` and `hash`) is published with the results so that a rewrite of the whole chain, or a cut
tail, shows too. docs/security.md states the encoding and what the chain proves.

Canonical encoding, version 1: a JSON object with exactly the keys of `CHAINED_FIELDS` plus
`"v": 1`, keys sorted, no whitespace (separators `,` and `:`), UTF-8 without escaping non-ASCII,
no NaN or infinity. `at` is written `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds); `details`
is the JSON value as the database gives it back (keys as strings, tuples as lists); absent
values are `null`. The hash is the lowercase hex SHA-256 of those bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

ENCODING_VERSION = 1
GENESIS = "0" * 64
CHAINED_FIELDS = ("stream", "seq", "prev_hash", "cycle_id", "unit_code", "actor_id", "role", "at", "command",
                  "event", "from_state", "to_state", "reason", "details")


def cycle_stream(cycle_id: str) -> str:
    return f"cycle:{cycle_id}"


def stream_of(row: Mapping[str, Any]) -> str:
    """The stream an event belongs to: its own `stream`, else its cycle's."""
    if row.get("stream"):
        return str(row["stream"])
    if row.get("cycle_id"):
        return cycle_stream(row["cycle_id"])
    raise ValueError("an audit event names its cycle or its stream (e.g. 'register')")


def _instant(value: Any) -> str:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValueError(f"audit instant must be an aware datetime, not {value!r}")
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_value(value: Any) -> Any:
    # What a JSON column gives back: the hash must be the same before and after storage.
    return json.loads(json.dumps(value if value is not None else {}, ensure_ascii=False, allow_nan=False))


def canonical_bytes(row: Mapping[str, Any]) -> bytes:
    doc: dict[str, Any] = {"v": ENCODING_VERSION}
    for name in CHAINED_FIELDS:
        value = row.get(name)
        if name == "at":
            value = _instant(value)
        elif name == "details":
            value = _json_value(value)
        doc[name] = value
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def event_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(row)).hexdigest()


def link(rows: Iterable[dict[str, Any]], head_seq: int, head_hash: str) -> list[dict[str, Any]]:
    """The rows to insert, in order, each given `seq`, `prev_hash` and `hash` after the head
    (`head_seq` 0 and `GENESIS` for an empty stream). All rows must be of one stream."""
    out = []
    seq, prev = head_seq, head_hash
    for row in rows:
        seq += 1
        linked = {**row, "seq": seq, "prev_hash": prev}
        linked["hash"] = prev = event_hash(linked)
        out.append(linked)
    return out


def by_stream(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by stream (sorted by name: locks are taken in one order), each stream's rows
    in the order given, each row carrying its `stream`."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        stream = stream_of(row)
        grouped.setdefault(stream, []).append({**row, "stream": stream})
    return dict(sorted(grouped.items()))


def lock_key(stream: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory lock on a stream's head."""
    return int.from_bytes(hashlib.sha256(stream.encode("utf-8")).digest()[:8], "big", signed=True)


# --- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainBreak:
    seq: int | None      # the position where the chain breaks (None: an event outside the chain)
    row_id: int | None   # the database id of the offending event, when there is one
    reason: str          # in Vietnamese, for the person reading `dtiflow audit verify`


@dataclass(frozen=True)
class ChainReport:
    stream: str
    events: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _get(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def verify_chain(stream: str, rows: Iterable[Any], *, expect_events: bool = True,
                 published: tuple[int, str] | None = None) -> ChainReport:
    """Recompute the chain over `rows` (the stream's events and any event that claims to belong
    to it, ordered by `seq` then id) and report the first broken link. `expect_events`: the
    stream must not be empty (a cycle's chain starts when it is opened). `published`: a head
    published earlier (seq, hash) that the chain must still contain."""
    rows = list(rows)
    seen: dict[int, str] = {}
    prev, expected = GENESIS, 1
    for row in rows:
        rid, seq = _get(row, "id"), _get(row, "seq")
        if _get(row, "stream") != stream or seq is None or _get(row, "hash") is None:
            return _broken(stream, seen, ChainBreak(None, rid, f"sự kiện id {rid} thuộc kỳ này nhưng không nằm trong "
                                                                f"chuỗi '{stream}' (được ghi ngoài ứng dụng?)"))
        if seq < expected:
            return _broken(stream, seen, ChainBreak(seq, rid, f"vị trí #{seq} xuất hiện hai lần (sự kiện id {rid} chen vào)"))
        if seq > expected:
            return _broken(stream, seen, ChainBreak(expected, rid, f"thiếu sự kiện #{expected}"
                                                                   f"{'' if seq == expected + 1 else f'–#{seq - 1}'} "
                                                                   f"(đã bị xóa): chuỗi nhảy tới #{seq} (id {rid})"))
        if _get(row, "prev_hash") != prev:
            return _broken(stream, seen, ChainBreak(seq, rid, f"sự kiện #{seq} (id {rid}) không nối với sự kiện #{seq - 1}: "
                                                              f"mã băm trước ghi {str(_get(row, 'prev_hash'))[:16]}…, "
                                                              f"đúng ra {prev[:16]}…"))
        fields = {name: _get(row, name) for name in CHAINED_FIELDS}
        try:
            actual = event_hash(fields)
        except (ValueError, TypeError) as exc:
            return _broken(stream, seen, ChainBreak(seq, rid, f"sự kiện #{seq} (id {rid}) không mã hóa được: {exc}"))
        if actual != _get(row, "hash"):
            return _broken(stream, seen, ChainBreak(seq, rid, f"nội dung sự kiện #{seq} (id {rid}) đã bị sửa: mã băm ghi "
                                                              f"{str(_get(row, 'hash'))[:16]}…, tính lại {actual[:16]}…"))
        seen[seq] = prev = actual
        expected += 1
    if expect_events and not seen:
        return _broken(stream, seen, ChainBreak(1, None, f"chuỗi '{stream}' không còn sự kiện nào "
                                                         f"(nhật ký đã bị xóa sạch)"))
    if published is not None:
        p_seq, p_hash = published
        if seen.get(p_seq) != p_hash.lower():
            what = "không còn tới vị trí đó" if p_seq not in seen else f"có mã băm khác ({seen[p_seq][:16]}…)"
            return _broken(stream, seen, ChainBreak(p_seq, None, f"đầu chuỗi đã công bố #{p_seq} {p_hash[:16]}… không khớp: "
                                                                 f"chuỗi hiện tại {what} (bị cắt bớt hoặc viết lại)"))
    return _report(stream, seen)


def _report(stream: str, seen: dict[int, str], broken: ChainBreak | None = None) -> ChainReport:
    head = max(seen) if seen else 0
    return ChainReport(stream, len(seen), head, seen.get(head, GENESIS), broken)


def _broken(stream: str, seen: dict[int, str], broken: ChainBreak) -> ChainReport:
    return _report(stream, seen, broken)
