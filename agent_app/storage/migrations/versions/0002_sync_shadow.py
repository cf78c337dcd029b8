"""sync shadow: the last centre state of each ticket (merge base for sync)

Revision ID: 0002_sync_shadow
Revises: 0001_initial
Create Date: 2026-11-23 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002_sync_shadow'
down_revision: Union[str, Sequence[str], None] = '0001_initial'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('sync_shadow',
    sa.Column('ticket_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_sync_shadow'))
    )


def downgrade() -> None:
    op.drop_table('sync_shadow')
