"""The units register and the people who act for them (rows only; input is validated elsewhere).

`table=True` models do not validate what they are built from, so they are only ever built
from values a loader or a service already checked (`rubrics.units_loader`, the services).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from store.cycle_rows import instant
from store.states import ROLES, UNIT_CHANGES, UNIT_KINDS, UNIT_LEVELS, UNIT_ROLES, check_in


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
        # Only a commune-level unit has a parent (its district, until 30/6/2025); since 1/7/2025
        # most have none: the province evaluates them directly (Resolution 202/2025/QH15).
        CheckConstraint("level = 'commune' OR parent_code IS NULL", name="ck_unit_parent"),
        CheckConstraint("valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until",
                        name="ck_unit_validity"),
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
    # The days the unit exists, both ends included (None: open). A unit that ended stays: the
    # cycles that enrolled it still show it as it was (domain.units).
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class UnitLineageRow(SQLModel, table=True):
    """`unit_code` continues `predecessor_code` (merged, split, renamed, moved). The predecessor
    may be a unit of another register (another province), so it is a plain code."""

    __tablename__ = "unit_lineage"
    __table_args__ = (CheckConstraint(check_in("change", UNIT_CHANGES), name="ck_unit_lineage_change"),)

    unit_code: str = Field(foreign_key="unit.code", primary_key=True, max_length=40)
    predecessor_code: str = Field(primary_key=True, max_length=40, index=True)
    change: str = Field(max_length=20)


class OwnerOfficeRow(SQLModel, table=True):
    """Who runs an owner's cycles, as the register names them: the secretariat, the deciding
    authority, the address, the mailbox units reply to and the contact person (every e-mail
    takes them from here, never from a template's text)."""

    __tablename__ = "owner_office"

    owner: str = Field(primary_key=True, max_length=40)  # "province" or a district's unit code
    secretariat: str = Field(max_length=300)
    authority: str = Field(max_length=300)
    address: str = Field(max_length=500)
    mailbox: str = Field(max_length=254)
    contact_name: str = Field(max_length=200)
    contact_phone: str = Field(max_length=30)
    contact_email: str = Field(max_length=254)


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
