"""privacy: reserved step of the central history (filled by the work it is named after)

Revision ID: c0006_privacy
Revises: c0005_lead_desk
Create Date: 2026-12-06 05:00:00

"""

from __future__ import annotations

revision: str = "c0006_privacy"
down_revision: str | None = "c0005_lead_desk"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
