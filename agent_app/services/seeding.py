"""Seeding a data directory with the demo day and extra unsynced tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from agent_app.domain import timeutil
from agent_app.services.demo import (
    DEMO_OPERATOR,
    DEMO_SEAT,
    DemoGenerator,
    generate_history,
)
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.models import SyncStateRow
from agent_app.storage.readmodel import SEEDED_KEY

BATCH = 500


@dataclass(frozen=True)
class SeedReport:
    demo_tickets: int
    extra_tickets: int
    total: int


def seed_demo(
    db: Database,
    *,
    extra_tickets: int = 0,
    now: datetime | None = None,
    seed: int = 12345,
    seat: str = DEMO_SEAT,
    operator: str = DEMO_OPERATOR,
) -> SeedReport:
    """Seed the demo week once, then add ``extra_tickets`` unsynced tickets made at ``seat``
    by ``operator``."""
    now = now or timeutil.now()
    today = now.date()
    gen = DemoGenerator(seed=seed + extra_tickets)
    demo_count = 0
    with db.read() as s:
        already = s.scalar(select(SyncStateRow.value).where(SyncStateRow.key == SEEDED_KEY))
    if already is None:
        with db.write() as s:

            def allocate(seat_id: str, day: date) -> str:
                return str(repo.next_number(s, seat_id, day))

            for ticket in generate_history(gen, today, now, allocate):
                repo.save_ticket(s, ticket, outbox=False)
                demo_count += 1
            s.add(SyncStateRow(key=SEEDED_KEY, value=today.isoformat()))
    done = 0
    while done < extra_tickets:
        n = min(BATCH, extra_tickets - done)
        with db.write() as s:
            for i in range(n):
                created = now - timedelta(seconds=(extra_tickets - done - i) * 7)
                number = str(repo.next_number(s, seat, created.date()))
                ticket = gen.ticket(
                    number,
                    created,
                    now,
                    seat=seat,
                    operator=operator,
                    is_demo=False,
                    intake_only=True,
                )
                repo.save_ticket(s, ticket, now=created)
        done += n
    with db.read() as s:
        total = repo.count_tickets(s)
    return SeedReport(demo_count, extra_tickets, total)
