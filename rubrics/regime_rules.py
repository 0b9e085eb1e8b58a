"""Classification, ranking and award rules of a regime file (placeholder; owned by the ranking work)."""

from __future__ import annotations

from typing import Any

from rubrics.source import Node


def parse_ranking_rules(root: Node, group_ids: set[str]) -> Any:
    return None
