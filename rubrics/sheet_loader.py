"""Sheet files (YAML) -> `domain.answers.SheetAnswers`, checked against the rubric they name.

A sheet file (format in docs/sheets.md):

    unit: UBND xã Tân Hòa
    group: commune                 # or `level:`; the regime's group id
    rubric: binhthuan-2023-dti.commune
    answers:                       # keyed by criterion id, as the decision numbers them
      I.1.1: {yes: true, evidence: ["Quyết định số 12/QĐ-UBND"]}
      I.3.1: {numerator: 45, denominator: 100, self_points: 5}
    verified:                      # optional: the council's points per criterion
      I.3.1: 0

Every problem is one line: `file:line: đơn vị 'X', tiêu chí I.3.1, trường 'numerator': ...`.
The fast path parses without line marks (`rubrics.sheet_yaml`) and checks by hand
(`rubrics.sheet_checks`); only a bad sheet is parsed again to find its line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from domain.answers import SheetAnswers
from domain.rubric import Rubric
from rubrics import sheet_yaml
from rubrics.sheet_checks import builders
from rubrics.sheet_values import BadAnswer, points_within
from rubrics.source import DataFileError, Where

TOP_KEYS = ("unit", "group", "level", "rubric", "answers", "verified")
_TEXT = frozenset((str,))

RubricFor = Callable[[str], Rubric]


class SheetError(DataFileError):
    """A bad sheet: the message names file and line, then unit, criterion and field."""

    def __init__(self, where: Where, message: str, *, unit: str | None = None,
                 criterion: str | None = None, field: str | None = None) -> None:
        self.unit, self.criterion, self.field = unit, criterion, field
        parts = []
        if unit:
            parts.append(f"đơn vị '{unit}'")
        if criterion:
            parts.append(f"tiêu chí {criterion}")
        if field:
            parts.append(f"trường '{field}'")
        super().__init__(where, f"{', '.join(parts)}: {message}" if parts else message)


@dataclass(frozen=True, slots=True)
class LoadedSheet:
    sheet: SheetAnswers
    verified: dict[str, float] | None  # the council's points, when the file carries them
    path: str


def default_rubric_for() -> RubricFor:
    """Shipped rubrics by id, each loaded once."""
    from rubrics.rubric_loader import load_rubric

    cache: dict[str, Rubric] = {}

    def get(rubric_id: str) -> Rubric:
        if rubric_id not in cache:
            cache[rubric_id] = load_rubric(rubric_id)
        return cache[rubric_id]

    return get


def load_sheet_files(paths: Iterable[Path | str], rubric_for: RubricFor | None = None) -> list[LoadedSheet]:
    rubric_for = rubric_for or default_rubric_for()
    return [load_sheet_file(p, rubric_for) for p in paths]


def load_sheet_file(path: Path | str, rubric_for: RubricFor | None = None) -> LoadedSheet:
    # No Path object on the way of a good file (~3 µs each at 11,000 files); a read error names
    # the file as Path writes it.
    try:
        text = _read_bytes(path).decode("utf-8")
    except FileNotFoundError:
        raise DataFileError(str(Path(path)), "không có tệp này") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(Path(path)), f"không phải văn bản UTF-8 ({exc.reason} tại byte {exc.start})") from None
    except OSError as exc:
        raise DataFileError(str(Path(path)), f"không đọc được: {exc.strerror}") from None
    # The path as the caller gave it (no resolve(): a syscall per file at 11,000 files).
    return load_sheet_text(text, str(path), rubric_for or default_rubric_for())


def _read_bytes(path: Path | str) -> bytes:
    """The file's bytes through the os calls themselves: no buffered file object, no size
    lookup (about half the CPU time of open().read() for 11,000 files of a few kB)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_CHUNK = 1 << 16


def load_sheet_text(text: str, path: str, rubric_for: RubricFor | None = None) -> LoadedSheet:
    try:
        data = sheet_yaml.parse(text)
    except sheet_yaml.SheetSyntaxError as exc:
        raise SheetError(Where(path, exc.line), exc.message) from None
    return _Reader(text, path, rubric_for or default_rubric_for()).read(data)


