"""undelivered changes and quarantined pulls: outbox.undelivered_at/reason, sync_quarantine

Revision ID: 0003_undelivered
Revises: 0002_sync_shadow
Create Date: 2026-11-30 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003_undelivered'
down_revision: Union[str, Sequence[str], None] = '0002_sync_shadow'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undelivered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('reason', sa.String(length=64), nullable=False, server_default='')
        )
        batch_op.create_index(batch_op.f('ix_outbox_undelivered_at'), ['undelivered_at'], unique=False)
    op.create_table('sync_quarantine',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_quarantine')),
    sa.UniqueConstraint('ticket_id', 'version', name=op.f('uq_sync_quarantine_ticket_id'))
    )


def downgrade() -> None:
    op.drop_table('sync_quarantine')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_undelivered_at'))
        batch_op.drop_column('reason')
        batch_op.drop_column('undelivered_at')
