"""`dtiflow doctor`: is this installation healthy?  One check per concern, each ok / warn / fail /
skip with one Vietnamese sentence, so ops can run it by hand or from monitoring (exit 1 on a
failure). It shares its database and maildir checks with the flows' preflight
(dtiflow/preflight.py).

The checks: the settings; the database (there, answering, at the code's migration head); the mail
transport (SMTP reachable and the login accepted, or the maildir writable); the Prefect API and
dtiflow's deployments and automations (when PREFECT_API_URL is set); the working-day calendar
covering the next twelve months (from September on, a warning while next year's days off are
still estimated); the outbox (its oldest waiting message, the parked ones); the last tick.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from domain.instants import as_local

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
DEPLOYMENTS = ("cycle-tick", "open-cycle", "record-verification", "approve", "publish", "reopen")
OUTBOX_WAIT_WARNING = dt.timedelta(minutes=30)    # two tick intervals
TICK_AGE_FAILURE = dt.timedelta(hours=1)          # four missed ticks of 15 minutes


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, **({"data": self.data} if self.data else {})}


def _local(instant: dt.datetime) -> str:
    return f"{as_local(instant):%H:%M %d/%m/%Y}"


def check_settings(environ) -> tuple[Check, Any]:
    from dtiflow.settings import SettingsError, load_settings

    try:
        settings = load_settings(environ)
    except SettingsError as exc:
        return Check("settings", FAIL, str(exc)), None
    from dtiflow.preflight import safe_url

    mail = settings.mail
    where = f"SMTP {mail.smtp_host}:{mail.smtp_port}" if mail.transport == "smtp" else f"maildir {mail.maildir}"
    detail = f"cơ sở dữ liệu {safe_url(settings.database_url)}, thư qua {where}"
    if settings.now is not None:
        return Check("settings", WARN, detail + f"; DTIFLOW_NOW cố định đồng hồ ở {_local(settings.now)} (chỉ dùng khi thử)"), settings
    return Check("settings", OK, detail), settings


def check_database(settings) -> tuple[Check, Any]:
    from dtiflow.preflight import NotReady, check_database_exists, check_schema, safe_url
    from store.db import make_engine

    try:
        check_database_exists(settings.database_url)
        engine = make_engine(settings.database_url)
        revision = check_schema(engine)
    except NotReady as exc:
        return Check("database", FAIL, str(exc)), None
    return Check("database", OK, f"{safe_url(settings.database_url)} trả lời, ở phiên bản {revision} (mới nhất)",
                 {"revision": revision}), engine


def check_mail(settings) -> Check:
    from dtiflow.preflight import NotReady, check_mail as writable

    mail = settings.mail
    if mail.transport == "maildir":
        try:
            writable(mail)
        except NotReady as exc:
            return Check("mail", FAIL, str(exc))
        return Check("mail", OK, f"ghi được vào thư mục thư {mail.maildir}")
    from notifications.settings import build_transport
    from notifications.transports import ConnectionFailure

    try:
        build_transport(mail).verify()
    except ConnectionFailure as exc:
        return Check("mail", FAIL, f"máy chủ thư {mail.smtp_host}:{mail.smtp_port} không nhận phiên gửi: {exc}")
    login = f", đăng nhập {mail.smtp_username} được chấp nhận" if mail.smtp_username else " (không đăng nhập)"
    return Check("mail", OK, f"máy chủ thư {mail.smtp_host}:{mail.smtp_port} ({mail.smtp_security}) trả lời{login}")


def check_prefect(environ) -> tuple[Check, dt.datetime | None]:
    """The API answers; the six deployments and the two automations exist; the last tick run."""
    if not environ.get("PREFECT_API_URL"):
        return Check("prefect", SKIP, "PREFECT_API_URL chưa đặt: coi như chạy 'dtiflow serve', không kiểm tra Prefect"), None
    import asyncio

    from dtiflow import prefect_setup

    async def read():
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName, FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
        from prefect.client.schemas.objects import StateType
        from prefect.client.schemas.sorting import FlowRunSort

        async with get_client() as client:
            healthy = await client.api_healthcheck()
            if healthy is not None:
                raise healthy
            names = {d.name for d in await client.read_deployments()}
            automations = {a.name for a in await client.read_automations()}
            ticks = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["cycle-tick"])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))),
                sort=FlowRunSort.END_TIME_DESC, limit=1)
            return names, automations, (ticks[0].end_time if ticks else None)

    url = environ["PREFECT_API_URL"]
    try:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: url}):
            names, automations, last = asyncio.run(read())
    except Exception as exc:  # httpx / Prefect errors: the API is not there or refused us
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Check("prefect", FAIL, f"không gọi được API Prefect {url}: {first}"), None
    missing = [n for n in DEPLOYMENTS if n not in names]
    if missing:
        return Check("prefect", FAIL, f"API Prefect {url} trả lời nhưng thiếu deployment {', '.join(missing)}: "
                                      "chạy 'prefect deploy --all'"), last
    wanted = (prefect_setup.HEARTBEAT_AUTOMATION, prefect_setup.SUBMITTING_AUTOMATION)
    if any(a not in automations for a in wanted):
        return Check("prefect", FAIL, f"API Prefect {url}: thiếu automation đánh dấu lượt chạy mất nhịp tim: "
                                      "chạy 'dtiflow ops prefect-setup'"), last
    return Check("prefect", OK, f"API Prefect {url} trả lời; đủ {len(DEPLOYMENTS)} deployment và automation"), last


def check_calendar(now: dt.datetime) -> Check:
    from rubrics.calendar_loader import load_calendar

    calendar = load_calendar()
    today = as_local(now).date()
    horizon = today + dt.timedelta(days=365)
    if horizon.year > calendar.last_year:
        return Check("calendar", FAIL, f"lịch ngày làm việc chỉ đến hết năm {calendar.last_year}, chưa đủ 12 tháng tới "
                                       f"(đến {horizon:%d/%m/%Y}): bổ sung rubrics/calendar/vn.yaml",
                     {"last_year": calendar.last_year})
    if today.month >= 9 and calendar.is_year_estimated(today.year + 1):
        return Check("calendar", WARN, f"ngày nghỉ năm {today.year + 1} trong lịch vẫn là ước tính: khi Chính phủ "
                                       "công bố lịch nghỉ, cập nhật rubrics/calendar/vn.yaml (docs/calendar.md)",
                     {"estimated_year": today.year + 1})
    return Check("calendar", OK, f"lịch ngày làm việc phủ đến {horizon:%d/%m/%Y} (hết năm {calendar.last_year})")


def check_outbox(engine, now: dt.datetime) -> Check:
    from sqlalchemy import func, select

    from store.outbox import PARKED, QUEUED, SENDING, OutboxMessage

    with engine.connect() as conn:
        waiting, oldest = conn.execute(select(func.count(), func.min(OutboxMessage.created_at))
                                       .where(OutboxMessage.status.in_([QUEUED, SENDING]))).one()
        parked = conn.execute(select(func.count()).where(OutboxMessage.status == PARKED)).scalar_one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.timezone.utc)  # SQLite gives naive UTC back
    data = {"waiting": waiting, "oldest_waiting": oldest.isoformat() if oldest else None, "parked": parked}
    parts = [f"{waiting} thư chờ gửi" + (f", cũ nhất từ {_local(oldest)}" if oldest else ""), f"{parked} thư bị giữ lại"]
    detail = "hộp thư đi: " + "; ".join(parts)
    if parked:
        return Check("outbox", WARN, detail + " (xem 'dtiflow mail outbox', gửi lại bằng 'dtiflow mail requeue')", data)
    if oldest is not None and now - oldest > OUTBOX_WAIT_WARNING:
        return Check("outbox", WARN, detail + " (chờ quá 30 phút: máy chủ thư hoặc tick có vấn đề?)", data)
    return Check("outbox", OK, detail, data)


def check_last_tick(engine, now: dt.datetime, prefect_last: dt.datetime | None) -> Check:
    """The latest of: the embedded scheduler's lease renewal (renewed at every tick) and the
    Prefect cycle-tick's last completed run."""
    from sqlalchemy import inspect, select

    from store.scheduler_lease import SchedulerLease

    times = [prefect_last] if prefect_last else []
    if "scheduler_lease" in inspect(engine).get_table_names():
        with engine.connect() as conn:
            renewed = conn.execute(select(SchedulerLease.renewed_at).where(SchedulerLease.name == "cycle-tick")).scalar()
        if renewed is not None:
            times.append(renewed if renewed.tzinfo else renewed.replace(tzinfo=dt.timezone.utc))
    if not times:
        return Check("last_tick", WARN, "chưa thấy lượt tick nào (chưa chạy, hoặc Prefect không trả lời)")
    last = max(times)
    data = {"last_tick": last.isoformat()}
    if now - last > TICK_AGE_FAILURE:
        return Check("last_tick", FAIL, f"lượt tick gần nhất lúc {_local(last)}, đã quá 1 giờ: kiểm tra worker "
                                        "hoặc 'dtiflow serve'", data)
    return Check("last_tick", OK, f"lượt tick gần nhất lúc {_local(last)}", data)


def run_checks(environ=None) -> list[Check]:
    environ = os.environ if environ is None else environ
    checks: list[Check] = []
    settings_check, settings = check_settings(environ)
    checks.append(settings_check)
    if settings is None:
        return checks
    database_check, engine = check_database(settings)
    checks.append(database_check)
    checks.append(_guard("mail", lambda: check_mail(settings)))
    prefect_check, prefect_last = check_prefect(environ)
    checks.append(prefect_check)
    now = settings.clock().now()
    checks.append(_guard("calendar", lambda: check_calendar(now)))
    if engine is not None:
        try:
            checks.append(_guard("outbox", lambda: check_outbox(engine, now)))
            checks.append(_guard("last_tick", lambda: check_last_tick(engine, now, prefect_last)))
        finally:
            engine.dispose()
    return checks


def _guard(name: str, check: Callable[[], Check]) -> Check:
    """A check that breaks unexpectedly is a failure of that check, not of the doctor."""
    try:
        return check()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return Check(name, FAIL, f"kiểm tra không chạy được: {type(exc).__name__}: {first}")
