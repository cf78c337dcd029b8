"""Trainer mode through the real window: a scenario plays into the transcript, the trainee
dispatches, the ticket is scored, the session report opens; nothing leaves the seat."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_app.domain.roles import Role
from agent_app.services.training import CallResult, is_training_number
from tests.helpers.window import close_workbench, open_workbench


def _check(pane: Any, scenario_id: str) -> None:
    for i in range(pane.scenario_list.count()):
        item = pane.scenario_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == scenario_id:
            item.setCheckState(Qt.CheckState.Checked)


def test_a_scenario_plays_through_the_window_is_dispatched_and_scored(
    qtbot: Any, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, demo=True)
    window = bench.window
    qtbot.addWidget(window)  # deleted after the test, with its dialogs
    training = bench.training
    assert training is not None
    session, pane, strip = training.session, training.pane, bench.panes.strip
    assert strip is not None
    session.pace = None  # the caller's lines at once
    try:
        window.show()
        bench.wiring.start_background()
        qtbot.waitUntil(lambda: window.intake is not None and session.state.loaded, timeout=60_000)
        assert training.watermark.isHidden()  # demo operator, no session yet
        window.side.setCurrentWidget(pane)
        pane.trainee.setText("px001")
        _check(pane, "streetlight_out")
        scored: list[CallResult] = []
        session.scored.connect(scored.append)
        QTest.mouseClick(pane.start_button, Qt.MouseButton.LeftButton)

        scenario = session.scenarios["streetlight_out"]
        qtbot.waitUntil(lambda: strip.model.rowCount() == len(scenario.segments), timeout=20_000)
        assert training.watermark.isVisible()
        assert session.state.in_call
        form = window.form
        qtbot.waitUntil(lambda: bool(form.phone.text()), timeout=5_000)  # rang in
        form.address.setText("海淀区中关村街道中关村南大街")
        form.request_type.setCurrentIndex(form.request_type.findData("help"))
        form.description.setPlainText("中关村南大街路灯不亮，有五六盏，晚上走路不安全。")
        form.description.setFocus()
        qtbot.waitUntil(lambda: len(form.chips.buttons) >= 1, timeout=10_000)
        QTest.keyClick(form.description, Qt.Key.Key_Return)  # the top proposals
        qtbot.waitUntil(lambda: bool(form.picker.code), timeout=10_000)
        qtbot.waitUntil(lambda: window.dispatch_action.isEnabled(), timeout=10_000)
        QTest.keyClick(form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(scored), timeout=20_000)

        card = scored[0].card
        assert is_training_number(card.ticket_number)
        assert "-PX-" in card.ticket_number
        items = {i.item: i for i in card.items}
        assert items["outcome"].points == items["outcome"].max
        assert items["place"].points == items["place"].max
        assert items["category"].why == "match", items["category"]
        assert card.score >= 90, [i.to_dict() for i in card.items]
        assert card.actions is not None
        assert card.actions >= 2
        assert card.seconds is not None
        # the score card in the 培训 tab
        assert pane.table.rowCount() == len(card.items)
        assert str(card.score) in pane.score_label.text()
        ticket = bench.session.state.saved
        assert ticket is not None
        assert ticket.is_demo
        assert ticket.operator_id == "px001"
        assert bench.workstation.pending_outbox() == 0  # never queued for the centre

        QTest.mouseClick(pane.finish_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(training.reports), timeout=10_000)
        report = training.reports[-1]
        assert "px001" in report.html
        assert str(card.score) in report.html
        bench.runner.wait_idle()
        rows = session.history.sessions("px001")
        assert rows[-1]["results"][0]["score"] == card.score
        out = tmp_path / "report"
        report.export("json", out.with_suffix(".json"))
        report.export("csv", out.with_suffix(".csv"))
        report.export("pdf", out.with_suffix(".pdf"))
        assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["calls"] == 1
        assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
        assert bench.session.workstation is bench.workstation  # back to the demo seat
        assert training.watermark.isHidden()
    finally:
        for report in training.reports:
            report.close()
        close_workbench(bench)


def test_trainer_role_shows_the_watermark_and_a_real_seat_has_no_training(
    qtbot: Any, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path / "a", demo=True, role=Role.TRAINER)
    qtbot.addWidget(bench.window)
    try:
        assert bench.training is not None
        bench.window.show()
        assert bench.training.watermark.isVisible()
    finally:
        close_workbench(bench)
    seat = open_workbench(tmp_path / "b", demo=False)
    qtbot.addWidget(seat.window)
    try:
        assert seat.training is None
        titles = [seat.window.side.tabText(i) for i in range(seat.window.side.count())]
        assert "培训" not in titles
    finally:
        close_workbench(seat)


def test_a_training_call_left_for_a_new_call_scores_zero_and_the_session_goes_on(
    qtbot: Any, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, demo=True)
    window = bench.window
    qtbot.addWidget(window)
    training = bench.training
    assert training is not None
    session, pane, strip = training.session, training.pane, bench.panes.strip
    assert strip is not None
    session.pace = None
    try:
        window.show()
        bench.wiring.start_background()
        qtbot.waitUntil(lambda: window.intake is not None and session.state.loaded, timeout=60_000)
        pane.trainee.setText("px002")
        _check(pane, "streetlight_out")
        scored: list[CallResult] = []
        session.scored.connect(scored.append)
        QTest.mouseClick(pane.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(window.form.phone.text()), timeout=20_000)  # rang in
        assert session.state.in_call
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # left it
        qtbot.waitUntil(lambda: bool(scored), timeout=5_000)
        card = scored[0].card
        assert card.score == 0
        assert {i.why for i in card.items} == {"abandoned"}
        assert not session.state.in_call  # the session can move on or finish
        assert pane.finish_button.isEnabled()
    finally:
        bench.runner.wait_idle()
        close_workbench(bench)
