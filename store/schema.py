"""All tables in one metadata, plus the rules the database itself enforces with triggers.

Triggers, because a CHECK cannot look at other rows:
- the audit log and the score rows are append-only (UPDATE and DELETE are refused);
- four eyes (Decision 1867 Art. 9, council verifies; Art. 8.3, the PPC approves): an approval
  whose approver recorded verified points in the same cycle is refused, and so is a verified
  score recorded by someone who already approved that cycle's round.
The same statements are written by the initial Alembic revision.
"""

from __future__ import annotations

import importlib

from sqlalchemy import DDL, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import store.cycle_rows  # noqa: F401  (registers the tables)
import store.log_rows  # noqa: F401
import store.register_rows  # noqa: F401

# Tables other parts of dtiflow keep in the store: the outbox (notifications) and the scheduler
# lease (`dtiflow serve`). Imported here so that one metadata, and one migration, has them all.
for _module in ("store.outbox", "store.scheduler_lease"):
    try:
        importlib.import_module(_module)
    except ImportError:  # pragma: no cover - a part not written yet
        pass

metadata = SQLModel.metadata

FOUR_EYES_MESSAGE = "four eyes: the approver must not be a person who recorded verified points in this cycle"
APPEND_ONLY_MESSAGE = "is append-only"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event {APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event {APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS score_no_update BEFORE UPDATE ON score
    BEGIN SELECT RAISE(ABORT, 'score {APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS score_no_delete BEFORE DELETE ON score
    BEGIN SELECT RAISE(ABORT, 'score {APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS approval_four_eyes BEFORE INSERT ON approval
    WHEN EXISTS (SELECT 1 FROM score WHERE score.cycle_id = NEW.cycle_id AND score.kind = 'verified'
                 AND score.recorded_by = NEW.approver_id)
    BEGIN SELECT RAISE(ABORT, '{FOUR_EYES_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS score_four_eyes BEFORE INSERT ON score
    WHEN NEW.kind = 'verified' AND EXISTS (SELECT 1 FROM approval WHERE approval.cycle_id = NEW.cycle_id
                 AND approval.round = NEW.round AND approval.approver_id = NEW.recorded_by)
    BEGIN SELECT RAISE(ABORT, '{FOUR_EYES_MESSAGE}'); END""",
)

POSTGRES_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION dtiflow_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' {APPEND_ONLY_MESSAGE}',
      ERRCODE = 'integrity_constraint_violation'; END $$""",
    """CREATE OR REPLACE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION dtiflow_append_only()""",
    """CREATE OR REPLACE TRIGGER score_append_only BEFORE UPDATE OR DELETE ON score
    FOR EACH ROW EXECUTE FUNCTION dtiflow_append_only()""",
    f"""CREATE OR REPLACE FUNCTION dtiflow_approval_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM score WHERE score.cycle_id = NEW.cycle_id AND score.kind = 'verified'
                 AND score.recorded_by = NEW.approver_id) THEN
        RAISE EXCEPTION '{FOUR_EYES_MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER approval_four_eyes BEFORE INSERT ON approval
    FOR EACH ROW EXECUTE FUNCTION dtiflow_approval_four_eyes()""",
    f"""CREATE OR REPLACE FUNCTION dtiflow_score_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind = 'verified' AND EXISTS (SELECT 1 FROM approval WHERE approval.cycle_id = NEW.cycle_id
                 AND approval.round = NEW.round AND approval.approver_id = NEW.recorded_by) THEN
        RAISE EXCEPTION '{FOUR_EYES_MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER score_four_eyes BEFORE INSERT ON score
    FOR EACH ROW EXECUTE FUNCTION dtiflow_score_four_eyes()""",
)


def trigger_statements(dialect_name: str) -> tuple[str, ...]:
    if dialect_name == "sqlite":
        return SQLITE_TRIGGERS
    if dialect_name == "postgresql":
        return POSTGRES_TRIGGERS
    raise ValueError(f"no triggers written for the {dialect_name} dialect (SQLite and PostgreSQL only)")


TRIGGER_TABLES = frozenset({"audit_event", "score", "approval"})


def _install_triggers(target, connection, **_kw) -> None:
    # A create_all limited to other tables (e.g. only the outbox) has nothing to guard here.
    if not TRIGGER_TABLES <= set(inspect(connection).get_table_names()):
        return
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(DDL(statement))


event.listen(metadata, "after_create", _install_triggers)


def create_schema(engine: Engine) -> None:
    """Create every table and trigger directly (tests, the in-process demo). Production uses
    `dtiflow db upgrade` (Alembic), which writes the same schema."""
    metadata.create_all(engine)


# The grants' rules (append-only, four eyes on grants, approvals and verified points only from
# a holder of the role for the cycle's owner): installed after the triggers above.
import store.grant_triggers  # noqa: E402,F401
