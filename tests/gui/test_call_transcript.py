"""The call's transcript saved with its ticket: redacted, in order, in the same write as the
ticket; listed by ``ticket show --json`` and shown in the detail view's 通话记录 (nothing
when the ticket has none)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from agent_app.cli import main
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome
from agent_app.paths import DataPaths
from agent_app.services.intake import IntakeService
from agent_app.services.workstation import Workstation
from agent_app.storage.models import TranscriptLineRow
from agent_app.ui.call_session import CallSession
from agent_app.ui.ticket_detail import TicketDetailPresenter, TicketDetailView
from agent_app.workers.tasks import TaskRunner

pytestmark = pytest.mark.gui
WAIT = 10_000
HEATING = "家里暖气不热，室温只有十五度，已经三天了，请供热公司来修"
LINES = (
    (0, "你好，我家暖气不热。", 1.2, 3.0),
    (1, "我的电话是13812345678，您记一下。", 65.4, 68.0),
    (2, "身份证号110101199003077777。", 70.0, 72.5),
    (3, "", 73.0, 73.5),  # a line that says nothing is not kept
)


@pytest.fixture(scope="module")
def service() -> IntakeService:
    return IntakeService.load()


@pytest.fixture
def seat(qtbot, tmp_path, service):  # type: ignore[no-untyped-def]
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S07", operator_id="op1", demo=False)
    runner = TaskRunner()
    session = CallSession(runner, ws, role=Role.OPERATOR, demo=False)
    session.set_service(service)
    yield paths, ws, runner, session
    session.clear()
    runner.wait_idle()
    ws.close()


def _fill(qtbot, session: CallSession) -> None:  # type: ignore[no-untyped-def]
    """A heating call ready to dispatch (as in test_call_session)."""
    session.edit("description", HEATING)
    session.edit("address", "朝阳区八里庄街道红庙北里3号楼")
    qtbot.waitUntil(lambda: bool(session.state.draft.place.get("district")), timeout=WAIT)
    cat = session.service.category("02.01.001")  # type: ignore[union-attr]
    assert cat is not None
    session.pick_category(cat.code)
    session.edit("request_type", cat.request_types[0])
    session.set_answer("whole_building", "home")
    assert session.problems(Outcome.DISPATCHED) == []


def _finish(qtbot, session: CallSession, lines=LINES):  # type: ignore[no-untyped-def]
    session.new_call("13912345678")
    for segment, text, start, end in lines:
        session.transcript_line(segment, text, start, end)
    session.transcript_line(0, "你好，我家暖气不热，已经三天了。", 1.2, 3.0)  # corrected
    _fill(qtbot, session)
    with qtbot.waitSignal(session.finished, timeout=WAIT) as blocker:
        assert session.finish(Outcome.DISPATCHED)
    return blocker.args[0]


def _show_json(paths: DataPaths, number: str, capsys) -> dict:  # type: ignore[no-untyped-def]
    assert main(["ticket", "show", number, "--data-dir", str(paths.root), "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _detail_view(qtbot, runner, ws, ticket_id: str) -> TicketDetailView:  # type: ignore[no-untyped-def]
    presenter = TicketDetailPresenter(runner, ws, Role.OPERATOR)
    view = TicketDetailView(presenter)
    qtbot.addWidget(view)
    view.show()
    presenter.open(ticket_id)
    qtbot.waitUntil(lambda: presenter.state.detail is not None, timeout=WAIT)
    return view


def test_the_calls_transcript_is_saved_redacted_and_shown(qtbot, seat, capsys) -> None:  # type: ignore[no-untyped-def]
    paths, ws, runner, session = seat
    ticket = _finish(qtbot, session)

    with ws.db.read() as s:
        rows = list(
            s.scalars(
                select(TranscriptLineRow)
                .where(TranscriptLineRow.ticket_id == ticket.id)
                .order_by(TranscriptLineRow.seq)
            )
        )
    assert [(r.seq, r.start_ms, r.end_ms) for r in rows] == [
        (1, 1200, 3000),
        (2, 65400, 68000),
        (3, 70000, 72500),
    ]
    assert rows[0].text == "你好，我家暖气不热，已经三天了。"  # the operator's correction
    assert "13812345678" not in rows[1].text
    assert "138****5678" in rows[1].text
    assert "110101199003077777" not in rows[2].text

    data = _show_json(paths, ticket.number, capsys)
    assert [x["at"] for x in data["transcript"]] == ["00:01", "01:05", "01:10"]
    assert data["transcript"][1]["text"] == rows[1].text
    assert "13812345678" not in json.dumps(data["transcript"], ensure_ascii=False)

    view = _detail_view(qtbot, runner, ws, ticket.id)
    assert view.transcript_box.isVisible()
    assert view.transcript_box.title() == "通话记录"
    assert view.transcript.isReadOnly()
    shown = view.transcript.toPlainText().splitlines()
    assert shown[0] == "00:01  你好，我家暖气不热，已经三天了。"
    assert shown[1].startswith("01:05  ")
    assert "138****5678" in shown[1]
    assert len(shown) == 3


def test_a_ticket_without_a_transcript_shows_none(qtbot, seat, capsys) -> None:  # type: ignore[no-untyped-def]
    paths, ws, runner, session = seat
    session.new_call("13912345678")
    _fill(qtbot, session)
    with qtbot.waitSignal(session.finished, timeout=WAIT) as blocker:
        assert session.finish(Outcome.DISPATCHED)
    ticket = blocker.args[0]
    with ws.db.read() as s:
        assert list(s.scalars(select(TranscriptLineRow))) == []
    assert _show_json(paths, ticket.number, capsys)["transcript"] == []
    view = _detail_view(qtbot, runner, ws, ticket.id)
    assert not view.transcript_box.isVisible()
    assert view.transcript.toPlainText() == ""


def test_a_repeat_calls_transcript_is_saved_under_the_call_and_queued(qtbot, seat) -> None:  # type: ignore[no-untyped-def]
    from agent_app.storage import repository as repo  # noqa: PLC0415
    from agent_app.storage.models import OutboxRow  # noqa: PLC0415
    from tests.gui.test_call_session import _caller_with_tickets  # noqa: PLC0415

    _paths, ws, _runner, session = seat
    numbers = _caller_with_tickets(qtbot, session)
    call_id = session.state.ticket_id
    session.transcript_line(0, "我想问一下上次反映的事，电话13812345678", 0.5, 4.0)
    session.edit("notes", "已告知：街道已签收")
    with qtbot.waitSignal(session.followed_up, timeout=WAIT):
        assert session.tell_progress(numbers[0])
    session.runner.wait_idle()
    with ws.db.read() as s:
        (call,) = repo.followup_transcripts(s, numbers[0])
        queued = [
            r.payload
            for r in s.scalars(select(OutboxRow).where(OutboxRow.op == repo.TRANSCRIPT_OP))
        ]
    assert (call["kind"], call["call_id"]) == ("progress_call", call_id)
    assert call["lines"][0].text == "我想问一下上次反映的事，电话138****5678"
    assert [(p["number"], p["call_id"]) for p in queued] == [(numbers[0], call_id)]
    with ws.db.read() as s:
        ticket_id = repo.get_ticket_by_number(s, numbers[0]).id  # type: ignore[union-attr]
    view = _detail_view(qtbot, session.runner, ws, ticket_id)
    assert view.repeat_box.isVisible()
    assert "告知进展" in view.repeat_transcript.toPlainText()
    assert "138****5678" in view.repeat_transcript.toPlainText()
