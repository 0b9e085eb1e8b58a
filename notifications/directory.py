"""Who and what the messages name, read from the store in the caller's session: the cycle, each
unit with its focal person and head, and each group's deadlines (as frozen when the cycle opened).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from notifications.messages import Cycle, Recipient, Unit
from store.cycle_rows import CycleRow, MilestoneRow, SheetRow
from store.outbox import OutboxMessage
from store.register_rows import OwnerOfficeRow, PersonRow, UnitRow


@dataclass(frozen=True)
class Milestone:
    """A dated milestone as the reminder planner reads it (`domain.reminders.Deadline`)."""

    id: str
    name: str
    date: dt.date | None
    closes_at: dt.datetime | None
    roles: frozenset[str]


def default_title(row: CycleRow) -> str:
    return f"Đánh giá, xếp hạng năm {row.year}"


class Directory:
    def __init__(self, session: Session, *, secretariat: Sequence[Recipient], secretariat_name: str,
                 contact: str = "", title: Callable[[CycleRow], str] = default_title) -> None:
        self.s, self.secretariat, self.secretariat_name = session, tuple(secretariat), secretariat_name
        self.contact, self.title = contact, title

    def cycle(self, cycle_id: str) -> tuple[Cycle, CycleRow]:
        """The cycle as its messages name it. Who sends, signs, is replied to and decides comes
        from the cycle's owner in the register (owner_office); the settings only stand in for a
        register that names no office for that owner."""
        row = self.s.get(CycleRow, cycle_id)
        if row is None:
            raise LookupError(f"cycle '{cycle_id}' does not exist")
        office = self.s.get(OwnerOfficeRow, row.owner)
        if office is None:
            return Cycle(row.id, self.title(row), row.year, self.secretariat[0], self.secretariat_name,
                         self.contact), row
        contact = f"{office.contact_name}, ĐT {office.contact_phone}, {office.contact_email}"
        return Cycle(row.id, self.title(row), row.year, Recipient(office.mailbox, office.secretariat),
                     office.secretariat, contact, office.authority, office.address), row

    def staff_of(self, cycle: Cycle) -> tuple[Recipient, ...]:
        """Who gets the staff's own reminders: the owner's mailbox from the register, or the
        secretariat of the settings when the register names no office for the owner."""
        if cycle.secretariat.address in {r.address for r in self.secretariat}:
            return self.secretariat
        return (cycle.secretariat,)

    def units(self, codes: Iterable[str]) -> dict[str, Unit]:
        """Units with a focal person and a head who have e-mail addresses; others are skipped."""
        codes = sorted(set(codes))
        if not codes:
            return {}
        focal, head = aliased(PersonRow), aliased(PersonRow)
        stmt = (select(UnitRow.code, UnitRow.name, UnitRow.email, focal.full_name, focal.email, head.full_name,
                       head.email)
                .outerjoin(focal, focal.id == UnitRow.focal_person_id)
                .outerjoin(head, head.id == UnitRow.head_person_id)
                .where(UnitRow.code.in_(codes)))
        out = {}
        for code, name, unit_mail, f_name, f_mail, h_name, h_mail in self.s.execute(stmt):
            focal_r = Recipient(f_mail, f_name or "") if f_mail else (Recipient(unit_mail, name) if unit_mail else None)
            head_r = Recipient(h_mail, h_name or "") if h_mail else focal_r
            if focal_r is not None:
                out[code] = Unit(code, name, focal_r, head_r)
        return out

    def sheets(self, cycle_id: str) -> list[SheetRow]:
        return list(self.s.execute(select(SheetRow).where(SheetRow.cycle_id == cycle_id)
                                   .order_by(SheetRow.unit_code)).scalars())

    def waiting_sheets(self, cycle_id: str, states: Iterable[str]) -> list[tuple]:
        """(unit code, group, state, extended until) of the sheets in `states`, as plain rows."""
        stmt = (select(SheetRow.unit_code, SheetRow.group_id, SheetRow.state, SheetRow.extended_until)
                .where(SheetRow.cycle_id == cycle_id, SheetRow.state.in_(sorted(states)))
                .order_by(SheetRow.unit_code))
        return list(self.s.execute(stmt))

    def queued(self, cycle_id: str, occasions: Iterable[str]) -> set[tuple[str, str, str]]:
        """(unit, kind, occasion) already in the outbox for these occasions of the cycle."""
        occasions = sorted(set(occasions))
        if not occasions:
            return set()
        stmt = (select(OutboxMessage.unit_id, OutboxMessage.kind, OutboxMessage.occasion)
                .where(OutboxMessage.cycle_id == cycle_id, OutboxMessage.occasion.in_(occasions)))
        return {tuple(row) for row in self.s.execute(stmt)}

    def milestones(self, cycle_id: str) -> dict[str, list[Milestone]]:
        """Group id -> that group's dated milestones."""
        out: dict[str, list[Milestone]] = {}
        for r in self.s.execute(select(MilestoneRow).where(MilestoneRow.cycle_id == cycle_id)).scalars():
            roles = frozenset(x for x in (r.roles or "").split(",") if x)
            out.setdefault(r.group_id, []).append(Milestone(r.milestone_id, r.name, r.date, r.closes_at, roles))
        return out


def by_role(milestones: Sequence[Milestone], role: str) -> Milestone | None:
    return next((m for m in milestones if role in m.roles and m.closes_at is not None), None)


def day_of_role(milestones: Sequence[Milestone], role: str) -> dt.date | None:
    return next((m.date for m in milestones if role in m.roles and m.date is not None), None)
