"""All tables in one metadata, plus the rules the database itself enforces with triggers.

Triggers, because a CHECK cannot look at other rows:
- the audit log and the score rows are append-only (UPDATE and DELETE are refused);
- four eyes (Decision 1867 Art. 9, council verifies; Art. 8.3, the PPC approves): an approval
  whose approver recorded verified points in the same cycle is refused, and so is a verified
  score recorded by someone who already approved that cycle's round.
The same statements are written by the initial Alembic revision (0001).

The integrity triggers (revision 0004, docs/security.md):
- an audit event must link to the head of its stream's hash chain (store.audit_chain);
- approvals and the database mode are append-only too; on PostgreSQL TRUNCATE of the
  append-only tables is refused as well;
- a sheet's receipt (received_at, late, submitted_by) is written once, and a received sheet is
  never deleted; its answers are frozen (no insert, update or delete once it is received).
"""

from __future__ import annotations

import datetime as dt
import importlib

from sqlalchemy import DDL, event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import store.cycle_rows  # noqa: F401  (registers the tables)
import store.log_rows  # noqa: F401
import store.register_rows  # noqa: F401
from store.audit_chain import GENESIS
from store.database_mode import DatabaseMode, record_mode

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


CHAIN_MESSAGE = "an event must link to the head of the hash chain of its stream"
RECEIVED_MESSAGE = "a received sheet keeps its receipt and its answers"


def _sqlite_guard(name: str, when: str, table: str, message: str) -> str:
    return (f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON {table}\n"
            f"    BEGIN SELECT RAISE(ABORT, '{table}: {message}'); END")


SQLITE_INTEGRITY_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_linked BEFORE INSERT ON audit_event
    WHEN NOT ((NEW.seq = 1 AND NEW.prev_hash = '{GENESIS}')
              OR EXISTS (SELECT 1 FROM audit_event p WHERE p.stream = NEW.stream AND p.seq = NEW.seq - 1
                         AND p.hash = NEW.prev_hash))
    BEGIN SELECT RAISE(ABORT, 'audit_event: {CHAIN_MESSAGE}'); END""",
    _sqlite_guard("approval_no_update", "BEFORE UPDATE", "approval", APPEND_ONLY_MESSAGE),
    _sqlite_guard("approval_no_delete", "BEFORE DELETE", "approval", APPEND_ONLY_MESSAGE),
    _sqlite_guard("database_mode_no_update", "BEFORE UPDATE", "database_mode", APPEND_ONLY_MESSAGE),
    _sqlite_guard("database_mode_no_delete", "BEFORE DELETE", "database_mode", APPEND_ONLY_MESSAGE),
    f"""CREATE TRIGGER IF NOT EXISTS sheet_received_once BEFORE UPDATE ON sheet
    WHEN OLD.received_at IS NOT NULL AND (NEW.received_at IS NOT OLD.received_at OR NEW.late IS NOT OLD.late
                                          OR NEW.submitted_by IS NOT OLD.submitted_by)
    BEGIN SELECT RAISE(ABORT, 'sheet: {RECEIVED_MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS sheet_received_no_delete BEFORE DELETE ON sheet
    WHEN OLD.received_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'sheet: {RECEIVED_MESSAGE}'); END""",
    *(f"""CREATE TRIGGER IF NOT EXISTS answer_frozen_{op.lower()} BEFORE {op} ON answer
    WHEN EXISTS (SELECT 1 FROM sheet WHERE sheet.id = {row}.sheet_id AND sheet.received_at IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, 'answer: {RECEIVED_MESSAGE}'); END"""
      for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))),
)

POSTGRES_INTEGRITY_TRIGGERS = (
    f"""CREATE OR REPLACE FUNCTION dtiflow_audit_linked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.seq = 1 AND NEW.prev_hash = '{GENESIS}') OR EXISTS (SELECT 1 FROM audit_event p
          WHERE p.stream = NEW.stream AND p.seq = NEW.seq - 1 AND p.hash = NEW.prev_hash) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION USING MESSAGE = 'audit_event: {CHAIN_MESSAGE} (' || NEW.stream || ' #' || NEW.seq || ')',
        ERRCODE = 'integrity_constraint_violation';
    END $$""",
    """CREATE OR REPLACE TRIGGER audit_event_linked BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION dtiflow_audit_linked()""",
    """CREATE OR REPLACE TRIGGER approval_append_only BEFORE UPDATE OR DELETE ON approval
    FOR EACH ROW EXECUTE FUNCTION dtiflow_append_only()""",
    """CREATE OR REPLACE TRIGGER database_mode_append_only BEFORE UPDATE OR DELETE ON database_mode
    FOR EACH ROW EXECUTE FUNCTION dtiflow_append_only()""",
    *(f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION dtiflow_append_only()"""
      for table in ("audit_event", "score", "approval", "database_mode")),
    f"""CREATE OR REPLACE FUNCTION dtiflow_sheet_received_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.received_at IS NOT NULL AND (TG_OP = 'DELETE' OR NEW.received_at IS DISTINCT FROM OLD.received_at
          OR NEW.late IS DISTINCT FROM OLD.late OR NEW.submitted_by IS DISTINCT FROM OLD.submitted_by) THEN
        RAISE EXCEPTION 'sheet: {RECEIVED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER sheet_received_once BEFORE UPDATE OR DELETE ON sheet
    FOR EACH ROW EXECUTE FUNCTION dtiflow_sheet_received_once()""",
    f"""CREATE OR REPLACE FUNCTION dtiflow_answer_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE sid integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN sid := NEW.sheet_id; ELSE sid := OLD.sheet_id; END IF;
      IF EXISTS (SELECT 1 FROM sheet WHERE sheet.id = sid AND sheet.received_at IS NOT NULL) THEN
        RAISE EXCEPTION 'answer: {RECEIVED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER answer_frozen BEFORE INSERT OR UPDATE OR DELETE ON answer
    FOR EACH ROW EXECUTE FUNCTION dtiflow_answer_frozen()""",
)

POSTGRES_INTEGRITY_FUNCTIONS = ("dtiflow_audit_linked", "dtiflow_sheet_received_once", "dtiflow_answer_frozen")


def trigger_statements(dialect_name: str) -> tuple[str, ...]:
    if dialect_name == "sqlite":
        return SQLITE_TRIGGERS + SQLITE_INTEGRITY_TRIGGERS
    if dialect_name == "postgresql":
        return POSTGRES_TRIGGERS + POSTGRES_INTEGRITY_TRIGGERS
    raise ValueError(f"no triggers written for the {dialect_name} dialect (SQLite and PostgreSQL only)")


TRIGGER_TABLES = frozenset({"audit_event", "score", "approval", "sheet", "answer", "database_mode"})


def _install_triggers(target, connection, **_kw) -> None:
    # A create_all limited to other tables (e.g. only the outbox) has nothing to guard here.
    if not TRIGGER_TABLES <= set(inspect(connection).get_table_names()):
        return
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(DDL(statement))


event.listen(metadata, "after_create", _install_triggers)


def create_schema(engine: Engine, *, mode: DatabaseMode | str = DatabaseMode.SANDBOX) -> None:
    """Create every table and trigger directly (tests, the in-process demo), as a sandbox unless
    told otherwise. Production uses `dtiflow db upgrade` (Alembic), which writes the same schema
    and records the mode it is told (production by default)."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        record_mode(conn, mode, dt.datetime.now(dt.timezone.utc))


# The grants' rules (append-only, four eyes on grants, approvals and verified points only from
# a holder of the role for the cycle's owner): installed after the triggers above.
import store.grant_triggers  # noqa: E402,F401
