"""The embedded mode: one process fires the tick on an interval, no Prefect server.

APScheduler 3.11 with an in-memory job store: the due work is read from our database at each
tick (decision record 0005), so the scheduler keeps no state worth persisting, and a missed or late
tick loses nothing. The defaults that bite are set on purpose (docs/decisions/0005-one-heartbeat.md):
- `misfire_grace_time=None`: a late run still runs (the default 1 s would drop it);
- `coalesce=True`, `max_instances=1`: runs missed while one was busy become one run, never two
  at once;
- jobs are added once to an empty memory store under fixed ids, without `replace_existing`.

Exactly one scheduler per database: before starting, the process takes the lease row
`scheduler_lease['cycle-tick']` (store.scheduler_lease) and renews it at every tick and every
third of its length; it releases it on SIGTERM/SIGINT. A second `serve` on the same database
refuses to start (`LeaseHeld`), or with `passive=True` waits as a standby and takes over when
the lease expires (its holder was killed) or is released (its holder stopped).

The lease runs on wall time (`lease_clock`, the system clock): the business clock may be
pinned by DTIFLOW_NOW for a demo, but a dead holder's lease must still run out.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
import threading
import uuid
from dataclasses import dataclass
from typing import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from domain.clock import Clock
from domain.instants import as_local
from domain.redaction import redact
from dtiflow.bootstrap import App
from dtiflow.clock import SystemClock
from dtiflow.settings import environment_secrets
from store import scheduler_lease as leases

LEASE_NAME = "cycle-tick"
UTC = dt.timezone.utc


def _local(instant: dt.datetime) -> str:
    return f"{as_local(instant):%H:%M:%S ngày %d/%m/%Y}"


class LeaseHeld(Exception):
    """Another scheduler holds this database's lease; the message says who and until when."""

    def __init__(self, lease: leases.Lease) -> None:
        self.lease = lease
        until = as_local(lease.expires_at)
        super().__init__(
            f"một tiến trình 'dtiflow serve' khác đang giữ bộ lập lịch của cơ sở dữ liệu này: {lease.holder}, "
            f"quyền hết hạn lúc {until:%H:%M:%S %d/%m/%Y} (giờ Việt Nam) nếu không được gia hạn; "
            f"chạy với --passive để chờ làm dự phòng")


@dataclass(frozen=True)
class ServeConfig:
    interval: dt.timedelta = dt.timedelta(seconds=60)
    lease: dt.timedelta = dt.timedelta(seconds=180)
    passive: bool = False

    def __post_init__(self) -> None:
        if self.interval <= dt.timedelta(0):
            raise ValueError("the tick interval must be positive")
        if self.lease < 2 * self.interval:
            # Renewed at every tick: a lease shorter than two intervals would lapse under a slow tick.
            raise ValueError(f"the lease ({self.lease.total_seconds():g} s) must last at least two tick intervals "
                             f"({2 * self.interval.total_seconds():g} s)")

    @property
    def renew_every(self) -> dt.timedelta:
        return self.lease / 3


def make_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _say(line: str) -> None:
    print(f"dtiflow serve: {redact(line, secrets=environment_secrets())}", file=sys.stderr, flush=True)


