"""The map pane: pins, highlight, heat toggle, zoom, click → jurisdiction proposal."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.mapdata import DistrictMap
from agent_app.ui.map_pane import MapPane, to_scene

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture
def pane(qtbot, gaz: Gazetteer) -> MapPane:  # type: ignore[no-untyped-def]
    widget = MapPane(DistrictMap.load(), gaz)
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_pin_and_nearby_are_placed(pane: MapPane) -> None:
    pane.set_ticket_pin(39.9972, 116.4735, "望京西园")
    lat, lon = pane.pin_position() or (0.0, 0.0)
    assert abs(lat - 39.9972) < 1e-6
    assert abs(lon - 116.4735) < 1e-6
    pane.set_nearby(
        [
            {"lat": 39.999, "lon": 116.469, "label": "A", "category": "噪音"},
            {"lat": None, "lon": None, "label": "no point"},
        ]
    )
    assert pane.nearby_count() == 1
    pane.set_ticket_pin(None, None)
    assert pane.pin_position() is None


def test_zoom_buttons_change_scale(pane: MapPane) -> None:
    before = pane.zoom_factor()
    pane.zoom_in_button.click()
    assert pane.zoom_factor() > before
    pane.zoom_out_button.click()
    pane.zoom_out_button.click()
    assert pane.zoom_factor() < before


def test_heat_layer_toggles(pane: MapPane) -> None:
    pane.set_heat([(39.99, 116.47), (39.93, 116.45)])
    assert not pane.heat_visible()
    pane.heat_button.click()
    assert pane.heat_visible()
    pane.set_heat_visible(False)
    assert not pane.heat_button.isChecked()


def test_highlight_township_highlights_its_district(pane: MapPane, gaz: Gazetteer) -> None:
    code = gaz.resolve("朝阳区望京西园").township_code
    pane.highlight_township(code)
    assert pane.highlighted_township == code
    assert pane.highlighted_district == "110105"
    pane.highlight_district("110108")
    assert pane.highlighted_district == "110108"


def test_click_proposes_district_and_near_township(qtbot, pane: MapPane) -> None:  # type: ignore[no-untyped-def]
    pane.center_on(39.996, 116.471, span_m=8000)
    view = pane.view
    point = view.mapFromScene(to_scene(39.996, 116.471))
    with qtbot.waitSignal(pane.jurisdiction_proposed, timeout=2000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    proposal = blocker.args[0]
    assert proposal["district"] == "朝阳区"
    assert proposal["township"] == "望京街道"
    assert pane.highlighted_township == proposal["township_code"]


def test_click_far_from_known_townships_proposes_district_only(pane: MapPane) -> None:
    proposal = pane.propose_at(40.60, 116.95)  # rural Miyun, no township point nearby
    assert proposal is not None
    assert proposal["district"] == "密云区"
    assert proposal["township"] is None
    assert pane.propose_at(38.0, 110.0) is None  # outside Beijing
