"""The real clock: the only place outside tests that reads the system time; and the guard that
keeps a simulated clock off a production database (docs/security.md, "Two kinds of database").

A simulated clock is `DTIFLOW_NOW`, or a clock the demo or a test hands to the composition root.
It is allowed only on a sandbox database: on a production one every command refuses to run, so
nobody can lock a cycle early or have a late sheet received by claiming another date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from domain.errors import NotPermitted

from store.database_mode import DatabaseMode, read_mode


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class SimulatedClockRefused(NotPermitted):
    """A simulated clock on a production database; the message says what to do, in Vietnamese."""

    def __init__(self, source: str) -> None:
        super().__init__(
            f"cơ sở dữ liệu này là môi trường vận hành thật: chỉ dùng đồng hồ của máy chủ, không nhận {source}. "
            f"Bỏ {source} đi; thời gian giả lập chỉ dùng được trên cơ sở dữ liệu thử nghiệm "
            f"(tạo bằng 'dtiflow db upgrade --sandbox')")


class SandboxOnlyClock:
    """A simulated clock that reads the database's mode before it gives its first instant: on a
    production database it refuses (and keeps refusing); on a sandbox it answers from then on.
    While the schema does not exist yet (a test building the app first) it answers unchecked:
    nothing can be written before the schema, and the first read after it is checked."""

    def __init__(self, inner, engine: Engine, *, source: str = "DTIFLOW_NOW") -> None:
        self.inner, self.engine, self.source = inner, engine, source
        self._allowed = False

    def check(self) -> None:
        if self._allowed:
            return
        mode = read_mode(self.engine)
        if mode is DatabaseMode.PRODUCTION:
            raise SimulatedClockRefused(self.source)
        self._allowed = mode is DatabaseMode.SANDBOX

    def now(self) -> dt.datetime:
        self.check()
        return self.inner.now()

    def __getattr__(self, name: str):  # set/advance of a test's FixedClock, the demo's clock
        return getattr(self.inner, name)


def business_clock(engine: Engine, *, simulated=None, source: str = "DTIFLOW_NOW", lazy: bool = True):
    """The clock commands run on: the system clock, or `simulated` if the database allows it.
    On a production database a simulated clock is refused here, at start-up. Before the schema
    exists the mode is unknown: with `lazy` the clock is wrapped so that its first reading checks
    (DTIFLOW_NOW, which anyone at the shell can set); without, it is used as given (a clock the
    demo or a test builds into the program, checked whenever the database already exists)."""
    if simulated is None:
        return SystemClock()
    mode = read_mode(engine)
    if mode is DatabaseMode.PRODUCTION:
        raise SimulatedClockRefused(source)
    if mode is DatabaseMode.SANDBOX or not lazy:
        return simulated
    return SandboxOnlyClock(simulated, engine, source=source)
