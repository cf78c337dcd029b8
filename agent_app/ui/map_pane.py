"""The map pane: district boundaries, the ticket's pin, tickets nearby and a heat layer.

Drawn with QGraphicsView from the shipped WGS-84 district file (converted from GCJ-02), in a
simple equirectangular projection scaled by cos(40°) – accurate enough for a city map.  Pan by
dragging, zoom with the wheel or the +/- buttons.  Clicking inside a district proposes it as the
jurisdiction, together with the nearest known township point within ``CLICK_TOWNSHIP_RADIUS_M``
(townships have no polygons).

With a tile URL configured (setting *地图瓦片地址*, e.g. ``http://127.0.0.1:8080/{z}/{x}/{y}.png``)
slippy-map tiles are drawn under the district boundaries for the visible area at the zoom that
matches the view.  They are fetched asynchronously by a ``QNetworkAccessManager`` (the GUI
thread never waits), kept in a bounded in-memory cache and, when a cache directory is given, in
a ``QNetworkDiskCache``.  Each Web-Mercator tile is placed as the rectangle between its corner
points in the pane's projection; inside one tile the difference between Mercator and the
pane's equirectangular rows is below a pixel at city zooms.  Tiles of OSM-style servers are in
WGS-84, tiles of Chinese providers in GCJ-02 (``tile_crs="gcj02"`` shifts them back).  When
tiles cannot be fetched the map stays usable and one status line says so.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QRadialGradient,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtNetwork import (
    QNetworkAccessManager,
    QNetworkDiskCache,
    QNetworkReply,
    QNetworkRequest,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsItemGroup,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app import __version__
from agent_app.errors import ConfigError
from agent_app.services.geo import tiles as xyz
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.mapdata import DistrictMap

log = logging.getLogger("agent_app.ui.map")

SCALE = 1000.0  # scene units per degree of latitude
COS_LAT = math.cos(math.radians(40.0))
METRES_PER_DEG_LAT = 111_320.0
CLICK_TOWNSHIP_RADIUS_M = 2500.0
ZOOM_STEP = 1.25
TILE_Z = -10.0  # under the district boundaries (0) and everything drawn on them
TILE_MEMORY_TILES = 256  # bounded in-memory cache (~64 MB of 256 px RGBA tiles at most)
TILE_DISK_CACHE_BYTES = 200 * 1024 * 1024
TILE_TIMEOUT_MS = 8000
TILE_RETRY_S = 30.0  # a tile that failed is not asked for again before this
TILE_DEBOUNCE_MS = 80
TILE_MAX_PER_VIEW = 64
MIN_VIEW_PX = 32  # a viewport smaller than this (hidden, collapsed) has no size to fit into

DISTRICT_PEN = QColor("#5b6b7f")
DISTRICT_FILL = QColor(236, 240, 245)
DISTRICT_FILL_OVER_TILES = QColor(236, 240, 245, 40)  # let the base map show through
HIGHLIGHT_FILL = QColor(255, 214, 102, 170)
HIGHLIGHT_PEN = QColor("#c77700")
PIN_COLOUR = QColor("#d62828")
NEARBY_COLOUR = QColor("#1d70b8")


def to_scene(lat: float, lon: float) -> QPointF:
    return QPointF(lon * SCALE * COS_LAT, -lat * SCALE)


def from_scene(point: QPointF) -> tuple[float, float]:
    return -point.y() / SCALE, point.x() / (SCALE * COS_LAT)


def _metres_to_scene(metres: float) -> float:
    return metres / METRES_PER_DEG_LAT * SCALE


def _reply_problem(reply: QNetworkReply) -> str:
    """A short reason for a failed tile request (no URL: it may name a person's area)."""
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    if status:
        return QCoreApplication.translate("TileLayer", "服务器返回 HTTP {0}").format(int(status))
    err = QNetworkReply.NetworkError
    reasons = {
        err.ConnectionRefusedError: QCoreApplication.translate("TileLayer", "连接被拒绝"),
        err.HostNotFoundError: QCoreApplication.translate("TileLayer", "找不到服务器"),
        err.TimeoutError: QCoreApplication.translate("TileLayer", "连接超时"),
        err.OperationCanceledError: QCoreApplication.translate("TileLayer", "连接超时"),
        err.RemoteHostClosedError: QCoreApplication.translate("TileLayer", "服务器断开了连接"),
        err.ProtocolUnknownError: QCoreApplication.translate("TileLayer", "不支持的协议"),
        err.ContentNotFoundError: QCoreApplication.translate("TileLayer", "找不到瓦片"),
    }
    return reasons.get(reply.error(), QCoreApplication.translate("TileLayer", "网络错误"))


class TileLayer(QObject):
    """XYZ base-map tiles in a scene: fetched asynchronously, cached, placed in WGS-84.

    Signals:
        status_changed(str): one line for the operator ("" when tiles load normally).
        tile_placed(object): a :class:`~agent_app.services.geo.tiles.TileKey` was drawn.
    """

    status_changed = Signal(str)
    """One status line for the operator; "" when tiles load normally."""
    tile_placed = Signal(object)
    """A tile (its ``TileKey``) was put into the scene."""

    def __init__(
        self,
        scene: QGraphicsScene,
        template: str,
        *,
        crs: str = "wgs84",
        cache_dir: Path | None = None,
        max_zoom: int = 18,
        memory_tiles: int = TILE_MEMORY_TILES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.template = xyz.check_template(template)
        self.crs = xyz.check_crs(crs)
        self.max_zoom = max(xyz.MIN_ZOOM, min(xyz.MAX_ZOOM, max_zoom))
        self._scene = scene
        self._memory: OrderedDict[xyz.TileKey, QPixmap] = OrderedDict()
        self._memory_tiles = max(1, memory_tiles)
        self._items: dict[xyz.TileKey, QGraphicsPixmapItem] = {}
        self._pending: dict[xyz.TileKey, QNetworkReply] = {}
        self._aborted: set[xyz.TileKey] = set()
        self._failed: dict[xyz.TileKey, float] = {}
        self._wanted: list[xyz.TileKey] = []
        self._zoom: int | None = None
        self.status = ""
        self.requested: list[xyz.TileKey] = []
        """Every tile asked from the server, in order (tests, diagnostics)."""
        self._keys: dict[str, xyz.TileKey] = {}  # request URL → tile
        self._nam = QNetworkAccessManager(self)
        self._nam.setTransferTimeout(TILE_TIMEOUT_MS)
        self._nam.finished.connect(self._finished)
        if cache_dir is not None:
            disk = QNetworkDiskCache(self)
            disk.setCacheDirectory(str(cache_dir))
            disk.setMaximumCacheSize(TILE_DISK_CACHE_BYTES)
            self._nam.setCache(disk)
        self.host = urlsplit(self.template).netloc or self.template.split("/")[0]

    # -- state for the pane and tests ------------------------------------------------------
    @property
    def zoom(self) -> int | None:
        return self._zoom

    def placed(self) -> list[xyz.TileKey]:
        """The tiles now in the scene."""
        return sorted(self._items)

    def item(self, key: xyz.TileKey) -> QGraphicsPixmapItem | None:
        return self._items.get(key)

    def pending(self) -> int:
        return len(self._pending)

    def memory_size(self) -> int:
        return len(self._memory)

    # -- the view changed ------------------------------------------------------------------
    def update_view(
        self, west: float, south: float, east: float, north: float, pixels_per_degree_lon: float
    ) -> None:
        """Show the tiles for this WGS-84 box at the zoom matching the on-screen scale."""
        z = min(xyz.zoom_for(pixels_per_degree_lon), self.max_zoom)
        self._zoom = z
        wanted = xyz.tiles_for_view(west, south, east, north, z, self.crs, limit=TILE_MAX_PER_VIEW)
        self._wanted = wanted
        keep = set(wanted)
        for key, reply in list(self._pending.items()):
            if key not in keep:
                self._aborted.add(key)
                reply.abort()  # finished() follows; counted as no failure
        now = time.monotonic()
        for key in wanted:
            if key in self._items or key in self._pending:
                continue
            pixmap = self._memory.get(key)
            if pixmap is not None:
                self._memory.move_to_end(key)
                self._place(key, pixmap)
            elif now - self._failed.get(key, -TILE_RETRY_S) >= TILE_RETRY_S:
                self._request(key)
        self._drop_unwanted()

    def _drop_unwanted(self) -> None:
        """Remove tiles off the view; tiles of another zoom stay until this zoom is loaded."""
        keep = set(self._wanted)
        same_zoom_loading = any(k.z == self._zoom for k in self._pending)
        for key in list(self._items):
            if key in keep:
                continue
            if key.z != self._zoom and same_zoom_loading:
                continue  # a coarser/finer picture beats an empty one while loading
            self._scene.removeItem(self._items.pop(key))

    def _request(self, key: xyz.TileKey) -> None:
        request = QNetworkRequest(QUrl(xyz.tile_url(self.template, key)))
        request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, f"agent-app/{__version__}")
        request.setAttribute(
            QNetworkRequest.Attribute.CacheLoadControlAttribute,
            QNetworkRequest.CacheLoadControl.PreferCache,
        )
        reply = self._nam.get(request)
        self._pending[key] = reply
        self._keys[request.url().toString()] = key
        self.requested.append(key)

    @Slot(QNetworkReply)
    def _finished(self, reply: QNetworkReply) -> None:
        reply.deleteLater()
        key = self._keys.pop(reply.request().url().toString(), None)
        if key is None:
            return
        if self._pending.get(key) is reply:
            del self._pending[key]
        if key in self._aborted:
            self._aborted.discard(key)
            self._drop_unwanted()
            return
        if reply.error() != QNetworkReply.NetworkError.NoError:
            self._fail(key, _reply_problem(reply))
            return
        image = QImage()
        if not image.loadFromData(reply.readAll().data()) or image.isNull():
            self._fail(key, self.tr("返回的不是图片"))
            return
        self._failed.pop(key, None)
        pixmap = QPixmap.fromImage(image)
        self._memory[key] = pixmap
        self._memory.move_to_end(key)
        while len(self._memory) > self._memory_tiles:
            self._memory.popitem(last=False)
        if key in self._wanted and key not in self._items:
            self._place(key, pixmap)
        self._set_status("")
        self._drop_unwanted()

    def _fail(self, key: xyz.TileKey, reason: str) -> None:
        self._failed[key] = time.monotonic()
        log.warning("map tile not loaded: %s", reason)
        self._set_status(
            self.tr(
                "底图瓦片无法加载（{reason}）：区界和工单照常显示；"
                "请检查设置“地图瓦片地址”和瓦片服务器 {host}。"
            ).format(reason=reason, host=self.host)
        )
        self._drop_unwanted()

    def _set_status(self, text: str) -> None:
        if text != self.status:
            self.status = text
            self.status_changed.emit(text)

    def _place(self, key: xyz.TileKey, pixmap: QPixmap) -> None:
        b = xyz.tile_bounds(key, self.crs)
        top_left = to_scene(b.north, b.west)
        bottom_right = to_scene(b.south, b.east)
        item = QGraphicsPixmapItem(pixmap)
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setPos(top_left)
        item.setTransform(
            QTransform.fromScale(
                (bottom_right.x() - top_left.x()) / max(pixmap.width(), 1),
                (bottom_right.y() - top_left.y()) / max(pixmap.height(), 1),
            )
        )
        item.setZValue(TILE_Z + key.z / 100)  # finer tiles above coarser ones
        self._scene.addItem(item)
        self._items[key] = item
        self.tile_placed.emit(key)

    def shutdown(self) -> None:
        """Abort what is in flight (the pane is closing)."""
        for key, reply in list(self._pending.items()):
            self._aborted.add(key)
            reply.abort()


def tile_rect(key: xyz.TileKey, crs: str = "wgs84") -> QRectF:
    """The scene rectangle a tile occupies (tests, diagnostics)."""
    b = xyz.tile_bounds(key, crs)
    return QRectF(to_scene(b.north, b.west), to_scene(b.south, b.east))


class _MapView(QGraphicsView):
    clicked = Signal(QPointF)
    view_changed = Signal()
    """The visible area or the scale changed (pan, wheel zoom, resize)."""
    moved_by_hand = Signal()
    """The operator zoomed with the wheel or dragged the map."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#dfe9f3"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._press: QPointF | None = None

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
        self.scale(factor, factor)
        event.accept()
        self.moved_by_hand.emit()
        self.view_changed.emit()

    def watch_scrolling(self) -> None:
        """Emit ``view_changed`` on pans and resizes too (through the scroll bars' signals:
        Python overrides of ``scrollContentsBy``/``resizeEvent`` crash PySide at exit)."""
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(self.view_changed)
            bar.rangeChanged.connect(self.view_changed)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            moved = event.position() - self._press
            if abs(moved.x()) + abs(moved.y()) < 5:  # a click, not a drag
                self.clicked.emit(self.mapToScene(event.position().toPoint()))
            else:
                self.moved_by_hand.emit()
        self._press = None


class MapPane(QWidget):
    """District map with the ticket's pin, nearby tickets and a heat layer for the shift lead."""

    jurisdiction_proposed = Signal(dict)

    def __init__(
        self,
        district_map: DistrictMap,
        gazetteer: Gazetteer | None = None,
        parent: QWidget | None = None,
        *,
        tile_url: str = "",
        tile_crs: str = "wgs84",
        tile_cache_dir: Path | None = None,
        tile_max_zoom: int = 18,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mapPane")
        self.tile_url = tile_url.strip()
        self._map = district_map
        self._gazetteer = gazetteer
        self._scene = QGraphicsScene(self)
        self.view = _MapView(self._scene, self)
        self.view.clicked.connect(self._on_click)
        # What the view should show, applied when the view has a size (see _apply_view): the
        # tab is built hidden, and the form may locate an address before it is ever shown.
        self._view_request: tuple[float, float, float | None] | None = None  # None: all
        self._view_pending = True
        self._view_kept = True  # reapplied on resize until the operator moves the map
        self.view.moved_by_hand.connect(self._moved_by_hand)
        self._viewport = self.view.viewport()
        self._viewport.installEventFilter(self)
        self._districts: dict[str, QGraphicsPathItem] = {}
        self._pin: QGraphicsItemGroup | None = None
        self._nearby: list[QGraphicsItem] = []
        self._heat = QGraphicsItemGroup()
        self._heat.setZValue(5)
        self._heat.setVisible(False)
        self._scene.addItem(self._heat)
        self._township_mark: QGraphicsItemGroup | None = None
        self.highlighted_district: str | None = None
        self.highlighted_township: str | None = None
        self.tiles: TileLayer | None = None
        self._notice = ""
        self._tile_text = ""
        tile_problem = ""
        if self.tile_url:
            try:
                self.tiles = TileLayer(
                    self._scene,
                    self.tile_url,
                    crs=tile_crs,
                    cache_dir=tile_cache_dir,
                    max_zoom=tile_max_zoom,
                    parent=self,
                )
            except ConfigError as exc:
                tile_problem = str(exc)
        self._fill = DISTRICT_FILL if self.tiles is None else DISTRICT_FILL_OVER_TILES
        self._tile_timer = QTimer(self)
        self._tile_timer.setSingleShot(True)
        self._tile_timer.setInterval(TILE_DEBOUNCE_MS)
        self._tile_timer.timeout.connect(self.refresh_tiles)

        self._draw_districts()
        # The districts fix the scene's extent, so tiles never widen the scrollable area
        # or what "全市" fits.
        self._city_rect = self._scene.itemsBoundingRect()
        margin = max(self._city_rect.width(), self._city_rect.height()) * 0.15
        self._scene.setSceneRect(self._city_rect.adjusted(-margin, -margin, margin, margin))
        self._build_ui()
        if tile_problem:
            self._show_tile_status(tile_problem)
        if self.tiles is not None:
            self.tiles.status_changed.connect(self._show_tile_status)
            self.view.view_changed.connect(self._schedule_tiles)
            self.view.watch_scrolling()
        self.fit_all()

    # -- construction --------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.zoom_in_button = self._button("+", self.tr("放大"))
        self.zoom_out_button = self._button("−", self.tr("缩小"))
        self.fit_button = self._button(self.tr("全市"), self.tr("显示全市"))
        self.heat_button = self._button(self.tr("热力"), self.tr("显示工单热力图（班长）"))
        self.heat_button.setCheckable(True)
        # Bound methods, not lambdas: a lambda holding the pane, connected to a child's signal,
        # is a reference cycle Python cannot see, and keeps a pane nobody owns alive forever.
        self.zoom_in_button.clicked.connect(self._zoom_in)
        self.zoom_out_button.clicked.connect(self._zoom_out)
        self.fit_button.clicked.connect(self.fit_all)
        self.heat_button.toggled.connect(self.set_heat_visible)
        bar = QHBoxLayout()
        for button in (
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_button,
            self.heat_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        self.crs_label = QLabel(self.tr("坐标：WGS-84（区界由 GCJ-02 转换，仅供示意）"))
        if self.tiles is not None:
            self.crs_label.setText(
                self.tr("坐标：WGS-84；底图 {host}（{crs}）").format(
                    host=self.tiles.host, crs="GCJ-02" if self.tiles.crs == "gcj02" else "WGS-84"
                )
            )
        self.crs_label.setStyleSheet("color: #667; font-size: 11px;")
        bar.addWidget(self.crs_label)
        self.tile_status = QLabel()
        self.tile_status.setObjectName("tileStatus")
        self.tile_status.setWordWrap(True)
        self.tile_status.setStyleSheet("color: #8a4b00; font-size: 11px;")
        self.tile_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tile_status.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tile_status)
        layout.addWidget(self.view, 1)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        return button

    def _draw_districts(self) -> None:
        font = QFont("WenQuanYi Micro Hei")
        font.setPixelSize(11)
        for shape in self._map.shapes:
            path = QPainterPath()
            for poly in shape.polygons:
                for ring in poly:
                    path.addPolygon(QPolygonF([to_scene(lat, lon) for lon, lat in ring]))
                    path.closeSubpath()
            item = QGraphicsPathItem(path)
            item.setPen(QPen(DISTRICT_PEN, 0))
            item.setBrush(QBrush(self._fill))
            item.setToolTip(shape.name)
            item.setData(0, shape.code)
            self._scene.addItem(item)
            self._districts[shape.code] = item
            label = QGraphicsSimpleTextItem(shape.name)
            label.setFont(font)
            label.setBrush(QColor("#2b3a4a"))
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            label.setZValue(3)
            centre = self._label_point(shape.code) or item.boundingRect().center()
            label.setPos(centre)
            self._scene.addItem(label)

    def _label_point(self, code: str) -> QPointF | None:
        if self._gazetteer is None or code not in self._gazetteer.districts:
            return None
        dist = self._gazetteer.districts[code]
        return to_scene(dist.lat, dist.lon)

    # -- public API ----------------------------------------------------------------------
    def fit_all(self) -> None:
        """Show the whole city (now, or as soon as the view has a size)."""
        self._request_view(None)

    def city_rect(self) -> QRectF:
        """The scene rectangle of the districts ("全市")."""
        return QRectF(self._city_rect)

    def zoom_by(self, factor: float) -> None:
        self._moved_by_hand()
        self.view.scale(factor, factor)
        self._schedule_tiles()

    def _request_view(self, request: tuple[float, float, float | None] | None) -> None:
        self._view_request = request
        self._view_pending = True
        self._view_kept = True
        self._apply_view()

    def _view_ready(self) -> bool:
        size = self.view.viewport().size()
        return (
            self.view.isVisible() and size.width() >= MIN_VIEW_PX and size.height() >= MIN_VIEW_PX
        )

    def _apply_view(self) -> None:
        """Fit the requested area into the view once it has a real size: fitting a hidden
        (0x0 or default-sized) view scales the city to a speck that piles up its labels."""
        if not self._view_ready():
            return
        self._view_pending = False
        view, request = self.view, self._view_request
        if request is None:
            view.fitInView(self._city_rect, Qt.AspectRatioMode.KeepAspectRatio)
        else:
            lat, lon, span_m = request
            centre = to_scene(lat, lon)
            if span_m is not None:
                half = _metres_to_scene(span_m) / 2
                view.fitInView(
                    QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half),
                    Qt.AspectRatioMode.KeepAspectRatio,
                )
            view.centerOn(centre)
        self._schedule_tiles()

    def _moved_by_hand(self) -> None:
        self._view_kept = False
        self._view_pending = False  # the operator's view wins over one not applied yet

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The viewport got its size (first show, a tab switch, the splitter): apply a pending
        request, or keep the requested area in view until the operator moves the map."""
        if watched is self._viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            if self._view_pending or self._view_kept:
                self._apply_view()
        return False

    def _zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def _zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_factor(self) -> float:
        return float(self.view.transform().m11())

    def visible_bounds(self) -> tuple[float, float, float, float]:
        """The visible area as WGS-84 ``(west, south, east, north)``."""
        rect = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        north, west = from_scene(rect.topLeft())
        south, east = from_scene(rect.bottomRight())
        return west, south, east, north

    def refresh_tiles(self) -> None:
        """Ask the tile layer for the tiles of the visible area (no-op without tiles)."""
        if self.tiles is None or not self.isVisible():
            return
        west, south, east, north = self.visible_bounds()
        self.tiles.update_view(west, south, east, north, self.zoom_factor() * SCALE * COS_LAT)

    def _schedule_tiles(self) -> None:
        if self.tiles is not None:
            self._tile_timer.start()

    def _show_tile_status(self, text: str) -> None:
        self._tile_text = text
        self._update_status()

    def set_notice(self, text: str) -> None:
        """A configuration problem to show above the map (e.g. a bad geocoder URL)."""
        self._notice = text
        self._update_status()

    def _update_status(self) -> None:
        text = self.tr("；").join(t for t in (self._notice, self._tile_text) if t)
        self.tile_status.setText(text)
        self.tile_status.setToolTip(text)
        self.tile_status.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._view_pending:
            self._apply_view()
        self._schedule_tiles()

    def center_on(self, lat: float, lon: float, span_m: float | None = None) -> None:
        """Centre the map on the point; with ``span_m``, zoom so that about that many metres
        around it fill the view.  Before the map was shown, this waits for its first show."""
        self._request_view((lat, lon, span_m))

    def set_ticket_pin(self, lat: float | None, lon: float | None, label: str = "") -> None:
        """Show the ticket's place (``None`` removes the pin)."""
        if self._pin is not None:
            self._scene.removeItem(self._pin)
            self._pin = None
        if lat is None or lon is None:
            return
        group = QGraphicsItemGroup()
        dot = QGraphicsEllipseItem(-7, -7, 14, 14)
        dot.setBrush(QBrush(PIN_COLOUR))
        dot.setPen(QPen(QColor("white"), 2))
        group.addToGroup(dot)
        if label:
            text = QGraphicsSimpleTextItem(label)
            text.setBrush(PIN_COLOUR)
            font = QFont("WenQuanYi Micro Hei")
            font.setPixelSize(12)
            font.setBold(True)
            text.setFont(font)
            text.setPos(9, -9)
            group.addToGroup(text)
        group.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        group.setPos(to_scene(lat, lon))
        group.setZValue(20)
        group.setToolTip(label)
        self._scene.addItem(group)
        self._pin = group

    def pin_position(self) -> tuple[float, float] | None:
        return None if self._pin is None else from_scene(self._pin.pos())

    def set_nearby(self, tickets: Iterable[Mapping[str, Any]]) -> None:
        """Tickets nearby: plain dicts with ``lat``, ``lon``, ``label`` and ``category``."""
        for item in self._nearby:
            self._scene.removeItem(item)
        self._nearby = []
        for t in tickets:
            if t.get("lat") is None or t.get("lon") is None:
                continue
            dot = QGraphicsEllipseItem(-5, -5, 10, 10)
            dot.setBrush(QBrush(NEARBY_COLOUR))
            dot.setPen(QPen(QColor("white"), 1))
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            dot.setPos(to_scene(float(t["lat"]), float(t["lon"])))
            dot.setZValue(15)
            dot.setToolTip(f"{t.get('label', '')} {t.get('category', '')}".strip())
            self._scene.addItem(dot)
            self._nearby.append(dot)

    def nearby_count(self) -> int:
        return len(self._nearby)

    def set_heat(self, points: Sequence[tuple[float, float]], radius_m: float = 1500.0) -> None:
        """Hotspot layer: ``(lat, lon)`` points drawn as translucent radial blobs."""
        for child in self._heat.childItems():
            self._heat.removeFromGroup(child)
            self._scene.removeItem(child)
        r = _metres_to_scene(radius_m)
        for lat, lon in points:
            c = to_scene(lat, lon)
            blob = QGraphicsEllipseItem(c.x() - r, c.y() - r, 2 * r, 2 * r)
            grad = QRadialGradient(c, r)
            grad.setColorAt(0.0, QColor(230, 57, 70, 110))
            grad.setColorAt(1.0, QColor(230, 57, 70, 0))
            blob.setBrush(QBrush(grad))
            blob.setPen(Qt.PenStyle.NoPen)
            self._heat.addToGroup(blob)

    def set_heat_visible(self, visible: bool) -> None:
        self._heat.setVisible(visible)
        if self.heat_button.isChecked() != visible:
            self.heat_button.setChecked(visible)

    def heat_visible(self) -> bool:
        return self._heat.isVisible()

    def highlight_district(self, code: str | None) -> None:
        for c, item in self._districts.items():
            on = c == code
            item.setBrush(QBrush(HIGHLIGHT_FILL if on else self._fill))
            pen = QPen(HIGHLIGHT_PEN if on else DISTRICT_PEN, 2.5 if on else 1)
            pen.setCosmetic(True)  # the same width at every zoom
            item.setPen(pen)
            item.setZValue(1 if on else 0)
        self.highlighted_district = code if code in self._districts else None

    def highlight_township(self, code: str | None, radius_m: float = 1800.0) -> None:
        """Highlight a township: its district, and a ring around its point when one is known."""
        if self._township_mark is not None:
            self._scene.removeItem(self._township_mark)
            self._township_mark = None
        self.highlighted_township = None
        if not code or self._gazetteer is None or code not in self._gazetteer.townships:
            return
        tw = self._gazetteer.townships[code]
        self.highlight_district(tw.district_code)
        self.highlighted_township = code
        if tw.lat is None or tw.lon is None:
            return
        group = QGraphicsItemGroup()
        c = to_scene(tw.lat, tw.lon)
        r = _metres_to_scene(radius_m)
        ring = QGraphicsEllipseItem(c.x() - r, c.y() - r, 2 * r, 2 * r)
        ring.setBrush(QBrush(QColor(255, 183, 3, 90)))
        ring.setPen(QPen(HIGHLIGHT_PEN, 0, Qt.PenStyle.DashLine))
        group.addToGroup(ring)
        text = QGraphicsSimpleTextItem(tw.name)
        font = QFont("WenQuanYi Micro Hei")
        font.setPixelSize(12)
        font.setBold(True)
        text.setFont(font)
        text.setBrush(HIGHLIGHT_PEN)
        text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        text.setPos(c.x() + r * 0.7, c.y() + r * 0.7)
        group.addToGroup(text)
        group.setZValue(10)
        self._scene.addItem(group)
        self._township_mark = group

    def propose_at(self, lat: float, lon: float) -> dict[str, Any] | None:
        """What a click at the point proposes (district, nearest township point if close)."""
        shape = self._map.district_at(lat, lon)
        if shape is None:
            return None
        proposal: dict[str, Any] = {
            "district": shape.name,
            "district_code": shape.code,
            "township": None,
            "township_code": None,
            "lat": lat,
            "lon": lon,
        }
        if self._gazetteer is not None:
            from geopy.distance import geodesic  # noqa: PLC0415

            best: tuple[float, str, str] | None = None
            for tw in self._gazetteer.township_points():
                if tw.district_code != shape.code or tw.lat is None or tw.lon is None:
                    continue
                d = geodesic((lat, lon), (tw.lat, tw.lon)).meters
                if d <= CLICK_TOWNSHIP_RADIUS_M and (best is None or d < best[0]):
                    best = (d, tw.code, tw.name)
            if best is not None:
                proposal["township_code"], proposal["township"] = best[1], best[2]
        return proposal

    def _on_click(self, scene_point: QPointF) -> None:
        lat, lon = from_scene(scene_point)
        proposal = self.propose_at(lat, lon)
        if proposal is None:
            return
        if proposal["township_code"]:
            self.highlight_township(proposal["township_code"])
        else:
            self.highlight_township(None)
            self.highlight_district(proposal["district_code"])
        self.jurisdiction_proposed.emit(proposal)
