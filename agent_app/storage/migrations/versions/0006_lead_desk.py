"""lead_desk: ticket_transcripts, the call's transcript saved with its ticket

Each final line of the call's transcript (redacted: phone, ID-card and bank-card numbers
masked), with its time offsets from the start of the recording and the speaker when known.
The lines stay at the seat: they are not part of the payload sent to the centre.

Revision ID: 0006_lead_desk
Revises: 0005_followups
Create Date: 2026-12-06 05:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0006_lead_desk'
down_revision: Union[str, Sequence[str], None] = '0005_followups'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create ticket_transcripts."""
    op.create_table('ticket_transcripts',
    sa.Column('ticket_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_transcripts_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', 'seq', name=op.f('pk_ticket_transcripts'))
    )


def downgrade() -> None:
    """Drop ticket_transcripts."""
    op.drop_table('ticket_transcripts')
