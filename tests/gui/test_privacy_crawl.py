"""R10: an offscreen crawl of the window with canary callers: every tab, the form after the
canary calls, the caller's history, the ticket detail and every item model hold no caller
number in full and no full name; then 显示号码 shows it, after its audit row."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.privacy import ascii_digits
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Outcome, Ticket, TicketEvent
from agent_app.paths import DataPaths
from agent_app.services import audit
from agent_app.storage import repository as repo
from agent_app.storage.seat import open_database
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.gui

CANARY_PHONE = "13800138000"
CANARY_NAME = "甄鹬鹕"
SECRET_PHONE = "13700137000"  # a confidential (保密) caller
SECRET_NAME = "贾鸬鹚"
MOBILE = re.compile(r"1[3-9]\d{9}")


def _ticket(n: int, name: str, phone: str, *, confidential: bool = False) -> Ticket:
    now = timeutil.now()
    created = now - timedelta(hours=n)
    t = Ticket(
        id=Ticket.new_id(), number=f"{created:%Y%m%d}-S01-{n:04d}", created_at=created,
        updated_at=created, seat="S01", operator_id="op1",
        caller=Caller(name=name, phones=("+86" + phone,), confidential=confidential),
        description="小区暖气不热，室温只有十五度", category_name="公共服务/供暖/室温不达标",
        main_unit="北京市热力集团有限责任公司", outcome=Outcome.DISPATCHED,
        due_at=now + timedelta(hours=30),
        events=(TicketEvent(at=created, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    return t.transition(Status.DISPATCHED, Role.OPERATOR, "op1", created, main_unit="热力")


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, out: list[str]) -> None:
    for row in range(min(model.rowCount(parent), 500)):
        for col in range(model.columnCount(parent)):
            index = model.index(row, col, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value is not None:
                    out.append(str(value))
            if col == 0 and model.rowCount(index) > 0:
                _model_texts(model, index, out)


def _texts() -> list[str]:
    out: list[str] = []
    for top in QApplication.topLevelWidgets():
        for w in [top, *top.findChildren(QWidget)]:
            out += [w.windowTitle(), w.toolTip(), w.statusTip()]
            if isinstance(w, QLabel | QAbstractButton | QLineEdit):
                out.append(w.text())
            if isinstance(w, QLineEdit):
                out.append(w.placeholderText())
            if isinstance(w, QTextEdit | QPlainTextEdit):
                out.append(w.toPlainText())
            if isinstance(w, QComboBox):
                out += [w.itemText(i) for i in range(w.count())]
            if isinstance(w, QAbstractItemView) and w.model() is not None:
                _model_texts(w.model(), QModelIndex(), out)
    return out


def _leaks(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        digits = re.sub(r"[\s\-.()（）]", "", ascii_digits(text))
        numbers = set(MOBILE.findall(digits))
        if numbers & {CANARY_PHONE, SECRET_PHONE} or CANARY_NAME in text or SECRET_NAME in text:
            found.append(text[:120])
    return found


def test_no_view_shows_a_caller_in_full_until_unmasked(qtbot: QtBot, tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat").ensure()
    db = open_database(paths)
    tickets = [
        _ticket(1, CANARY_NAME, CANARY_PHONE),
        _ticket(2, SECRET_NAME, SECRET_PHONE, confidential=True),
        _ticket(3, CANARY_NAME, CANARY_PHONE),
    ]
    try:
        with db.write() as s:
            for t in tickets:
                repo.save_ticket(s, t, now=t.created_at)
    finally:
        db.dispose()
    bench = open_workbench(tmp_path, role=Role.LEAD)
    window = bench.window
    qtbot.addWidget(window)  # deleted after the test, with its dialogs
    try:
        crawled: list[str] = []

        def settle(*, crawl: bool = False) -> None:
            for _ in range(2):
                bench.runner.wait_idle()
                QApplication.processEvents()
                qtbot.wait(20)
            if crawl:
                crawled.extend(_texts())

        settle()
        for tabs in window.findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                settle()
        window.incoming_call(CANARY_PHONE)  # the form and the caller's history
        settle(crawl=True)
        detail = window.open_ticket(tickets[1].id)  # a lead opens the confidential one
        qtbot.waitUntil(lambda: detail.presenter.state.detail is not None, timeout=5000)
        settle(crawl=True)
        detail.presenter.open(tickets[0].id)  # the next ticket in the same window
        qtbot.waitUntil(
            lambda: (
                detail.presenter.state.detail is not None
                and detail.presenter.state.ticket_id == tickets[0].id
            ),
            timeout=5000,
        )
        settle(crawl=True)
        assert len(crawled) > 500  # the crawl did see the window
        assert any("138****8000" in t for t in crawled)  # masked numbers are there
        assert _leaks(crawled) == []

        # 显示号码 in the detail: the number appears, and its row was stored first
        detail.view.unmask_button.click()
        qtbot.waitUntil(lambda: CANARY_PHONE in detail.view.fields["caller"].text(), timeout=5000)
        bench.runner.wait_idle()
        actions = [(e.action, e.ticket_id) for e in audit.entries(bench.workstation.db)]
        assert (audit.VIEW_TICKET, tickets[1].id) in actions
        assert (audit.VIEW_TICKET, tickets[0].id) in actions
        assert actions[-1] == (audit.UNMASK, tickets[0].id)
        detail.close()
    finally:
        close_workbench(bench)
