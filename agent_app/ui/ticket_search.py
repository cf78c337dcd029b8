"""The "工单查询" side tab: find any of the seat's tickets and open one.

A search form (number, caller's number, text, address, status, unit, category, period) over
the results table (:class:`~agent_app.ui.models.ticket_table.TicketTableModel`: every column
sorts, the filter line narrows the rows loaded, callers masked).  The search runs in a worker
(:meth:`Workstation.search_tickets`, newest request wins); a page is
:data:`~agent_app.services.ticket_search.DEFAULT_LIMIT` tickets and the count says so
("显示前 200 条，共 3,905 条"), with 加载更多 for the next page: nothing is cut off silently.
Double-click (or Enter) on a row opens the ticket.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.summary import TicketSummary
from agent_app.services.ticket_search import SearchQuery, SearchResult
from agent_app.services.workstation import Workstation
from agent_app.ui import domain_names
from agent_app.ui.models.ticket_table import TicketFilterProxy, TicketTableModel
from agent_app.ui.widgets import named
from agent_app.workers.tasks import Latest, TaskRunner

COLUMN_MAX = 170  # px: a column's content width is capped here (the tooltip has it all)
MIN_COLUMN = 44  # px
SHRINK_ORDER = (4, 6, 2, 7, 1, 0)  # category, unit, status … the number last
# 类型, 属地 and 来电人 are not shown: the side pane has room for six columns (the detail
# has them all; the caller is masked there too).
HIDDEN = (3, 5, 8)
TIME_COLUMN = TicketTableModel.COLUMNS.index("时间")

# The period choices: (label, days back from today; None: any day).
PERIODS: tuple[tuple[object, int | None], ...] = (
    (QT_TRANSLATE_NOOP("TicketSearchTab", "不限日期"), None),
    (QT_TRANSLATE_NOOP("TicketSearchTab", "今天"), 0),
    (QT_TRANSLATE_NOOP("TicketSearchTab", "近7天"), 6),
    (QT_TRANSLATE_NOOP("TicketSearchTab", "近30天"), 29),
    (QT_TRANSLATE_NOOP("TicketSearchTab", "近90天"), 89),
)


class TicketSearchTab(QWidget):
    """Signals:
    activated(object): a result was double-clicked; its :class:`TicketSummary`.
    searched(object): a search's page arrived; its :class:`SearchResult`.
    """

    activated = Signal(object)
    searched = Signal(object)

    def __init__(
        self, runner: TaskRunner, workstation: Workstation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ticketSearch")
        self._workstation = workstation
        self._latest = Latest(runner, self)
        self._result: SearchResult | None = None
        self._rows: list[TicketSummary] = []
        self._wanted: list[int] = []  # each column's content width (capped)

        def line(name: str, hint: str) -> QLineEdit:
            edit = named(QLineEdit(), name)
            edit.setPlaceholderText(hint)
            edit.setClearButtonEnabled(True)
            edit.returnPressed.connect(self.search)
            return edit

        self.number = line("searchNumber", self.tr("工单号（可输入一部分）"))
        self.phone = line("searchPhone", self.tr("来电号码（完整号码）"))
        self.text = line("searchText", self.tr("诉求内容关键词"))
        self.address = line("searchAddress", self.tr("地址、区、街道"))
        self.unit = line("searchUnit", self.tr("承办单位"))
        self.category = line("searchCategory", self.tr("分类"))
        self.status = named(QComboBox(), "searchStatus")
        self.status.addItem(self.tr("全部状态"), "")
        for status in Status:
            self.status.addItem(domain_names.status(status), status.value)
        self.period = named(QComboBox(), "searchPeriod")
        for label, days in PERIODS:
            self.period.addItem(QCoreApplication.translate("TicketSearchTab", str(label)), days)
        self.search_button = QPushButton(self.tr("查询"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.clear_button = QPushButton(self.tr("清空"))
        self.clear_button.clicked.connect(self.clear)

        form = QGridLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(4)
        for i, widget in enumerate(
            (self.number, self.phone, self.text, self.address, self.unit, self.category)
        ):
            form.addWidget(widget, i // 3, i % 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.period, 1)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.clear_button)
        form.addLayout(buttons, 2, 0, 1, 3)

        self.model = TicketTableModel(self)
        self.proxy = TicketFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_line = named(QLineEdit(), "searchFilter")
        self.filter_line.setPlaceholderText(self.tr("在结果中筛选…"))
        self.filter_line.setClearButtonEnabled(True)
        self.filter_line.textChanged.connect(self._filter)
        self.count_label = named(QLabel(self.tr("输入条件后按回车查询")), "searchCount")
        self.more_button = QPushButton(self.tr("加载更多"))
        self.more_button.hide()
        self.more_button.clicked.connect(self.load_more)
        self.problem = named(QLabel(), "fieldProblem", wrap=True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()

        view = self.view = QTableView()
        view.setModel(self.proxy)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setSortingEnabled(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(MIN_COLUMN)
        header.setSortIndicatorShown(True)
        view.sortByColumn(TIME_COLUMN, Qt.SortOrder.DescendingOrder)  # the rows' own order
        for column in HIDDEN:
            view.setColumnHidden(column, True)
        view.doubleClicked.connect(self._double_clicked)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        view.activated.connect(self._double_clicked)

        bottom = QHBoxLayout()
        bottom.addWidget(self.filter_line, 1)
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        layout.addWidget(view, 1)

    # Intents ------------------------------------------------------------------------------

    def query(self) -> SearchQuery:
        """The form as a query (the first page)."""
        status = str(self.status.currentData() or "")
        days = self.period.currentData()
        since = until = None
        if days is not None:
            today = timeutil.now().date()
            since, until = today - timedelta(days=int(days)), today
        return SearchQuery(
            number=self.number.text(),
            phone=self.phone.text(),
            text=self.text.text(),
            address=self.address.text(),
            statuses=(status,) if status else (),
            unit=self.unit.text(),
            category=self.category.text(),
            since=since,
            until=until,
        )

    @Slot()
    def search(self) -> None:
        """Search with the form (a newer search replaces one still running)."""
        self._request(self.query())

    @Slot()
    def load_more(self) -> None:
        """The next page of the last search, added below the rows shown."""
        if self._result is not None and self._result.more:
            self._request(self._result.query.next_page())

    @Slot()
    def clear(self) -> None:
        for edit in (self.number, self.phone, self.text, self.address, self.unit, self.category):
            edit.clear()
        self.status.setCurrentIndex(0)
        self.period.setCurrentIndex(0)
        self.filter_line.clear()
        self._latest.cancel()
        self._result = None
        self._rows = []
        self.model.set_rows([], timeutil.now())
        self.problem.hide()
        self.more_button.hide()
        self.count_label.setText(self.tr("输入条件后按回车查询"))

    def result(self) -> SearchResult | None:
        return self._result

    def shown_rows(self) -> list[TicketSummary]:
        return [self.proxy.row_at(r) for r in range(self.proxy.rowCount())]

    # Internals ----------------------------------------------------------------------------

    def _request(self, query: SearchQuery) -> None:
        ws = self._workstation
        self.count_label.setText(self.tr("正在查询…"))
        self._latest.request(lambda: ws.search_tickets(query), self._show, self._failed)

    def _show(self, result: SearchResult) -> None:
        self.problem.hide()
        if result.query.offset == 0:
            self._rows = list(result.rows)
        else:
            self._rows.extend(result.rows)
        self._result = result
        self.model.set_rows(self._rows, timeutil.now())
        self._wanted = []
        self.fit_columns()
        self._update_count()
        self.searched.emit(result)

    def fit_columns(self) -> None:
        """Columns sized to their content (at most COLUMN_MAX), then narrowed (SHRINK_ORDER,
        down to MIN_COLUMN) until every column is in sight; long text elides."""
        view = self.view
        if not self._wanted:
            view.resizeColumnsToContents()
            self._wanted = [
                min(view.columnWidth(c), COLUMN_MAX) for c in range(self.model.columnCount())
            ]
        header = view.horizontalHeader()
        widths = list(self._wanted)
        excess = sum(w for c, w in enumerate(widths) if c not in HIDDEN)
        excess -= view.viewport().width()
        for column in SHRINK_ORDER:
            if excess <= 0:
                break
            least = max(MIN_COLUMN, header.sectionSizeFromContents(column).width())
            give = min(excess, max(widths[column] - least, 0))
            widths[column] -= give
            excess -= give
        for column, width in enumerate(widths):
            if column not in HIDDEN:
                view.setColumnWidth(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._viewport and event.type() == QEvent.Type.Resize and self._wanted:
            self.fit_columns()
        return False

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(str(error))
        self.problem.show()
        self._update_count()

    def _update_count(self) -> None:
        result = self._result
        if result is None:
            self.count_label.setText(self.tr("输入条件后按回车查询"))
            self.more_button.hide()
            return
        loaded, total = len(self._rows), result.total
        if result.more:
            text = self.tr("显示前 {0} 条，共 {1} 条").format(loaded, total)
        else:
            text = self.tr("共 {0} 条").format(total)
        shown = self.proxy.rowCount()
        if self.proxy.filter_terms():
            text += self.tr("（筛选后 {0} 条）").format(shown)
        self.count_label.setText(text)
        self.more_button.setVisible(result.more)

    def _filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(self.proxy.row_at(index.row()))
