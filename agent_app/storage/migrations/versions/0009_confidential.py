"""confidential: reserved step (filled by the work on confidential callers at lead seats)

Revision ID: 0009_confidential
Revises: 0008_transcripts
Create Date: 2026-12-06 08:10:00

"""
from typing import Sequence, Union


revision: str = '0009_confidential'
down_revision: Union[str, Sequence[str], None] = '0008_transcripts'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing to change yet."""


def downgrade() -> None:
    """Nothing to change yet."""
