"""Repeat calls on tickets another seat took, at the seat (no centre): queued once per call
as their own outbox kind, checked against the history's row when there is one, listed by
number when the centre refuses them, sent again under a new key; and the history's merge of
the seat's rows with the centre's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from agent_app.domain import timeutil
from agent_app.domain.followup import FollowupKind
from agent_app.domain.roles import Role
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services import caller_history
from agent_app.services import followup as service
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow

ELSEWHERE = "20261205-S09-0003"


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="op1", demo=False
    )
    yield w
    w.close()


def _queued(ws: Workstation) -> list[OutboxRow]:
    with ws.db.read() as s:
        rows = s.query(OutboxRow).filter(OutboxRow.op == repo.FOLLOW_UP_OP).all()
        s.expunge_all()
    return rows


def _row(status: str = "SIGNED", unit: str = "某街道办事处") -> caller_history.TicketSummary:
    return caller_history.summary_from_centre(
        {
            "id": "c-1",
            "number": ELSEWHERE,
            "created_at": timeutil.now() - timedelta(days=2),
            "status": status,
            "main_unit": unit,
            "caller_phone": "138****5678",
        }
    )


def test_a_call_on_a_ticket_held_elsewhere_is_queued_once_with_its_words_masked(ws):
    first = service.record_follow_up(
        ws.db, ELSEWHERE, FollowupKind.SUPPLEMENT, text=" 物业电话13812345678 ",
        role=Role.OPERATOR, actor_id="op1", call_id="call-1",
    )  # fmt: skip
    assert isinstance(first, service.QueuedFollowUp)
    again = service.record_follow_up(
        ws.db, ELSEWHERE, FollowupKind.SUPPLEMENT, text="物业电话13812345678",
        role=Role.OPERATOR, actor_id="op1", call_id="call-1",
    )  # fmt: skip
    assert isinstance(again, service.QueuedFollowUp)
    assert again.key == first.key  # a retry of the same call queues nothing more
    (row,) = _queued(ws)
    assert (row.ticket_id, row.payload["kind"]) == (ELSEWHERE, "supplement")
    assert row.payload["text"] == "物业电话138****5678"
    assert ws.pending_outbox() == 1
    with ws.db.read() as s:
        assert repo.count_tickets(s) == 0  # no ticket made, none copied


def test_the_seat_refuses_at_once_what_it_can_check(ws):
    with pytest.raises(UsageError, match="needs a text"):
        service.record_follow_up(
            ws.db, ELSEWHERE, FollowupKind.CHASE, text=" ", role=Role.OPERATOR, actor_id="op1"
        )
    with pytest.raises(UsageError, match="CLOSED"):
        service.record_follow_up(
            ws.db, ELSEWHERE, FollowupKind.CHASE, text="催", role=Role.OPERATOR,
            actor_id="op1", known=_row("CLOSED"),
        )  # fmt: skip
    with pytest.raises(UsageError, match="not a ticket number"):
        service.record_follow_up(
            ws.db, "12345", FollowupKind.PROGRESS, role=Role.OPERATOR, actor_id="op1"
        )
    with pytest.raises(UsageError, match="does not take citizens' calls"):
        service.record_follow_up(
            ws.db, ELSEWHERE, FollowupKind.PROGRESS, role=Role.HANDLER, actor_id="u1"
        )
    assert _queued(ws) == []
    # A demo seat has nothing elsewhere: the call is refused, not queued.
    with pytest.raises(UsageError, match="no ticket"):
        service.record_follow_up(
            ws.db, ELSEWHERE, FollowupKind.PROGRESS, role=Role.OPERATOR, actor_id="op1",
            outbox=False,
        )  # fmt: skip


def test_a_refused_call_is_listed_by_its_number_and_resent_under_a_new_key(ws):
    queued = service.record_follow_up(
        ws.db, ELSEWHERE, FollowupKind.CHASE, text="再次催办", role=Role.OPERATOR, actor_id="op1"
    )
    assert isinstance(queued, service.QueuedFollowUp)
    now = timeutil.now()
    with ws.db.write() as s:
        repo.mark_undelivered(s, {queued.key: "ticket is CLOSED: no unit works on it now"}, now)
    (item,) = ws.undelivered()
    assert (item.number, item.reason) == (ELSEWHERE, "ticket is CLOSED: no unit works on it now")
    assert ws.pending_outbox() == 0  # waiting for the operator, not for the sync
    ws.resend(ELSEWHERE)
    assert ws.undelivered() == []
    pending = [r for r in _queued(ws) if r.sent_at is None]
    assert len(pending) == 1
    assert pending[0].idempotency_key != queued.key
    assert pending[0].payload["text"] == "再次催办"


def test_history_merge_keeps_one_row_per_ticket_and_marks_the_others_remote():
    own = replace(_row(), number="20261206-S01-0001", id="own", description="本席")
    from_centre = [replace(own, description="中心"), _row(), _row("CLOSED")]
    merged = caller_history.merge([own], from_centre)
    assert [r.number for r in merged.rows] == ["20261206-S01-0001", ELSEWHERE]
    assert merged.rows[0].description == "本席"  # the seat's own copy wins
    assert merged.remote == {ELSEWHERE}
    closed = replace(_row("CLOSED"), number="20261101-S09-0001")
    newer = replace(_row(), number="20261206-S09-0009", created_at=timeutil.now())
    order = caller_history.merge([], [closed, _row(), newer]).rows
    assert [r.number for r in order] == ["20261206-S09-0009", ELSEWHERE, "20261101-S09-0001"]
