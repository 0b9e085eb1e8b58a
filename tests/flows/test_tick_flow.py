"""The `cycle_tick` flow runs for real under Prefect against a scripted tick and outbox."""

from __future__ import annotations

import pytest

import flows.tick as tick_module
from flow_fakes import TICK_NOW
from flows.tick import cycle_tick

pytestmark = pytest.mark.prefect


def test_a_tick_run_asks_what_is_due_at_the_clocks_instant_and_returns_the_counts(prefect_harness, fake_app):
    result = cycle_tick()
    assert result == {"moves": 3, "reminders_queued": 40, "messages_sent": 40}
    assert fake_app.tick.calls == [(TICK_NOW, None)]
    assert fake_app.outbox.calls == [TICK_NOW]


@pytest.mark.parametrize("given, passed", [("binhthuan-2019-it-2019", "binhthuan-2019-it-2019"),
                                           ("", None), (None, None)])
def test_a_tick_for_one_cycle_passes_only_that_cycle_and_an_empty_form_field_means_every_cycle(
        prefect_harness, fake_app, given, passed):
    cycle_tick(cycle_id=given)
    assert fake_app.tick.calls == [(TICK_NOW, passed)]


def test_a_failed_drain_is_retried_by_prefect_and_the_tick_is_not_repeated(prefect_harness, fake_app, monkeypatch):
    fake_app.outbox.failures = 2
    # Same task, same retry count; only the back-off shortened so the test does not sleep 70 s.
    monkeypatch.setattr(tick_module, "drain_outbox", tick_module.drain_outbox.with_options(retry_delay_seconds=0))
    result = cycle_tick()
    assert len(fake_app.outbox.calls) == 3
    assert len(fake_app.tick.calls) == 1
    assert result["messages_sent"] == 40


def test_the_drain_task_retries_three_times_with_back_off_and_the_tick_task_twice():
    assert (tick_module.drain_outbox.retries, tick_module.drain_outbox.retry_delay_seconds) == (3, [10, 60, 300])
    assert tick_module.advance_cycles.retries == 2


def test_the_embedded_mode_runs_the_same_two_ports_without_prefect(fake_app):
    counts = fake_app.tick_once(TICK_NOW, "c1")
    assert counts.as_dict() == {"moves": 3, "reminders_queued": 40, "messages_sent": 40}
    assert fake_app.tick.calls == [(TICK_NOW, "c1")] and fake_app.outbox.calls == [TICK_NOW]


class FailingTick:
    def __init__(self) -> None:
        self.calls = 0

    def run_tick(self, now, cycle_id=None):
        self.calls += 1
        raise ConnectionError("database went away (scripted)")


def test_when_advancing_fails_after_its_retries_the_mail_still_goes_and_the_run_fails(
        prefect_harness, fake_app, monkeypatch):
    fake_app.tick = FailingTick()
    monkeypatch.setattr(tick_module, "advance_cycles", tick_module.advance_cycles.with_options(retry_delay_seconds=0))
    with pytest.raises(ConnectionError):
        cycle_tick()
    assert fake_app.tick.calls == 3  # the first try and two retries
    assert fake_app.outbox.calls == [TICK_NOW]
