"""The caller's history through the call presenter when a citizen calls back and reaches
another seat: the centre's rows merged with the seat's own (one per ticket), a repeat call on
a ticket taken elsewhere queued for the centre, and, when the centre cannot be asked, the
seat's own rows marked 仅本席记录."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services import caller_history
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from agent_app.ui.call_session import CallSession, Phase
from agent_app.ui.caller_history import CallerHistory
from agent_app.ui.models.ticket_table import caller_shown
from agent_app.workers.tasks import TaskRunner
from tests.helpers.pg import add_tickets

WAIT = 10_000
PHONE = "+8613812340000"
STREET = "朝阳区呼家楼街道办事处"


@pytest.fixture
def session(qtbot, tmp_path):
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S08", operator_id="op2", demo=False)
    runner = TaskRunner()
    s = CallSession(runner, ws, role=Role.OPERATOR, demo=False)
    yield s
    s.clear()
    runner.wait_idle()
    ws.close()


def _own_ticket(session: CallSession) -> str:
    """One ticket of the caller taken at this seat."""
    db = session.workstation.db
    (ticket_id,) = add_tickets(db, "S08", 1, unit=STREET, operator="op2")
    with db.write() as s:
        t = repo.get_ticket(s, ticket_id)
        assert t is not None
        repo.save_ticket(s, replace(t, caller=replace(t.caller, phones=(PHONE,))), outbox=False)
    return t.number


def _centre_row(number: str, status: str = "DISPATCHED", minutes: int = 60):
    return caller_history.summary_from_centre(
        {
            "id": f"id-{number}",
            "number": number,
            "created_at": timeutil.now() - timedelta(minutes=minutes),
            "status": status,
            "category": "路灯",
            "main_unit": STREET,
            "caller_phone": "138****0000",
            "description": "路灯不亮，电话*******5678",
        }
    )


def _call(qtbot, session: CallSession) -> None:
    session.new_call()
    session.set_phone("13812340000")
    session.commit_phone()


def test_history_merges_the_centres_rows_and_a_repeat_call_on_another_seats_ticket_is_queued(
    qtbot, session, monkeypatch
):
    own = _own_ticket(session)
    elsewhere, closed = "20261205-S01-0007", "20261201-S02-0003"
    asked: list[str] = []

    def centre(url: str, phone: str, **_kw: object) -> list:
        asked.append(phone)
        # The centre also has this seat's own ticket: it is shown once.
        return [_centre_row(own), _centre_row(elsewhere), _centre_row(closed, "CLOSED", 9000)]

    monkeypatch.setattr(caller_history, "centre_rows", centre)
    session.set_centre("postgresql://op2@centre.example:5432/hotline")
    _call(qtbot, session)
    qtbot.waitUntil(lambda: session.state.history_scope == caller_history.CENTRE, timeout=WAIT)
    s = session.state
    assert asked == [PHONE]
    assert sorted(r.number for r in s.history) == sorted([own, elsewhere, closed])
    assert s.history[-1].number == closed  # open tickets first
    assert s.history_remote == {elsewhere, closed}
    view = CallerHistory()
    qtbot.addWidget(view)
    view.set_rows(list(s.history), timeutil.now(), scope=s.history_scope, remote=s.history_remote)
    assert "仅本席记录" not in view.summary.text()
    # The centre's row is masked there; the table shows it as masked, not masked again.
    row = next(r for r in s.history if r.number == elsewhere)
    assert caller_shown(row) == "138****0000"
    assert "2" in view.summary.toolTip()  # two taken at another seat

    # A chase on the other seat's closed ticket is refused at once, in one line.
    session.edit("description", "来电人再次催办")
    with qtbot.waitSignal(session.save_failed, timeout=WAIT) as refused:
        assert session.chase(closed)
    assert "CLOSED" in refused.args[0]
    assert session.state.phase is Phase.ACTIVE
    # On the open one it is queued for the centre; the call ends as handled, no ticket made.
    pending = session.workstation.pending_outbox()
    with qtbot.waitSignal(session.followed_up, timeout=WAIT) as done:
        assert session.chase(elsewhere)
    assert done.args[0].number == elsewhere
    assert (session.state.phase, session.state.followup) == (Phase.FINISHED, "chase")
    with session.workstation.db.read() as db:
        queued = [r for r in db.query(OutboxRow) if r.op == repo.FOLLOW_UP_OP]
        tickets = repo.count_tickets(db)
    assert [(r.ticket_id, r.payload["kind"], r.payload["text"]) for r in queued] == [
        (elsewhere, "chase", "来电人再次催办")
    ]
    assert tickets == 1
    assert session.workstation.pending_outbox() == pending + 1  # shown as waiting to be sent


def test_history_is_the_seats_own_rows_marked_seat_only_when_the_centre_is_unreachable(
    qtbot, session
):
    own = _own_ticket(session)
    session.set_centre("postgresql://op2@127.0.0.1:1/hotline")  # nothing listens there
    _call(qtbot, session)
    qtbot.waitUntil(lambda: session.state.history_scope == caller_history.SEAT_ONLY, timeout=WAIT)
    s = session.state
    assert [r.number for r in s.history] == [own]
    assert s.history_remote == frozenset()
    view = CallerHistory()
    qtbot.addWidget(view)
    view.set_rows(list(s.history), timeutil.now(), scope=s.history_scope, remote=s.history_remote)
    assert view.summary.text().startswith("仅本席记录")
    assert "其他席位" in view.summary.toolTip()
    # Even with no row of its own the operator is told the history may be incomplete.
    view.set_rows([], timeutil.now(), scope=caller_history.SEAT_ONLY)
    assert not view.isHidden()
    assert view.view.isHidden()
