"""transcripts: the repeat calls' transcripts at the seat

``followup_transcripts``: the final lines (redacted) of a repeat call (告知进展, 补充, 催办)
recorded on an existing ticket, keyed by the call (``call_id``, the id the follow-up event
carries) and line; ``number`` is the ticket's number (the ticket may be held by another
seat), ``kind`` the follow-up kind.  A first call's lines stay in ``ticket_transcripts``
(0006).  Both reach the centre through the outbox (kind ``transcript``).

Revision ID: 0008_transcripts
Revises: 0007_privacy
Create Date: 2026-12-06 08:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0008_transcripts'
down_revision: Union[str, Sequence[str], None] = '0007_privacy'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create followup_transcripts."""
    op.create_table('followup_transcripts',
    sa.Column('call_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('call_id', 'seq', name=op.f('pk_followup_transcripts'))
    )
    op.create_index(op.f('ix_followup_transcripts_number'), 'followup_transcripts', ['number'], unique=False)


def downgrade() -> None:
    """Drop followup_transcripts."""
    op.drop_index(op.f('ix_followup_transcripts_number'), table_name='followup_transcripts')
    op.drop_table('followup_transcripts')
