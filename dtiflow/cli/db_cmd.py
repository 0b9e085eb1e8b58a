"""`dtiflow db upgrade|current`: the database schema, by Alembic migrations."""

from __future__ import annotations

import argparse
from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import DBAPIError

from dtiflow.cli.errors import UserError
from dtiflow.cli.store_wiring import add_json, show
from dtiflow.settings import load_settings
from store.db import make_engine
from store.migrations.config import alembic_config


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="the database schema (Alembic migrations)")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=type(db))
    dbsub.required = True
    up = dbsub.add_parser("upgrade", help="create or migrate the schema to the latest revision")
    up.add_argument("--revision", default="head", help="target revision (default: head)")
    add_json(up)
    up.set_defaults(handler=_upgrade)
    cur = dbsub.add_parser("current", help="show the schema's current revision")
    add_json(cur)
    cur.set_defaults(handler=_current)


def _upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        command.upgrade(alembic_config(settings.database_url), args.revision)
    except DBAPIError as exc:
        raise UserError(f"không nâng cấp được cơ sở dữ liệu {settings.database_url}: {str(exc.orig).splitlines()[0]}") from None
    show(args, {"database": settings.database_url, "revision": _revision(settings.database_url)},
         lambda r: f"Cơ sở dữ liệu {r['database']} đã ở phiên bản {r['revision']}")
    return 0


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise UserError(f"không kết nối được cơ sở dữ liệu {url}: {str(exc.orig).splitlines()[0]}") from None
    finally:
        engine.dispose()


def _current(args: argparse.Namespace) -> int:
    settings = load_settings()
    show(args, {"database": settings.database_url, "revision": _revision(settings.database_url)},
         lambda r: f"{r['database']}: {r['revision'] or 'chưa có bảng (chạy dtiflow db upgrade)'}")
    return 0
