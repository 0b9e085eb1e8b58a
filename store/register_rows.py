"""The units register and the people who act for them (rows only; input is validated elsewhere).

`table=True` models do not validate what they are built from, so they are only ever built
from values a loader or a service already checked (`rubrics.units_loader`, the services).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from store.cycle_rows import instant
from store.states import ROLES, UNIT_KINDS, UNIT_LEVELS, UNIT_ROLES, check_in


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    id: str = Field(primary_key=True, max_length=80)
    full_name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    active: bool = True


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint(check_in("kind", UNIT_KINDS), name="ck_unit_kind"),
        CheckConstraint(check_in("level", UNIT_LEVELS), name="ck_unit_level"),
        # A commune belongs to its district; nothing else has a parent.
        CheckConstraint("(level = 'commune') = (parent_code IS NOT NULL)", name="ck_unit_parent"),
    )

    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=300)  # as the province writes it, with diacritics
    kind: str = Field(max_length=30)
    level: str = Field(max_length=20)
    parent_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40, index=True)
    focal_person_id: str | None = Field(default=None, foreign_key="person.id", max_length=80)
    head_person_id: str | None = Field(default=None, foreign_key="person.id", max_length=80)
    email: str | None = Field(default=None, max_length=254)  # the unit's official mailbox
    active: bool = True


class RoleGrantRow(SQLModel, table=True):
    """A person holds a role for one scope: a unit (focal person, leader) or an owner
    (secretariat, council, approver, administrator of the province or of a district's commune
    cycle). Append-only (triggers, store.grant_triggers): a grant is never updated or deleted;
    it ends by a `GrantRevocationRow` that names it, so who held what, when, stays readable."""

    __tablename__ = "role_grant"
    __table_args__ = (
        CheckConstraint(check_in("role", ROLES), name="ck_role_grant_role"),
        # One scope: a unit role names its unit, every other role its owner (domain.authorization).
        CheckConstraint(f"({check_in('role', UNIT_ROLES)} AND unit_code IS NOT NULL AND owner_scope IS NULL) OR "
                        f"(NOT {check_in('role', UNIT_ROLES)} AND owner_scope IS NOT NULL AND unit_code IS NULL)",
                        name="ck_role_grant_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(foreign_key="person.id", max_length=80, index=True)
    role: str = Field(max_length=30)
    unit_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)
    owner_scope: str | None = Field(default=None, max_length=40)
    granted_at: dt.datetime | None = instant()
    granted_by: str | None = Field(default=None, max_length=120)  # who did it (a person, the shell, the bootstrap)


class GrantRevocationRow(SQLModel, table=True):
    """The end of a grant: appended, never an UPDATE or DELETE of the grant (append-only too)."""

    __tablename__ = "grant_revocation"

    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="role_grant.id", unique=True)
    revoked_at: dt.datetime | None = instant(nullable=False)
    revoked_by: str = Field(max_length=120)
    reason: str = Field(max_length=500)
