"""The trend chart (pyqtgraph) and the township choropleth (drawn on the map pane's scene).

pyqtgraph is imported when the first chart is built, never at the window's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsItemGroup,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from agent_app.services.geo.gazetteer import Township
from agent_app.services.lead_desk import Trend
from agent_app.ui.map_pane import MapPane, to_scene

SERIES_COLOURS = ("#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037")
TREND_LINES = 6


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def _delete_later(widgets: list[QWidget], *_args: object) -> None:
    for w in widgets:
        if isValid(w):
            w.deleteLater()


def score_colour(score: float | None) -> QColor:
    """Red (low) → amber → green (high) over the score's usual 60..100; grey without one."""
    if score is None:
        return QColor(160, 160, 160, 150)
    t = min(max((score - 60.0) / 40.0, 0.0), 1.0)
    if t < 0.5:
        r, g = 211, int(47 + (160 - 47) * t * 2)
    else:
        r, g = int(211 - (211 - 46) * (t - 0.5) * 2), int(160 - (160 - 125) * (t - 0.5) * 2)
    return QColor(r, g, 50, 190)


class TrendChart(QWidget):
    """Scores of the chosen rows over the months; one line each, a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # noqa: PLC0415 - heavy: only when the trend is first shown

        pg.setConfigOptions(antialias=True, background="w", foreground="#333")
        self._pg = pg
        before = set(QApplication.topLevelWidgets())
        self.plot = pg.PlotWidget()
        # pyqtgraph's context menus and control panels are parentless windows (owned by
        # its Python objects): they are deleted once the chart is gone.
        orphans = [
            w
            for w in QApplication.topLevelWidgets()
            if w not in before and w is not self and w.parent() is None
        ]
        self.destroyed.connect(partial(_delete_later, orphans))
        self.plot.setObjectName("trendPlot")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("left", tr(QT_TRANSLATE_NOOP("LeadDesk", "综合得分")))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.legend = self.plot.addLegend(offset=(10, -10))  # bottom left
        self.caption = QLabel()
        self.caption.setObjectName("trendCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        self.names: list[str] = []

    def show_trend(self, trend: Trend, names: Sequence[str]) -> None:
        """Draw ``names`` (the rows asked for, else those with the most tickets)."""
        pg = self._pg
        self.plot.clear()
        self.legend.clear()
        chosen = [n for n in names if n in trend.series][:TREND_LINES]
        if not chosen:  # the rows with the most tickets over the months: the steadiest lines
            busiest = sorted(trend.series, key=lambda n: (-trend.tickets.get(n, 0), n))
            chosen = busiest[:TREND_LINES]
        self.names = chosen
        axis = self.plot.getAxis("bottom")
        axis.setTicks([list(enumerate(trend.months))])
        for i, name in enumerate(chosen):
            values = trend.series[name]
            xs = [x for x, v in enumerate(values) if v is not None]
            ys = [v for v in values if v is not None]
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            self.plot.plot(
                xs,
                ys,
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=6,
                symbolBrush=colour,
                name=name,
            )
        lows = [v for n in chosen for v in trend.series[n] if v is not None]
        self.plot.setYRange(max(0.0, min(lows, default=60.0) - 5.0), 101)
        self.plot.setXRange(-0.3, max(len(trend.months) - 0.7, 0.7))
        self.caption.setText(
            tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk", "{0} 至 {1}，每月综合得分（30% 响应率 + 35% 解决率 + 35% 满意率）"
                )
            ).format(
                trend.months[0] if trend.months else "", trend.months[-1] if trend.months else ""
            )
        )

    def series_count(self) -> int:
        return len(self.names)


class Choropleth:
    """Township scores as shaded discs at the townships' points on the map pane.

    Township polygons are not in the product's data (only the districts' boundaries and an
    approximate point per township), so each township is a disc at its point, filled by its
    score; its tooltip gives the figures."""

    def __init__(self, pane: MapPane, townships: Iterable[Township]) -> None:
        self.pane = pane
        self.by_unit: dict[str, Township] = {}
        for t in townships:
            if t.lat is not None and t.lon is not None and t.jurisdiction_unit:
                self.by_unit.setdefault(t.jurisdiction_unit, t)
        self.group = QGraphicsItemGroup()
        self.group.setZValue(8)
        scene = pane.view.scene()
        scene.addItem(self.group)
        self.drawn = 0

    def show_scores(self, scores: Mapping[str, tuple[float | None, str]]) -> int:
        """Draw one disc per township row found (name → (score, tooltip)); returns how many."""
        for item in self.group.childItems():
            self.group.removeFromGroup(item)
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)
        drawn = 0
        for name, (score, tip) in scores.items():
            t = self.by_unit.get(name)
            if t is None or t.lat is None or t.lon is None:
                continue
            disc = QGraphicsEllipseItem(-9, -9, 18, 18)
            disc.setBrush(QBrush(score_colour(score)))
            disc.setPen(QPen(QColor("white"), 1))
            disc.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            disc.setPos(to_scene(t.lat, t.lon))
            disc.setToolTip(f"{t.name}（{name}）\n{tip}")
            disc.setData(0, name)
            self.group.addToGroup(disc)
            drawn += 1
        self.drawn = drawn
        self.group.setVisible(True)
        return drawn

    def set_visible(self, on: bool) -> None:
        self.group.setVisible(on)

    def items(self) -> list[Any]:
        return list(self.group.childItems())


def legend_html() -> str:
    stops = [(60, "≤60"), (80, "80"), (100, "100")]
    cells = "".join(
        f'<span style="background:{score_colour(s).name()};color:white">&nbsp;{t}&nbsp;</span> '
        for s, t in stops
    )
    return tr(QT_TRANSLATE_NOOP("LeadDesk", "街乡镇综合得分：")) + cells
