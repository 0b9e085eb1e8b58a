"""The demo's world: a fresh SQLite database, the units register, a real SMTP server on loopback
storing what it receives in a maildir, and the App wired to them (relay over SMTP), installed so
that flow runs in this process use it."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from domain.clock import FixedClock
from dtiflow.bootstrap import App, build_app, installed
from dtiflow.settings import load_settings
from notifications.testing_smtp import LoopbackSmtp, MailSink

SENDER = "stttt@binhthuan.example"
SECRETARIAT = "thuongtruc.stttt@binhthuan.example"
FRESH = ("dtiflow.db", "dtiflow.db-journal", "dtiflow.db-wal", "dtiflow.db-shm", "mail", "results", "audit")


@dataclass
class World:
    app: App
    smtp: LoopbackSmtp
    maildir: Path
    out_dir: Path


def demo_settings(out_dir: Path, smtp_port: int):
    """The settings as the environment would give them (DTIFLOW_* variables; notifications/settings.py)."""
    return load_settings({
        "DTIFLOW_DATABASE_URL": f"sqlite:///{out_dir / 'dtiflow.db'}",
        "DTIFLOW_MAIL_TRANSPORT": "smtp",
        "DTIFLOW_SMTP_HOST": "127.0.0.1",
        "DTIFLOW_SMTP_PORT": str(smtp_port),
        "DTIFLOW_SMTP_SECURITY": "none",
        "DTIFLOW_MAIL_FROM": SENDER,
        "DTIFLOW_MAIL_FROM_NAME": "Sở Thông tin và Truyền thông Bình Thuận",
        "DTIFLOW_MAIL_SECRETARIAT": SECRETARIAT,
        "DTIFLOW_MAIL_MESSAGE_ID_DOMAIN": "dtiflow.demo",
    })


@contextlib.contextmanager
def demo_world(out_dir: Path, start: dt.datetime, *, keep_in_memory: bool = False,
               register: str | None = None) -> Iterator[World]:
    """`register`: the name of a shipped register (`rubrics/units/<name>.yaml`), default Bình
    Thuận's. One province a database: its owners, staff and units."""
    from rubrics.source import DATA_DIR
    from rubrics.units_loader import load_units_register
    from services.register import import_register
    from services.testing import load_sample_units
    from store.schema import create_schema

    out_dir.mkdir(parents=True, exist_ok=True)
    for name in FRESH:  # a fresh year every run (the Prefect home next to them is kept)
        path = out_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    maildir = out_dir / "mail"
    smtp = LoopbackSmtp(MailSink(maildir=maildir, keep=keep_in_memory)).start()
    app = None
    try:
        app = build_app(demo_settings(out_dir, smtp.port), clock=FixedClock(start))
        create_schema(app.engine)
        if register is None:
            load_sample_units(app.services)
        else:
            import_register(app.services, load_units_register(DATA_DIR / "units" / f"{register}.yaml"))
        with installed(app):
            yield World(app, smtp, maildir, out_dir)
    finally:
        smtp.stop()
        if app is not None:
            app.engine.dispose()
