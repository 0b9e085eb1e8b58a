"""Column types that keep our invariants on every database.

SQLite has no time zone type: it stores the wall time and returns naive datetimes. PostgreSQL's
`timestamptz` keeps the instant. `UTCDateTime` makes both behave the same: it refuses naive
values on write, stores UTC, and attaches UTC on read (decision record 0001).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from domain.instants import UTC, require_aware


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        aware = require_aware(value, "stored instant").astimezone(UTC)
        # SQLite would keep the offset text only for some drivers; store plain UTC wall time.
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
