"""Rubric files (YAML, read through `rubrics.source`) -> `domain.rubric.Rubric`, validated.

Shipped rubrics live in `rubrics/sheets/`, one file per rubric id (`<id>.yaml`). A file holds
sections, nested groups and criteria; the format is in docs/rubrics.md. Every problem names the
file, the line and the criterion or section. `check_rubric_file` lists them all (errors and
warnings); `load_rubric_file` raises the first error (with a count of the others).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from domain.rubric import Criterion, FlagRule, Rubric, Section
from rubrics.rubric_checks import Problem, check_replacement, check_structure
from rubrics.rubric_criteria import parse_criterion, parse_id, parse_rule
from rubrics.source import DATA_DIR, DataFileError, Node, Where, load_yaml

SHEETS_DIR = DATA_DIR / "sheets"

_TOP_KEYS = {"id", "title", "source", "max", "criteria_count", "complete", "notes", "rules", "sections"}
_SECTION_KEYS = {"id", "title", "max", "criteria_count", "note", "items"}


class RubricError(DataFileError):
    """A rubric file has errors; `problems` lists them all (the message shows the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems: run 'dtiflow rubric check')" if len(problems) > 1 else ""
        subject = f"{first.subject}: " if first.subject else ""
        super().__init__(first.where, f"{subject}{first.message}{more}")


@dataclass
class Parsed:
    rubric: Rubric | None
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, Where] = field(default_factory=dict)  # criterion id / "section X" -> line

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def parse_rubric_file(path: Path | str) -> Parsed:
    """Parse and check a file; never raises on a bad file, the problems say what is wrong."""
    try:
        root = load_yaml(path)
    except DataFileError as exc:
        return Parsed(None, [Problem(exc.where, "", exc.message)])
    return _Builder(root).build()


# (resolved path, mtime, size) -> Rubric. A rubric is immutable, and returning the same object
# lets `domain.scoring` reuse its compiled form (cached by identity) across sheets and cycles;
# an edited file has a new mtime and is read again.
_CACHE: dict[tuple[str, int, int], Rubric] = {}