class _Reader:
    def __init__(self, text: str, path: str, rubric_for: RubricFor) -> None:
        self.text, self.path, self.rubric_for = text, path, rubric_for
        self.unit: str | None = None

    def fail(self, keys: list[str], message: str, *, criterion: str | None = None, field: str | None = None) -> SheetError:
        where = sheet_yaml.line_of(self.text, self.path, keys)
        return SheetError(where, message, unit=self.unit, criterion=criterion, field=field)

    def text_field(self, data: dict, key: str, what: str) -> str:
        v = data.get(key)
        if not isinstance(v, str) or not v.strip():
            raise self.fail([key], f"thiếu {what} ('{key}: ...')" if v is None else f"{what} phải là chữ, nhận được {v!r}", field=key)
        return v.strip()

    def read(self, data: Any) -> LoadedSheet:
        if type(data) is not dict:
            raise self.fail([], "phiếu phải là một bảng khóa: giá trị (unit, group, rubric, answers)")
        for key in data:
            if key not in TOP_KEYS:
                raise self.fail([str(key)], f"khóa '{key}' không có trong phiếu (có: {', '.join(TOP_KEYS)})", field=str(key))
        self.unit = self.text_field(data, "unit", "tên đơn vị")
        if ("group" in data) == ("level" in data):
            raise self.fail(["group" if "group" in data else "unit"],
                            "phiếu ghi nhóm bằng đúng một trong hai khóa 'group' hoặc 'level'", field="group")
        group = self.text_field(data, "group" if "group" in data else "level", "nhóm")
        rubric_id = self.text_field(data, "rubric", "mã phiếu chấm")
        try:
            rubric = self.rubric_for(rubric_id)
        except (DataFileError, LookupError) as exc:
            raise self.fail(["rubric"], f"không dùng được phiếu chấm '{rubric_id}': {exc}", field="rubric") from None
        answers = self.answers(data.get("answers"), rubric)
        verified = self.verified(data.get("verified"), rubric)
        return LoadedSheet(SheetAnswers(self.unit, group, rubric_id, answers), verified, self.path)

    def keyed(self, value: Any, key: str) -> dict:
        """The mapping under `key`, its keys as written (a criterion id `1.10` is not the number 1.1)."""
        if value is None:
            return {}
        if type(value) is not dict:
            raise self.fail([key], f"'{key}' phải là một bảng mã tiêu chí: giá trị", field=key)
        if not set(map(type, value)) <= _TEXT:  # a key the parser read as a number: take it as written
            return dict(zip(sheet_yaml.raw_keys(self.text, key), value.values()))
        return value

    def answers(self, value: Any, rubric: Rubric) -> dict:
        raw = self.keyed(value, "answers")
        build = builders(rubric)
        try:  # every answer good: one pass, no bookkeeping
            return {cid: build[cid](cid, answer) for cid, answer in raw.items()}
        except (KeyError, BadAnswer):
            pass  # a bad answer: the loop below finds which one, for the message
        get = build.get
        out = {}
        cid = None
        try:
            for cid, answer in raw.items():
                b = get(cid)
                if b is None:
                    raise BadAnswer(None, f"không có trong phiếu chấm {rubric.id}")
                out[cid] = b(cid, answer)
        except BadAnswer as exc:
            keys = ["answers", cid] + (exc.field.split(".") if exc.field else [])
            raise self.fail(keys, exc.message, criterion=cid, field=exc.field) from None
        return out

    def verified(self, value: Any, rubric: Rubric) -> dict[str, float] | None:
        if value is None:
            return None
        out = {}
        for cid, pts in self.keyed(value, "verified").items():
            c = rubric.criterion(cid)
            if c is None:
                raise self.fail(["verified", cid], f"không có trong phiếu chấm {rubric.id}", criterion=cid, field="verified")
            try:
                out[cid] = float(points_within(pts, "verified", c.max))
            except BadAnswer as exc:
                raise self.fail(["verified", cid], exc.message, criterion=cid, field="verified") from None
        return out
