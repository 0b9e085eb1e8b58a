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
from rubrics.source import Where

try:  # pragma: no cover - depends on the environment
    import yaml_rs
except ImportError:
    yaml_rs = None

FAST_PARSER = "yaml_rs" if yaml_rs is not None else "PyYAML CSafeLoader"


class SheetSyntaxError(InvalidInput):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def parse(text: str) -> Any:
    """Plain Python values of a sheet file; SheetSyntaxError with the line when not YAML."""
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


def compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=yaml.SafeLoader)


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
    """The line of the deepest of `keys` (a path of mapping keys, compared as written) found."""
    try:
        node = compose(text)
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


def raw_keys(text: str, key: str) -> list[str]:
    """The keys of the top-level mapping `key` as written (`1.10` stays "1.10", not 1.1)."""
    root = compose(text)
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.MappingNode):
                return [str(kk.value) for kk, _ in v.value]
    return []
