"""transcripts: reserved step (filled by the work on call transcripts at the centre)

Revision ID: c0008_transcripts
Revises: c0007_reports
Create Date: 2026-12-06 08:10:00

"""

from __future__ import annotations

revision: str = "c0008_transcripts"
down_revision: str | None = "c0007_reports"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing to change yet."""


def downgrade() -> None:
    """Nothing to change yet."""
