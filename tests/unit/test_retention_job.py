"""The window's retention job: once a day (a mark in sync_state), the policy's purge without
VACUUM; a ticket the centre never acknowledged is never purged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.errors import ConfigError
from agent_app.paths import DataPaths
from agent_app.services import retention
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow, TicketRow
from agent_app.storage.seat import open_database


def _answered(n: int) -> Ticket:
    at = timeutil.now()
    t = Ticket(
        id=Ticket.new_id(), number=f"{at:%Y%m%d}-S01-{n:04d}", created_at=at, updated_at=at,
        seat="S01", operator_id="op1", caller=Caller(name="甄鹬鹕", phones=("+8613800138000",)),
        events=(TicketEvent(at=at, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    return t.transition(Status.ANSWERED, Role.OPERATOR, "op1", at)


def test_the_job_runs_once_a_day_and_spares_what_the_centre_lacks(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat").ensure()
    db = open_database(paths)
    try:
        synced, unsynced = _answered(1), _answered(2)
        with db.write() as s:
            for t in (synced, unsynced):
                repo.save_ticket(s, t, now=t.created_at)
            # what the sync engine does once the centre acknowledged the first
            s.execute(
                update(OutboxRow)
                .where(OutboxRow.ticket_id == synced.id)
                .values(sent_at=timeutil.now())
            )
            s.execute(update(TicketRow).where(TicketRow.id == synced.id).values(server_version=1))
        day = timeutil.now() + timedelta(days=91)
        report = retention.maybe_purge(db, paths, now=day)
        assert report is not None
        assert (report.tickets, report.outbox, report.vacuumed) == (1, 1, False)
        assert retention.maybe_purge(db, paths, now=day + timedelta(hours=23)) is None
        later = retention.maybe_purge(db, paths, now=day + timedelta(hours=25))
        assert later is not None
        assert later.tickets == 0
        with db.read() as s:
            purged, kept = s.get(TicketRow, synced.id), s.get(TicketRow, unsynced.id)
            assert purged is not None
            assert kept is not None
            assert (purged.caller_name, purged.caller_phones) == ("", [])
            assert (kept.caller_name, kept.caller_phones) == ("甄鹬鹕", ["+8613800138000"])
        (paths.root / "retention.toml").write_text("[seat]\ncaller_days = -3\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="caller_days"):
            retention.maybe_purge(db, paths, now=day + timedelta(days=3))
    finally:
        db.dispose()
