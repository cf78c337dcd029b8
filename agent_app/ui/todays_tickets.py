"""The "今日工单" side tab: every ticket of today (the operator's own; the lead's whole seat),
sortable by any column, filtered by a line of words, with columns that fit the side pane.

All of today's rows are loaded (no cap): 30,000 summaries and their filter texts take about
50 MB and are read and prepared in a worker thread (``benchmarks/bench_todays_tickets.py``
prints the figures; docs/PERFORMANCE.md).  Sorting and filtering at that size run on the GUI
thread in slices between events, so that it never stalls (no gap over 50 ms), and the columns
are fitted from a sample of rows: :mod:`agent_app.ui.models.todays_table`.  A step that takes
longer than :data:`BUSY_HINT_MS` says so in place of the row count.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.summary import TicketSummary
from agent_app.ui.models.ticket_table import TicketTableModel, filter_texts
from agent_app.ui.models.todays_table import SYNC_ROWS, TodaysTableModel
from agent_app.ui.widgets import named

# Columns sized to their content, at most this wide (px; longer text elides, the tooltip has
# it all); the others (分类, 属地, 承办单位) share what is left of the pane's width.
FIXED_MAX = {0: 150, 1: 60, 2: 96, 3: 52, 7: 96, 8: 124}
STRETCHED = (4, 5, 6)
STRETCHED_MIN = 56  # px kept for each stretched column before the fixed ones must give way
SHRINK_ORDER = (8, 2, 3, 7, 1, 0)  # a narrow pane narrows the caller first, the number last
MIN_SECTION = 40  # px: no column gets narrower (about three characters)
SIZE_SAMPLE_ROWS = 100  # rows measured for a column's content width (not all 30,000)
ROW_PADDING = 8  # px above and below a line of text
FILTER_DELAY_MS = 150  # typing in the filter line: filter once the operator pauses
BUSY_HINT_MS = 150  # a sort or filter taking longer says so (a small day never flickers)
TIME_COLUMN = TicketTableModel.COLUMNS.index("时间")


def read_day(rows: list[TicketSummary]) -> tuple[list[TicketSummary], list[str]]:
    """In the worker that read the rows: the rows and their filter texts (about 100 ms for
    30,000 rows, which the GUI thread then does not spend)."""
    return rows, filter_texts(rows)


def sample_rows(count: int, size: int) -> list[int]:
    """At most ``size`` of ``count`` rows: the first half of them, then an even spread."""
    if count <= size:
        return list(range(count))
    head = size // 2
    step = (count - head) / (size - head)
    return list(range(head)) + [head + int(k * step) for k in range(size - head)]


def text_columns(text: str) -> int:
    """The text's length with CJK (and other wide) characters counted twice."""
    return len(text) + sum(1 for c in text if c >= "\u1100")


def tab_title(total: int, shown: int | None = None) -> str:
    """``今日工单 (n)``; ``今日工单 (shown/n)`` while a filter hides rows."""
    if shown is None or shown == total:
        return QCoreApplication.translate("MainWindow", "今日工单 ({0})").format(total)
    return QCoreApplication.translate("TodaysTickets", "今日工单 ({0}/{1})").format(shown, total)


