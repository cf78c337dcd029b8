"""Plain rows under a tuple of columns: the base of the worklists' and the lead desk's tables.

A subclass gives :meth:`PlainRows.data` (what each column shows, its sort key under
:data:`SORT_ROLE`, its colour) and, where column titles are translated at display time,
:meth:`PlainRows.header_text`.  :class:`PlainRowsFilter` sorts by :data:`SORT_ROLE` and
matches the filter text against every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class PlainRows(QAbstractTableModel):
    """Rows (any plain objects) under ``columns`` (objects with a ``title``)."""

    def __init__(self, columns: Sequence[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def cell(self, index: ModelIndex) -> tuple[Any, Any] | None:
        """(row, column) at ``index``; None outside the rows."""
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()], self.columns[index.column()]

    def header_text(self, column: Any) -> str:
        return str(column.title)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.header_text(self.columns[section])
        return None


class PlainRowsFilter(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; the filter text matches any column, case-insensitively."""

    def __init__(self, source: PlainRows, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def row_at(self, row: int) -> Any:
        source = self.sourceModel()
        assert isinstance(source, PlainRows)
        return source.row_at(self.mapToSource(self.index(row, 0)).row())
