"""The map pane: pins, highlight, heat toggle, zoom, click → jurisdiction proposal, XYZ tiles
(served by a tile server on 127.0.0.1 started by the test)."""

from __future__ import annotations

import re
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QLabel, QTabWidget

from agent_app.paths import DataPaths
from agent_app.services.geo import tiles as xyz
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.mapdata import DistrictMap
from agent_app.services.geo.tiles import TileKey
from agent_app.ui.map_pane import METRES_PER_DEG_LAT, SCALE, MapPane, tile_rect, to_scene

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


# --- fitting: the view has no size until the tab is shown ------------------------------------


def _visible_rect(pane: MapPane) -> QRectF:
    return pane.view.mapToScene(pane.view.viewport().rect()).boundingRect()


def _label_spread(pane: MapPane) -> tuple[float, float]:
    """Width and height of the box the district labels span on screen (px)."""
    scene = pane.view.scene()
    labels = [
        pane.view.mapFromScene(item.pos())
        for item in scene.items()
        if isinstance(item, QGraphicsSimpleTextItem) and item.parentItem() is None
    ]
    assert len(labels) >= 16
    xs, ys = [p.x() for p in labels], [p.y() for p in labels]
    return max(xs) - min(xs), max(ys) - min(ys)


def _assert_city_fits(pane: MapPane) -> None:
    viewport = pane.view.viewport().rect()
    city = pane.view.mapFromScene(pane.city_rect()).boundingRect()
    assert viewport.adjusted(-2, -2, 2, 2).contains(city), (city, viewport)
    # fills the view in one direction (not a speck in the middle) ...
    assert city.width() >= 0.9 * viewport.width() or city.height() >= 0.9 * viewport.height()
    # ... so the district labels are spread over it, not piled up
    wide, high = _label_spread(pane)
    assert wide >= 0.4 * viewport.width()
    assert high >= 0.4 * viewport.height()


