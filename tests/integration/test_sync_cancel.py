"""``SyncEngine.cancel()`` (a window closing) at any point of a push: the cycle ends as an
offline one, nothing is half applied, and every change reaches the centre exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.services.sync.engine import SyncEngine
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


@pytest.mark.parametrize("point", ["before_send", "after_server_commit", "after_local_ack"])
def test_cancel_at_any_point_of_a_push_delivers_each_change_once(
    central: CentralDb, tmp_path: Path, point: str
) -> None:
    seat = {"before_send": "KCS", "after_server_commit": "KCC", "after_local_ack": "KCA"}[point]
    login = central.add_login(seat.lower(), "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, seat, 5, operator=login)
        holder: list[SyncEngine] = []

        def fault(where: str) -> None:
            if where == point:
                assert holder[0].cancel() is True  # as another thread would, mid-cycle

        engine = SyncEngine(
            db, central.target(login), seat=seat, batch_size=2, password_lookup=None, fault=fault
        )
        holder.append(engine)
        report = engine.sync_once()
        assert not report.ok
        assert not report.online
        assert report.error.startswith("cancelled")
        sent_first = 0 if point == "before_send" else 2
        assert engine.queue_length() == 5 - sent_first  # the batch in hand is whole or not at all
        keys = "SELECT count(*) FROM central.applied_ops WHERE seat = %s"
        assert central.scalar(keys, seat) == sent_first

        engine.fault = None
        again = engine.sync_once()
        assert again.ok
        assert again.replayed == 0
        assert again.pushed == 5 - sent_first
        assert engine.queue_length() == 0
        assert central.scalar(keys, seat) == 5
        tickets = "SELECT count(*) FROM central.tickets WHERE data->>'seat' = %s"
        assert central.scalar(tickets, seat) == 5
        assert engine.cancel() is False  # no cycle runs
    finally:
        db.dispose()
