"""YAML data files that remember where each value came from.

Every rubric, regime and calendar file is read through `load_yaml`, which returns plain
Python values wrapped so that any mapping, list or scalar can tell the file and line it was
written on. Loaders raise `DataFileError(where, message)` and the user reads
``rubrics/regimes/x.yaml:12: ...`` instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from domain.errors import InvalidInput


@dataclass(frozen=True)
class Where:
    """A place in a data file: path and 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class DataFileError(InvalidInput):
    """A data file says something we cannot accept; the message names the file and line."""

    def __init__(self, where: Where | str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class Node:
    """A value from a data file with its position. Mappings and lists hold Nodes."""

    __slots__ = ("value", "where", "key_where")

    def __init__(self, value: Any, where: Where, key_where: dict[str, Where] | None = None) -> None:
        self.value = value
        self.where = where
        # For mappings: where each key was written (an unknown key is reported on its own line).
        self.key_where = key_where or {}

    def where_of_key(self, key: str) -> Where:
        return self.key_where.get(key, self.where)

    # --- mappings -------------------------------------------------------------------------
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def expect_map(self, what: str) -> "Node":
        if not self.is_map():
            raise DataFileError(self.where, f"{what} must be a mapping (key: value)")
        return self

    def expect_list(self, what: str) -> "Node":
        if not self.is_list():
            raise DataFileError(self.where, f"{what} must be a list")
        return self

    def keys(self) -> list[str]:
        return list(self.expect_map("this entry").value.keys())

    def has(self, key: str) -> bool:
        return self.is_map() and key in self.value

    def get(self, key: str) -> "Node | None":
        return self.expect_map("this entry").value.get(key)

    def req(self, key: str, what: str | None = None) -> "Node":
        node = self.expect_map(what or "this entry").value.get(key)
        if node is None or node.value is None:
            raise DataFileError(self.where, f"{what or 'entry'} is missing required key '{key}'")
        return node

    def only_keys(self, allowed: set[str], what: str) -> None:
        for key, node in self.expect_map(what).value.items():
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise DataFileError(self.where_of_key(key), f"unknown key '{key}' in {what} (known: {known})")

    def items(self) -> Iterator[tuple[str, "Node"]]:
        return iter(self.expect_map("this entry").value.items())

    def __iter__(self) -> Iterator["Node"]:
        return iter(self.expect_list("this entry").value)

    def __len__(self) -> int:
        return len(self.expect_list("this entry").value) if self.is_list() else len(self.expect_map("this entry").value)

    def __bool__(self) -> bool:
        # A Node is always "there"; test `.value` for the value's own truth.
        return True

    # --- scalars --------------------------------------------------------------------------
    def str(self, what: str) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise DataFileError(self.where, f"{what} must be non-empty text, got {self.value!r}")
        return self.value

    def int(self, what: str, *, min: int | None = None, max: int | None = None) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise DataFileError(self.where, f"{what} must be a whole number, got {v!r}")
        if (min is not None and v < min) or (max is not None and v > max):
            raise DataFileError(self.where, f"{what} must be between {min} and {max}, got {v}")
        return v

    def number(self, what: str, *, min: float | None = None, max: float | None = None) -> float:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            raise DataFileError(self.where, f"{what} must be a number, got {v!r}")
        if (min is not None and v < min) or (max is not None and v > max):
            raise DataFileError(self.where, f"{what} must be between {min} and {max}, got {v}")
        return v

    def bool(self, what: str) -> bool:
        if not isinstance(self.value, bool):
            raise DataFileError(self.where, f"{what} must be true or false, got {self.value!r}")
        return self.value

    def date(self, what: str) -> dt.date:
        v = self.value
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            if isinstance(v, str):
                try:
                    return dt.date.fromisoformat(v)
                except ValueError:
                    pass
            raise DataFileError(self.where, f"{what} must be a date YYYY-MM-DD, got {v!r}")
        return v

    def choice(self, what: str, options: set[str] | list[str]) -> str:
        v = self.str(what)
        if v not in options:
            raise DataFileError(self.where, f"{what} must be one of {', '.join(sorted(options))}; got '{v}'")
        return v

    def plain(self) -> Any:
        """The value with positions stripped (for data that is passed through as is)."""
        if isinstance(self.value, dict):
            return {k: n.plain() for k, n in self.value.items()}
        if isinstance(self.value, list):
            return [n.plain() for n in self.value]
        return self.value


@dataclass(frozen=True)
class YamlLimits:
    """What a YAML file may cost before it is refused (docs/security.md, "Tệp từ bên ngoài").

    `max_aliases` 0 refuses aliases (`*name`) outright: files people hand in (the units register,
    a sheets folder's manifest) have no use for them, and an alias is how a few hundred bytes
    become gigabytes. Rules files may use a few; `max_nodes` caps what they expand to.
    """

    max_bytes: int
    max_depth: int = 32
    max_aliases: int = 0
    max_nodes: int = 1_000_000
    what: str = "tệp dữ liệu"


MB = 1024 * 1024
RULES = YamlLimits(max_bytes=5 * MB, max_aliases=200, max_nodes=100_000, what="tệp quy tắc")
"""Rubrics, regimes, the calendar, and a province's rubric file given to `rubric check`."""
HANDED_IN = YamlLimits(max_bytes=20 * MB, what="tệp dữ liệu")
"""Files people hand in: the units register, a sheets folder's `not_evaluated.yaml`."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys, keeps marks (see _construct), and refuses
    nesting deeper than the limits and aliases beyond them while composing (PyYAML's composer
    recurses once per level: 500 levels would be a RecursionError, not a message)."""

    limits: YamlLimits = RULES
    path: str = ""

    def compose_document(self):  # noqa: D102 - PyYAML's hook
        self._depth = 0
        self._aliases = 0
        return super().compose_document()

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML's hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self._aliases += 1
            if self.limits.max_aliases == 0:
                raise DataFileError(Where(self.path, event.start_mark.line + 1),
                                    f"không dùng bí danh YAML (*{event.anchor}) trong {self.limits.what}: "
                                    "viết đầy đủ giá trị")
            if self._aliases > self.limits.max_aliases:
                raise DataFileError(Where(self.path, event.start_mark.line + 1),
                                    f"quá nhiều bí danh YAML (hơn {self.limits.max_aliases}) trong {self.limits.what}")
        self._depth += 1
        try:
            if self._depth > self.limits.max_depth:
                mark = self.peek_event().start_mark
                raise DataFileError(Where(self.path, mark.line + 1),
                                    f"lồng quá sâu (hơn {self.limits.max_depth} cấp) trong {self.limits.what}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Budget:
    """Nodes built so far, and the nodes being built (an alias inside itself is a loop)."""

    def __init__(self, path: str, limits: YamlLimits) -> None:
        self.path, self.limits, self.count = path, limits, 0
        self.open: set[int] = set()


def _construct(loader: _Loader, node: yaml.Node, path: str, budget: _Budget) -> Node:
    where = Where(path, node.start_mark.line + 1)
    budget.count += 1
    if budget.count > budget.limits.max_nodes:
        raise DataFileError(where, f"tệp mở rộng thành hơn {budget.limits.max_nodes} giá trị (bí danh lồng nhau): "
                                   "không nhận")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in budget.open:
            raise DataFileError(where, "bí danh YAML trỏ vào chính nó (vòng lặp): không nhận")
        budget.open.add(id(node))
        try:
            return _construct_collection(loader, node, path, where, budget)
        finally:
            budget.open.discard(id(node))
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError as exc:
        # PyYAML resolves 2026-02-30 as a timestamp and datetime refuses it, without a mark.
        what = "a real date" if node.tag.endswith(":timestamp") else "a valid value"
        raise DataFileError(where, f"'{node.value}' is not {what} ({exc})") from None
    return Node(value, where)


def _construct_collection(loader: _Loader, node: yaml.Node, path: str, where: Where, budget: _Budget) -> Node:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Node] = {}
        key_where: dict[str, Where] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataFileError(Where(path, key_node.start_mark.line + 1), "a key must be text")
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise DataFileError(Where(path, key_node.start_mark.line + 1), f"key {key!r} must be text")
            key = str(key)
            if key in out:
                raise DataFileError(Where(path, key_node.start_mark.line + 1), f"duplicate key '{key}'")
            out[key] = _construct(loader, value_node, path, budget)
            key_where[key] = Where(path, key_node.start_mark.line + 1)
        return Node(out, where, key_where)
    return Node([_construct(loader, item, path, budget) for item in node.value], where)


def _check_expansion(root: yaml.Node, path: str, limits: YamlLimits) -> None:
    """How many values the node graph expands to, counted once per distinct node (aliases share
    nodes): a billion laughs is refused before a single value is built."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise DataFileError(Where(path, node.start_mark.line + 1), "bí danh YAML trỏ vào chính nó (vòng lặp): không nhận")
        open_.add(key)
        if isinstance(node, yaml.MappingNode):
            n = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            n = 1 + sum(size(v) for v in node.value)
        else:
            n = 1
        open_.discard(key)
        if n > limits.max_nodes:
            raise DataFileError(Where(path, node.start_mark.line + 1),
                                f"tệp mở rộng thành hơn {limits.max_nodes} giá trị (bí danh lồng nhau): không nhận")
        sizes[key] = n
        return n

    size(root)


def load_yaml_text(text: str, path: str, limits: YamlLimits = RULES) -> Node:
    """Parse YAML text; `path` is only used to name the source in errors."""
    loader = _Loader(text)
    loader.limits, loader.path = limits, path
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DataFileError(Where(path, line), f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(Where(path, 1), f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if root is None:
        raise DataFileError(Where(path, 1), "the file is empty")
    if loader._aliases:
        _check_expansion(root, path, limits)
    try:
        return _construct(loader, root, path, _Budget(path, limits))
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise DataFileError(Where(path, mark.line + 1 if mark else 1), str(exc.problem)) from None


def compose_limited(text: str, limits: YamlLimits, path: str = "") -> yaml.Node | None:
    """PyYAML's node tree (with marks) of `text` under `limits`; DataFileError beyond them."""
    loader = _Loader(text)
    loader.limits, loader.path = limits, path
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_capped(path: Path | str, max_bytes: int) -> bytes:
    """A file's bytes, refused (OSError-free: DataFileError naming the file) when larger than
    `max_bytes`; never reads more than one byte past the cap, so /dev/zero costs nothing."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise DataFileError(str(p), "no such file") from None
    except IsADirectoryError:
        raise DataFileError(str(p), "là thư mục, không phải tệp") from None
    except OSError as exc:
        raise DataFileError(str(p), f"cannot be read: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise DataFileError(str(p), f"tệp lớn hơn giới hạn {max_bytes / MB:g} MB: không đọc")
    return data


def load_yaml(path: Path | str, limits: YamlLimits = RULES) -> Node:
    p = Path(path)
    data = read_capped(p, limits.max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(str(p), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if text.startswith("\ufeff"):  # a byte-order mark, as Windows editors write it
        text = text[1:]
    return load_yaml_text(text, display_path(p), limits)


def display_path(p: Path) -> str:
    """A path as the user would name it: relative to the working directory when inside it."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


DATA_DIR = Path(__file__).resolve().parent
