"""Table models of the lead's desk: plain rows under columns (text, sort key, colour)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from agent_app.ui.models.rows import SORT_ROLE, ModelIndex, PlainRows, PlainRowsFilter

KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # what a double-click on the cell asks for


@dataclass(frozen=True)
class Col:
    title: str  # translated
    text: Callable[[Any], str]
    key: Callable[[Any], Any]
    colour: Callable[[Any], str | None] | None = None
    measure: str = ""  # the figure's measure: a double-click lists its tickets


class Rows(PlainRows):
    def update_rows(self, rows: Sequence[Any]) -> None:
        """The same rows, changed in place (no reset: the view keeps its selection)."""
        self._rows = tuple(rows)
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, col = cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.text(row)
        if role == SORT_ROLE:
            key = col.key(row)
            return -1e18 if key is None else key
        if role == KEY_ROLE:
            return col.measure
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            colour = col.colour(row)
            return QBrush(QColor(colour)) if colour else None
        return None


RowsProxy = PlainRowsFilter


def table(model: QSortFilterProxyModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the source's order until a click
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def fraction(value: float | None, num: float, den: int) -> str:
    """A rate with the counts it comes from: ``92.3% (120/130)``."""
    n = f"{num:g}" if isinstance(num, float) else str(num)
    return f"{percent(value)} ({n}/{den})"
