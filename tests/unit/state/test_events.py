"""Domain events: small, frozen, past tense, and carrying what an audit entry and an e-mail need."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from domain import events as ev
from domain.cycle import CycleTrigger
from domain.instants import NaiveInstantError
from domain.sheet import SheetTrigger

UTC = dt.timezone.utc
AT = dt.datetime(2019, 9, 16, 2, 30, tzinfo=UTC)
LATER = dt.datetime(2019, 9, 27, 17, tzinfo=UTC)


def sample_value(name: str, annotation: str):
    """A plausible value for a field, from its name and annotation (strings under PEP 563)."""
    if name in ("at", "received_at", "submission_due", "acceptance_end", "previous_due", "due"):
        return AT
    if name == "extended_until":
        return LATER
    if "dt.date" in annotation:
        return dt.date(2019, 11, 25)
    if "tuple" in annotation:
        return ("I.1", "I.2")
    if annotation.startswith("bool"):
        return True
    if annotation.startswith("int"):
        return 2019
    return f"{name}-value"


def sample(event_type: type[ev.Event], **overrides) -> ev.Event:
    hints = {f.name: str(f.type) for f in dataclasses.fields(event_type)}
    values = {name: sample_value(name, hint) for name, hint in hints.items()
              if name not in ("actor", "role")}
    values.update(actor="nguyen.van.a", role="secretariat")
    values.update(overrides)
    return event_type(**values)


@pytest.mark.parametrize("event_type", ev.ALL_EVENTS, ids=lambda t: t.__name__)
def test_every_event_is_a_frozen_dataclass(event_type):
    event = sample(event_type)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.cycle_id = "other"  # type: ignore[misc]


@pytest.mark.parametrize("event_type", ev.ALL_EVENTS, ids=lambda t: t.__name__)
def test_every_event_is_named_in_the_past_tense(event_type):
    words = re.findall(r"[A-Z][a-z]*", event_type.__name__)
    assert any(w.endswith("ed") or w in ("Given",) for w in words), event_type.__name__
    assert sample(event_type).name == event_type.__name__


@pytest.mark.parametrize("event_type", ev.ALL_EVENTS, ids=lambda t: t.__name__)
def test_every_event_has_what_an_audit_entry_needs(event_type):
    payload = sample(event_type).payload()
    assert {"cycle_id", "at", "actor", "role", "from_state", "to_state", "reason"} <= set(payload)
    json.dumps(payload)  # JSON-ready: instants and dates as ISO strings, enums as values
    assert payload["at"] == "2019-09-16T02:30:00+00:00" and payload["role"] == "secretariat"


@pytest.mark.parametrize("event_type", [t for t in ev.ALL_EVENTS if issubclass(t, ev.UnitEvent)], ids=lambda t: t.__name__)
def test_every_unit_event_names_its_unit(event_type):
    assert sample(event_type).payload()["unit_code"] == "unit_code-value"
    with pytest.raises(ValueError, match="unit_code is required"):
        sample(event_type, unit_code=" ")


@pytest.mark.parametrize("event_type", ev.ALL_EVENTS, ids=lambda t: t.__name__)
def test_an_event_at_a_naive_instant_is_refused(event_type):
    with pytest.raises(NaiveInstantError):
        sample(event_type, at=AT.replace(tzinfo=None))


@pytest.mark.parametrize("event_type", ev.ALL_EVENTS, ids=lambda t: t.__name__)
def test_an_event_without_a_cycle_is_refused(event_type):
    with pytest.raises(ValueError, match="cycle_id is required"):
        sample(event_type, cycle_id="")


def test_an_event_done_by_the_clock_has_neither_actor_nor_role():
    locked = sample(ev.CycleLocked, actor=None, role=None, from_state="grace", to_state="locked")
    assert locked.actor is None and locked.role is None
    with pytest.raises(ValueError, match="actor and role go together"):
        sample(ev.CycleLocked, actor="nguyen.van.a", role=None)


REASONED = [ev.CycleCancelled, ev.StageReopened, ev.DeadlineExtended, ev.SheetReopened]


@pytest.mark.parametrize("event_type", REASONED, ids=lambda t: t.__name__)
@pytest.mark.parametrize("reason", [None, "", "  "])
def test_cancelling_reopening_and_extending_need_a_written_reason(event_type, reason):
    with pytest.raises(ValueError, match="reason is required"):
        sample(event_type, reason=reason)


def test_a_reopened_stage_says_from_and_to():
    with pytest.raises(ValueError, match="to_state is required"):
        sample(ev.StageReopened, reason="khiếu nại", from_state="published", to_state=None)


def test_an_extension_records_both_instants_and_refuses_a_naive_one():
    extended = sample(ev.DeadlineExtended, reason="sự cố mạng", previous_due=AT, extended_until=LATER)
    assert extended.payload()["extended_until"] == "2019-09-27T17:00:00+00:00"
    with pytest.raises(NaiveInstantError, match="extended_until"):
        sample(ev.DeadlineExtended, reason="sự cố mạng", extended_until=LATER.replace(tzinfo=None))


def test_an_approval_names_its_decision():
    with pytest.raises(ValueError, match="decision_number is required"):
        sample(ev.CycleApproved, decision_number=" ")


def test_a_late_submission_is_flagged_in_its_event():
    submitted = sample(ev.SheetSubmitted, late=True, from_state="draft", to_state="submitted_late")
    assert submitted.payload()["late"] is True


def test_every_cycle_move_has_its_event():
    assert set(ev.CYCLE_EVENT_FOR) == set(CycleTrigger)


def test_every_sheet_move_has_its_event_about_a_unit():
    assert set(ev.SHEET_EVENT_FOR) == set(SheetTrigger)
    assert all(issubclass(t, ev.UnitEvent) for t in ev.SHEET_EVENT_FOR.values())


def test_all_events_lists_every_event_class_of_the_module():
    declared = {obj for obj in vars(ev).values()
                if isinstance(obj, type) and issubclass(obj, ev.Event) and obj not in (ev.Event, ev.UnitEvent)}
    assert declared == set(ev.ALL_EVENTS)
