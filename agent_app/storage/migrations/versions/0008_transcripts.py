"""transcripts: reserved step (filled by the work on call transcripts at the centre)

Revision ID: 0008_transcripts
Revises: 0007_privacy
Create Date: 2026-12-06 08:10:00

"""
from typing import Sequence, Union


revision: str = '0008_transcripts'
down_revision: Union[str, Sequence[str], None] = '0007_privacy'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing to change yet."""


def downgrade() -> None:
    """Nothing to change yet."""
