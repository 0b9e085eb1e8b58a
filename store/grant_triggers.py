"""What the database itself enforces about grants, in the model the services use: a grant is
(role, scope), it ends by an appended revocation, and it holds only for its own scope.

- `role_grant` and `grant_revocation` are append-only (UPDATE and DELETE refused);
- nobody holds council_member and approver for the same owner at once (Decision 1867/QĐ-UBND
  Art. 8.3 and 9: the council verifies, the People's Committee approves);
- an approval is recorded only by a person holding `approver` for the cycle's owner, and
  verified points only by a person holding `council_member` for it — even a row written past
  the services meets the same question "does this person hold role R for this scope".
Installed with the tables (`create_schema`) and by the Alembic revision 0002 (frozen copy there).
"""

from __future__ import annotations

from sqlalchemy import DDL, event, inspect

from store.schema import metadata

APPEND_ONLY = "is append-only"
FOUR_EYES = "four eyes: one person cannot be council member and approver of the same owner"
NOT_GRANTED = "the person does not hold this role for the owner of the cycle"

_ACTIVE = "g.id NOT IN (SELECT grant_id FROM grant_revocation)"
_CONFLICT = (f"EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = NEW.person_id AND g.owner_scope = NEW.owner_scope "
             f"AND g.role IN ('approver', 'council_member') AND g.role <> NEW.role AND {_ACTIVE})")


def _holds(person: str, role: str) -> str:
    return (f"EXISTS (SELECT 1 FROM role_grant g JOIN cycle c ON c.id = NEW.cycle_id WHERE g.person_id = {person} "
            f"AND g.role = '{role}' AND g.owner_scope = c.owner AND {_ACTIVE})")


SQLITE = (
    *(f"""CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t}
    BEGIN SELECT RAISE(ABORT, '{t} {APPEND_ONLY}'); END"""
      for t in ("role_grant", "grant_revocation") for op in ("UPDATE", "DELETE")),
    f"""CREATE TRIGGER IF NOT EXISTS role_grant_four_eyes BEFORE INSERT ON role_grant
    WHEN NEW.role IN ('approver', 'council_member') AND {_CONFLICT}
    BEGIN SELECT RAISE(ABORT, '{FOUR_EYES}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS approval_by_approver BEFORE INSERT ON approval
    WHEN NOT {_holds('NEW.approver_id', 'approver')}
    BEGIN SELECT RAISE(ABORT, 'approval: {NOT_GRANTED}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS score_verified_by_council BEFORE INSERT ON score
    WHEN NEW.kind = 'verified' AND NOT {_holds('NEW.recorded_by', 'council_member')}
    BEGIN SELECT RAISE(ABORT, 'score: {NOT_GRANTED}'); END""",
)

POSTGRES = (
    # dtiflow_append_only() is the audit log's function (store.schema): one for every ledger.
    *(f"""CREATE OR REPLACE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION dtiflow_append_only()""" for t in ("role_grant", "grant_revocation")),
    f"""CREATE OR REPLACE FUNCTION dtiflow_role_grant_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.role IN ('approver', 'council_member') AND {_CONFLICT} THEN
        RAISE EXCEPTION '{FOUR_EYES}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER role_grant_four_eyes BEFORE INSERT ON role_grant
    FOR EACH ROW EXECUTE FUNCTION dtiflow_role_grant_four_eyes()""",
    f"""CREATE OR REPLACE FUNCTION dtiflow_approval_by_approver() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT {_holds('NEW.approver_id', 'approver')} THEN
        RAISE EXCEPTION 'approval: {NOT_GRANTED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER approval_by_approver BEFORE INSERT ON approval
    FOR EACH ROW EXECUTE FUNCTION dtiflow_approval_by_approver()""",
    f"""CREATE OR REPLACE FUNCTION dtiflow_score_verified_by_council() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind = 'verified' AND NOT {_holds('NEW.recorded_by', 'council_member')} THEN
        RAISE EXCEPTION 'score: {NOT_GRANTED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE OR REPLACE TRIGGER score_verified_by_council BEFORE INSERT ON score
    FOR EACH ROW EXECUTE FUNCTION dtiflow_score_verified_by_council()""",
)

TABLES = frozenset({"role_grant", "grant_revocation", "approval", "score", "cycle"})
DROP_POSTGRES_FUNCTIONS = ("dtiflow_role_grant_four_eyes", "dtiflow_approval_by_approver",
                           "dtiflow_score_verified_by_council")


def statements(dialect_name: str) -> tuple[str, ...]:
    if dialect_name == "sqlite":
        return SQLITE
    if dialect_name == "postgresql":
        return POSTGRES
    raise ValueError(f"no triggers written for the {dialect_name} dialect (SQLite and PostgreSQL only)")


def _install(target, connection, **_kw) -> None:
    if not TABLES <= set(inspect(connection).get_table_names()):
        return
    for statement in statements(connection.dialect.name):
        connection.execute(DDL(statement))


# After store.schema's own listener (registered first, on import): the append-only function exists.
event.listen(metadata, "after_create", _install)
