"""The composition root: settings in, one `App` out (cosmicpython `bootstrap.py`).

`build_app(settings)` makes the engine (`store.db.make_engine`), the clock (the system clock, or
the fixed instant of `DTIFLOW_NOW`), the services (writing their e-mail to the outbox), and the
three things the flows and
`dtiflow serve` call: the tick, the outbox drain and the stage commands (`flows.ports`). Tests
and the demo pass their own pieces (`build_app(settings, clock=FixedClock(...), tick=Fake())`)
and `install` the result, so a flow run in the same process uses it.

The service-layer modules are imported lazily, inside the adapters: this module (and every flow
module importing it) imports cleanly whatever the service layer already has, and a missing piece
fails only when it is called, naming the module it needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Mapping

from sqlalchemy.engine import Engine

from domain.clock import Clock, FixedClock
from dtiflow.clock import business_clock
from dtiflow.settings import Settings, load_settings
from flows.ports import OutboxDrain, StageCommands, TickCounts, TickRunner
from store.db import make_engine


@dataclass
class App:
    settings: Settings
    engine: Engine
    clock: Clock
    services: Any  # services.config.Services (Any: the flows never touch it directly)
    tick: TickRunner
    outbox: OutboxDrain
    commands: StageCommands
    extras: dict[str, Any] = field(default_factory=dict)

    def tick_once(self, now: dt.datetime, cycle_id: str | None = None) -> TickCounts:
        """One heartbeat without Prefect: what is due at `now`, then the outbox. `dtiflow serve`
        runs this; the `cycle_tick` flow runs the same two calls as two retried tasks. The outbox
        is drained even when the tick itself fails: mail never waits for the moves."""
        try:
            report = self.tick.run_tick(now, cycle_id)
        except BaseException:
            self.outbox.drain(now)
            raise
        return TickCounts.of(report, self.outbox.drain(now))


def build_app(settings: Settings, *, engine: Engine | None = None, clock: Clock | None = None,
              services: Any = None, tick: TickRunner | None = None, outbox: OutboxDrain | None = None,
              commands: StageCommands | None = None) -> App:
    """Everything the flows need, from `settings`; each piece can be replaced (tests, the demo)."""
    engine = engine if engine is not None else make_engine(settings.database_url)
    # A simulated clock (DTIFLOW_NOW, or one the demo or a test passes) runs only on a sandbox
    # database; a production database refuses it (dtiflow.clock, docs/security.md).
    if clock is not None:
        clock = business_clock(engine, simulated=clock, source="đồng hồ giả lập", lazy=False)
    else:
        clock = business_clock(engine, simulated=FixedClock(settings.now) if settings.now is not None else None)
    services = services if services is not None else build_services(engine, clock, build_mail_outbox(settings, engine), settings)
    return App(
        settings=settings,
        engine=engine,
        clock=clock,
        services=services,
        tick=tick if tick is not None else ServiceTick(services),
        outbox=outbox if outbox is not None else RelayDrain(settings),
        commands=commands if commands is not None else ServiceCommands(services),
    )


def build_services(engine: Engine, clock: Clock, outbox: Any = None, settings: Settings | None = None) -> Any:
    """The service layer's ports over `engine`: SQL units of work, the clock, the outbox port
    the commands write their e-mail through (None: the services' NullOutbox, no e-mail), and,
    with `settings`, the file store of evidence in its folder."""
    from services.config import Services
    from store.uow import sql_uow_factory

    extra: dict[str, Any] = {}
    if outbox is not None:
        extra["outbox"] = outbox
    if settings is not None:
        from files.local import LocalFileStore

        extra.update(files=LocalFileStore(settings.files_dir), file_limits=settings.file_limits)
    return Services(uow=sql_uow_factory(engine), clock=clock, **extra)


def build_mail_outbox(settings: Settings, engine: Engine | None = None) -> Any:
    """`services.ports.Outbox` as e-mail (notifications.event_mail.MailOutbox): each service event
    becomes its messages, queued in the command's own transaction (decision record 0007). On a
    sandbox database (`engine`'s mode) every message says it comes from a test environment."""
    from notifications.event_mail import MailOutbox
    from notifications.messages import Recipient
    from notifications.settings import build_composer

    mail = settings.mail
    secretariat = mail.secretariat or (mail.sender,)  # load_mail_settings' own default
    return MailOutbox(build_composer(mail, engine), secretariat=[Recipient(a) for a in secretariat],
                      secretariat_name=mail.sender_name)


# --- the adapters: flows.ports over the service layer and the notifications package -----------

class ServiceTick:
    """`services.tick.run_tick(services, now=..., cycle_id=...)`: what is due, done once."""

    def __init__(self, services: Any) -> None:
        self.services = services

    def run_tick(self, now: dt.datetime, cycle_id: str | None = None):
        from services.tick import run_tick

        return run_tick(self.services, now=now, cycle_id=cycle_id)


class RelayDrain:
    """The outbox relay (`notifications.settings.build_relay`: maildir or SMTP per `settings.mail`)
    sending what is due at `now`, batch by batch over one connection. It does not wait for
    back-offs: rows whose next attempt is later are left for a later tick."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    def drain(self, now: dt.datetime) -> int:
        from notifications.relay import relay_engine
        from notifications.settings import build_relay

        if self._engine is None:  # the relay's own engine: its commits skip the disk flush
            self._engine = relay_engine(self.settings.database_url)
        relay = build_relay(self._engine, self.settings.mail, FixedClock(now))
        sent = 0
        try:
            while True:
                report = relay.run_once()
                sent += report.sent
                if not report.claimed:
                    return sent
        finally:
            relay.transport.close()


class ServiceCommands:
    """flows.ports.StageCommands over the service commands (role checks, audit, idempotency)."""

    def __init__(self, services: Any) -> None:
        self.services = services

    def open_cycle(self, *, actor_id: str, regime_id: str, year: int, facts: Mapping[str, dt.date],
                   owner: str, level: str | None, cycle_id: str | None, key: str):
        from services.cycles import open_cycle

        return open_cycle(self.services, actor_id=actor_id, regime_id=regime_id, year=year, facts=facts,
                          owner=owner, level=level, cycle_id=cycle_id, key=key)

    def record_verification(self, *, actor_id: str, cycle_id: str, unit_code: str,
                            points: Mapping[str, float], note: str, key: str):
        from services.verification import record_verification

        return record_verification(self.services, actor_id=actor_id, cycle_id=cycle_id, unit_code=unit_code,
                                   points=points, note=note, key=key)

    def approve(self, *, actor_id: str, cycle_id: str, decision_number: str, decision_date: dt.date, key: str):
        from services.approval import approve_cycle

        return approve_cycle(self.services, actor_id=actor_id, cycle_id=cycle_id,
                             decision_number=decision_number, decision_date=decision_date, key=key)

    def publish(self, *, actor_id: str, cycle_id: str, location: str | None, key: str):
        from services.approval import publish_cycle

        return publish_cycle(self.services, actor_id=actor_id, cycle_id=cycle_id, location=location, key=key)

    def reopen(self, *, actor_id: str, cycle_id: str, to_state: str, reason: str, key: str):
        from services.cycles import reopen_stage

        return reopen_stage(self.services, actor_id=actor_id, cycle_id=cycle_id, to_state=to_state,
                            reason=reason, key=key)


# --- the app a flow run uses ------------------------------------------------------------------

_installed: App | None = None


@contextlib.contextmanager
def installed(app: App) -> Iterator[App]:
    """Within the block, flow runs in this process use `app` (tests, the demo, benchmarks)."""
    global _installed
    previous, _installed = _installed, app
    try:
        yield app
    finally:
        _installed = previous


def current_app() -> App:
    """The installed app, else the one built from the environment (a Prefect worker's run)."""
    if _installed is not None:
        return _installed
    return _app_for(load_settings())


def ready_app() -> App:
    """What a flow run starts with: the installed app as it is (whoever installed it set it up),
    else the one built from the environment once `dtiflow.preflight` found it fit: the database
    there and migrated, the mail transport usable. Raises `NotReady` with one sentence, so a
    misconfigured worker fails its run at once instead of retrying."""
    if _installed is not None:
        return _installed
    from dtiflow.preflight import NotReady, check_database_exists, preflight
    from dtiflow.settings import SettingsError

    try:
        settings = load_settings()
    except SettingsError as exc:
        raise NotReady(str(exc)) from None
    check_database_exists(settings.database_url)  # before an engine could create an empty file
    app = _app_for(settings)
    preflight(settings, app.engine)
    return app


@lru_cache(maxsize=4)
def _app_for(settings: Settings) -> App:
    # One engine (and its connection pool) per process and settings, not one per flow run.
    return build_app(settings)
