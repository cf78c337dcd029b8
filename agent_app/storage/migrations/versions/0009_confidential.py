"""confidential: no schema change (confidential callers at lead seats are masked by the sync)

Revision ID: 0009_confidential
Revises: 0008_transcripts
Create Date: 2026-12-06 08:10:00

A lead's seat masks the confidential callers it holds in clear at its first sync with a
centre at ``c0009_confidential`` (``agent_app.storage.confidential.mask_held_callers``, once
per login): only the sync knows the login's group and whether the centre pulls them masked,
so this step changes nothing (kept so that the revision chain stays as reserved).
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
