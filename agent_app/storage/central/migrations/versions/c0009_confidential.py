"""confidential: reserved step (filled by the work on confidential callers at lead seats)

Revision ID: c0009_confidential
Revises: c0008_transcripts
Create Date: 2026-12-06 08:10:00

"""

from __future__ import annotations

revision: str = "c0009_confidential"
down_revision: str | None = "c0008_transcripts"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing to change yet."""


def downgrade() -> None:
    """Nothing to change yet."""
