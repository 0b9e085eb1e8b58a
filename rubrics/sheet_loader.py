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
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from domain.answers import SheetAnswers
from domain.limits import MAX_TOTAL_UNSTATED
from domain.rubric import Rubric
from domain.scoring_text import num
from rubrics import sheet_yaml
from rubrics.sheet_checks import builders
from rubrics.sheet_values import BadAnswer, points_within, shown
from rubrics.sheet_yaml import MAX_SHEET_BYTES
from rubrics.source import MB, DataFileError, Where

def _unstated(rubric: Rubric) -> frozenset[str]:
    """Ids of the rubric's criteria without a stated maximum (cached per rubric object)."""
    found = _UNSTATED.get(rubric)
    if found is None:
        found = _UNSTATED[rubric] = frozenset(c.id for c in rubric.criteria if c.max is None)
    return found


_UNSTATED: "weakref.WeakKeyDictionary[Rubric, frozenset[str]]" = weakref.WeakKeyDictionary()

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
    except IsADirectoryError:
        raise DataFileError(str(Path(path)), "đây là thư mục, không phải tệp phiếu") from None
    except SheetTooLarge:
        raise DataFileError(str(Path(path)), f"phiếu lớn hơn giới hạn {MAX_SHEET_BYTES // MB} MB: không đọc") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(Path(path)), f"không phải văn bản UTF-8 ({exc.reason} tại byte {exc.start})") from None
    except OSError as exc:
        raise DataFileError(str(Path(path)), f"không đọc được: {exc.strerror}") from None
    # The path as the caller gave it (no resolve(): a syscall per file at 11,000 files).
    return load_sheet_text(text, str(path), rubric_for or default_rubric_for())


def _read_bytes(path: Path | str) -> bytes:
    """The file's bytes through the os calls themselves: no buffered file object, no size
    lookup (about half the CPU time of open().read() for 11,000 files of a few kB). Reading
    stops one chunk past the size limit: a 50 MB file or /dev/zero costs one megabyte."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block: it reads as empty
    try:
        chunks = []
        size = 0
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_SHEET_BYTES:
                raise SheetTooLarge
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class SheetTooLarge(Exception):
    pass


_CHUNK = 1 << 16


def load_sheet_text(text: str, path: str, rubric_for: RubricFor | None = None) -> LoadedSheet:
    """THE entry point of answer validation, whatever the sheet's file format: a YAML sheet's
    text (from a file, an upload or a form) becomes checked `SheetAnswers`, or a SheetError
    naming `path`, the line, the unit, the criterion and the field. Another format (a
    spreadsheet) that produces the same plain structure calls `load_sheet_data` instead.

    Limits (docs/security.md): MAX_SHEET_BYTES, no YAML aliases, nesting at most
    `sheet_yaml.LIMITS.max_depth`, every number finite and within its criterion's range and
    every total within `sheet_values.MAX_TOTAL`; a criterion given twice (`1:` and `"1":`) is
    refused.
    """
    if text[:1] == "\ufeff":  # a byte-order mark, as Windows editors write it
        text = text[1:]
    try:
        data = sheet_yaml.parse(text)
    except sheet_yaml.SheetSyntaxError as exc:
        raise SheetError(Where(path, exc.line), exc.message) from None
    return _Reader(text, path, rubric_for or default_rubric_for()).read(data)


Locate = Callable[[list[str]], Where]


def load_sheet_data(data: Any, path: str, locate: Locate, rubric_for: RubricFor | None = None) -> LoadedSheet:
    """The same checks as `load_sheet_text` on a sheet already read into plain values (a dict
    with unit, group or level, rubric, answers, verified; criterion ids as text) by another
    reader, e.g. of a spreadsheet. `locate(keys)` tells where the value at that key path is
    (`["answers", "I.3.1", "numerator"]` -> a cell) for the error message."""
    return _Reader("", path, rubric_for or default_rubric_for(), locate).read(data)


class _Reader:
    def __init__(self, text: str, path: str, rubric_for: RubricFor, locate: Locate | None = None) -> None:
        self.text, self.path, self.rubric_for, self.locate = text, path, rubric_for, locate
        self.unit: str | None = None

    def fail(self, keys: list[str], message: str, *, criterion: str | None = None, field: str | None = None) -> SheetError:
        try:
            where = self.locate(keys) if self.locate is not None else sheet_yaml.line_of(self.text, self.path, keys)
        except DataFileError as exc:  # nested deeper than a sheet may be: say that instead
            return SheetError(exc.where, exc.message, unit=self.unit)
        return SheetError(where, message, unit=self.unit, criterion=criterion, field=field)

    def text_field(self, data: dict, key: str, what: str) -> str:
        v = data.get(key)
        if not isinstance(v, str) or not v.strip():
            raise self.fail([key], f"thiếu {what} ('{key}: ...')" if v is None else f"{what} phải là chữ, nhận được {shown(v)}", field=key)
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
        self.check_totals(answers, verified, rubric)
        return LoadedSheet(SheetAnswers(self.unit, group, rubric_id, answers), verified, self.path)

    def keyed(self, value: Any, key: str) -> dict:
        """The mapping under `key`, its keys as written (a criterion id `1.10` is not the number 1.1)."""
        if value is None:
            return {}
        if type(value) is not dict:
            raise self.fail([key], f"'{key}' phải là một bảng mã tiêu chí: giá trị", field=key)
        if not set(map(type, value)) <= _TEXT:  # a key the parser read as a number: take it as written
            if self.locate is not None:
                raise self.fail([key], f"mã tiêu chí trong '{key}' phải là chữ", field=key)
            raw = sheet_yaml.raw_keys(self.text, key)
            seen: set[str] = set()
            for name, line in raw:
                if name in seen:
                    raise SheetError(Where(self.path, line), f"tiêu chí '{name}' được khai hai lần", unit=self.unit,
                                     criterion=name, field=key)
                seen.add(name)
            if len(raw) != len(value):  # the parser merged two keys (`1: ` and `"1": `)
                raise self.fail([key], f"'{key}' khai một tiêu chí hai lần (ví dụ 1 và \"1\")", field=key)
            return dict(zip((name for name, _ in raw), value.values()))
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

    def check_totals(self, answers: dict, verified: dict[str, float] | None, rubric: Rubric) -> None:
        """Criteria without a stated maximum: their points, the unit's claims and the council's
        points each add up to at most MAX_TOTAL_UNSTATED (a rubric with maxima bounds itself)."""
        unstated = _unstated(rubric)
        if not unstated:
            return
        sums = (("points", "tổng điểm", sum(a.points or 0 for cid, a in answers.items() if cid in unstated)),
                ("answers", "tổng điểm tự đánh giá",
                 sum(a.self_points or 0 for cid, a in answers.items() if cid in unstated)),
                ("verified", "tổng điểm thẩm định", sum(p for cid, p in (verified or {}).items() if cid in unstated)))
        for key, what, total in sums:
            if total > MAX_TOTAL_UNSTATED:
                raise self.fail(["verified" if key == "verified" else "answers"],
                                f"{what} {num(total)} vượt giới hạn {num(MAX_TOTAL_UNSTATED)} của các tiêu chí "
                                "không ghi điểm tối đa", field=key)

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
