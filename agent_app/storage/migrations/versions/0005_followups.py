"""followups: reserved step of the seat's history (filled by the work it is named after)

Revision ID: 0005_followups
Revises: 0004_search_indexes
Create Date: 2026-12-06 05:00:00

"""
from typing import Sequence, Union


revision: str = '0005_followups'
down_revision: Union[str, Sequence[str], None] = '0004_search_indexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
