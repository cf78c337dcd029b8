"""Table model of ticket summaries ("my tickets today", caller history, review queue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from agent_app.domain.deadlines import traffic_light
from agent_app.domain.lifecycle import TERMINAL, Status
from agent_app.domain.phones import display_number
from agent_app.domain.privacy import mask_name, mask_phone
from agent_app.domain.summary import TicketSummary
from agent_app.ui import domain_names

_TERMINAL = {s.value for s in TERMINAL}
ModelIndex = QModelIndex | QPersistentModelIndex

GREEN, AMBER, RED = QColor("#2e7d32"), QColor("#b26a00"), QColor("#c62828")


_LIGHTS = {"red": RED, "amber": AMBER, "green": GREEN}


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
        self._now = datetime.now().astimezone()
        self._time_format = time_format  # "%H:%M" for a table of today's tickets
        self.unmasked = False

    def set_rows(self, rows: list[TicketSummary], now: datetime | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if now is not None:
            self._now = now
        self.endResetModel()

    def row_at(self, row: int) -> TicketSummary:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
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
        if role == Qt.ItemDataRole.ToolTipRole and col in (4, 6):
            return t.description
        if role == Qt.ItemDataRole.UserRole:
            return t.id
        return None

    def _display(self, t: TicketSummary, col: int) -> str:
        if col == 0:
            return t.number
        if col == 1:
            return t.created_at.strftime(self._time_format)
        if col == 2:
            return domain_names.status(t.status)
        if col == 3:
            return domain_names.request_type(t.request_type) if t.request_type else ""
        if col == 4:
            return t.category_name.rsplit("/", 1)[-1]
        if col == 5:
            return f"{t.district}{t.township}"
        if col == 6:
            return t.main_unit
        if col == 7:
            return t.due_at.strftime("%m-%d %H:%M") if t.due_at else ""
        phone = display_number(t.caller_phone)
        if self.unmasked and not t.confidential:
            return f"{t.caller_name} {phone}".strip()
        return f"{mask_name(t.caller_name)} {mask_phone(phone)}".strip()
