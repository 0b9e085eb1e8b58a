"""Alembic environment for dtiflow (`dtiflow db upgrade`).

The URL comes from `config.attributes["url"]` (set by dtiflow.cli.db_cmd from the settings) so
that no second place reads the environment. Every table is registered by importing
`store.schema` (which imports the rows, and the notifications engineer's outbox table).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import store.schema  # noqa: F401  (registers all tables)
from store.db import make_engine
from store.schema import metadata

config = context.config
target_metadata = metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(url=config.attributes.get("url") or config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.attributes.get("url") or config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
