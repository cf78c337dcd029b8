"""The lead desk on the seat's own copy reads summaries of the seat's tickets (no events held):
the review queue's rows, order, totals and pages, the figures and the 超时预警 lights must be
what the same desk shows over the seat's full tickets with their events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from agent_app.domain import timeutil
from agent_app.domain.deadlines import DUE_SOON_HOURS
from agent_app.paths import DataPaths
from agent_app.services import lead_desk as sources
from agent_app.services.reports import figures
from agent_app.services.review import OPEN_STATUSES, ReviewFilter
from agent_app.services.seeding import seed_demo
from agent_app.services.workstation import Workstation
from agent_app.storage.db import Database


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    root: Path = tmp_path_factory.mktemp("seat")
    ws = Workstation(DataPaths(root).ensure(), seat="S01", operator_id="op001", demo=True)
    seed_demo(ws.db, extra_tickets=60)
    yield ws.db
    ws.close()


def _pages(review: sources.SeatReview, flt: ReviewFilter) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    after = None
    while True:
        page = review.page(flt, limit=7, after=after)
        out.append((page.total, page.next, page.rows))
        if page.next is None:
            return out
        after = page.next


def test_the_queue_over_summaries_lists_the_same_rows_pages_and_totals(db: Database) -> None:
    now = timeutil.now()
    full = sources.seat_tickets(db)
    held = sources.seat_summaries(db, chunk=7)  # events read a few tickets at a time
    assert len(held) == len(full) > 60
    assert not any(hasattr(t, "events") for t in held)
    assert sum(len(t.dispatches) for t in held) > 0  # the demo week dispatches tickets
    by_full = sources.SeatReview(lambda: full, clock=lambda: now)
    by_summary = sources.SeatReview(lambda: held, clock=lambda: now)
    first = by_full.page(ReviewFilter(), limit=100, after=None).rows
    filters = [
        ReviewFilter(),
        ReviewFilter(sort="oldest"),
        ReviewFilter(status=OPEN_STATUSES, sort="due"),
        ReviewFilter(district=first[0].district),
        ReviewFilter(unit=next(r.unit for r in first if r.unit)),
        ReviewFilter(status=OPEN_STATUSES, overdue=True),
        ReviewFilter(status=OPEN_STATUSES, sort="due", due_within_hours=float(DUE_SOON_HOURS)),
        ReviewFilter(dissatisfied=True),
        ReviewFilter(rehandled=True),
        ReviewFilter(confidential=True),
    ]
    for flt in filters:
        assert _pages(by_summary, flt) == _pages(by_full, flt), flt


def test_the_figures_and_lights_over_summaries_are_those_over_full_tickets(db: Database) -> None:
    now = timeutil.now()
    full = sources.seat_tickets(db)
    held = sources.seat_summaries(db)
    by_full, by_summary = sources.SeatFigures(lambda: full), sources.SeatFigures(lambda: held)
    last = now.astimezone(timeutil.SHANGHAI).date()
    first = last - timedelta(days=60)
    for by in ("unit", "district"):
        assert by_summary.rates(first, last, by) == by_full.rates(first, last, by)
    for measure in figures.MEASURES:
        assert by_summary.rate_tickets(first, last, measure, "") == by_full.rate_tickets(
            first, last, measure, ""
        )
    month = last.replace(day=1)
    assert by_summary.rankings(month) == by_full.rankings(month)
    assert by_summary.hotspots(month) == by_full.hotspots(month)
    lights = sources.seat_overdue_counts(db, now)
    assert lights == sources.overdue_counts(full, now)
    assert lights == sources.overdue_counts(held, now)
    assert lights.open > 0
