"""Which cycle moves the tick makes on time and which a person starts (the regime's `stages`)."""

from __future__ import annotations

import pytest

from domain.cycle import (
    CYCLE_STATE_LABELS_VI,
    DEFAULT_DRIVERS,
    CycleState,
    CycleTrigger as T,
    check_stage_drivers,
    driver_of,
)
from rubrics.regime_loader import list_regimes, load_regime


@pytest.mark.parametrize(("trigger", "driver"), [
    (T.ISSUE_NOTICE, "person"),
    (T.START_COLLECTING, "time"),
    (T.CLOSE_SUBMISSIONS, "time"),
    (T.LOCK, "time"),
    (T.SCORE, "time"),
    (T.START_VERIFICATION, "person"),
    (T.SUBMIT_FOR_APPROVAL, "person"),
    (T.APPROVE, "person"),
    (T.PUBLISH, "person"),
    (T.CANCEL, "person"),
    (T.REOPEN, "person"),
])
def test_a_regime_that_says_nothing_gets_the_default_driver(trigger, driver):
    assert driver_of(trigger, {}) == driver


def test_the_default_table_covers_every_trigger():
    assert set(DEFAULT_DRIVERS) == set(T)


def test_the_regime_overrides_the_default():
    assert driver_of(T.SCORE, {"score": "person"}) == "person"
    assert driver_of("publish", {"publish": "time"}) == "time"


def test_an_unknown_stage_in_the_regime_is_refused_by_name():
    with pytest.raises(ValueError, match="'freeze' không phải thao tác"):
        driver_of(T.LOCK, {"freeze": "time"})


def test_a_driver_other_than_time_or_person_is_refused_by_key():
    with pytest.raises(ValueError, match=r"stage_drivers\.lock: 'cron'"):
        check_stage_drivers({"lock": "cron"})


@pytest.mark.parametrize("key", ["approve", "cancel", "reopen"])
def test_a_clock_never_approves_cancels_or_reopens(key):
    with pytest.raises(ValueError, match="phải do một người thực hiện"):
        check_stage_drivers({key: "time"})


def test_an_unknown_trigger_asked_about_is_refused():
    with pytest.raises(ValueError, match="'sleep'"):
        driver_of("sleep", {})


@pytest.mark.parametrize("regime_id", list_regimes())
def test_every_shipped_regime_states_valid_drivers(regime_id):
    regime = load_regime(regime_id)
    check_stage_drivers(regime.stage_drivers)
    assert {driver_of(t, regime.stage_drivers) for t in T} <= {"time", "person"}
    assert driver_of(T.APPROVE, regime.stage_drivers) == "person"


def test_every_cycle_state_has_a_vietnamese_label():
    assert set(CYCLE_STATE_LABELS_VI) == set(CycleState)
