"""Table model of ticket summaries ("my tickets today", caller history, review queue), and
the filter proxy of "today's tickets".

Sorting: :data:`SORT_ROLE` gives each cell a key that sorts the column in its natural order
(times as times, ticket numbers by their numeric parts, statuses in lifecycle order).  The
model sorts its own rows by those keys in one Python pass (:meth:`TicketTableModel.sort`);
:class:`TicketFilterProxy` hands its sort to the model, because a proxy sort that asks the
Python model for two keys per comparison takes seconds on the GUI thread at 30,000 rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from agent_app.domain.deadlines import traffic_light
from agent_app.domain.lifecycle import TERMINAL, Status
from agent_app.domain.phones import display_number
from agent_app.domain.privacy import mask_name, mask_phone
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import RequestType
from agent_app.ui import domain_names

_TERMINAL = {s.value for s in TERMINAL}
ModelIndex = QModelIndex | QPersistentModelIndex

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""A cell's sort key: a float for times, an int for statuses and types, a string otherwise."""

_STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}
_TYPE_ORDER = {t.value: i for i, t in enumerate(RequestType)}
_DIGITS = re.compile(r"\d+")
_LAST = len(_STATUS_ORDER) + len(_TYPE_ORDER)  # unknown codes and empty cells sort last


def natural_key(text: str) -> str:
    """``20261205-S01-6554`` → a string in which every digit run is zero-padded, so numbers
    compare as numbers (``…-6554`` before ``…-10752``) also where Qt compares the strings."""
    return _DIGITS.sub(lambda m: m.group(0).zfill(12), text)


GREEN, AMBER, RED = QColor("#2e7d32"), QColor("#b26a00"), QColor("#c62828")


_LIGHTS = {"red": RED, "amber": AMBER, "green": GREEN}


def caller_shown(t: TicketSummary, unmasked: bool = False) -> str:
    """The caller as the table shows them: name and number masked unless ``unmasked`` (and
    never for a confidential caller)."""
    phone = display_number(t.caller_phone)
    if unmasked and not t.confidential:
        return f"{t.caller_name} {phone}".strip()
    if "*" in phone:  # masked already (a row from the centre): masking again would hide more
        return f"{mask_name(t.caller_name)} {phone}".strip()
    return f"{mask_name(t.caller_name)} {mask_phone(phone)}".strip()


def filter_texts(rows: Sequence[TicketSummary], *, unmasked: bool = False) -> list[str]:
    """What the filter line searches in each row, case-folded: ticket number, status, type,
    category path, place, unit, the text of the request and the caller as shown.  Touches no
    Qt object (translations are thread-safe), so the window builds them in its worker."""
    names: dict[tuple[int, str], str] = {}

    def name(kind: int, code: str) -> str:
        shown = names.get((kind, code))
        if shown is None:
            shown = domain_names.status(code) if kind == 2 else domain_names.request_type(code)
            names[kind, code] = shown
        return shown

    return [
        "\n".join(
            (
                t.number,
                name(2, t.status),
                name(3, t.request_type) if t.request_type else "",
                t.category_name,
                t.district,
                t.township,
                t.main_unit,
                t.description,
                caller_shown(t, unmasked),
            )
        ).casefold()
        for t in rows
    ]


def due_colour(
    due: datetime | None, status: str, now: datetime, start: datetime | None = None
) -> QColor | None:
    """The time limit's traffic light (:func:`~agent_app.domain.deadlines.traffic_light`): red
    when overdue, amber in the last quarter of the limit that began at ``start`` (the last 24 h
    when unknown), green otherwise; none when the ticket is done."""
    if due is None or status in _TERMINAL or status == Status.CLOSED.value:
        return None
    return _LIGHTS[traffic_light(due, now, start)]


