"""Is this process fit to run a flow?  The checks a worker makes before it touches anything.

A misconfigured worker must fail its first flow run at once, with one sentence saying what to
fix, instead of creating an empty SQLite file in its working directory and retrying a query on
a table that does not exist for minutes. Each check raises `NotReady` with that sentence
(Vietnamese: ops read it in the Prefect UI); retries stay for transient faults after the
checks passed. `dtiflow doctor` reports the same checks one by one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from domain.errors import InvalidInput
from dtiflow.settings import Settings
from notifications.settings import MailSettings


class NotReady(InvalidInput):
    """The settings or the services they name cannot run a flow; the message says what ops must fix
    (a refusal: one sentence, never retried as a transient fault)."""


def safe_url(url: str) -> str:
    """The database URL as it may be shown: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password we could find either
        return "<không đọc được DTIFLOW_DATABASE_URL>"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def check_database_exists(url: str) -> None:
    """A SQLite file must exist already: connecting would create an empty one where the worker
    happens to run (the classic symptom of a worker started without DTIFLOW_DATABASE_URL)."""
    try:
        path = sqlite_path(url)
    except Exception:
        raise NotReady(f"DTIFLOW_DATABASE_URL='{safe_url(url)}' không phải địa chỉ cơ sở dữ liệu hợp lệ "
                       "(ví dụ postgresql://dtiflow@db.internal/dtiflow)") from None
    if path is not None and not path.is_file():
        raise NotReady(f"cơ sở dữ liệu {path.resolve()} không tồn tại: đặt DTIFLOW_DATABASE_URL cho tiến trình này, "
                       "hoặc tạo nó bằng 'dtiflow db upgrade'")


def schema_revisions(engine: Engine) -> tuple[str | None, tuple[str, ...]]:
    """(the database's Alembic revision or None, the revisions this code expects)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from store.migrations.config import alembic_config

    heads = tuple(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision(), heads


def check_schema(engine: Engine) -> str:
    """The database answers and is at the code's head revision; returns that revision."""
    from sqlalchemy.exc import DBAPIError

    url = safe_url(engine.url.render_as_string(hide_password=False))
    try:
        current, heads = schema_revisions(engine)
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise NotReady(f"không kết nối được cơ sở dữ liệu {url}: {first}") from None
    if current is None:
        raise NotReady(f"cơ sở dữ liệu {url} chưa có bảng nào của dtiflow: chạy 'dtiflow db upgrade'")
    if current not in heads:
        raise NotReady(f"cơ sở dữ liệu {url} đang ở phiên bản {current}, mã nguồn này cần {', '.join(heads)}: "
                       "chạy 'dtiflow db upgrade' (hoặc nâng cấp mã nguồn trên máy này)")
    return current


def check_mail(mail: MailSettings) -> None:
    """The maildir can be written to (the SMTP settings were validated when they were read;
    whether the server answers is `dtiflow doctor`'s question, and a transient fault anyway)."""
    if mail.transport != "maildir":
        return
    folder = Path(mail.maildir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".dtiflow-write-check-"):
            pass
    except OSError as exc:
        raise NotReady(f"không ghi được vào thư mục thư {folder.resolve()} (DTIFLOW_MAILDIR): "
                       f"{exc.strerror or exc}") from None


def preflight(settings: Settings, engine: Engine) -> None:
    """Every check a flow needs before it starts; the first failure raises `NotReady`."""
    check_database_exists(settings.database_url)
    check_schema(engine)
    check_mail(settings.mail)
