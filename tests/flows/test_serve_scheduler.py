"""The embedded scheduler in-process: APScheduler's defaults overridden, the lease kept per tick."""

from __future__ import annotations

import datetime as dt

import pytest
from apscheduler.jobstores.memory import MemoryJobStore

from domain.clock import FixedClock
from dtiflow.cli.main import main
from dtiflow.serve import LEASE_NAME, EmbeddedScheduler, LeaseHeld, ServeConfig
from flow_fakes import TICK_NOW
from store import scheduler_lease as leases

CONFIG = ServeConfig(interval=dt.timedelta(seconds=60), lease=dt.timedelta(seconds=180))


class BrokenTick:
    def run_tick(self, now, cycle_id=None):
        raise ConnectionError("database went away (scripted)")


@pytest.fixture
def lease_clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.timezone.utc))


def _scheduler(app, lease_clock, holder="me", config=CONFIG, lines=None):
    return EmbeddedScheduler(app, config, lease_clock=lease_clock, holder=holder,
                             say=(lines.append if lines is not None else lambda line: None))


def test_the_jobs_run_however_late_coalesced_one_at_a_time_from_memory(fake_app, lease_clock):
    scheduler = _scheduler(fake_app, lease_clock)._scheduler()
    scheduler.start(paused=True)  # job defaults are applied when the jobs reach the store
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {"cycle-tick", "lease-renewal"}
    for job in jobs.values():
        assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (None, True, 1)
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)
    assert jobs["cycle-tick"].trigger.interval == dt.timedelta(seconds=60)
    assert jobs["lease-renewal"].trigger.interval == dt.timedelta(seconds=60)  # a third of the lease


def test_a_tick_renews_the_lease_then_does_the_due_work_at_the_business_clocks_instant(fake_app, lease_clock):
    s = _scheduler(fake_app, lease_clock)
    assert s.take_lease()
    lease_clock.advance(dt.timedelta(seconds=100))
    s.tick()
    assert fake_app.tick.calls == [(TICK_NOW, None)] and fake_app.outbox.calls == [TICK_NOW]
    assert leases.current(fake_app.engine, LEASE_NAME).expires_at == lease_clock.now() + CONFIG.lease


def test_a_failing_tick_is_reported_and_the_scheduler_goes_on(fake_app, lease_clock):
    fake_app.tick = BrokenTick()
    lines: list[str] = []
    s = _scheduler(fake_app, lease_clock, lines=lines)
    s.take_lease()
    s.tick()
    assert any("ConnectionError" in line for line in lines)
    assert s.exit_code == 0 and not s._stop.is_set()


def test_a_scheduler_that_lost_its_lease_stops_without_ticking(fake_app, lease_clock):
    lines: list[str] = []
    s = _scheduler(fake_app, lease_clock, lines=lines)
    s.take_lease()
    lease_clock.advance(CONFIG.lease)
    assert _scheduler(fake_app, lease_clock, holder="other").take_lease()
    s.tick()
    assert fake_app.tick.calls == []
    assert s.exit_code == EmbeddedScheduler.EXIT_LEASE_LOST and s._stop.is_set()
    assert any("other" in line for line in lines)


def test_an_active_second_scheduler_raises_with_the_holder_and_the_expiry(fake_app, lease_clock):
    _scheduler(fake_app, lease_clock, holder="host:123:abc").take_lease()
    with pytest.raises(LeaseHeld, match=r"host:123:abc.*08:03:00 26/11/2026.*--passive"):
        _scheduler(fake_app, lease_clock, holder="me").take_lease()


@pytest.mark.parametrize("interval, lease", [(0, 30), (10, 15)])
def test_a_lease_shorter_than_two_intervals_or_a_zero_interval_is_refused(interval, lease):
    with pytest.raises(ValueError):
        ServeConfig(dt.timedelta(seconds=interval), dt.timedelta(seconds=lease))


@pytest.mark.parametrize("argv, message", [
    (["serve", "--interval", "0"], "phải là một số giây lớn hơn 0"),
    (["serve", "--interval", "abc"], "không phải một số giây"),
    (["serve", "--interval", "60", "--lease", "90"], "must last at least two tick intervals"),
])
def test_bad_serve_arguments_end_in_one_line_and_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        code = main(argv)
        raise SystemExit(code)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_a_database_error_while_renewing_skips_that_tick_and_is_reported(fake_app, lease_clock, tmp_path):
    lines: list[str] = []
    s = _scheduler(fake_app, lease_clock, lines=lines)
    s.take_lease()
    fake_app.engine.dispose()
    (tmp_path / "dtiflow.db").unlink()
    (tmp_path / "dtiflow.db").mkdir()  # the database file is gone and cannot be recreated
    s.tick()
    assert fake_app.tick.calls == []
    assert any("không gia hạn được" in line for line in lines) and not s._stop.is_set()
