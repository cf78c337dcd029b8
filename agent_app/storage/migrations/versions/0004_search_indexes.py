"""ticket search: indexes on tickets.main_unit and tickets.merged_into

Revision ID: 0004_search_indexes
Revises: 0003_undelivered
Create Date: 2026-12-06 10:00:00

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0004_search_indexes'
down_revision: Union[str, Sequence[str], None] = '0003_undelivered'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_main_unit'), ['main_unit'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_merged_into'), ['merged_into'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_merged_into'))
        batch_op.drop_index(batch_op.f('ix_tickets_main_unit'))
