"""Throw-away PostgreSQL databases for tests: each test session creates its own database
(`dtiflow_test_<random>`) on the server and drops it afterwards."""

from __future__ import annotations

import contextlib
import secrets
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_unreachable(admin_url: str = DEFAULT_ADMIN_URL) -> str | None:
    """None if the server answers; otherwise the reason, for a clear skip message."""
    try:
        engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any driver error means: no server to test against
        return f"PostgreSQL at {make_url(admin_url).render_as_string(hide_password=True)} is unreachable: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"


@contextlib.contextmanager
def temporary_postgres_database(admin_url: str = DEFAULT_ADMIN_URL) -> Iterator[str]:
    """Create `dtiflow_test_<random>`, yield its URL, drop it (terminating leftover sessions)."""
    name = f"dtiflow_test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
