"""Crash recovery: a process killed mid-form leaves its autosaved draft; the next start puts
it back in the form, and saving the ticket removes it.

The crashing seat is a child process (``python -m tests.gui.test_draft_recovery DIR``) that
builds the window the way ``tests/helpers/window.py`` does, fills the form, waits until the
autosave has written every field, says ``READY <ticket id>`` and is then killed with SIGKILL.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket
from agent_app.services.intake import IntakeDraft
from agent_app.ui.main_window import MainWindow, WindowContext
from tests.helpers.window import close_window, make_context

REPO = Path(__file__).resolve().parents[2]
WAIT = 10_000
CHILD_TIMEOUT_S = 90

PHONE = "13812345678"
NAME = "王女士"
ADDRESS = "朝阳区望京街道望京西园三区"
DESCRIPTION = "家里暖气不热，室内只有十五度，已经三天了，希望尽快维修。"
CATEGORY = "02.01.001"  # 暖气不热


def _fill_and_wait_for_autosave(data_dir: Path) -> int:
    """Child process: fill the form, wait for the autosave of all of it, then idle."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    ctx = make_context(data_dir, role=Role.OPERATOR, demo=False)
    window = MainWindow(ctx)
    window.show()
    form, ws = window.form, ctx.workstation
    state = {"filled": False, "ready": False}

    def complete(drafts: list) -> None:
        if state["ready"] or not drafts:
            return
        payload = drafts[0][2]
        if (
            payload.get("category_code") == CATEGORY
            and payload.get("address") == ADDRESS
            and payload.get("description") == DESCRIPTION
            and payload.get("phone")
            and (payload.get("place") or {}).get("township")
            and payload.get("answers", {}).get("whole_building")
        ):
            state["ready"] = True
            print(f"READY {form.ticket_id}", flush=True)  # noqa: T201 - the parent reads it

    def saved(_ticket_id: str) -> None:
        if state["filled"]:
            ctx.runner.run_query(ws.drafts, complete)

    def fill() -> None:
        window.new_call()
        form.phone.setText(PHONE)
        form.commit_phone()
        form.caller_name.setText(NAME)
        form.request_type.setCurrentIndex(form.request_type.findData("help"))
        form.description.setPlainText(DESCRIPTION)
        assert form.set_category(CATEGORY)
        form.address.setText(ADDRESS)  # the geocoder answers after a short delay
        form.answer_widget("indoor_temp").setText("15")
        combo = form.answer_widget("whole_building")
        combo.setCurrentIndex(combo.findData("building"))
        state["filled"] = True

    window.draft_saved.connect(saved)
    window.intake_ready.connect(fill)
    return app.exec()  # until SIGKILL


def _read_ready(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> str:
    try:
        while True:
            line = lines.get(timeout=CHILD_TIMEOUT_S)
            if line.startswith("READY "):
                return line.split()[1]
    except queue.Empty:
        proc.kill()
        pytest.fail(f"the child never autosaved a complete draft (exit {proc.poll()})")


def _open(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, WindowContext]:
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=False)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win, ctx


def test_killed_mid_form_the_draft_comes_back_and_dispatch_removes_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.test_draft_recovery", str(tmp_path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    stdout = proc.stdout
    assert stdout is not None

    def forward() -> None:
        for line in stdout:
            lines.put(line)

    pump = threading.Thread(target=forward, daemon=True)
    pump.start()
    try:
        ticket_id = _read_ready(proc, lines)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        pump.join(timeout=10)
        stdout.close()

    win, _ctx = _open(qtbot, tmp_path)
    try:
        with qtbot.waitSignal(win.draft_restored, timeout=WAIT) as restored:
            pass
        assert restored.args == [ticket_id]
        form = win.form
        assert form.ticket_id == ticket_id
        assert form.phone.text() == "138****5678"
        assert form.phone_e164() == "+8613812345678"
        assert form.caller_name.text() == NAME
        assert form.address.text() == ADDRESS
        assert form.description.toPlainText() == DESCRIPTION
        assert form.picker.code == CATEGORY
        assert "暖气不热" in form.category_path.text()
        assert form.request_type.currentData() == "help"
        assert form.urgency.currentData() == "utility"
        assert form.place["township"] == "望京街道"
        assert form.answers() == {"indoor_temp": "15", "whole_building": "building"}
        assert win.banner.isVisible()
        assert "已恢复" in win.banner.text()
        assert "另有" not in win.banner.text()  # only one draft was left
        assert win.dispatch.main_unit.text() == "北京市热力集团有限责任公司"
        assert win.dispatch.dispatch_button.isEnabled(), win.dispatch.reason.text()

        with qtbot.waitSignal(win.ticket_finished, timeout=WAIT) as done:
            QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        ticket: Ticket = done.args[0]
        assert ticket.id == ticket_id
        stored = win.ctx.workstation.ticket(ticket_id)
        assert stored is not None
        assert stored.status is Status.DISPATCHED
        assert stored.category_code == CATEGORY
        assert stored.place.township == "望京街道"
        win.ctx.runner.wait_idle()
        assert win.ctx.workstation.drafts() == []
    finally:
        close_window(win)


def _store_draft(ctx: WindowContext, ticket_id: str, description: str, minutes_ago: int) -> None:
    from agent_app.storage import repository as repo  # noqa: PLC0415

    at = timeutil.now() - timedelta(minutes=minutes_ago)
    payload = IntakeDraft(
        ticket_id=ticket_id, started_at=at.isoformat(), phone=PHONE, description=description
    ).to_payload()
    with ctx.workstation.db.write() as s:
        repo.save_draft(s, ticket_id, ctx.workstation.seat, payload, at)


def test_the_newest_of_several_drafts_comes_back_first_then_the_older_one(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=False)
    older, newer = Ticket.new_id(), Ticket.new_id()
    _store_draft(ctx, newer, "较新的草稿：小区门口路灯不亮。", minutes_ago=2)
    _store_draft(ctx, older, "较早的草稿：楼下餐馆油烟扰民。", minutes_ago=30)
    ctx.workstation.close()

    win, _ = _open(qtbot, tmp_path)
    try:
        with qtbot.waitSignal(win.draft_restored, timeout=WAIT) as first:
            pass
        assert first.args == [newer]
        assert win.form.description.toPlainText().startswith("较新的草稿")
        assert "另有 1 份较早的草稿" in win.banner.text()

        # Ctrl+N: a new call first; the skipped draft stays stored.
        QTest.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert win.form.description.toPlainText() == ""
        win.ctx.runner.wait_idle()
        assert {d[0] for d in win.ctx.workstation.drafts()} == {newer, older}

        # The new call ends (transferred): the older draft comes back, not the skipped one.
        with qtbot.waitSignal(win.draft_restored, timeout=WAIT) as second:
            QTest.keyClick(win, Qt.Key.Key_F9)
        assert second.args == [older]
        assert win.form.description.toPlainText().startswith("较早的草稿")

        with qtbot.waitSignal(win.ticket_finished, timeout=WAIT):
            QTest.keyClick(win, Qt.Key.Key_F9)
        win.ctx.runner.wait_idle()
        assert [d[0] for d in win.ctx.workstation.drafts()] == [newer]
        assert not win.form.ticket_id  # nothing more restored this session
    finally:
        close_window(win)

    win, _ = _open(qtbot, tmp_path)  # the next start: the skipped draft is back
    try:
        with qtbot.waitSignal(win.draft_restored, timeout=WAIT) as again:
            pass
        assert again.args == [newer]
    finally:
        close_window(win)


if __name__ == "__main__":
    sys.exit(_fill_and_wait_for_autosave(Path(sys.argv[1])))
