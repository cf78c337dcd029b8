"""Quality checks through the presenters against a small centre: a lead scores a ticket and
returns it with a comment; the operator's 退回给我 list shows it; resubmitting removes it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.roles import Role
from agent_app.services import quality
from agent_app.services.central_seed import seed_centre
from agent_app.services.lead_desk import CentralQuality
from agent_app.storage import repository as repo
from agent_app.ui.lead_desk.presenters import ReturnedToMePresenter, ScorecardPresenter
from agent_app.ui.lead_desk.views import ReturnedToMeView, ScorecardView
from agent_app.ui.returned_to_me import ReturnedToMe
from agent_app.workers.tasks import TaskRunner
from tests.gui.test_lead_desk import NOW, _ticket
from tests.helpers.pg import CentralDb, require_server
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.postgres

UNTIL = datetime.fromisoformat("2026-11-30T20:00+08:00")


def _no_password(_key: str) -> str | None:
    return None


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=200, months=1, seed=7, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("qd_lead", "lead")
        op = db.add_login("qd_op", "operator")
        with db.admin() as conn:
            row = conn.execute(
                "SELECT id, number FROM central.tickets ORDER BY created_at LIMIT 1"
            ).fetchone()
            conn.execute("UPDATE central.tickets SET created_by = %s WHERE id = %s", (op, row[0]))
        yield {"db": db, "lead": lead, "op": op, "number": row[1]}
    finally:
        db.drop()


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    QApplication.processEvents()


def _source(c: dict[str, Any], login: str) -> CentralQuality:
    return CentralQuality(c["db"].target(c[login]), password_lookup=_no_password)


def test_a_returned_ticket_reaches_its_operator_and_leaves_on_resubmit(
    qtbot: QtBot, runner: TaskRunner, centre: dict[str, Any]
) -> None:
    number = centre["number"]
    card = quality.load_scorecard()
    lead = ScorecardPresenter(runner, card, _source(centre, "lead"))
    assert [k for k, _n, _w in lead.state.items][:2] == ["category", "address"]
    assert sum(w for _k, _n, w in lead.state.items) == 100
    lead.set_ticket(number)
    assert (lead.state.score, lead.state.passed) == (100, True)
    lead.set_mark("address", 0.0)
    lead.set_mark("privacy", 0.5)
    assert (lead.state.score, lead.state.passed) == (75, False)
    lead.set_moment("address", 12.5)
    with qtbot.waitSignal(lead.moment_requested) as moment:
        lead.show_moment("address")
    assert moment.args == [12.5]
    lead.save(return_to_operator=True)  # no comment: refused before the centre
    assert lead.state.error
    assert not lead.state.busy
    lead.set_comment("地址缺少门牌号，请补全")
    lead.save(return_to_operator=True)
    qtbot.waitUntil(lambda: not lead.state.busy, timeout=10_000)
    assert not lead.state.error, lead.state.message
    assert lead.state.saved
    assert number in lead.state.message

    op = ReturnedToMePresenter(runner, _source(centre, "op"))
    view = ReturnedToMeView(op)
    op.setParent(view)
    qtbot.addWidget(view)
    op.refresh()
    qtbot.waitUntil(lambda: not op.state.loading and bool(op.state.rows), timeout=10_000)
    assert view.model.rowCount() == 1
    assert not view.resubmit_button.isEnabled()
    view.table.selectRow(0)
    assert view.resubmit_button.isEnabled()
    assert view.comment.text() == "班长备注：地址缺少门牌号，请补全"
    (row,) = op.state.rows
    assert (row["number"], row["comment"], row["score"]) == (number, "地址缺少门牌号，请补全", 75)
    assert {i["item"]: i.get("moment_s") for i in row["items"]}["address"] == 12.5
    op.select(row["id"])
    with qtbot.waitSignal(op.open_requested) as opened:
        op.open_selected()
    assert opened.args == [number]
    view.resubmit_button.click()
    qtbot.waitUntil(lambda: not op.state.busy and not op.state.loading, timeout=10_000)
    assert not op.state.error, op.state.message
    assert op.state.rows == ()
    assert number in op.state.message
    assert view.model.rowCount() == 0


def test_without_a_centre_the_lists_say_they_need_it(qtbot: QtBot, runner: TaskRunner) -> None:
    lead = ScorecardPresenter(runner, quality.load_scorecard(), None)
    lead.set_ticket("X1")
    lead.save()
    assert not lead.state.available
    assert lead.state.error
    assert "中心" in lead.state.message
    op = ReturnedToMePresenter(runner, None)
    op.refresh()
    assert not op.state.available
    assert "中心" in op.state.message


def test_a_scorecard_item_points_at_a_transcript_line_and_shows_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD)  # no central URL: the seat's copy
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        ticket = replace(_ticket(9101, "东华门街道办事处", NOW), id=str(uuid.uuid4()), seat="S01")
        lines = [
            TranscriptLine(0, 3000, "您好，这里是12345"),
            TranscriptLine(4000, 9000, "我家楼下路灯不亮"),
            TranscriptLine(10_000, 15_000, "地址是东华门大街"),
        ]
        bench.workstation.save_ticket(ticket)
        with bench.workstation.db.write() as s:
            repo.save_transcript(s, ticket.id, lines)
        desk.detail.open(ticket.id)
        qtbot.waitUntil(lambda: desk.detail.state.detail is not None, timeout=15_000)
        assert desk.scorecard is not None
        view = desk.scorecard_view
        assert isinstance(view, ScorecardView)
        assert desk.scorecard.state.number == ticket.number
        assert "连接中心" in view.message.text()  # no centre: scoring waits for it
        assert not view.save.isEnabled()
        box = desk.detail_view.transcript
        qtbot.waitUntil(lambda: box.document().blockCount() == 3, timeout=15_000)
        bench.runner.wait_idle()
        QApplication.processEvents()
        cursor = QTextCursor(box.document().findBlockByNumber(2))
        box.setTextCursor(cursor)
        desk.scorecard.set_moment("address", desk.selected_second())
        assert view.moments["address"].text() == "00:10"
        box.setTextCursor(QTextCursor(box.document().findBlockByNumber(0)))
        view.moments["address"].click()  # → the transcript at that line, selected
        assert box.textCursor().blockNumber() == 2
        assert box.textCursor().selectedText().endswith("地址是东华门大街")
    finally:
        desk.shutdown()
        close_workbench(bench)


def test_the_operators_window_has_a_returned_tab_that_needs_the_centre(
    qtbot: QtBot, tmp_path: Path, centre: dict[str, Any]
) -> None:
    bench = open_workbench(tmp_path / "a")  # an operator's seat without a centre
    qtbot.addWidget(bench.window)
    try:
        side = bench.window.side
        titles = [side.tabText(i) for i in range(side.count())]
        assert "退回给我" in titles
        side.setCurrentIndex(titles.index("退回给我"))
        tab = side.currentWidget().findChild(ReturnedToMe)
        assert tab is not None
        assert tab.view is not None
        assert "需要配置中心" in tab.view.message.text()
        assert not tab.view.refresh_button.isEnabled()
    finally:
        close_workbench(bench)
    lead_bench = open_workbench(tmp_path / "b", role=Role.LEAD)
    qtbot.addWidget(lead_bench.window)
    try:  # the lead's window has the desk's lists instead
        side = lead_bench.window.side
        assert "退回给我" not in [side.tabText(i) for i in range(side.count())]
    finally:
        close_workbench(lead_bench)
    bench = open_workbench(tmp_path / "c", central=centre["db"].url(centre["op"]))
    qtbot.addWidget(bench.window)
    try:  # with a centre: the list reads the operator's checks there
        side = bench.window.side
        tab = side.findChild(ReturnedToMe)
        assert tab is not None
        assert tab.presenter is None  # nothing loaded before the tab is shown
        side.setCurrentWidget(tab.page)
        assert tab.presenter is not None
        assert tab.presenter.state.available
        bench.runner.wait_idle()
    finally:
        close_workbench(bench)
