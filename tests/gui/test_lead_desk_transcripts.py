"""The lead's desk reading the centre shows the transcripts of calls other seats took: the
operator's seat dispatched the call and synced, another operator's seat took a chase on it;
the lead's window (its seat holds nothing) opens the ticket from the centre, its 通话记录 lists
the call's lines and 复诉通话记录 the chase's, both read from the centre, and a scorecard item
points at one line and brings it back."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from agent_app.cli import main
from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.followup import FollowupKind
from agent_app.domain.roles import Role
from agent_app.services import followup
from tests.helpers.cli import seat_root
from tests.helpers.pg import CentralDb, new_seat, throwaway_centre
from tests.helpers.window import close_workbench, open_workbench
from tests.integration.test_transcripts_central import LINES, _dispatch

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def test_the_desk_shows_another_seats_call_from_the_centre(
    qtbot: QtBot, tmp_path: Path, central: CentralDb, capsys: pytest.CaptureFixture[str]
) -> None:
    op = central.add_login("ld_op", "operator")
    lead = central.add_login("ld_lead", "lead")
    seat = seat_root(tmp_path / "op", "LD1")
    ticket = _dispatch(seat, "LD1", op, LINES)
    code = main(["sync", "--once", "--json", "--data-dir", str(seat), "--central", central.url(op)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert json.loads(out.strip().splitlines()[-1])["undelivered"] == 0
    # A caller chases it through another operator's seat, which does not hold the ticket.
    other_op = central.add_login("ld_op2", "operator")
    other = seat_root(tmp_path / "op2", "LD2")
    other_db = new_seat(other)
    try:
        followup.record_follow_up(
            other_db, ticket.number, FollowupKind.CHASE, text="还没修", role=Role.OPERATOR,
            actor_id=other_op, call_id="chase-call",
            transcript=(TranscriptLine(0, 2000, "我来催一下路灯的事"),),
        )  # fmt: skip
    finally:
        other_db.dispose()
    code = main(["sync", "--once", "--data-dir", str(other), "--central", central.url(other_op)])
    capsys.readouterr()
    assert code == 0

    bench = open_workbench(tmp_path / "lead", role=Role.LEAD, central=central.url(lead))
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        desk.detail.open(ticket.id)
        qtbot.waitUntil(lambda: desk.detail.state.detail is not None, timeout=15_000)
        assert desk.detail.from_centre  # the lead's seat does not hold it
        box = desk.detail_view.transcript
        qtbot.waitUntil(lambda: box.document().blockCount() == 3, timeout=15_000)
        text = box.toPlainText()
        assert "我家楼下路灯坏了" in text
        assert "13812345678" not in text  # stored redacted
        assert desk.detail_view.transcript_box.isVisibleTo(desk.detail_view)
        repeat = desk.detail_view.repeat_transcript
        assert "催办" in repeat.toPlainText()
        assert "00:00  我来催一下路灯的事" in repeat.toPlainText()
        assert desk.detail_view.repeat_box.isVisibleTo(desk.detail_view)
        bench.runner.wait_idle()
        QApplication.processEvents()
        assert 1 <= _backends(central, lead) <= 2  # the desk's reads keep their connections
        assert desk.scorecard is not None
        box.setTextCursor(QTextCursor(box.document().findBlockByNumber(1)))
        desk.scorecard.set_moment("address", desk.selected_second())
        view = desk.scorecard_view
        assert view.moments["address"].text() == "00:02"
        box.setTextCursor(QTextCursor(box.document().findBlockByNumber(0)))
        view.moments["address"].click()  # → that line of the other seat's call
        assert box.textCursor().blockNumber() == 1
        assert "路灯坏了" in box.textCursor().selectedText()
    finally:
        bench.runner.wait_idle()
        desk.shutdown()
        close_workbench(bench)
    # The desk read the centre on kept connections (CentralLink); its shutdown closed them.
    deadline = time.monotonic() + 10
    while (left := _backends(central, lead)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == 0


def _backends(db: CentralDb, login: str) -> int:
    return int(
        db.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND usename = %s",
            db.name,
            login,
        )
    )


def test_without_the_centre_the_detail_shows_at_once_and_says_the_words_are_missing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from agent_app.errors import UnreachableError  # noqa: PLC0415
    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.services.workstation import Workstation  # noqa: PLC0415
    from agent_app.ui.lead_desk.detail import DeskDetailPresenter  # noqa: PLC0415
    from agent_app.workers.tasks import TaskRunner  # noqa: PLC0415
    from tests.helpers.pg import add_tickets  # noqa: PLC0415

    ws = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="l1", demo=False
    )
    runner = TaskRunner()
    asked: list[str] = []

    def offline(ticket_id: str) -> tuple[object, ...]:
        asked.append(ticket_id)
        raise UnreachableError("cannot reach the central database")

    try:
        (tid,) = add_tickets(ws.db, "S01", 1, operator="l1")
        presenter = DeskDetailPresenter(runner, ws, central=lambda _id: None, transcript=offline)
        presenter.open(tid)
        qtbot.waitUntil(lambda: presenter.state.notice_error, timeout=15_000)
        assert presenter.state.detail is not None
        assert presenter.state.detail.ticket.id == tid
        assert presenter.state.detail.transcript == ()
        assert "通话记录" in presenter.state.notice
        assert asked == [tid]
        runner.wait_idle()
        presenter.deleteLater()
    finally:
        runner.wait_idle()
        ws.close()
