"""The category chips follow the model's calibrated confidence in the form: a message the model
is sure of shows one chip whose tooltip states the held-out precision of single chips, an
ambiguous one shows several candidates, and when the model is unsure no chip but 不确定，请选择类别,
with Enter in the description taking the operator to the category picker.  The thresholds and
precisions are the shipped measurement (knowledge_base/suggest/category_abstention.json); the
trained 7-label model is a stand-in with fixed rankings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services.intake import IntakeService
from agent_app.services.suggest.calibration import SEVERAL, SINGLE
from agent_app.services.workstation import Workstation
from agent_app.ui.call_session import CallSession
from agent_app.ui.ticket_form import TicketForm
from agent_app.workers.tasks import TaskRunner

pytestmark = pytest.mark.gui

WAIT = 10_000
SURE = "家里暖气不热，室温只有十五度，已经三天了"
AMBIGUOUS = "我想问一下楼下那个事情到底归谁管"
UNSURE = "说不清楚是什么情况，反正就是不对劲"


class StandInModel:
    """A trained first-level model (7 labels) with fixed rankings by the message's words."""

    labels = tuple(f"label{i}" for i in range(7))

    def __init__(self, service: IntakeService, single_at: float) -> None:
        codes = {c.level3: c.code for c in service.catalogue.categories}
        a, b, c = codes["暖气不热"], codes["室温不达标"], codes["办事流程咨询"]
        self.rankings = {
            SURE: [(a, min(0.99, single_at + 0.2)), (b, 0.1), (c, 0.05)],
            AMBIGUOUS: [(c, single_at - 0.05), (a, 0.2), (b, 0.15)],
            UNSURE: [(c, 0.15), (a, 0.14), (b, 0.14)],
        }

    def predict_one(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        return next((r[:top] for key, r in self.rankings.items() if key in text), [])


@pytest.fixture(scope="module")
def service() -> IntakeService:
    service = IntakeService.load()
    shipped = service.calibrations["model"]
    assert shipped.single_at is not None
    service.model = StandInModel(service, shipped.single_at)
    return service


@pytest.fixture
def form(qtbot: Any, tmp_path: Any, service: IntakeService):
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S07", operator_id="op1", demo=False)
    runner = TaskRunner()
    session = CallSession(runner, ws, role=Role.OPERATOR, demo=False)
    session.set_service(service)
    form = TicketForm(session)
    qtbot.addWidget(form)
    form.resize(620, 700)
    form.show()
    qtbot.waitExposed(form)
    yield form
    session.clear()
    runner.wait_idle()
    ws.close()


def test_a_confident_message_shows_one_chip_with_its_measured_precision(qtbot, form, service):
    form.session.new_call()
    form.description.setPlainText(SURE)
    qtbot.waitUntil(lambda: bool(form.chips.proposed("category")), timeout=WAIT)
    chips = form.chips.proposed("category")
    assert [c.label for c in chips] == ["暖气不热"]
    band = service.calibrations["model"].bands[SINGLE]
    assert chips[0].precision == band.precision
    button = next(b for b in form.chips.buttons if "暖气不热" in b.text())
    assert f"{band.precision:.0%}" in button.toolTip()
    assert str(band.n) in button.toolTip()
    assert not form.chips.unsure.isVisible()


def test_an_ambiguous_message_shows_several_candidates(qtbot, form, service):
    form.session.new_call()
    form.description.setPlainText(AMBIGUOUS)
    qtbot.waitUntil(lambda: len(form.chips.proposed("category")) == 3, timeout=WAIT)
    band = service.calibrations["model"].bands[SEVERAL]
    assert all(c.precision == band.precision for c in form.chips.proposed("category"))
    assert not form.chips.unsure.isVisible()


def test_an_unsure_message_shows_no_chip_and_enter_goes_to_the_category_picker(
    qtbot, form, service
):
    shipped = service.calibrations["model"]
    service.calibrations["model"] = replace(shipped, none_below=0.2)
    try:
        form.session.new_call()
        form.description.setFocus()
        form.description.setPlainText(UNSURE)
        qtbot.waitUntil(lambda: form.chips.unsure.isVisible(), timeout=WAIT)
        assert form.chips.proposed("category") == []
        assert form.session.state.category_unsure
        QTest.keyClick(form.description, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: form.category.hasFocus(), timeout=WAIT)
        assert not form.session.state.draft.category_code
        # the operator picks: the unsure hint goes
        form.set_category(next(iter(service.catalogue.categories)).code)
        qtbot.waitUntil(lambda: not form.chips.unsure.isVisible(), timeout=WAIT)
    finally:
        service.calibrations["model"] = shipped


def test_a_text_no_scorer_understands_shows_the_hint_and_its_click_opens_the_picker(
    qtbot, form, service
):
    form.session.new_call()
    form.description.setFocus()
    form.description.setPlainText("喂喂喂，听得到吗")  # no model ranking, no catalogue word
    qtbot.waitUntil(lambda: form.chips.unsure.isVisible(), timeout=WAIT)
    assert form.chips.proposed("category") == []
    form.chips.unsure.click()
    qtbot.waitUntil(lambda: form.category.hasFocus(), timeout=WAIT)