def load_rubric_file(path: Path | str) -> Rubric:
    try:
        st = Path(path).stat()
        key = (str(Path(path).resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None  # parse_rubric_file reports the missing or unreadable file
    if key is not None and key in _CACHE:
        return _CACHE[key]
    parsed = parse_rubric_file(path)
    if parsed.errors:
        raise RubricError(parsed.errors)
    assert parsed.rubric is not None
    if key is not None:
        _CACHE[key] = parsed.rubric
    return parsed.rubric


def clear_cache() -> None:
    _CACHE.clear()


def check_rubric_file(path: Path | str) -> list[Problem]:
    """Every error and warning of a rubric file. A file whose id is that of a shipped stand-in
    sheet (a province's detailed appendix) is also checked against the decision's index structure."""
    parsed = parse_rubric_file(path)
    problems = list(parsed.problems)
    if parsed.rubric is not None and not parsed.errors:
        problems += _replacement_problems(parsed, Path(path))
    return problems


def _replacement_problems(parsed: Parsed, path: Path) -> list[Problem]:
    rubric = parsed.rubric
    shipped_path = SHEETS_DIR / f"{rubric.id}.yaml"
    if not shipped_path.exists() or shipped_path.resolve() == path.resolve():
        return []
    shipped = load_rubric_file(shipped_path)
    if shipped.complete:
        return []
    file_where = Where(str(path), 1)
    return check_replacement(shipped, rubric, parsed.where, parsed.where.get("rubric", file_where))


def load_rubric(rubric_id: str, detailed: Path | str | None = None) -> Rubric:
    """A shipped rubric by id; with `detailed`, a province's detailed appendix that replaces the
    shipped stand-in sheet, accepted only if it keeps the decision's index structure."""
    # An id of the catalogue, never a path: a sheet's `rubric: ../../../srv/x` must not read
    # a file outside it (nor echo what that file holds).
    known = list_rubrics()
    if rubric_id not in known:
        raise DataFileError(str(SHEETS_DIR), f"no rubric '{rubric_id}' (shipped: {', '.join(known)})")
    path = SHEETS_DIR / f"{rubric_id}.yaml"
    shipped = load_rubric_file(path)
    if detailed is None:
        return shipped
    parsed = parse_rubric_file(detailed)
    if parsed.errors:
        raise RubricError(parsed.errors)
    errors = [p for p in check_replacement(shipped, parsed.rubric, parsed.where, Where(str(detailed), 1)) if p.is_error]
    if errors:
        raise RubricError(errors)
    return parsed.rubric


def list_rubrics() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in SHEETS_DIR.glob("*.yaml"))


class _Builder:
    def __init__(self, root: Node) -> None:
        self.root = root
        self.file_where = root.where
        self.problems: list[Problem] = []
        self.where: dict[str, Where] = {"rubric": root.where}
        self.criteria: list[Criterion] = []
        self.sections: list[Section] = []
        self.ids: dict[str, Where] = {}
        self.default_rules: tuple[FlagRule, ...] = ()

    def error(self, exc: DataFileError, subject: str = "") -> None:
        self.problems.append(Problem(exc.where, subject, exc.message))

    def build(self) -> Parsed:
        root = self.root
        try:
            root.expect_map("a rubric file").only_keys(_TOP_KEYS, "a rubric file")
            rid = parse_id(root.req("id", "a rubric file"), "rubric id")
            title = root.req("title", "a rubric file").str("title")
            source = root.req("source", "a rubric file").str("source (the decision and appendix)")
            mx = root.get("max").number("max", min=0) if root.get("max") is not None else None
            count_node = root.get("criteria_count")
            count = count_node.int("criteria_count", min=1) if count_node is not None else None
            complete = root.get("complete").bool("complete") if root.get("complete") is not None else True
            notes = tuple(n.str("a note") for n in (root.get("notes") or Node([], root.where)))
            self.default_rules = tuple(parse_rule(r) for r in (root.get("rules") or Node([], root.where)))
            sections = root.req("sections", "a rubric file").expect_list("sections")
        except DataFileError as exc:
            self.error(exc)
            return Parsed(None, self.problems, self.where)
        for s in sections:
            self._section(s, None)
        rubric = Rubric(
            id=rid,
            title=title,
            source=source,
            max=None if mx is None else float(mx),
            sections=tuple(self.sections),
            criteria=tuple(self.criteria),
            complete=complete,
            notes=notes,
            stated_count=count,
        )
        if not complete:
            self.problems.append(Problem(
                self.file_where, "rubric",
                "the decision's detailed appendix is not loaded: this sheet stands in for it", "warning",
            ))
        if not any(p.is_error for p in self.problems):
            self.problems += check_structure(rubric, self.where, self.file_where)
        return Parsed(rubric, self.problems, self.where)

    def _claim(self, ident: str, node: Node, subject: str) -> bool:
        if ident in self.ids:
            self.problems.append(Problem(node.where, subject, f"duplicate id (first used at line {self.ids[ident].line})"))
            return False
        self.ids[ident] = node.where
        return True

    def _section(self, node: Node, parent: str | None) -> list[str]:
        """Parse a section or group; returns the ids of all criteria below it."""
        try:
            node.expect_map("a section").only_keys(_SECTION_KEYS, "a section")
            sid = parse_id(node.req("id", "section"), "section id")
        except DataFileError as exc:
            self.error(exc)
            return []
        subject = f"section {sid}"
        try:
            title = node.req("title", "section").str("section title")
            mx = node.get("max").number("section max", min=0) if node.get("max") is not None else None
            count_node = node.get("criteria_count")
            count = count_node.int("criteria_count", min=1) if count_node is not None else None
            note = node.get("note").str("note") if node.get("note") is not None else ""
            items = node.req("items", "section").expect_list("items")
        except DataFileError as exc:
            self.error(exc, subject)
            return []
        if not self._claim(sid, node, subject):
            return []
        self.where["section " + sid] = node.where
        slot = len(self.sections)
        self.sections.append(None)  # keep sheet order: parents before their groups
        below: list[str] = []
        for item in items:
            if item.is_map() and item.has("items"):
                below += self._section(item, sid)
            elif item.is_map() and item.has("kind"):
                below += self._criterion(item, sid)
            else:
                self.problems.append(Problem(
                    item.where, subject,
                    "an item needs 'kind' (a criterion) or 'items' (a group of criteria)",
                ))
        if not items.value:
            self.problems.append(Problem(node.where, subject, "has no items"))
        self.sections[slot] = Section(
            id=sid, title=title, max=None if mx is None else float(mx), parent=parent,
            criterion_ids=tuple(below), note=note, stated_count=count,
        )
        return below

    def _criterion(self, node: Node, section_id: str) -> list[str]:
        try:
            c = parse_criterion(node, section_id, self.default_rules)
        except DataFileError as exc:
            self.error(exc)
            return []
        if not self._claim(c.id, node, f"criterion {c.id}"):
            return []
        self.where[c.id] = node.where
        self.criteria.append(c)
        if c.max is None:
            self.problems.append(Problem(
                node.where, f"criterion {c.id}",
                "no maximum: the decision's appendix with this criterion's maximum is not loaded; "
                "points are entered as they are",
                "warning",
            ))
        return [c.id]
