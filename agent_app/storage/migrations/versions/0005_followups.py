"""followups: no change to the seat's schema

Repeat calls (progress_call, supplement, chase) and the original's record of a merged call
(merged_call) are rows of ticket_events; the counts shown (callers, chases, calls handled)
are read from them, and the merged tickets of an original through the existing index on
tickets.merged_into.  The step stays so the seat's history keeps its numbering.

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
    """Nothing to change."""


def downgrade() -> None:
    """Nothing to change."""
