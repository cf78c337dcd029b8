"""A confidential (保密) caller a lead's seat holds masked (issue #20): the callback list's
显示号码 asks the centre (central.reveal_caller, audited there) in a worker; offline it says
the number cannot be shown offline and what to do, and never shows the stars as a number;
an ordinary caller is revealed at the seat as before."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtWidgets import QPushButton

from agent_app.domain.ticket import Caller
from agent_app.services import confidential
from agent_app.storage.models import AuditRow
from tests.gui.test_worklists import WAIT, _load, replied
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.gui
HELD = Caller(name="***", phones=("*" * 13,), confidential=True)  # as a lead's seat pulls it
CLEAR = "+8613800138000"


@pytest.fixture
def lead(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from agent_app.domain.roles import Role  # noqa: PLC0415

    bench = open_workbench(tmp_path, role=Role.LEAD, demo=True)
    qtbot.addWidget(bench.window)
    yield bench
    close_workbench(bench)


def _local_reveals(bench: Any) -> list[str]:
    with bench.workstation.db.read() as s:
        return [r.ticket_id for r in s.scalars(select(AuditRow)) if r.action == "callback_reveal"]


def test_offline_a_confidential_caller_held_masked_is_not_shown(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    t = replace(replied(), caller=HELD)
    lead.workstation.save_ticket(t)
    _load(qtbot, lead)
    calls, form = lead.worklists.callbacks, lead.worklists.callback_view.form
    assert calls.state.selected == t.id
    lead.window.followup.set_centre("")  # no centre to ask: as offline
    form.reveal.click()
    qtbot.waitUntil(lambda: bool(calls.state.message), timeout=WAIT)
    assert calls.state.error
    assert "离线时不能显示" in calls.state.message
    assert "恢复与中心的连接" in calls.state.message  # what to do
    assert calls.state.number == ""  # the stars are never shown as the number
    assert "*" * 13 not in form.caller.text()
    assert _local_reveals(lead) == []  # nothing was revealed, nothing to audit here


def test_online_the_centre_reveals_it_and_an_ordinary_caller_is_revealed_here(
    qtbot, lead, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[tuple[Any, str]] = []

    def centre(target: Any, ticket_id: str, reason: str = "") -> confidential.RevealedCaller:
        asked.append((target, ticket_id))
        return confidential.RevealedCaller(ticket_id, "n", "甄鹬鹕", (CLEAR,), 1)

    monkeypatch.setattr(confidential, "reveal", centre)
    held = replace(replied(), caller=HELD)
    lead.workstation.save_ticket(held)
    _load(qtbot, lead)
    calls, form = lead.worklists.callbacks, lead.worklists.callback_view.form
    lead.window.followup.set_centre("postgresql://lead01@centre.example/hotline")
    form.reveal.click()
    qtbot.waitUntil(lambda: "13800138000" in form.caller.text(), timeout=WAIT)
    assert [(a.user, tid) for a, tid in asked] == [("lead01", held.id)]
    assert _local_reveals(lead) == []  # audited at the centre (before it answered), not twice

    plain = replied()  # an ordinary caller: the seat audits and reveals, as before
    lead.workstation.save_ticket(plain)
    lead.runner.changes.emit("tickets")
    qtbot.waitUntil(lambda: calls.row(plain.id) is not None, timeout=WAIT)
    calls.select(plain.id)
    form.reveal.click()
    qtbot.waitUntil(lambda: "13812345678" in form.caller.text(), timeout=WAIT)
    assert len(asked) == 1
    assert _local_reveals(lead) == [plain.id]


def test_the_detail_windows_callback_says_so_offline(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    t = replace(replied(), caller=HELD)
    lead.workstation.save_ticket(t)
    lead.window.followup.set_centre("")
    detail = lead.window.open_ticket(t.id)
    view, presenter = detail.view, detail.presenter
    qtbot.waitUntil(lambda: presenter.state.detail is not None, timeout=WAIT)
    view.findChild(QPushButton, "action_REVISIT").click()
    form = view.callback_form
    form.reveal.click()
    qtbot.waitUntil(lambda: "离线时不能显示" in view.notice.text(), timeout=WAIT)
    assert presenter.state.number == ""
    assert presenter.state.notice_error
    assert "*" * 13 not in form.caller.text()
    assert _local_reveals(lead) == []
    detail.close()