class TodaysTickets(QWidget):
    """Signals:
    activated(object): a row was double-clicked; its :class:`TicketSummary`.
    title_changed(str): the tab's title changed (row count, filtered count).
    """

    activated = Signal(object)
    title_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        sync_rows: int = SYNC_ROWS,
        busy_hint_ms: int = BUSY_HINT_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("todaysTickets")
        # One model sorts and filters (no proxy: a QSortFilterProxyModel over 30,000 rows asks
        # Python for every row on each change, and doubles the cost of painting a cell).
        self.model = TodaysTableModel(self, time_format="%H:%M", sync_rows=sync_rows)

        self.filter_line = named(QLineEdit(), "ticketFilter")
        self.filter_line.setPlaceholderText(
            self.tr("筛选：工单号、内容、承办单位、状态…（空格分隔多个词）")
        )
        self.filter_line.setClearButtonEnabled(True)
        self.count_label = named(QLabel(), "ticketCount")
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_line.textChanged.connect(self._filter_timer.start)
        self.filter_line.returnPressed.connect(self.apply_filter)
        self._busy_timer = QTimer(self, singleShot=True, interval=busy_hint_ms)
        self._busy_timer.timeout.connect(self._show_busy)
        self.model.busy_changed.connect(self._busy_changed)

        view = self.view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = view.verticalHeader()  # hidden; one line per ticket: more of the day in sight
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + ROW_PADDING)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        header.setMinimumSectionSize(MIN_SECTION)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "Jurisdi…", not a cut word
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in STRETCHED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicatorShown(True)
        view.setSortingEnabled(True)
        # The rows come newest first: show that order as "时间 ↓".
        view.sortByColumn(TIME_COLUMN, Qt.SortOrder.DescendingOrder)
        view.doubleClicked.connect(self._double_clicked)
        self.model.arranged.connect(self._arranged)
        # A big day's columns are fitted in the turn after its rows are shown: the first paint
        # of 30,000 new rows and the fit in one turn of the event loop came near 50 ms.
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self.fit_columns)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_line, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(view, 1)
        self._title = ""
        self._wanted: dict[int, int] = {}  # fixed column -> its content's width (capped)
        self._fit_pending = False  # rows came while hidden: fit the columns when shown
        # The viewport's resizes matter once the columns were fitted, which waits for the
        # first show; it is watched from then.  Asked for here, before the window's first
        # paint, PySide created the Python types of dozens of unrelated widget classes
        # (QWizard, QFileDialog, ...) to wrap the plain QWidget returned: ~15 ms of start-up.
        self._viewport: QWidget | None = None
        self._update_counts()

    # Data ---------------------------------------------------------------------------------

    def set_rows(
        self, rows: list[TicketSummary], now: datetime, texts: list[str] | None = None
    ) -> None:
        """All of today's rows (kept sorted and filtered as the operator left them, the
        selected tickets kept selected); ``texts``: their :func:`filter_texts`, made in the
        worker that read them.  A big day is shown once sorted and filtered (``arranged``)."""
        self.model.set_rows(rows, now, texts)

    def fit_columns(self) -> None:
        """Size the fixed columns to their content (capped), then fit them to the pane.  While
        the tab is hidden (at start another side tab is shown) this waits until it is shown.

        The content's width is Qt's own size hint (as ``resizeColumnToContents``) of the
        widest text among :data:`SIZE_SAMPLE_ROWS` rows (the first ones and an even spread
        over the day), measured by its font metrics: ``resizeColumnToContents`` over 100 rows
        asks the Python model for about eight roles per cell, 30–40 ms for the six columns."""
        if not self.isVisible():
            self._fit_pending = True
            return
        self._fit_pending = False
        view, model = self.view, self.model
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        grid = 1 if view.showGrid() else 0
        sample = sample_rows(model.rowCount(), SIZE_SAMPLE_ROWS)
        for column, widest in FIXED_MAX.items():
            texts = {model.shown_text(row, column): row for row in sample}
            width = header.sectionSizeHint(column)
            if texts:
                # only the longest texts can be the widest (a CJK character is two columns)
                longest = max(map(text_columns, texts))
                wide = [item for item in texts.items() if text_columns(item[0]) >= longest - 2]
                row = max(wide, key=lambda item: metrics.horizontalAdvance(item[0]))[1]
                hint = view.sizeHintForIndex(model.index(row, column)).width() + grid
                width = max(width, hint)
            self._wanted[column] = min(width, widest)
        self.fit_to_width()

    def fit_to_width(self) -> None:
        """The stretched columns share what the fixed ones leave; when the pane is too narrow
        for the fixed columns' content, they give way (in SHRINK_ORDER, down to MIN_SECTION)
        so that every column stays in sight and long text elides."""
        if not self._wanted:
            return
        widths = dict(self._wanted)
        excess = sum(widths.values()) + STRETCHED_MIN * len(STRETCHED)
        excess -= self.view.viewport().width()
        for column in SHRINK_ORDER:
            if excess <= 0:
                break
            give = min(excess, max(widths[column] - MIN_SECTION, 0))
            widths[column] -= give
            excess -= give
        for column, width in widths.items():
            if self.view.columnWidth(column) != width:
                self.view.setColumnWidth(column, width)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._viewport is None:
            self._viewport = self.view.viewport()
            self._viewport.installEventFilter(self)
        if self._fit_pending:
            self.fit_columns()
            self.view.updateGeometries()  # the scroll bars follow the new widths at once

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self.fit_to_width()
        return False

    def set_filter(self, text: str) -> None:
        """Put ``text`` in the filter line and filter now."""
        self.filter_line.setText(text)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter_text(self.filter_line.text())

    def shown_rows(self) -> list[TicketSummary]:
        """The rows in view order (after filter and sort)."""
        return [self.model.row_at(r) for r in range(self.model.rowCount())]

    def title(self) -> str:
        return self._title

    # Internals ----------------------------------------------------------------------------

    @Slot(bool)
    def _arranged(self, new_rows: bool) -> None:
        if new_rows and self.model.total() > self.model.sync_rows:  # a big day: next turn
            self._fit_timer.start()
        elif new_rows:
            self.fit_columns()
        self._update_counts()

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()  # said only when it lasts: no flicker for a quick step
        else:
            self._busy_timer.stop()
            self._update_counts()

    def _show_busy(self) -> None:
        kind = self.model.job_kind()
        if kind == "sort":
            self.count_label.setText(self.tr("正在排序…"))
        elif kind == "filter":
            self.count_label.setText(self.tr("正在筛选…"))
        elif kind:
            self.count_label.setText(self.tr("正在更新…"))

    def _update_counts(self) -> None:
        total, shown = self.model.total(), self.model.rowCount()
        if self.model.filter_terms():
            self.count_label.setText(self.tr("显示 {0} 条，共 {1} 条").format(shown, total))
        else:
            self.count_label.setText(self.tr("共 {0} 条").format(total))
        title = tab_title(total, shown)
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(self.model.row_at(index.row()))
