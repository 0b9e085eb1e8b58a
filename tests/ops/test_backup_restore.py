"""A backup taken in the middle of a cycle restores into a fresh database and the next tick goes
on exactly where it was: no message lost, none sent twice, the audit log as it was.

The backup is the one docs/operations.md documents: `pg_dump --format=custom` of our database
and `pg_restore --no-owner` into an empty one. The test runs one cycle on database A: opening it
(its notices sent), then a tick that queues the reminders before the deadline, and then the
backup, with those reminders still queued. Database A goes on with two ticks; a copy restored
into database B, with its own mail folder, runs the same two ticks. Both must send the same
messages (by Message-ID), each once, and end with the same audit log.
"""

from __future__ import annotations

import datetime as dt
import mailbox
import shutil
import subprocess

import pytest
from sqlalchemy.engine import make_url

from domain.clock import FixedClock

pytestmark = pytest.mark.postgres

UTC = dt.timezone.utc
NOTICE_DAY = dt.datetime(2019, 8, 7, 2, 0, tzinfo=UTC)           # letter 697/STTTT, 09:00 local
BEFORE_DUE = dt.datetime(2019, 9, 12, 2, 0, tzinfo=UTC)          # reminders before 15/09/2019 are due
AFTER_GRACE = [dt.datetime(2019, 9, 13, 2, 0, tzinfo=UTC), dt.datetime(2019, 9, 30, 2, 0, tzinfo=UTC)]


def _tools() -> None:
    missing = [t for t in ("pg_dump", "pg_restore") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install postgresql-client)")


def _app(url: str, maildir, clock: FixedClock):
    from dtiflow.bootstrap import build_app
    from dtiflow.settings import load_settings

    return build_app(load_settings({"DTIFLOW_DATABASE_URL": url, "DTIFLOW_MAILDIR": str(maildir)}), clock=clock)


def _message_ids(maildir) -> list[str]:
    return sorted(m["Message-ID"] for m in mailbox.Maildir(maildir, create=False))


def _audit(app, cycle_id: str) -> list[tuple]:
    with app.services.uow() as uow:
        return [(a.event, a.actor_id, str(a.at)) for a in uow.audit.list(cycle_id)]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_mid_cycle_backup_restores_and_the_next_ticks_go_on_exactly_where_they_were(tmp_path):
    from alembic import command

    from services.testing import SECRETARIAT, load_sample_units
    from store.migrations.config import alembic_config
    from store.testing import postgres_unreachable, temporary_postgres_database

    _tools()
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    with temporary_postgres_database() as url_a, temporary_postgres_database() as url_b:
        # The migrations create the schema, as `db upgrade --sandbox` does: the test drives the
        # business clock, which only a sandbox accepts.
        config = alembic_config(url_a)
        config.attributes["database_mode"] = "sandbox"
        command.upgrade(config, "head")
        clock_a = FixedClock(NOTICE_DAY)
        a = _app(url_a, tmp_path / "mail-a", clock_a)
        load_sample_units(a.services)
        opened = a.commands.open_cycle(actor_id=SECRETARIAT, regime_id="binhthuan-2019-it", year=2019,
                                       facts={"notice": dt.date(2019, 8, 7)}, owner="province", level=None,
                                       cycle_id=None, key="open-bt-2019")
        cycle_id = opened["cycle_id"]
        a.tick_once(NOTICE_DAY)                       # the notices go out
        clock_a.set(BEFORE_DUE)
        queued = a.tick.run_tick(BEFORE_DUE)           # reminders queued, not sent yet: the backup has them
        assert queued.reminders_queued > 0
        sent_before = _message_ids(tmp_path / "mail-a")

        dump = tmp_path / "dtiflow.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(url_a)], check=True, timeout=300)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url_b)}", str(dump)],
                       check=True, timeout=300)

        b = _app(url_b, tmp_path / "mail-b", FixedClock(BEFORE_DUE))
        assert _audit(b, cycle_id) == _audit(a, cycle_id)  # the restored audit log is the backed-up one
        sent_after = {}
        for name, app in (("a", a), ("b", b)):
            app.tick_once(BEFORE_DUE)                  # the queued reminders leave
            for instant in AFTER_GRACE:                # the lock after the grace, scoring: the cycle goes on
                app.clock.set(instant)
                app.tick_once(instant)
            sent_after[name] = _message_ids(tmp_path / f"mail-{name}")
        new_in_a = sorted(set(sent_after["a"]) - set(sent_before))
        assert new_in_a and sent_after["b"] == new_in_a  # the same messages, nothing lost
        assert len(sent_after["b"]) == len(set(sent_after["b"]))  # nothing sent twice
        assert _audit(b, cycle_id) == _audit(a, cycle_id)  # the same moves, once each
        print(f"\nbackup mid-cycle: {len(sent_before)} messages sent before it, {queued.reminders_queued} queued in it; "
              f"after restore both databases sent the same {len(new_in_a)} messages and hold "
              f"{len(_audit(b, cycle_id))} identical audit events")
        for app in (a, b):
            app.engine.dispose()
