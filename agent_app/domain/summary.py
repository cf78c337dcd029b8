"""Plain summaries of tickets for tables (no ORM object leaves a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketSummary:
    """One line of a ticket table (no live ORM object leaves the worker thread)."""

    id: str
    number: str
    created_at: datetime
    status: str
    request_type: str | None
    category_name: str
    district: str
    township: str
    main_unit: str
    urgency: str
    due_at: datetime | None
    caller_phone: str
    caller_name: str
    confidential: bool
    description: str
    synced: bool
