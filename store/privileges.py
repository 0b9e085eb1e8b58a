"""PostgreSQL: two roles. The owner runs the migrations and owns every table; the application
connects as a role that may read and insert, update only what changes state, and never alter,
truncate or disable a trigger (only an owner may). docs/security.md shows both roles.

`TABLE_PRIVILEGES` is the whole of what the application may do, table by table: the append-only
tables (the audit log, scores, approvals, the idempotency ledger, grants and their revocations) get SELECT and INSERT only, so
the database refuses an UPDATE or DELETE from the application even if a trigger were dropped.
A new table must be listed here (a test fails naming it otherwise).
"""

from __future__ import annotations

import re

from sqlalchemy import text

from domain.errors import InvalidInput
from sqlalchemy.engine import Connection

READ = ("SELECT",)
APPEND = ("SELECT", "INSERT")
CHANGE = ("SELECT", "INSERT", "UPDATE")
REPLACE = ("SELECT", "INSERT", "UPDATE", "DELETE")

TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "alembic_version": READ,
    "database_mode": READ,
    "audit_event": APPEND,
    "score": APPEND,
    "approval": APPEND,
    "idempotency_key": APPEND,
    "evidence": APPEND,
    "outbox_body": APPEND,
    "cycle": CHANGE,
    "sheet": CHANGE,             # the receipt is written once (trigger sheet_received_once)
    "explanation_request": CHANGE,
    "outbox_message": CHANGE,    # the relay marks messages sent
    "unit": CHANGE,
    "person": CHANGE,
    "role_grant": APPEND,        # a grant ends by a revocation row, never an UPDATE or DELETE
    "grant_revocation": APPEND,
    "unit_lineage": REPLACE,     # the register's import rewrites a unit's predecessors
    "owner_office": REPLACE,     # the register's import states who speaks for an owner
    "answer": REPLACE,           # a draft's answers are replaced until the sheet is received
    "cycle_milestone": REPLACE,  # a late notice or a changed calendar recomputes the timeline
    "scheduler_lease": REPLACE,  # `dtiflow serve` releases its lease
}

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleNameError(InvalidInput):
    """A role name `db upgrade` was given that PostgreSQL would not take as written."""


def check_role_name(name: str) -> str:
    if not _ROLE.match(name or ""):
        raise RoleNameError(f"tên vai trò PostgreSQL '{name}' không hợp lệ (chữ thường, số và _, tối đa 63 ký tự)")
    return name


def role_exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is not None


def create_role(conn: Connection, name: str) -> bool:
    """CREATE ROLE ... LOGIN when missing (no password: the administrator sets one with
    ALTER ROLE ... PASSWORD). Returns whether it was created."""
    check_role_name(name)
    if role_exists(conn, name):
        return False
    conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
    return True


def grant_statements(app_role: str, tables: list[str]) -> list[str]:
    """What `grant_app_role` runs: every privilege revoked first, then exactly the table's list.
    (Connecting and using the schema `public` are PostgreSQL's defaults for every role.)"""
    check_role_name(app_role)
    missing = sorted(set(tables) - set(TABLE_PRIVILEGES))
    if missing:
        raise KeyError(f"no privileges stated for table(s) {', '.join(missing)}: add them to store/privileges.py")
    out = [f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{app_role}"']
    for table in sorted(tables):
        out.append(f'GRANT {", ".join(TABLE_PRIVILEGES[table])} ON "{table}" TO "{app_role}"')
    out.append(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')
    return out


def grant_app_role(conn: Connection, app_role: str) -> list[str]:
    """Give `app_role` exactly the application's privileges on the current database's tables
    (run as their owner, after the migrations). Returns the statements run."""
    tables = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
    statements = grant_statements(app_role, tables)
    for statement in statements:
        conn.execute(text(statement))
    return statements


def become_owner(conn: Connection, owner_role: str) -> None:
    """Run the rest of this transaction as `owner_role` (created if missing), so that the tables
    the migrations create are its own: the session's user must be allowed to grant it to itself
    (a superuser, or a role with CREATEROLE) and to let it create in the schema `public`."""
    create_role(conn, owner_role)
    member = conn.execute(text("SELECT pg_has_role(current_user, :r, 'MEMBER')"), {"r": owner_role}).scalar()
    if not member:
        conn.execute(text(f'GRANT "{owner_role}" TO CURRENT_USER'))
    conn.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{owner_role}"'))
    conn.execute(text(f'SET LOCAL ROLE "{owner_role}"'))
