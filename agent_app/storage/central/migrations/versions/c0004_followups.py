"""followups: reserved step of the central history (filled by the work it is named after)

Revision ID: c0004_followups
Revises: c0003_after_dispatch
Create Date: 2026-12-06 05:00:00

"""

from __future__ import annotations

revision: str = "c0004_followups"
down_revision: str | None = "c0003_after_dispatch"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