def test_first_show_fits_the_whole_city(qtbot, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    widget = MapPane(DistrictMap.load(), gaz)  # built hidden, as the deferred map tab is
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    _assert_city_fits(widget)


def test_the_map_tab_fits_the_city_when_first_selected(qtbot, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QLabel("知识库"), "知识库")
    tabs.resize(760, 600)
    tabs.show()
    qtbot.waitExposed(tabs)
    widget = MapPane(DistrictMap.load(), gaz)  # added after the first paint, not shown
    tabs.addTab(widget, "地图")
    widget.fit_all()  # asked while hidden: kept until the view has a size
    tabs.setCurrentWidget(widget)
    qtbot.waitUntil(lambda: widget.view.viewport().width() > 300)
    _assert_city_fits(widget)


def test_a_place_located_before_the_map_was_shown_is_zoomed_to(qtbot, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    widget = MapPane(DistrictMap.load(), gaz)
    qtbot.addWidget(widget)
    lat, lon, span_m = 39.9972, 116.4735, 3000.0  # 望京西园, a township's span
    widget.center_on(lat, lon, span_m)  # the form resolved the address; the tab is hidden
    widget.resize(600, 500)
    widget.show()
    qtbot.waitExposed(widget)
    rect = _visible_rect(widget)
    centre, span = to_scene(lat, lon), span_m / METRES_PER_DEG_LAT * SCALE
    assert abs(rect.center().x() - centre.x()) < 0.05 * span
    assert abs(rect.center().y() - centre.y()) < 0.05 * span
    assert 0.9 * span <= min(rect.width(), rect.height()) <= 1.2 * span
    # the view keeps the place when the pane is resized before the operator moves the map
    widget.resize(700, 620)
    qtbot.waitUntil(lambda: widget.view.viewport().height() > 560)
    rect = _visible_rect(widget)
    assert abs(rect.center().x() - centre.x()) < 0.05 * span
    assert 0.9 * span <= min(rect.width(), rect.height()) <= 1.2 * span


def test_center_on_a_shown_map_zooms_at_once(pane: MapPane) -> None:
    lat, lon, span_m = 39.9163, 116.3972, 12_000.0  # 东城区, a district's span
    pane.center_on(lat, lon, span_m)
    rect = _visible_rect(pane)
    span = span_m / METRES_PER_DEG_LAT * SCALE
    assert rect.contains(to_scene(lat, lon))
    assert 0.9 * span <= min(rect.width(), rect.height()) <= 1.2 * span
    pane.zoom_in_button.click()  # the operator's zoom is not undone by a resize
    zoomed = pane.zoom_factor()
    pane.resize(640, 520)
    assert pane.zoom_factor() == pytest.approx(zoomed)


# --- XYZ tile layer ---------------------------------------------------------------------


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG, written by hand so the server thread needs no Qt."""
    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def tile_colour(x: int, y: int) -> tuple[int, int, int]:
    return (40 + x % 7 * 30, 60 + y % 5 * 35, 200)


class TileServer:
    """XYZ tiles on 127.0.0.1: ``/{z}/{x}/{y}.png`` → a 256 px PNG coloured by x and y."""

    def __init__(self) -> None:
        self.requests: list[tuple[int, int, int]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10  # a connection that sends nothing ends its thread all the same

            def do_GET(self) -> None:  # http.server API
                match = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", self.path)
                if match is None:
                    self.send_error(404)
                    return
                z, x, y = (int(g) for g in match.groups())
                with server.lock:
                    server.requests.append((z, x, y))
                body = _png(256, 256, tile_colour(x, y))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "public, max-age=86400")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = False  # so close() waits for the request threads
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"

    def seen(self) -> set[tuple[int, int, int]]:
        with self.lock:
            return set(self.requests)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def tile_server() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.close()


def _tiled_pane(qtbot, gaz: Gazetteer, url: str, **kwargs: object) -> MapPane:  # type: ignore[no-untyped-def]
    widget = MapPane(DistrictMap.load(), gaz, tile_url=url, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _loaded(pane: MapPane) -> bool:
    tiles = pane.tiles
    return tiles is not None and tiles.pending() == 0 and bool(tiles.placed())


def _loaded_at_city_zoom(pane: MapPane) -> bool:
    return _loaded(pane) and (pane.tiles.zoom or 0) >= 12  # type: ignore[union-attr]


def _expected(pane: MapPane, crs: str = "wgs84") -> set[TileKey]:
    assert pane.tiles is not None
    assert pane.tiles.zoom is not None
    west, south, east, north = pane.visible_bounds()
    return set(xyz.tiles_for_view(west, south, east, north, pane.tiles.zoom, crs))


def test_tiles_are_requested_for_the_visible_area_and_drawn_under_the_districts(
    qtbot: Any, gaz: Gazetteer, tile_server: TileServer
) -> None:
    pane = _tiled_pane(qtbot, gaz, tile_server.template)
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: _loaded_at_city_zoom(pane), timeout=10_000)
    layer = pane.tiles
    assert layer is not None
    z = layer.zoom
    assert z is not None
    # the zoom matches the screen: a 256 px tile is drawn at 180–360 px on screen
    shown_px = 256 * pane.zoom_factor() * (tile_rect(TileKey(z, 0, 0)).width() / 256)
    assert 180 <= shown_px <= 362
    wanted = _expected(pane)
    served = {TileKey(*t) for t in tile_server.seen() if t[0] == z}
    assert served == wanted  # exactly the visible tiles at this zoom, none beyond
    assert set(layer.placed()) == wanted
    visible = pane.view.mapToScene(pane.view.viewport().rect()).boundingRect()
    covered = QRectF()
    for key in wanted:
        item = layer.item(key)
        assert item is not None
        rect = item.sceneBoundingRect()
        expected = tile_rect(key)
        assert abs(rect.left() - expected.left()) < 1e-6
        assert abs(rect.top() - expected.top()) < 1e-6
        assert abs(rect.width() - expected.width()) < 1e-6
        assert abs(rect.height() - expected.height()) < 1e-6
        assert item.zValue() < 0  # below the district boundaries
        colour = item.pixmap().toImage().pixelColor(128, 128)
        assert (colour.red(), colour.green(), colour.blue()) == tile_colour(key.x, key.y)
        covered = covered.united(rect)
    assert covered.contains(visible)
    # the district fill lets the tiles through
    assert pane._districts["110105"].brush().color().alpha() < 100  # noqa: SLF001
    assert pane.tile_status.isHidden()


def test_tiles_follow_pan_and_zoom_and_come_from_memory_the_second_time(
    qtbot: Any, gaz: Gazetteer, tile_server: TileServer
) -> None:
    pane = _tiled_pane(qtbot, gaz, tile_server.template)
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: _loaded_at_city_zoom(pane), timeout=10_000)
    layer = pane.tiles
    assert layer is not None
    first_zoom, first = layer.zoom, set(layer.placed())
    pane.zoom_in_button.click()
    pane.zoom_in_button.click()
    pane.zoom_in_button.click()
    qtbot.waitUntil(lambda: layer.zoom == (first_zoom or 0) + 1 and _loaded(pane), timeout=10_000)
    assert set(layer.placed()) == _expected(pane)  # old-zoom tiles are gone once loaded
    pane.center_on(39.905, 116.391, span_m=8000)  # pan to Tiananmen, back to the first scale
    qtbot.waitUntil(
        lambda: _loaded(pane) and set(layer.placed()) == _expected(pane), timeout=10_000
    )
    before = len(tile_server.seen())
    asked = len(layer.requested)
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: set(layer.placed()) == first, timeout=10_000)
    assert len(layer.requested) == asked  # all from the memory cache
    assert len(tile_server.seen()) == before


def test_memory_cache_is_bounded_and_disk_cache_serves_a_new_pane(
    qtbot: Any, gaz: Gazetteer, tile_server: TileServer, tmp_path: Path
) -> None:
    cache = tmp_path / "tiles"
    pane = _tiled_pane(qtbot, gaz, tile_server.template, tile_cache_dir=cache)
    assert pane.tiles is not None
    pane.tiles._memory_tiles = 3  # noqa: SLF001 - a tiny bound to see it hold
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: _loaded_at_city_zoom(pane), timeout=10_000)
    assert len(pane.tiles.placed()) > 3
    assert pane.tiles.memory_size() == 3
    served = len(tile_server.requests)
    assert any(cache.rglob("*")), "tiles were written to the disk cache"
    second = _tiled_pane(qtbot, gaz, tile_server.template, tile_cache_dir=cache)
    second.center_on(39.996, 116.471, span_m=8000)
    layer = pane.tiles
    qtbot.waitUntil(
        lambda: _loaded(second) and second.tiles.zoom == layer.zoom,  # type: ignore[union-attr]
        timeout=10_000,
    )
    assert second.tiles is not None
    assert set(second.tiles.placed()) == set(layer.placed())
    assert len(tile_server.requests) == served  # nothing fetched again


def test_gcj02_tiles_are_placed_shifted_to_wgs84(
    qtbot: Any, gaz: Gazetteer, tile_server: TileServer
) -> None:
    pane = _tiled_pane(qtbot, gaz, tile_server.template, tile_crs="gcj02")
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: _loaded_at_city_zoom(pane), timeout=10_000)
    layer = pane.tiles
    assert layer is not None
    assert set(layer.placed()) == _expected(pane, "gcj02")
    key = layer.placed()[0]
    item = layer.item(key)
    assert item is not None
    shifted, nominal = item.sceneBoundingRect(), tile_rect(key, "wgs84")
    assert abs(shifted.left() - tile_rect(key, "gcj02").left()) < 1e-6
    assert shifted.left() < nominal.left()  # drawn west of its nominal (GCJ-02) corner
    assert "GCJ-02" in pane.crs_label.text()


def test_unreachable_tile_server_leaves_the_map_usable(qtbot, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    pane = _tiled_pane(qtbot, gaz, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    pane.center_on(39.996, 116.471, span_m=8000)
    qtbot.waitUntil(lambda: pane.tile_status.isVisible(), timeout=10_000)
    assert "底图瓦片无法加载（连接被拒绝）" in pane.tile_status.text()
    assert "地图瓦片地址" in pane.tile_status.text()
    assert "\n" not in pane.tile_status.text()  # one status line, not one per tile
    layer = pane.tiles
    assert layer is not None
    assert layer.placed() == []
    qtbot.waitUntil(lambda: layer.pending() == 0, timeout=10_000)
    # the map still works: zoom, click → proposal
    before = pane.zoom_factor()
    pane.zoom_in_button.click()
    assert pane.zoom_factor() > before
    pane.center_on(39.996, 116.471, span_m=8000)
    point = pane.view.mapFromScene(to_scene(39.996, 116.471))
    with qtbot.waitSignal(pane.jurisdiction_proposed, timeout=2000) as blocker:
        qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args[0]["township"] == "望京街道"
    # failed tiles are not hammered again at once
    asked = len(layer.requested)
    pane.refresh_tiles()
    assert len(layer.requested) == asked


def test_bad_tile_url_is_reported_and_no_tiles_are_asked(qtbot, gaz: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    pane = _tiled_pane(qtbot, gaz, "http://127.0.0.1:9/{z}/{x}.png")
    assert pane.tiles is None
    assert pane.tile_status.isVisible()
    assert "缺少 {y}" in pane.tile_status.text()
    assert pane._districts["110105"].brush().color().alpha() == 255  # noqa: SLF001


def test_without_tile_url_nothing_is_fetched(pane: MapPane) -> None:
    assert pane.tiles is None
    assert pane.tile_status.isHidden()


def _side_map(tmp_path: Path, demo: bool, **options: str) -> MapPane:
    from agent_app.messages import MessageBridge  # noqa: PLC0415
    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.settings import Settings  # noqa: PLC0415
    from agent_app.ui.panes import MAP_TAB, build_side_panes  # noqa: PLC0415
    from agent_app.workers.tasks import TaskRunner  # noqa: PLC0415

    paths = DataPaths(tmp_path / "seat").ensure()
    settings = Settings(paths.settings_file)
    settings.tile_url = options.get("tile_url", "")
    settings.nominatim_url = options.get("nominatim_url", "")
    settings.tile_crs = options.get("tile_crs", "wgs84")
    runner = TaskRunner()
    side = build_side_panes(
        settings=settings, runner=runner, bridge=MessageBridge(), demo=demo, paths=paths
    )
    runner.wait_idle()
    pane = side[MAP_TAB]
    assert isinstance(pane, MapPane)
    return pane


@pytest.mark.parametrize("demo", [False, True])
def test_seat_settings_configure_tiles_and_the_intake_geocoder(
    qtbot: Any, tmp_path: Path, demo: bool
) -> None:
    from agent_app.app import _nominatim_url  # noqa: PLC0415
    from agent_app.services.intake import IntakeService  # noqa: PLC0415
    from agent_app.services.workstation import Workstation  # noqa: PLC0415

    pane = _side_map(
        tmp_path,
        demo,
        tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png",
        tile_crs="gcj02",
        nominatim_url="http://127.0.0.1:9",
    )
    qtbot.addWidget(pane)
    # the composition root hands the setting to the workstation, which intake reads
    ws = Workstation(
        DataPaths(tmp_path / "seat"),
        seat="S1",
        operator_id="op",
        demo=demo,
        nominatim_url=_nominatim_url("http://127.0.0.1:9"),
    )
    service = IntakeService.load(nominatim_url=ws.nominatim_url)
    remote = service.geocoder().remote
    assert service.geocoder() is service.geocoder()  # one per seat, with its cache
    if demo:
        assert pane.tiles is None  # demo mode opens no network connection
        assert ws.nominatim_url == ""
        assert remote is None
    else:
        assert pane.tiles is not None
        assert pane.tiles.crs == "gcj02"
        assert pane.tiles.host == "127.0.0.1:9"
        assert remote is not None
        assert getattr(remote, "domain", None) == "127.0.0.1:9"


def test_bad_nominatim_setting_is_shown_on_the_map_and_intake_stays_offline(
    qtbot: Any, tmp_path: Path
) -> None:
    from agent_app.app import _nominatim_url  # noqa: PLC0415

    pane = _side_map(tmp_path, False, nominatim_url="nominatim.local")
    qtbot.addWidget(pane)
    assert _nominatim_url("nominatim.local") == ""
    assert "地理编码服务地址" in pane.tile_status.text()
