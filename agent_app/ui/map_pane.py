"""The map pane: district boundaries, the ticket's pin, tickets nearby and a heat layer.

Drawn with QGraphicsView from the shipped WGS-84 district file (converted from GCJ-02), in a
simple equirectangular projection scaled by cos(40°) – accurate enough for a city map.  Pan by
dragging, zoom with the wheel or the +/- buttons.  Clicking inside a district proposes it as the
jurisdiction, together with the nearest known township point within ``CLICK_TOWNSHIP_RADIUS_M``
(townships have no polygons).  An XYZ tile layer is not implemented yet (no tile server in v1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QRadialGradient,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsItemGroup,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.mapdata import DistrictMap

SCALE = 1000.0  # scene units per degree of latitude
COS_LAT = math.cos(math.radians(40.0))
METRES_PER_DEG_LAT = 111_320.0
CLICK_TOWNSHIP_RADIUS_M = 2500.0
ZOOM_STEP = 1.25

DISTRICT_PEN = QColor("#5b6b7f")
DISTRICT_FILL = QColor(236, 240, 245)
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


class _MapView(QGraphicsView):
    clicked = Signal(QPointF)

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

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            moved = event.position() - self._press
            if abs(moved.x()) + abs(moved.y()) < 5:  # a click, not a drag
                self.clicked.emit(self.mapToScene(event.position().toPoint()))
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
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mapPane")
        self.tile_url = tile_url.strip()
        self._map = district_map
        self._gazetteer = gazetteer
        self._scene = QGraphicsScene(self)
        self.view = _MapView(self._scene, self)
        self.view.clicked.connect(self._on_click)
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

        self._draw_districts()
        self._build_ui()
        self.fit_all()

    # -- construction --------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.zoom_in_button = self._button("+", self.tr("放大"))
        self.zoom_out_button = self._button("−", self.tr("缩小"))
        self.fit_button = self._button(self.tr("全市"), self.tr("显示全市"))
        self.heat_button = self._button(self.tr("热力"), self.tr("显示工单热力图（班长）"))
        self.heat_button.setCheckable(True)
        self.zoom_in_button.clicked.connect(lambda: self.view.scale(ZOOM_STEP, ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.view.scale(1 / ZOOM_STEP, 1 / ZOOM_STEP))
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
        self.crs_label.setStyleSheet("color: #667; font-size: 11px;")
        bar.addWidget(self.crs_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
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
            item.setBrush(QBrush(DISTRICT_FILL))
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
        self.view.fitInView(self._scene.itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_factor(self) -> float:
        return float(self.view.transform().m11())

    def center_on(self, lat: float, lon: float, span_m: float | None = None) -> None:
        if span_m is not None:
            half = _metres_to_scene(span_m) / 2
            c = to_scene(lat, lon)
            self.view.fitInView(
                c.x() - half, c.y() - half, 2 * half, 2 * half, Qt.AspectRatioMode.KeepAspectRatio
            )
        self.view.centerOn(to_scene(lat, lon))

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
            item.setBrush(QBrush(HIGHLIGHT_FILL if on else DISTRICT_FILL))
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
