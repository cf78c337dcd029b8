"""lead_desk: reserved step of the central history (filled by the work it is named after)

Revision ID: c0005_lead_desk
Revises: c0004_followups
Create Date: 2026-12-06 05:00:00

"""

from __future__ import annotations

revision: str = "c0005_lead_desk"
down_revision: str | None = "c0004_followups"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
