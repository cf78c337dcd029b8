"""The main window: demo data in "my tickets today", masking, shortcuts, messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from PySide6.QtCore import Qt

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.services.seeding import seed_demo
from agent_app.ui.main_window import MainWindow
from agent_app.ui.models.ticket_table import AMBER, GREEN, RED, TicketTableModel, due_colour
from tests.helpers.window import close_window, make_context


@pytest.fixture
def window(qtbot, tmp_path):
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=True)
    seed_demo(ctx.workstation.db, extra_tickets=3)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    yield win
    close_window(win)


def test_window_shows_todays_tickets_masked(qtbot, window):
    with qtbot.waitSignal(window.tickets_loaded, timeout=10_000) as blocker:
        window.load_tickets()
    rows = blocker.args[0]
    assert rows > 0
    model = window.tickets
    assert model.rowCount() == rows
    callers = [model.index(r, 8).data() for r in range(rows)]
    assert all("****" in c for c in callers if c)
    numbers = [model.index(r, 0).data() for r in range(rows)]
    assert len(set(numbers)) == rows


def test_ticket_model_passes_the_qt_model_tester(qtbot, qtmodeltester, window):
    with qtbot.waitSignal(window.tickets_loaded, timeout=10_000):
        window.load_tickets()
    qtmodeltester.check(window.tickets)


def test_due_colours_follow_the_time_left():
    now = timeutil.now()
    # A 2-hour emergency dispatched a minute ago is not due soon; amber in its last 30 min.
    start = now - timedelta(minutes=1)
    assert due_colour(start + timedelta(hours=2), "DISPATCHED", now, start) == GREEN
    late = now - timedelta(minutes=100)
    assert due_colour(late + timedelta(hours=2), "DISPATCHED", now, late) == AMBER
    # A 7-day ticket: green with 3 days left, amber in the last 42 hours.
    week = now - timedelta(days=4)
    assert due_colour(week + timedelta(days=7), "DISPATCHED", now, week) == GREEN
    assert (
        due_colour(now + timedelta(hours=40), "DISPATCHED", now, now - timedelta(days=5)) == AMBER
    )
    assert due_colour(now - timedelta(minutes=1), "DISPATCHED", now, start) == RED
    assert due_colour(now + timedelta(hours=3), "DISPATCHED", now) == AMBER  # start unknown: 24 h
    assert due_colour(now - timedelta(days=3), "CLOSED", now, start) is None
    # The table uses the ticket's start: a fresh emergency shows green.
    model = TicketTableModel()
    row = TicketSummary(
        id="t", number="1", created_at=start, status="DISPATCHED", request_type="help",
        category_name="", district="", township="", main_unit="", urgency="emergency",
        due_at=start + timedelta(hours=2), caller_phone="", caller_name="", confidential=False,
        description="", synced=False,
    )  # fmt: skip
    model.set_rows([row], now)
    assert model.index(0, 7).data(Qt.ItemDataRole.ForegroundRole).color() == GREEN


def test_known_errors_show_in_a_banner_not_a_dialog(qtbot, window):
    window.show()
    window.ctx.bridge.error.emit("中心数据库无法连接，工单已保存在本机，网络恢复后自动同步。")
    assert window.banner.isVisible()
    assert "自动同步" in window.banner.text()


def test_every_listed_shortcut_is_in_the_help(window):
    keys = " ".join(k for k, _ in MainWindow.SHORTCUTS)
    for action in (window.new_call_action, window.save_action, window.dispatch_action):
        shortcut = action.shortcut().toString()
        assert shortcut.replace("Return", "Return") in keys


def test_table_header_is_chinese():
    model = TicketTableModel()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "工单号"


def test_a_message_the_status_bar_would_cut_off_goes_to_the_banner(qtbot, window):
    window.resize(1366, 820)
    window.show()
    qtbot.waitExposed(window)
    short = "已保存"
    window.show_info(short)
    assert window.statusBar().currentMessage() == short
    assert not window.banner.isVisible()
    long = "已设为并单目标：工单 20261206-S01-0001；按 Ctrl+M 并单。" * 4
    assert window.statusBar().fontMetrics().horizontalAdvance(long) > window.status_message_room()
    window.show_info(long)
    assert window.banner.isVisible()
    assert window.banner.text() == long  # read whole, not cut off by seat / role / clock
    assert window.last_message == long
