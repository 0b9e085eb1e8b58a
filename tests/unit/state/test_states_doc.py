"""docs/states.md shows the same tables as the code: a changed table fails until the page follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.authorization import POLICY, Role
from domain.cycle import CYCLE_TRANSITIONS, DEFAULT_DRIVERS
from domain.sheet import SHEET_TRANSITIONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "states.md"
SCOPE_WORDS = {"own_unit": "own unit", "cycle_owner": "cycle owner", "any": "any"}


def rows(marker: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker}:start -->\n(.*?)<!-- {marker}:end -->", text, re.S)
    assert found, f"docs/states.md has no '{marker}' table"
    lines = [line for line in found.group(1).splitlines() if line.startswith("|")][2:]  # header, rule
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in lines]


def test_the_cycle_table_on_the_page_is_the_code_s():
    expected = [[s.value, t.value, to.value, DEFAULT_DRIVERS[t]] for (s, t), to in CYCLE_TRANSITIONS.items()]
    assert sorted(rows("cycle-transitions")) == sorted(expected)


def test_the_sheet_table_on_the_page_is_the_code_s():
    expected = [[s.value, t.value, to.value] for (s, t), to in SHEET_TRANSITIONS.items()]
    assert sorted(rows("sheet-transitions")) == sorted(expected)


def test_the_role_table_on_the_page_is_the_policy():
    expected = [
        [command.value, rule.target.value,
         *(SCOPE_WORDS[rule.grants[r]] if r in rule.grants else "—" for r in Role)]
        for command, rule in POLICY.items()
    ]
    assert sorted(rows("policy")) == sorted(expected)


@pytest.mark.parametrize("diagram", ["cycle", "sheet"])
def test_every_move_appears_in_the_mermaid_diagram(diagram):
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    block = blocks[0 if diagram == "cycle" else 1]
    table = CYCLE_TRANSITIONS if diagram == "cycle" else SHEET_TRANSITIONS
    edges = set(re.findall(r"^\s*(\w+) --> (\w+)", block, re.M))
    assert {(s.value, to.value) for (s, _), to in table.items()} <= edges