class EmbeddedScheduler:
    EXIT_LEASE_LOST = 3

    def __init__(self, app: App, config: ServeConfig, *, lease_clock: Clock | None = None,
                 holder: str | None = None, say: Callable[[str], None] = _say) -> None:
        self.app, self.config = app, config
        self.lease_clock = lease_clock or SystemClock()
        self.holder = holder or make_holder()
        self.say = say
        self.exit_code = 0
        self._stop = threading.Event()

    # --- stopping (signal handlers call this) ------------------------------------------------
    def stop(self) -> None:
        self._stop.set()

    def _wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking for a stop; True when asked to stop."""
        return self._stop.wait(seconds)

    # --- the lease ---------------------------------------------------------------------------
    def _acquire(self) -> leases.Acquisition:
        return leases.acquire(self.app.engine, LEASE_NAME, self.holder, self.lease_clock.now(), self.config.lease)

    def take_lease(self) -> bool:
        """Hold the lease, or raise LeaseHeld (active), or wait for it (passive). False if
        stopped while waiting."""
        leases.ensure_table(self.app.engine)
        got = self._acquire()
        if got.acquired:
            return True
        if not self.config.passive:
            raise LeaseHeld(got.lease)
        shown = None
        poll = min(self.config.renew_every.total_seconds(), 5.0)
        while not got.acquired:
            if got.lease.holder != shown:
                shown = got.lease.holder
                self.say(f"dự phòng: {shown} đang giữ bộ lập lịch đến "
                         f"{as_local(got.lease.expires_at):%H:%M:%S %d/%m/%Y}; chờ để tiếp quản")
            if self._wait(poll):
                return False
            got = self._acquire()
        self.say(f"tiếp quản bộ lập lịch từ {shown}")
        return True

    def _renew(self) -> bool:
        """Extend the lease; False (and stop) if another process holds it now. A database error
        is reported and counts as not renewed this time: the lease still runs until it expires."""
        try:
            return self._renew_or_stop()
        except Exception as exc:
            self.say(f"không gia hạn được quyền lập lịch: {exc.__class__.__name__}: {exc}")
            return False

    def _renew_or_stop(self) -> bool:
        if leases.renew(self.app.engine, LEASE_NAME, self.holder, self.lease_clock.now(), self.config.lease):
            return True
        now_holder = leases.current(self.app.engine, LEASE_NAME)
        self.say(f"mất quyền lập lịch (nay thuộc {now_holder.holder if now_holder else 'không ai'}); dừng")
        self.exit_code = self.EXIT_LEASE_LOST
        self._stop.set()
        return False

    # --- the jobs ----------------------------------------------------------------------------
    def tick(self) -> None:
        if self._stop.is_set() or not self._renew():
            return
        now = self.app.clock.now()
        try:
            counts = self.app.tick_once(now)
        except Exception as exc:  # the next tick tries again; the due work is still in the database
            self.say(f"lần chạy lúc {_local(now)} lỗi: {exc.__class__.__name__}: {exc}")
            return
        if counts.moves or counts.reminders_queued or counts.messages_sent:
            self.say(f"lần chạy lúc {_local(now)}: {counts.moves} chuyển trạng thái, "
                     f"{counts.reminders_queued} thư xếp hàng, {counts.messages_sent} thư đã gửi")
        for failed, why in counts.errors.items():  # the other cycles went on
            self.say(f"lần chạy lúc {_local(now)}: kỳ {failed} không thực hiện được: {why}")

    def _scheduler(self) -> BackgroundScheduler:
        scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        # First tick at once: after a restart the overdue work is done now, not an interval later.
        scheduler.add_job(self.tick, IntervalTrigger(seconds=self.config.interval.total_seconds(), timezone=UTC),
                          id="cycle-tick", name="cycle tick", next_run_time=dt.datetime.now(UTC))
        scheduler.add_job(self._renew, IntervalTrigger(seconds=self.config.renew_every.total_seconds(), timezone=UTC),
                          id="lease-renewal", name="scheduler lease renewal")
        return scheduler

    # --- the whole run -----------------------------------------------------------------------
    def run(self) -> int:
        if not self.take_lease():
            self.say("dừng (chưa từng giữ bộ lập lịch)")
            return 0
        scheduler = self._scheduler()
        scheduler.start()
        self.say(f"đang chạy: {self.holder}, tick mỗi {self.config.interval.total_seconds():g} s, "
                 f"quyền lập lịch {self.config.lease.total_seconds():g} s")
        try:
            while not self._wait(1.0):
                pass
        finally:
            scheduler.shutdown(wait=True)  # a tick in progress finishes its transaction
            released = leases.release(self.app.engine, LEASE_NAME, self.holder)
            self.say("đã dừng, trả quyền lập lịch" if released else "đã dừng")
        return self.exit_code
