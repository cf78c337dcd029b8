"""privacy: reserved step of the seat's history (filled by the work it is named after)

Revision ID: 0007_privacy
Revises: 0006_lead_desk
Create Date: 2026-12-06 05:00:00

"""
from typing import Sequence, Union


revision: str = '0007_privacy'
down_revision: Union[str, Sequence[str], None] = '0006_lead_desk'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
