"""Lineage files (`rubrics/lineage/*.yaml`): which former units form which unit after a
rearrangement (Resolution 202/2025/QH15 for the provinces), validated at load: every problem
is `file:line: message`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from domain.lineage import Lineage
from rubrics.source import DATA_DIR, DataFileError, Node, load_yaml

LINEAGE_DIR = DATA_DIR / "lineage"


@dataclass(frozen=True, slots=True)
class LineageFile:
    id: str
    source: str
    effective: dt.date
    lineages: tuple[Lineage, ...]
    file: str


def load_lineage_file(path: Path | str) -> LineageFile:
    root = load_yaml(path).expect_map("a lineage file")
    root.only_keys({"id", "source", "effective", "units"}, "the lineage file")
    out: list[Lineage] = []
    successors: dict[str, Node] = {}
    predecessors: dict[str, Node] = {}
    for item in root.req("units", "the lineage file").expect_list("units"):
        item.expect_map("a unit of the lineage file")
        item.only_keys({"name", "from"}, "a unit")
        name = item.req("name", "a unit").str("name").strip()
        if name in successors:
            raise DataFileError(item.where, f"'{name}' is listed twice (first at line {successors[name].where.line})")
        successors[name] = item
        former: list[str] = []
        for p in item.req("from", f"unit {name}").expect_list("from"):
            pname = p.str("a former unit").strip()
            if pname in predecessors:
                raise DataFileError(p.where, f"'{pname}' already forms another unit "
                                             f"(line {predecessors[pname].where.line}): a former unit goes to one unit only")
            predecessors[pname] = p
            former.append(pname)
        if not former:
            raise DataFileError(item.where, f"unit {name}: 'from' needs at least one former unit (itself if unchanged)")
        out.append(Lineage(name, tuple(former)))
    if not out:
        raise DataFileError(root.where, "a lineage file needs at least one unit")
    return LineageFile(
        id=root.req("id", "the lineage file").str("id"),
        source=root.req("source", "the lineage file").str("source"),
        effective=root.req("effective", "the lineage file").date("effective"),
        lineages=tuple(out),
        file=str(path),
    )
