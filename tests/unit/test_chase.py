"""催办 from the lead's desk through the seat (no centre): the same service as
``agent-app ticket chase``: a chase event on a ticket the seat holds (with its outbox row), a
chase on another seat's ticket queued for the centre, a refusal with its reason, never lost."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.errors import UnreachableError, UsageError
from agent_app.paths import DataPaths
from agent_app.services.chase import CentralChase, SeatChase, chased_recently
from agent_app.services.sync.identity import store_identity
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from agent_app.storage.models import OutboxRow
from tests.helpers.pg import add_tickets, new_seat, replace_ticket

STREET = "朝阳区呼家楼街道办事处"


def _numbers(db, ids: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return [repo.get_ticket(s, i).number for i in ids]  # type: ignore[union-attr]


def _chases(db, number: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        t = repo.get_ticket_by_number(s, number)
        assert t is not None
        return [(e.actor_id, e.actor_role, e.data["text"]) for e in t.events if e.kind == "chase"]


def _outbox(db, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return list(
            s.scalars(
                select(OutboxRow.op).where(OutboxRow.ticket_id == key, OutboxRow.sent_at.is_(None))
            )
        )


def test_a_chase_at_the_seat_reaches_the_outbox_and_a_refusal_says_why(tmp_path: Path) -> None:
    root = tmp_path / "seat"
    db = new_seat(root)
    try:
        ids = add_tickets(db, "S01", 3, unit=STREET, operator="lead1")
        held, closed_one, _ = _numbers(db, ids)
        with db.write() as s:
            t = repo.get_ticket(s, ids[1])
            assert t is not None
            repo.save_ticket(s, replace_ticket(t, status=Status.CLOSED), outbox=False)
        store_identity(db, {"login": "lead1", "group": "lead"})  # what the last sync said
        elsewhere = "20261205-S09-0007"  # taken at another seat: the seat does not hold it
        queued_before = len(_outbox(db, ids[0]))  # the ticket's id for a held one
        results = SeatChase(db, DataPaths(root)).chase(
            [held, closed_one, elsewhere], "请于今日内办理，联系电话13812345678"
        )
        by = {r.number: r for r in results}
        assert by[held].outcome == "queued"
        assert by[held].chases == 1
        assert by[elsewhere].outcome == "queued"
        assert by[closed_one].outcome == "refused"
        assert "no handling unit works on it now" in by[closed_one].reason
        # The held ticket carries the chase (the seat's login, the number masked) and one
        # more outbox row for the sync; the other seat's ticket is queued for central.follow_up.
        ((actor, role, text),) = _chases(db, held)
        assert (actor, role) == ("lead1", Role.LEAD.value)
        assert "13812345678" not in text
        assert text.startswith("请于今日内办理")
        assert len(_outbox(db, ids[0])) == queued_before + 1
        assert _outbox(db, elsewhere) == [repo.FOLLOW_UP_OP]
        assert _chases(db, closed_one) == []
        with pytest.raises(UsageError):  # no note: nothing is recorded at all
            SeatChase(db, DataPaths(root)).chase([held], "   ")
        assert len(_chases(db, held)) == 1
    finally:
        db.dispose()


def test_a_seat_that_does_not_know_its_login_refuses_each_ticket(tmp_path: Path) -> None:
    root = tmp_path / "seat"
    db = new_seat(root)
    try:
        (number,) = _numbers(db, add_tickets(db, "S01", 1, unit=STREET))
        (result,) = SeatChase(db, DataPaths(root)).chase([number], "请尽快办理")
        assert result.outcome == "refused"
        assert "sync" in result.reason
        assert _chases(db, number) == []
    finally:
        db.dispose()


def test_a_chase_is_recent_for_two_hours() -> None:
    now = timeutil.now()
    assert chased_recently((now - timedelta(minutes=30)).isoformat(), now)
    assert not chased_recently((now - timedelta(hours=3)).isoformat(), now)
    assert not chased_recently(None, now)


def test_a_centre_that_cannot_be_reached_chases_through_the_seats_outbox(tmp_path: Path) -> None:
    root = tmp_path / "seat"
    db = new_seat(root)
    try:
        (number,) = _numbers(db, add_tickets(db, "S01", 1, unit=STREET, operator="lead1"))
        store_identity(db, {"login": "lead1", "group": "lead"})
        closed_port = parse_url("postgresql://lead1@127.0.0.1:1/centre")  # refused at once
        fallback = SeatChase(db, DataPaths(root))
        (result,) = CentralChase(
            closed_port, "S01", fallback=fallback, password_lookup=lambda _k: None
        ).chase([number], "请尽快办理")
        assert result.outcome == "queued"
        assert len(_chases(db, number)) == 1
        with pytest.raises(UnreachableError):  # no seat to fall back on: said, not lost
            CentralChase(closed_port, "S01", password_lookup=lambda _k: None).chase(
                [number], "请尽快办理"
            )
        assert len(_chases(db, number)) == 1
    finally:
        db.dispose()
