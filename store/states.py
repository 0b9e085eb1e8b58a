"""The state and role vocabularies the database accepts, taken from the domain enums.

States are stored as plain strings with a CHECK constraint (never native PostgreSQL enums:
Alembic does not migrate those), so the database refuses a status string that the domain
does not know even if some code path forgot to go through `next_*_state`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Iterable

from domain.authorization import UNIT_ROLES as _UNIT_ROLES
from domain.authorization import Role
from domain.cycle import CycleState
from domain.sheet import SheetState
from domain.units import CHANGES
from domain.units import UNIT_KINDS as _UNIT_KINDS

# Score rows: what the unit claims, what the rubric computes, what the council verified.
SCORE_KINDS = ("self", "computed", "verified")

# Kinds of unit in the register; a regime's groups name some of these (`Group.unit_kinds`).
UNIT_KINDS = _UNIT_KINDS
UNIT_LEVELS = ("national", "province", "district", "commune")
UNIT_CHANGES = CHANGES


def values(enum_or_values: type[StrEnum] | Iterable[str]) -> tuple[str, ...]:
    return tuple(str(getattr(v, "value", v)) for v in enum_or_values)


def check_in(column: str, allowed: Iterable[str]) -> str:
    """`column IN ('a', 'b')` — the values are our own identifiers, never user text."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed)
    return f"{column} IN ({quoted})"


CYCLE_STATES = values(CycleState)
SHEET_STATES = values(SheetState)
ROLES = values(Role)
UNIT_ROLES = tuple(sorted(values(_UNIT_ROLES)))
