"""`dtiflow db upgrade|current`: the database schema, by Alembic migrations, and its mode.

`db upgrade` creates the schema (or migrates it) as the tables' owner (DTIFLOW_OWNER_DATABASE_URL,
else DTIFLOW_DATABASE_URL). The first time it also records the database's mode: production,
or a sandbox with `--sandbox` (demo, tests, training: a simulated clock allowed, every message
marked as a test); the mode never changes afterwards. On PostgreSQL `--owner-role` and
`--app-role` create the two roles of docs/security.md and give the application's role exactly
its privileges (store/privileges.py). Every URL printed has its password masked.
"""

from __future__ import annotations

import argparse

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import DBAPIError

from domain.redaction import redact, redact_url
from dtiflow.cli.errors import UserError
from dtiflow.cli.store_wiring import add_json, show
from dtiflow.settings import load_settings
from store.database_mode import MODE_LABELS_VI, DatabaseMode, read_mode
from store.db import make_engine
from store.migrations.config import alembic_config
from store.privileges import RoleNameError, become_owner, check_role_name, create_role, grant_app_role


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="the database schema (Alembic migrations) and its mode")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=type(db))
    dbsub.required = True
    up = dbsub.add_parser("upgrade", help="create or migrate the schema to the latest revision")
    up.add_argument("--revision", default="head", help="target revision (default: head)")
    up.add_argument("--sandbox", action="store_true",
                    help="create the database as a sandbox (demo, tests, training): a simulated clock "
                         "(DTIFLOW_NOW) is allowed and every message says it is a test. Only when the "
                         "database is created: the mode never changes afterwards")
    up.add_argument("--owner-role", metavar="ROLE", default=None,
                    help="PostgreSQL: create this role if missing and make it the owner of every table")
    up.add_argument("--app-role", metavar="ROLE", default=None,
                    help="PostgreSQL: create this role if missing and grant it only what the application "
                         "may do (read, insert; no alter, truncate or trigger changes)")
    add_json(up)
    up.set_defaults(handler=_upgrade)
    cur = dbsub.add_parser("current", help="show the schema's current revision and the database's mode")
    add_json(cur)
    cur.set_defaults(handler=_current)


def _connection_error(url: str, exc: DBAPIError, what: str = "không kết nối được cơ sở dữ liệu") -> UserError:
    return UserError(f"{what} {redact_url(url)}: {redact(str(exc.orig).splitlines()[0])}")


def _upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()
    url = settings.migration_url
    try:
        for role in (args.owner_role, args.app_role):
            if role is not None:
                check_role_name(role)
    except RoleNameError as exc:
        raise UserError(str(exc)) from None
    engine = make_engine(url)
    roles: dict[str, str] = {}
    try:
        with engine.begin() as conn:
            stored = read_mode(conn)
            if args.sandbox and stored is DatabaseMode.PRODUCTION:
                raise UserError(f"cơ sở dữ liệu {redact_url(url)} đã được tạo là môi trường vận hành thật; "
                                f"chế độ không đổi được sau khi tạo (tạo một cơ sở dữ liệu mới cho thử nghiệm)")
            if (args.owner_role or args.app_role) and conn.dialect.name != "postgresql":
                raise UserError("--owner-role và --app-role chỉ dùng với PostgreSQL")
            if args.app_role:
                roles["app"] = args.app_role
                create_role(conn, args.app_role)
            if args.owner_role:
                roles["owner"] = args.owner_role
                become_owner(conn, args.owner_role)
            config = alembic_config(url)
            config.attributes["connection"] = conn
            config.attributes["database_mode"] = (DatabaseMode.SANDBOX if args.sandbox else DatabaseMode.PRODUCTION).value
            command.upgrade(config, args.revision)
            if args.app_role:
                grant_app_role(conn, args.app_role)
    except DBAPIError as exc:
        raise _connection_error(url, exc, "không nâng cấp được cơ sở dữ liệu") from None
    finally:
        engine.dispose()
    result = describe(url)
    if roles:
        result["roles"] = roles
    show(args, result, lambda r: f"Cơ sở dữ liệu {r['database']} đã ở phiên bản {r['revision']} "
                                 f"({r['mode_label'] or 'chưa có chế độ'})")
    return 0


def describe(url: str) -> dict:
    """Revision and mode of the database at `url` (the URL shown without its password): what
    `db current` prints and what an operator's health check shows."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            mode = read_mode(conn)
    except DBAPIError as exc:
        raise _connection_error(url, exc) from None
    finally:
        engine.dispose()
    return {"database": redact_url(url), "revision": revision, "mode": mode.value if mode else None,
            "mode_label": MODE_LABELS_VI[mode] if mode else None}


def _current(args: argparse.Namespace) -> int:
    settings = load_settings()
    show(args, describe(settings.database_url),
         lambda r: f"{r['database']}: {r['revision'] or 'chưa có bảng (chạy dtiflow db upgrade)'}"
                   f"{' — ' + r['mode_label'] if r['mode_label'] else ''}")
    return 0
