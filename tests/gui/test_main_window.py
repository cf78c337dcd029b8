"""The main window: demo data in "my tickets today", masking, shortcuts, messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from PySide6.QtCore import Qt

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
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
    assert due_colour(now - timedelta(minutes=1), "DISPATCHED", now, 24) == RED
    assert due_colour(now + timedelta(hours=3), "DISPATCHED", now, 24) == AMBER
    assert due_colour(now + timedelta(days=3), "DISPATCHED", now, 24) == GREEN
    assert due_colour(now - timedelta(days=3), "CLOSED", now, 24) is None


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
