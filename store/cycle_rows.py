"""A cycle, its dated milestones, and the sheets of the units enrolled in it.

Every instant column is `UTCDateTime` (decision record 0001). States are strings checked against
the domain enums; only `store.repositories` writes them, by compare-and-set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.states import CYCLE_STATES, SHEET_STATES, check_in
from store.types import UTCDateTime


def instant(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class CycleRow(SQLModel, table=True):
    __tablename__ = "cycle"
    __table_args__ = (CheckConstraint(check_in("state", CYCLE_STATES), name="ck_cycle_state"),)

    id: str = Field(primary_key=True, max_length=120)
    regime_id: str = Field(max_length=80)
    regime_version: int
    # group id -> {"rubric_id": ..., "version": ...}: the versions pinned when the cycle opened.
    rubric_versions: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    year: int
    owner: str = Field(max_length=40)  # "province", or a district's unit code for its communes
    calendar_version: str = Field(max_length=80)
    state: str = Field(max_length=30)
    notice_date: dt.date | None = None
    # The day whose units the cycle enrolled (domain.units): the units valid on it.
    reference_date: dt.date | None = None
    facts: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score_round: int = 1  # bumped by a reopen: earlier score rows are kept, never overwritten
    opened_at: dt.datetime | None = instant(nullable=False)
    opened_by: str = Field(foreign_key="person.id", max_length=80)
    published_at: dt.datetime | None = instant()


class MilestoneRow(SQLModel, table=True):
    """One dated milestone of one group's timeline, as computed when the cycle opened."""

    __tablename__ = "cycle_milestone"

    cycle_id: str = Field(foreign_key="cycle.id", primary_key=True, max_length=120)
    group_id: str = Field(primary_key=True, max_length=40)
    milestone_id: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    date: dt.date | None = None
    closes_at: dt.datetime | None = instant()
    rule: str = ""
    estimated: bool = False
    roles: str = ""  # comma-separated milestone roles (submission, lock, ...)


class SheetRow(SQLModel, table=True):
    __tablename__ = "sheet"
    __table_args__ = (
        CheckConstraint(check_in("state", SHEET_STATES), name="ck_sheet_state"),
        UniqueConstraint("cycle_id", "unit_code", name="uq_sheet_cycle_unit"),
        CheckConstraint("extended_until IS NULL OR extension_reason IS NOT NULL", name="ck_sheet_extension_reason"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str = Field(foreign_key="cycle.id", max_length=120, index=True)
    unit_code: str = Field(foreign_key="unit.code", max_length=40)
    group_id: str = Field(max_length=40)
    rubric_id: str = Field(max_length=80)
    state: str = Field(max_length=30)
    draft_saved_at: dt.datetime | None = instant()
    received_at: dt.datetime | None = instant()  # the server's time of the accepted submission
    late: bool = False
    submitted_by: str | None = Field(default=None, foreign_key="person.id", max_length=80)
    extended_until: dt.datetime | None = instant()
    extension_reason: str | None = None


class AnswerRow(SQLModel, table=True):
    """The unit's answer to one criterion (the draft; frozen once the sheet is submitted)."""

    __tablename__ = "answer"

    sheet_id: int = Field(foreign_key="sheet.id", primary_key=True)
    criterion_id: str = Field(primary_key=True, max_length=80)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: dt.datetime | None = instant(nullable=False)


class EvidenceRow(SQLModel, table=True):
    """One evidence file of a sheet: the bytes are in the file store under `sha256` (the
    `files` room); `file_name` is the label the person gave it, `media_type` the kind its
    content was recognised as, `added_by` who handed it in."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id", "sha256", name="uq_evidence"),)

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="sheet.id", index=True)
    criterion_id: str = Field(max_length=80)
    file_name: str = Field(max_length=300)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_uri: str = Field(max_length=1000)
    added_at: dt.datetime | None = instant(nullable=False)
    media_type: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    added_by: str | None = Field(default=None, max_length=120)


class ScoreRow(SQLModel, table=True):
    """One criterion's points of one kind in one scoring round; rows are never updated."""

    __tablename__ = "score"
    __table_args__ = (
        CheckConstraint("kind IN ('self', 'computed', 'verified')", name="ck_score_kind"),
        UniqueConstraint("sheet_id", "criterion_id", "kind", "round", name="uq_score_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str = Field(foreign_key="cycle.id", max_length=120, index=True)
    sheet_id: int = Field(foreign_key="sheet.id", index=True)
    criterion_id: str = Field(max_length=80)
    kind: str = Field(max_length=10)
    round: int
    points: float
    max_points: float | None = None
    explanation: str = ""
    recorded_by: str = Field(foreign_key="person.id", max_length=80)
    recorded_at: dt.datetime | None = instant(nullable=False)


class ExplanationRow(SQLModel, table=True):
    __tablename__ = "explanation_request"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str = Field(foreign_key="cycle.id", max_length=120)
    sheet_id: int = Field(foreign_key="sheet.id", index=True)
    criterion_id: str | None = Field(default=None, max_length=80)
    question: str
    requested_by: str = Field(foreign_key="person.id", max_length=80)
    requested_at: dt.datetime | None = instant(nullable=False)
    due_at: dt.datetime | None = instant(nullable=False)  # the regime's working days, end of day
    answer: str | None = None
    answered_by: str | None = Field(default=None, foreign_key="person.id", max_length=80)
    answered_at: dt.datetime | None = instant()


class ApprovalRow(SQLModel, table=True):
    """The decision approving a cycle's results. A trigger (store.schema) refuses an approver
    who recorded verified points in the same cycle: four eyes, enforced by the database too."""

    __tablename__ = "approval"
    __table_args__ = (UniqueConstraint("cycle_id", "round", name="uq_approval_round"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: str = Field(foreign_key="cycle.id", max_length=120)
    round: int
    decision_number: str = Field(max_length=80)
    decision_date: dt.date
    approver_id: str = Field(foreign_key="person.id", max_length=80)
    approved_at: dt.datetime | None = instant(nullable=False)
