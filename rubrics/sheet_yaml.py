"""Parsing sheet files fast, and finding the line of a problem only when there is one.

Sheet files are the one bulk input: 11,000 communes' sheets must load in well under two
seconds. PyYAML cannot do that even with its C parser (`yaml.CSafeLoader`: ~9 s for 11,000
sheets of 50 answers here, and ~2.4 s just to produce the parse events), so the fast path is
`yaml_rs` (a compiled YAML 1.2 parser, ~1.3 s) into plain dicts, with PyYAML's C loader as the
fallback where `yaml_rs` is not installed. Neither keeps line numbers, so when a sheet is bad
the text is composed again by PyYAML, whose nodes carry marks, and the offending key is looked
up there (`line_of`). `rubrics.source.load_yaml` is not used for that: it builds typed values,
and YAML 1.1 reads the answer key `yes:` as the boolean true, which it rightly refuses as a key.

YAML 1.2 (yaml_rs) reads `yes`, `no`, `on`, `off` as text, so a flag must be written `true` or
`false`; the fallback parser maps a `yes` key read as a boolean back to the text "yes".
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from domain.errors import InvalidInput
from rubrics.source import MB, DataFileError, Where, YamlLimits, compose_limited

try:  # pragma: no cover - depends on the environment
    import yaml_rs
except ImportError:
    yaml_rs = None

FAST_PARSER = "yaml_rs" if yaml_rs is not None else "PyYAML CSafeLoader"

MAX_SHEET_BYTES = 1 * MB
"""A sheet file larger than this is refused before it is parsed. The largest shipped rubric's
sheet, every criterion answered with evidence notes, is a few tens of kB."""
LIMITS = YamlLimits(max_bytes=MAX_SHEET_BYTES, max_depth=16, max_aliases=0, what="phiếu đánh giá")
"""A sheet nests four levels (answers, a criterion, a document, its fields); aliases are refused."""


class SheetSyntaxError(InvalidInput):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def parse(text: str) -> Any:
    """Plain Python values of a sheet file; SheetSyntaxError with the line when not YAML, when
    larger than MAX_SHEET_BYTES, nested too deep, or using aliases."""
    if len(text) > MAX_SHEET_BYTES:  # characters: at least as many bytes
        raise SheetSyntaxError(1, f"phiếu lớn hơn giới hạn {MAX_SHEET_BYTES // MB} MB: không đọc")
    if "*" in text or "&" in text:  # rare in a sheet: only then look for anchors and aliases
        _refuse_aliases(text)
    if yaml_rs is not None:
        try:
            return yaml_rs.loads(text, parse_datetime=False)
        except yaml_rs.YAMLDecodeError as exc:
            return _slow_parse(text, str(exc))
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        return _slow_parse(text, str(exc))
    return _bool_keys_to_text(data)


def _refuse_aliases(text: str) -> None:
    """An anchor or alias anywhere is refused, with its line: a sheet has no use for them, and
    they are how a few hundred bytes expand into gigabytes (PyYAML's event parser is a state
    machine: no expansion, no recursion, whatever the nesting)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                kind = "bí danh" if isinstance(event, yaml.AliasEvent) else "neo"
                mark = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise SheetSyntaxError(event.start_mark.line + 1,
                                       f"phiếu không dùng {kind} YAML ({mark}{event.anchor}): viết đầy đủ giá trị")
    except yaml.MarkedYAMLError:
        return  # not YAML: the parsers below say where


def _bool_keys_to_text(data: Any) -> Any:
    if isinstance(data, dict):
        return {("yes" if k is True else "no" if k is False else k): _bool_keys_to_text(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_bool_keys_to_text(v) for v in data]
    return data


def _slow_parse(text: str, fast_message: str) -> Any:
    """The fast parser refused the text: say where it is wrong, or read it key by key.

    Keys are compared as written, so `1.1:` and `1.10:` (both the number 1.1 to a YAML
    parser) are two criteria, not a duplicate. A real duplicate or a syntax error gets its line.
    """
    try:
        root = compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SheetSyntaxError(mark.line + 1 if mark else 1, f"không phải YAML hợp lệ: {exc.problem or exc}") from None
    except DataFileError as exc:  # nested too deep
        raise SheetSyntaxError(exc.where.line if isinstance(exc.where, Where) else 1, exc.message) from None
    duplicate = _duplicate_key(root)
    if duplicate is not None:
        key, line = duplicate
        raise SheetSyntaxError(line, f"khóa '{key}' xuất hiện hai lần")
    try:
        return _construct(root, yaml.SafeLoader(""))
    except yaml.YAMLError:
        m = re.search(r"line (\d+)", fast_message)
        first = fast_message.strip().splitlines()[0] if fast_message.strip() else "lỗi cú pháp"
        raise SheetSyntaxError(int(m.group(1)) if m else 1, f"không phải YAML hợp lệ: {first}") from None


def _construct(node: yaml.Node | None, loader: yaml.SafeLoader) -> Any:
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _construct(v, loader) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, loader) for v in node.value]
    return loader.construct_object(node, deep=True)


def compose(text: str, path: str = "") -> yaml.Node | None:
    """PyYAML's node tree with marks, refusing nesting deeper than a sheet's (DataFileError)."""
    return compose_limited(text, LIMITS, path)


def _duplicate_key(node: yaml.Node | None) -> tuple[str, int] | None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            raw = str(k.value)
            if raw in seen:
                return raw, k.start_mark.line + 1
            seen.add(raw)
            found = _duplicate_key(v)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None


def line_of(text: str, path: str, keys: list[str]) -> Where:
    """The line of the deepest of `keys` (a path of mapping keys, compared as written) found.
    DataFileError when the text nests deeper than a sheet may: that is the problem to report."""
    try:
        node = compose(text, path)
    except yaml.YAMLError:
        return Where(path, 1)
    line = node.start_mark.line + 1 if node is not None else 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if str(k.value) == key:
                line, node = k.start_mark.line + 1, v
                # A value on its own line (block style) is where the problem is.
                line = max(line, v.start_mark.line + 1) if not isinstance(v, yaml.MappingNode) else line
                break
        else:
            break
    return Where(path, line)


def raw_keys(text: str, key: str) -> list[tuple[str, int]]:
    """The keys of the top-level mapping `key` as written (`1.10` stays "1.10", not 1.1), each
    with its line."""
    root = compose(text)
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.MappingNode):
                return [(str(kk.value), kk.start_mark.line + 1) for kk, _ in v.value]
    return []
