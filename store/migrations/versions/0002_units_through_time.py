"""units through time: a unit's validity, the province kind (national level), its predecessors (unit_lineage), the special zone kind,
a commune without a district, the cycle's reference date, and the owners' offices (secretariat,
authority, address, contact) that every e-mail names.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 21:40:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # SQLModel column types (AutoString)


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = "kind IN ('department', 'office', 'public_service_unit', 'district', 'commune', 'special_zone', 'province')"
LEVELS = "level IN ('national', 'province', 'district', 'commune')"
OLD_LEVELS = "level IN ('province', 'district', 'commune')"
OLD_KINDS = "kind IN ('department', 'office', 'public_service_unit', 'district', 'commune')"


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table to change its CHECK constraints.
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.drop_constraint('ck_unit_parent', type_='check')
        batch_op.drop_constraint('ck_unit_kind', type_='check')
        batch_op.drop_constraint('ck_unit_level', type_='check')
        batch_op.create_check_constraint('ck_unit_parent', "level = 'commune' OR parent_code IS NULL")
        batch_op.create_check_constraint('ck_unit_kind', KINDS)
        batch_op.create_check_constraint('ck_unit_level', LEVELS)
        batch_op.create_check_constraint('ck_unit_validity',
                                         'valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until')
    op.create_table('unit_lineage',
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('predecessor_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.CheckConstraint("change IN ('established', 'merged', 'split', 'renamed', 'moved')", name='ck_unit_lineage_change'),
    sa.ForeignKeyConstraint(['unit_code'], ['unit.code'], ),
    sa.PrimaryKeyConstraint('unit_code', 'predecessor_code')
    )
    with op.batch_alter_table('unit_lineage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_lineage_predecessor_code'), ['predecessor_code'], unique=False)
    op.create_table('owner_office',
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('secretariat', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('authority', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('mailbox', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.PrimaryKeyConstraint('owner')
    )
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_column('reference_date')
    op.drop_table('owner_office')
    with op.batch_alter_table('unit_lineage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_lineage_predecessor_code'))
    op.drop_table('unit_lineage')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint('ck_unit_validity', type_='check')
        batch_op.drop_constraint('ck_unit_kind', type_='check')
        batch_op.drop_constraint('ck_unit_parent', type_='check')
        batch_op.drop_constraint('ck_unit_level', type_='check')
        batch_op.create_check_constraint('ck_unit_kind', OLD_KINDS)
        batch_op.create_check_constraint('ck_unit_level', OLD_LEVELS)
        batch_op.create_check_constraint('ck_unit_parent', "(level = 'commune') = (parent_code IS NOT NULL)")
        batch_op.drop_column('valid_until')
        batch_op.drop_column('valid_from')