class TicketTableModel(QAbstractTableModel):
    """Rows are :class:`TicketSummary`; personal data is masked unless ``unmasked``."""

    # Chinese column names identify the columns (COLUMNS.index("承办单位")); headers show them
    # translated (context "TicketTable").
    COLUMNS = (
        QT_TRANSLATE_NOOP("TicketTable", "工单号"),
        QT_TRANSLATE_NOOP("TicketTable", "时间"),
        QT_TRANSLATE_NOOP("TicketTable", "状态"),
        QT_TRANSLATE_NOOP("TicketTable", "类型"),
        QT_TRANSLATE_NOOP("TicketTable", "分类"),
        QT_TRANSLATE_NOOP("TicketTable", "属地"),
        QT_TRANSLATE_NOOP("TicketTable", "承办单位"),
        QT_TRANSLATE_NOOP("TicketTable", "时限"),
        QT_TRANSLATE_NOOP("TicketTable", "来电人"),
    )

    def __init__(self, parent: QObject | None = None, *, time_format: str = "%m-%d %H:%M") -> None:
        super().__init__(parent)
        self._rows: list[TicketSummary] = []
        self._loaded: list[TicketSummary] = []  # the rows in the order they were given
        self._order: list[int] = []  # row -> its index in _loaded
        self._haystacks: list[str] | None = None  # filter texts of _loaded, made on first use
        self._keys: dict[int, list[str | float | int]] = {}  # column -> sort keys of _loaded
        self._names: dict[tuple[int, str], str] = {}  # (column, code) -> status/type shown
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._now = datetime.now().astimezone()
        self._time_format = time_format  # "%H:%M" for a table of today's tickets
        self.unmasked = False

    def set_rows(
        self,
        rows: list[TicketSummary],
        now: datetime | None = None,
        texts: list[str] | None = None,
    ) -> None:
        """Replace the rows; the current sort (:meth:`sort`) is kept.  ``texts``: the rows'
        :func:`filter_texts`, made off the GUI thread (else made here on first filter)."""
        self.beginResetModel()
        self._loaded = list(rows)
        self._haystacks = list(texts) if texts is not None and len(texts) == len(rows) else None
        self._keys = {}
        self._names = {}
        if now is not None:
            self._now = now
        self._order = self._sorted_order()
        self._rows = [self._loaded[i] for i in self._order]
        self.endResetModel()

    # Sorting --------------------------------------------------------------------------------

    def sort_key(self, t: TicketSummary, col: int) -> str | float | int:
        """The key :data:`SORT_ROLE` returns: the column's natural order.  The caller column
        sorts by the text shown, so a masked table does not reveal the hidden names' order."""
        if col == 0:
            return natural_key(t.number)
        if col == 1:
            return t.created_at.timestamp()
        if col == 2:
            return _STATUS_ORDER.get(t.status, _LAST)
        if col == 3:
            return _TYPE_ORDER.get(t.request_type or "", _LAST)
        if col == 7:
            return t.due_at.timestamp() if t.due_at is not None else math.inf
        return self._display(t, col)

    def _sorted_order(self) -> list[int]:
        """Indexes into the given rows in the current sort order (stable, like Qt's sort)."""
        col, loaded = self._sort_column, self._loaded
        if not (0 <= col < len(self.COLUMNS)):
            return list(range(len(loaded)))
        keys = self._keys.get(col)
        if keys is None:
            keys = self._keys[col] = [self.sort_key(t, col) for t in loaded]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(range(len(loaded)), key=keys.__getitem__, reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by :meth:`sort_key` (column -1: the order the rows were given in)."""
        if (column, order) == (self._sort_column, self._sort_order):
            return  # set_rows and the last sort left the rows in this order
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_row = [0] * len(self._order)  # index in _loaded -> row before the sort
        for row, i in enumerate(self._order):
            old_row[i] = row
        self._order = self._sorted_order()
        self._rows = [self._loaded[i] for i in self._order]
        new_row = [0] * len(self._order)  # row before the sort -> row after it
        for row, i in enumerate(self._order):
            new_row[old_row[i]] = row
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[i.row()], i.column()) for i in persistent]
        )
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    # Filtering ------------------------------------------------------------------------------

    def filter_text(self, row: int) -> str:
        """The row's :func:`filter_texts` entry."""
        if self._haystacks is None:
            self._haystacks = filter_texts(self._loaded, unmasked=self.unmasked)
        return self._haystacks[self._order[row]]

    def has_filter_texts(self) -> bool:
        return self._haystacks is not None

    def row_at(self, row: int) -> TicketSummary:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The tooltip repeats the title: a narrow pane elides it (今日工单 at 1366 px, English).
        shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if role in shown and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.COLUMNS):
                return QCoreApplication.translate("TicketTable", str(self.COLUMNS[section]))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        t = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(t, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == 7:
            colour = due_colour(t.due_at, t.status, self._now, t.created_at)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(t, col)
        if role == Qt.ItemDataRole.UserRole:
            return t.id
        if role == SORT_ROLE:
            return self.sort_key(t, col)
        return None

    def _tooltip(self, t: TicketSummary, col: int) -> str:
        """The cell's full value (a narrow column elides it), then the text of the request."""
        if col == 4:
            full = t.category_name
        elif col == 7 and t.due_at is not None:
            full = t.due_at.strftime("%Y-%m-%d %H:%M")
        elif col == 1:
            full = t.created_at.strftime("%Y-%m-%d %H:%M:%S")
        else:
            full = self._display(t, col)
        return "\n".join(part for part in (full, t.description) if part)

    def _display(self, t: TicketSummary, col: int) -> str:
        if col == 0:
            return t.number
        if col == 1:
            return t.created_at.strftime(self._time_format)
        if col == 2:
            return self._name(2, t.status)
        if col == 3:
            return self._name(3, t.request_type) if t.request_type else ""
        if col == 4:
            return t.category_name.rsplit("/", 1)[-1]
        if col == 5:
            return f"{t.district}{t.township}"
        if col == 6:
            return t.main_unit
        if col == 7:
            return t.due_at.strftime("%m-%d %H:%M") if t.due_at else ""
        return caller_shown(t, self.unmasked)

    def _name(self, col: int, code: str) -> str:
        """A status's or request type's name, translated once per code."""
        name = self._names.get((col, code))
        if name is None:
            name = domain_names.status(code) if col == 2 else domain_names.request_type(code)
            self._names[col, code] = name
        return name


class TicketFilterProxy(QSortFilterProxyModel):
    """The rows of a :class:`TicketTableModel` that contain every word of the filter line
    (ticket number, text, unit, status, …: :meth:`TicketTableModel.filter_text`), sorted by
    :data:`SORT_ROLE`: the proxy hands sorting to the model, which sorts in one pass."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        """Keep the rows containing every whitespace-separated word (case-insensitive)."""
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        self.beginFilterChange()
        self._terms = terms
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filter_terms(self) -> tuple[str, ...]:
        return self._terms

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        if not self._terms:
            return True
        source = self.sourceModel()
        if not isinstance(source, TicketTableModel):
            return super().filterAcceptsRow(source_row, source_parent)
        haystack = source.filter_text(source_row)
        return all(term in haystack for term in self._terms)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, TicketTableModel):
            source.sort(column, order)  # the proxy follows the model's layoutChanged
        else:
            super().sort(column, order)

    def row_at(self, row: int) -> TicketSummary:
        """The ticket shown in this proxy row."""
        source = self.sourceModel()
        assert isinstance(source, TicketTableModel)
        return source.row_at(self.mapToSource(self.index(row, 0)).row())
