"""The description drafted from the transcript, offered under the form's description field:
it appears when the caller describes the matter, 采用 / Alt+D adds it after what the operator
typed (never in its place), Ctrl+Shift+Z takes it back, a sentence's source shows its line in
the transcript, and a new call starts without it.  The form, the presenter and the transcript
strip are connected as the window's wiring connects them (tests/gui/test_wiring.py checks the
wiring itself)."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QTest

from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services.intake import IntakeService
from agent_app.services.workstation import Workstation
from agent_app.ui.call_session import CallSession, Phase
from agent_app.ui.ticket_form import TicketForm
from agent_app.ui.transcript_strip import TranscriptStrip
from agent_app.workers.tasks import TaskRunner

pytestmark = pytest.mark.gui

GREETING = {"text": "喂 你好 我 姓 王", "start": 0.5, "end": 2.0}
ADDRESS = {"text": "我 家 住 在 朝阳区 望京 街道 望京西园 三 区 五 号楼", "start": 2.6, "end": 7.0}
COMPLAINT = {
    "text": "家里 暖气 不热 室内 只有 十五 度 整栋楼 都 不热 已经 三天 了",
    "start": 8.2,
    "end": 13.0,
}
LATER = {"text": "物业 说 找 供热 公司 供热 公司 一直 不 来人", "start": 14.0, "end": 18.0}
TYPED = "居民来电反映供暖问题。"


class StandInController(QObject):
    """What the strip needs of a transcription controller (nothing is transcribed here)."""

    partial_text = Signal(str)
    final_text = Signal(dict)
    failed = Signal(str)
    model_loading = Signal(int)
    model_ready = Signal()
    stopped = Signal()

    def stop(self) -> None:
        pass


@pytest.fixture(scope="module")
def service() -> IntakeService:
    return IntakeService.load()


@pytest.fixture
def call(qtbot: Any, tmp_path: Any, service: IntakeService):
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S07", operator_id="op1", demo=False)
    runner = TaskRunner()
    session = CallSession(runner, ws, role=Role.OPERATOR, demo=False)
    session.set_service(service)
    form = TicketForm(session)
    strip = TranscriptStrip(StandInController())
    qtbot.addWidget(form)
    qtbot.addWidget(strip)
    strip.segment_stored.connect(form.transcript_segment)
    form.transcript_source_requested.connect(strip.show_segment)
    form.resize(620, 700)
    form.show()
    strip.show()
    qtbot.waitExposed(form)
    yield session, form, strip
    session.clear()
    runner.wait_idle()
    ws.close()


def _hear(strip: TranscriptStrip, *segments: dict[str, Any]) -> None:
    for segment in segments:
        strip.on_final(segment)


def test_a_callers_complaint_makes_the_offer_appear_with_its_sources(call) -> None:
    session, form, strip = call
    session.new_call()
    offer = form.description_offer
    _hear(strip, GREETING)
    assert not offer.isVisible()  # a greeting and a name: nothing to describe
    _hear(strip, ADDRESS, COMPLAINT)
    assert offer.isVisible()
    shown = offer.preview.full_text()
    assert "暖气不热" in shown
    assert "十五度" in shown
    assert "姓王" not in shown  # the caller's name has its own field
    assert "00:08" in offer.preview.toolTip()  # each sentence says when it was heard
    # 来源: one entry per sentence; choosing one shows its line in the transcript
    entries = offer.source_actions()
    assert len(entries) == len(offer.offer().sentences) >= 2
    complaint = next(a for a in entries if "暖气不热" in a.text())
    assert complaint.text().startswith("00:08")
    strip.view.setCurrentIndex(strip.model.index(0, 0))
    complaint.trigger()
    assert strip.view.currentIndex().row() == 2


def test_accepting_adds_after_what_the_operator_typed_and_undo_takes_it_back(call, qtbot) -> None:
    session, form, strip = call
    session.new_call()
    form.description.setFocus()
    form.description.setPlainText(TYPED)  # the operator's own words (an IME enters them whole)
    _hear(strip, GREETING, COMPLAINT)
    offer = form.description_offer
    assert offer.isVisible()

    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    QTest.keyClick(form.description, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    text = form.description.toPlainText()
    assert text.startswith(TYPED)  # kept, in front
    assert "暖气不热" in text
    assert "三天" in text
    assert session.state.draft.description == text
    assert session.state.draft.sources["description"].startswith("00:08")
    assert not offer.isVisible()  # nothing new left to add

    # typing goes on at the end of what was added
    form.description.insertPlainText("X")
    assert form.description.toPlainText().endswith("X")
    form.description.setPlainText(text)

    assert form.undo_proposal()  # Ctrl+Shift+Z
    assert form.description.toPlainText() == TYPED
    assert offer.isVisible()  # offered again

    # a line heard later is offered on its own after the first sentences were taken
    QTest.mouseClick(offer.accept_button, Qt.MouseButton.LeftButton)
    taken = form.description.toPlainText()
    _hear(strip, LATER)
    assert offer.isVisible()
    assert "暖气不热" not in offer.preview.full_text()
    assert "不来人" in offer.preview.full_text()
    assert form.accept_description_draft()
    assert form.description.toPlainText().startswith(taken)
    assert form.description.toPlainText().count("暖气不热") == 1


def test_what_the_operator_already_wrote_is_not_offered_and_dismiss_hides_it(call) -> None:
    session, form, strip = call
    session.new_call()
    _hear(strip, COMPLAINT)
    offer = form.description_offer
    assert offer.isVisible()
    form.description.setPlainText(offer.offer().text)  # written the same, by hand
    assert not offer.isVisible()
    form.description.setPlainText("")
    assert offer.isVisible()
    QTest.mouseClick(offer.dismiss_button, Qt.MouseButton.LeftButton)  # 忽略
    assert not offer.isVisible()
    assert form.description.toPlainText() == ""
    _hear(strip, LATER)  # a new line is offered; the dismissed one is not
    assert offer.isVisible()
    assert "暖气不热" not in offer.preview.full_text()


def test_a_corrected_transcript_line_corrects_the_offer(call) -> None:
    session, form, strip = call
    session.new_call()
    _hear(strip, COMPLAINT)
    strip.model.setData(strip.model.index(0, 0), "家里暖气不热 室内只有十二度")
    shown = form.description_offer.preview.full_text()
    assert "十二度" in shown
    assert "十五度" not in shown


def test_a_new_call_clears_the_offer(call) -> None:
    session, form, strip = call
    session.new_call()
    _hear(strip, COMPLAINT)
    assert form.description_offer.isVisible()
    session.new_call()  # Ctrl+N or a ringing call (the wiring clears the strip too)
    strip.clear()
    assert not form.description_offer.isVisible()
    assert session.state.heard == ()
    _hear(strip, GREETING)
    assert not form.description_offer.isVisible()


def test_lines_heard_before_the_call_started_are_offered_and_accepting_starts_it(call) -> None:
    session, form, strip = call
    assert session.state.phase is Phase.IDLE
    _hear(strip, COMPLAINT)
    assert form.description_offer.isVisible()
    assert form.accept_description_draft()  # the first thing the operator takes starts the call
    assert session.state.phase is Phase.ACTIVE
    assert "暖气不热" in form.description.toPlainText()
    assert session.undo()
    assert form.description_offer.isVisible()  # the call keeps what was heard
