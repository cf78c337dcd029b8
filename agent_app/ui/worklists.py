"""The worklists after dispatch, in the window: the lead's objections and extension requests
(异议与延期) and the callbacks (回访).

Each list has a presenter (a plain QObject owning its state, reading and acting through the
task runner and :class:`~agent_app.ui.worklists_actions.FollowupActions`) and a view (a
sortable, filterable table over plain rows, and the form of the selected row).  The lists
refresh whenever tickets change at the seat (a ruling, a callback, the demo units
simulator, a sync that pulled the units' actions); when a refresh finds work that was not
there before, the presenter says so: the window counts it on the tab and puts a notice in
the status bar (never a modal).

:func:`attach_worklists` adds the tabs the lifecycle lets the window's role work (a shift
lead: both) and connects them; the composition root calls it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.deadlines import traffic_light
from agent_app.services.worklists import (
    EXTENSION,
    OBJECTION,
    CallbackItem,
    LeadRequest,
    UnitChoices,
)
from agent_app.ui.models.rows import SORT_ROLE, ModelIndex, PlainRows, PlainRowsFilter
from agent_app.ui.models.ticket_table import AMBER, GREEN, RED
from agent_app.ui.worklists_actions import (
    FollowupActions,
    due_text,
    one_line,
    reveal_failed_text,
)
from agent_app.ui.worklists_forms import (
    CallbackForm,
    DisputeForm,
    ExtensionForm,
    objection_name,
    result_name,
)
from agent_app.workers.tasks import Latest

if TYPE_CHECKING:
    from agent_app.ui.compose import Workbench

log = logging.getLogger("agent_app.ui")

REFRESH_DELAY_MS = 150
"""Changes close together (a simulator step, a burst of pulled tickets) refresh once."""
FIRST_LOAD_MS = 2_000
LEAD_TAB = QT_TRANSLATE_NOOP("Worklists", "异议与延期")
CALLBACK_TAB = QT_TRANSLATE_NOOP("Worklists", "回访")
_LIGHTS = {"red": RED, "amber": AMBER, "green": GREEN}


def tr(text: object) -> str:
    return QCoreApplication.translate("Worklists", str(text))


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("inf")


def _short(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.astimezone(timeutil.SHANGHAI):%m-%d %H:%M}"


# Tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: object  # QT_TRANSLATE_NOOP("Worklists", …)
    text: Callable[[Any], str]
    key: Callable[[Any], Any]
    due: Callable[[Any], datetime | None] | None = None  # coloured by the deadline's light


class RowsModel(PlainRows):
    """Plain rows under the given columns; :data:`SORT_ROLE` gives each cell's sort key."""

    def header_text(self, column: Column) -> str:
        return tr(column.title)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = cell
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.due is not None:
            due = column.due(row)
            if due is not None:
                return QBrush(_LIGHTS[traffic_light(due, timeutil.now())])
        return None


RowsFilter = PlainRowsFilter


def _kind_name(r: LeadRequest) -> str:
    return (
        QCoreApplication.translate("Worklists", "派单异议")
        if r.kind == OBJECTION
        else QCoreApplication.translate("Worklists", "申请延期")
    )


def _lead_reason(r: LeadRequest) -> str:
    if r.kind == OBJECTION:
        if r.reason_code:
            return f"{objection_name(r.reason_code)}：{r.reason or '—'}"
        return r.reason or "—"
    if not r.days:
        return r.reason or "—"
    return QCoreApplication.translate("Worklists", "{0} 个工作日：{1}").format(
        r.days, r.reason or "—"
    )


LEAD_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Worklists", "类型"), _kind_name, lambda r: r.kind),
    Column(QT_TRANSLATE_NOOP("Worklists", "工单号"), lambda r: r.number, lambda r: r.number),
    Column(QT_TRANSLATE_NOOP("Worklists", "承办单位"), lambda r: r.unit, lambda r: r.unit),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "申请时间"),
        lambda r: _short(r.asked_at),
        lambda r: _stamp(r.asked_at),
    ),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "办理时限"),
        lambda r: _short(r.due_at),
        lambda r: _stamp(r.due_at),
        due=lambda r: r.due_at,
    ),
    Column(QT_TRANSLATE_NOOP("Worklists", "单位理由"), _lead_reason, _lead_reason),
)


def _why_name(r: CallbackItem) -> str:
    return (
        QCoreApplication.translate("Worklists", "已反馈")
        if r.why == "replied"
        else QCoreApplication.translate("Worklists", "超时未反馈")
    )


CALLBACK_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Worklists", "原因"), _why_name, lambda r: int(r.why != "replied")),
    Column(QT_TRANSLATE_NOOP("Worklists", "工单号"), lambda r: r.number, lambda r: r.number),
    Column(QT_TRANSLATE_NOOP("Worklists", "承办单位"), lambda r: r.unit, lambda r: r.unit),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "反馈时间"),
        lambda r: _short(r.replied_at),
        lambda r: _stamp(r.replied_at),
    ),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "办理时限"),
        lambda r: _short(r.due_at),
        lambda r: _stamp(r.due_at),
        due=lambda r: r.due_at if r.why != "replied" else None,
    ),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "重办"),
        lambda r: str(r.rehandled) if r.rehandled else "",
        lambda r: r.rehandled,
    ),
    Column(
        QT_TRANSLATE_NOOP("Worklists", "单位反馈"),
        lambda r: r.reply_text or "—",
        lambda r: r.reply_text,
    ),
)


# Presenters ---------------------------------------------------------------------------------


class _ListPresenter(QObject):
    """What both worklists share: the rows, read in a worker and refreshed on changes
    (coalesced), the selected row, and the count and arrival notices.

    Signals:
    changed(object): the state was replaced.
    count_changed(int): how many rows the list holds now.
    arrived(int): a refresh found this many rows that were not there before (not on the
        first load): new work for someone.
    """

    changed = Signal(object)
    count_changed = Signal(int)
    arrived = Signal(int)

    def __init__(self, actions: FollowupActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.state: Any = None
        self._latest = Latest(actions.runner, self, delay_ms=REFRESH_DELAY_MS)
        self._known: set[str] | None = None
        actions.acted.connect(self._acted)
        actions.failed.connect(self._failed)

    def _read(self) -> list[Any]:
        raise NotImplementedError

    def _set(self, state: Any) -> None:
        self.state = state
        self.changed.emit(state)

    @Slot()
    def refresh(self, *, now: bool = False) -> None:
        """Read the list again (after a short pause that gathers a burst of changes)."""
        self._latest.request(self._read, self._loaded, self._load_failed, now=now)

    def cancel(self) -> None:
        """Forget a refresh waiting or running (the window is closing)."""
        self._latest.cancel()

    def flush(self) -> None:
        """Run a refresh still waiting for its pause now (tests, a tab being shown)."""
        self._latest.flush()

    @property
    def loading(self) -> bool:
        return self._latest.busy

    def _loaded(self, rows: list[Any]) -> None:
        ids = {r.ticket_id for r in rows}
        new = len(ids - self._known) if self._known is not None else 0
        self._known = ids
        left = self.state.selected not in ids  # e.g. the ticket just ruled on or called back
        selected = "" if left else self.state.selected
        outcome = self.state.message if left and not self.state.error else ""
        self._set(replace(self.state, rows=tuple(rows), loaded=True, selected=selected))
        self.count_changed.emit(len(rows))
        if new:
            self.arrived.emit(new)
        if not selected and rows:
            self.select(rows[0].ticket_id)
            if outcome and not self.state.message:
                # what was done to the ticket that left stays in sight (as it does when the
                # list is left empty), not wiped by the next row coming into the form
                self._set(replace(self.state, message=outcome))

    def _load_failed(self, error: BaseException) -> None:
        self._set(replace(self.state, loaded=True, message=one_line(error), error=True))

    def row(self, ticket_id: str) -> Any:
        return next((r for r in self.state.rows if r.ticket_id == ticket_id), None)

    @property
    def selected_row(self) -> Any:
        return self.row(self.state.selected) if self.state.selected else None

    def select(self, ticket_id: str) -> None:
        raise NotImplementedError

    def _mine(self, ticket_id: str) -> bool:
        """The outcome is of the action this list started (whatever is selected by now: a
        refresh or the user may have moved the selection while it was being saved)."""
        return bool(self.state.busy) and ticket_id == self.state.acting

    def _reset_on_select(self) -> dict[str, Any]:
        """What selecting another row clears: the previous row's message, unless an action
        is being saved (its outcome is shown when it comes, and one action runs at a time)."""
        if self.state.acting:
            return {}
        return {"busy": False, "message": "", "error": False}

    def _acted(self, ticket_id: str, text: str) -> None:
        if self._mine(ticket_id):
            self._set(replace(self.state, busy=False, acting="", message=text, error=False))
        self.refresh()

    def _failed(self, ticket_id: str, text: str) -> None:
        if self._mine(ticket_id):
            self._set(replace(self.state, busy=False, acting="", message=text, error=True))


@dataclass(frozen=True)
class LeadDeskState:
    rows: tuple[LeadRequest, ...] = ()
    loaded: bool = False
    selected: str = ""  # ticket id
    choices: UnitChoices | None = None  # for the selected objection (None: being read)
    preview: datetime | None = None  # for the selected extension request
    preview_loading: bool = False
    busy: bool = False
    acting: str = ""  # the ticket (id) whose ruling is being saved
    message: str = ""
    error: bool = False


class LeadDeskPresenter(_ListPresenter):
    """The lead's worklist: objections (派单异议) and extension requests (申请延期)."""

    def __init__(self, actions: FollowupActions, parent: QObject | None = None) -> None:
        super().__init__(actions, parent)
        self.state: LeadDeskState = LeadDeskState()

    def _read(self) -> list[LeadRequest]:
        from agent_app.services.worklists import lead_requests  # noqa: PLC0415 - worker, ORM

        return lead_requests(self.actions.workstation.db)

    def select(self, ticket_id: str) -> None:
        row = self.row(ticket_id)
        if row is None:
            return
        if ticket_id == self.state.selected and (
            self.state.choices is not None or self.state.preview_loading or self.state.preview
        ):
            return
        self._set(
            replace(
                self.state,
                selected=ticket_id,
                choices=None,
                preview=None,
                preview_loading=row.kind == EXTENSION,
                **self._reset_on_select(),
            )  # fmt: skip
        )
        if row.kind == OBJECTION:
            self.actions.choices(ticket_id, lambda c: self._choices(ticket_id, c), owner=self)
        else:
            self.actions.extension_preview(
                ticket_id, lambda p: self._preview(ticket_id, p), owner=self
            )

    def _choices(self, ticket_id: str, choices: UnitChoices) -> None:
        if ticket_id == self.state.selected:
            self._set(replace(self.state, choices=choices))

    def _preview(self, ticket_id: str, preview: datetime | None) -> None:
        if ticket_id == self.state.selected:
            self._set(replace(self.state, preview=preview, preview_loading=False))

    def _start(self, kind: str) -> LeadRequest | None:
        row = self.selected_row
        if row is None or row.kind != kind or self.state.busy:
            return None
        self._set(
            replace(
                self.state,
                busy=True,
                acting=row.ticket_id,
                message=QCoreApplication.translate("Worklists", "正在保存…"),
                error=False,
            )
        )
        return row

    def _refuse(self, text: str) -> None:
        self._set(replace(self.state, message=text, error=True))

    def uphold(self, to_unit: str) -> None:
        """The objection stands: re-dispatch (改派) to ``to_unit``."""
        row = self.selected_row
        if row is not None and (not to_unit.strip() or to_unit.strip() == row.unit):
            self._refuse(QCoreApplication.translate("Worklists", "请选择另一个承办单位再改派"))
            return
        row = self._start(OBJECTION)
        if row is not None:
            self.actions.rule_dispute(row.ticket_id, row.number, uphold=True, to_unit=to_unit)

    def reject(self, reason: str) -> None:
        """The objection fails: the unit keeps the ticket (首接负责)."""
        if not reason.strip():
            self._refuse(QCoreApplication.translate("Worklists", "请填写异议不成立的理由"))
            return
        row = self._start(OBJECTION)
        if row is not None:
            self.actions.rule_dispute(row.ticket_id, row.number, uphold=False, reason=reason)

    def approve(self) -> None:
        row = self._start(EXTENSION)
        if row is not None:
            self.actions.rule_extension(row.ticket_id, row.number, approve=True)

    def deny(self, reason: str) -> None:
        if not reason.strip():
            self._refuse(QCoreApplication.translate("Worklists", "请填写不批准延期的理由"))
            return
        row = self._start(EXTENSION)
        if row is not None:
            self.actions.rule_extension(row.ticket_id, row.number, approve=False, reason=reason)


@dataclass(frozen=True)
class CallbackState:
    rows: tuple[CallbackItem, ...] = ()
    loaded: bool = False
    selected: str = ""
    number: str = ""  # the selected caller's number, revealed for this call only
    revealing: bool = False
    busy: bool = False
    acting: str = ""  # the ticket (id) whose callback is being saved
    message: str = ""
    error: bool = False


class CallbackPresenter(_ListPresenter):
    """The callback worklist (回访): tickets whose unit replied, or whose limit passed."""

    def __init__(self, actions: FollowupActions, parent: QObject | None = None) -> None:
        super().__init__(actions, parent)
        self.state: CallbackState = CallbackState()

    def _read(self) -> list[CallbackItem]:
        from agent_app.services.worklists import callbacks  # noqa: PLC0415 - worker, ORM

        return callbacks(self.actions.workstation.db)

    def select(self, ticket_id: str) -> None:
        if self.row(ticket_id) is None or ticket_id == self.state.selected:
            return
        # Another ticket: the number revealed for the previous call is gone.
        self._set(
            replace(
                self.state,
                selected=ticket_id,
                number="",
                revealing=False,
                **self._reset_on_select(),
            )  # fmt: skip
        )

    def reveal(self) -> None:
        """Show the selected caller's number for the call: audited first, then shown."""
        row = self.selected_row
        if row is None or not row.has_phone or self.state.revealing or self.state.number:
            return
        self._set(replace(self.state, revealing=True))
        ticket_id = row.ticket_id
        self.actions.reveal_number(
            ticket_id,
            lambda number: self._revealed(ticket_id, number),
            lambda error: self._reveal_failed(ticket_id, error),
            owner=self,
        )

    def _revealed(self, ticket_id: str, number: str) -> None:
        if ticket_id == self.state.selected:
            self._set(replace(self.state, number=number, revealing=False))

    def _reveal_failed(self, ticket_id: str, error: BaseException) -> None:
        if ticket_id == self.state.selected:
            text = reveal_failed_text(error)
            self._set(replace(self.state, revealing=False, message=text, error=True))

    def hide_number(self) -> None:
        if self.state.number:
            self._set(replace(self.state, number=""))

    def record(self, resolved: bool, satisfaction: str, words: str) -> None:
        """The citizen's answer: resolved and satisfied → 办结; otherwise → 二次办理."""
        row = self.selected_row
        if row is None or self.state.busy:
            return
        if row.why != "replied":
            self._set(
                replace(
                    self.state,
                    message=QCoreApplication.translate(
                        "Worklists", "承办单位尚未反馈，不能记录回访结果"
                    ),
                    error=True,
                )
            )
            return
        self._set(
            replace(
                self.state,
                busy=True,
                acting=row.ticket_id,
                number="",
                message=QCoreApplication.translate("Worklists", "正在保存…"),
                error=False,
            )
        )
        self.actions.record_callback(
            row.ticket_id, row.number, resolved=resolved, satisfaction=satisfaction, words=words
        )


# Views --------------------------------------------------------------------------------------


def _table(model: QSortFilterProxyModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # Long unit names are cut (the tooltip has them whole): the reason column stays in sight.
    header.setMaximumSectionSize(
        max(view.fontMetrics().horizontalAdvance("20261206-S01-0811") + 40, 120)
    )
    return view


class _ListView(QWidget):
    """Filter line, table, and below it the selected row's details and form.

    Signals: open_requested(str): the ticket (id) is to be shown in the detail window;
    shown(): the list came into sight (its tab was chosen);
    selected(str): the operator chose this ticket (id) in the list (a desk showing the
        selected ticket beside the list follows it)."""

    open_requested = Signal(str)
    shown = Signal()
    selected = Signal(str)

    def __init__(
        self, presenter: _ListPresenter, columns: Sequence[Column], name: str, sort_column: int
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self.presenter = presenter
        self.model = RowsModel(columns, self)
        self.proxy = RowsFilter(self.model, self)
        self.filter = QLineEdit()
        self.filter.setObjectName("worklistFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(
            QCoreApplication.translate("Worklists", "筛选：工单号、单位、理由…")
        )
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(lambda _t: self._show_count())
        self.count = QLabel()
        self.count.setObjectName("worklistCount")
        self.table = _table(self.proxy)
        self.table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.title = QLabel()
        self.title.setObjectName("worklistItem")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(QCoreApplication.translate("Worklists", "工单详情"))
        self.open_button.setObjectName("worklistOpen")
        self.open_button.clicked.connect(self._open)
        self.message = QLabel()
        self.message.setObjectName("worklistMessage")
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        head = QHBoxLayout()
        head.addWidget(self.filter, 1)
        head.addWidget(self.count)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(head)
        top_layout.addWidget(self.table, 1)
        self.box = QGroupBox()
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        box_layout = QVBoxLayout(self.box)
        box_layout.addLayout(title_row)
        box_layout.addWidget(self.stack)
        box_layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._rows: tuple[Any, ...] | None = None
        presenter.changed.connect(self.show_state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.shown.emit()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            ticket_id = self.proxy.row_at(current.row()).ticket_id
            self.presenter.select(ticket_id)
            self.selected.emit(ticket_id)

    def _open(self) -> None:
        if self.presenter.state.selected:
            self.open_requested.emit(self.presenter.state.selected)

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            QCoreApplication.translate("Worklists", "共 {0} 项").format(total)
            if shown == total
            else QCoreApplication.translate("Worklists", "显示 {0} 项，共 {1} 项").format(
                shown, total
            )
        )

    def _render_rows(self, rows: tuple[Any, ...], selected: str) -> None:
        if rows is not self._rows:
            self._rows = rows
            self.model.set_rows(rows)
            self._show_count()
        for r in range(self.proxy.rowCount()):
            if self.proxy.row_at(r).ticket_id == selected:
                index = self.proxy.index(r, 0)
                if self.table.currentIndex().row() != r:
                    self.table.selectionModel().setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                break

    def _render_message(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED.name()};" if error else "")
        self.message.setVisible(bool(text))

    def show_state(self, state: Any) -> None:
        raise NotImplementedError


class LeadDeskView(_ListView):
    """The lead's 异议与延期 tab."""

    def __init__(self, presenter: LeadDeskPresenter) -> None:
        super().__init__(presenter, LEAD_COLUMNS, "leadDesk", sort_column=3)  # oldest first
        self.lead = presenter
        self.dispute = DisputeForm()
        self.extension = ExtensionForm()
        self.empty = QLabel(self.tr("没有待裁定的异议或延期申请"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.empty, self.dispute, self.extension):
            self.stack.addWidget(widget)
        self.dispute.uphold_requested.connect(presenter.uphold)
        self.dispute.reject_requested.connect(presenter.reject)
        self.extension.approve_requested.connect(presenter.approve)
        self.extension.deny_requested.connect(presenter.deny)
        self._form_for = ("", False)
        self.show_state(presenter.state)

    @Slot(object)
    def show_state(self, state: LeadDeskState) -> None:
        self._render_rows(state.rows, state.selected)
        row = self.lead.selected_row
        self.open_button.setEnabled(row is not None)
        if row is None:
            self.title.setText(self.tr("正在读取…") if not state.loaded else self.tr("请选择一项"))
            self.box.setTitle(self.tr("裁定"))
            self.stack.setCurrentWidget(self.empty)
            self._render_message(state.message, state.error)
            return
        self.box.setTitle(_kind_name(row))
        self.title.setText(
            self.tr("工单 {0} · {1}\n{2} · {3}\n单位理由：{4}").format(
                row.number, row.unit, row.category or "—", row.address or "—", _lead_reason(row)
            )
        )
        form_key = (row.ticket_id, state.choices is not None or state.preview is not None)
        if row.kind == OBJECTION:
            self.stack.setCurrentWidget(self.dispute)
            if form_key != self._form_for:
                self.dispute.set_choices(state.choices, row.unit)
            self.dispute.set_busy(state.busy)
        else:
            self.stack.setCurrentWidget(self.extension)
            if form_key != self._form_for or state.preview_loading:
                self.extension.set_request(
                    row.days, row.due_at, state.preview, loading=state.preview_loading
                )
            self.extension.set_busy(state.busy)
        self._form_for = form_key
        self._render_message(state.message, state.error)


class CallbackView(_ListView):
    """The 回访 tab."""

    def __init__(self, presenter: CallbackPresenter) -> None:
        super().__init__(
            presenter, CALLBACK_COLUMNS, "callbackList", sort_column=0
        )  # replies first
        self.callbacks = presenter
        self.form = CallbackForm()
        self.empty = QLabel(self.tr("没有待回访的工单"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.form)
        self.form.reveal_requested.connect(presenter.reveal)
        self.form.record_requested.connect(presenter.record)
        self._filled_for = ""
        self.show_state(presenter.state)

    @Slot(object)
    def show_state(self, state: CallbackState) -> None:
        self._render_rows(state.rows, state.selected)
        row = self.callbacks.selected_row
        self.open_button.setEnabled(row is not None)
        self.box.setTitle(self.tr("回访"))
        if row is None:
            self.title.setText(
                self.tr("正在读取…") if not state.loaded else self.tr("请选择一张工单")
            )
            self.stack.setCurrentWidget(self.empty)
            self._render_message(state.message, state.error)
            return
        result = f"（{result_name(row.reply_result)}）" if row.reply_result else ""
        again = self.tr("，第 {0} 次重办").format(row.rehandled) if row.rehandled else ""
        self.title.setText(
            self.tr("工单 {0} · {1}{2}\n{3} · 时限 {4}").format(
                row.number, row.unit, again, row.category or "—", due_text(row.due_at)
            )
        )
        self.stack.setCurrentWidget(self.form)
        fresh = row.ticket_id != self._filled_for
        self._filled_for = row.ticket_id
        self.form.set_ticket(
            reply=f"{row.reply_text}{result}" if row.reply_text else "",
            caller=row.caller + (self.tr("（保密）") if row.confidential else ""),
            number=state.number,
            revealing=state.revealing,
            can_reveal=row.has_phone,
            replied=row.why == "replied",
            fresh=fresh,
        )
        self.form.set_busy(state.busy)
        self._render_message(state.message, state.error)


# In the window ------------------------------------------------------------------------------


@dataclass
class Worklists:
    """The worklist tabs built for a window (either may be absent for the role), and the
    status bar's notice of work that arrived since each tab was last looked at."""

    actions: FollowupActions
    lead: LeadDeskPresenter | None = None
    lead_view: LeadDeskView | None = None
    callbacks: CallbackPresenter | None = None
    callback_view: CallbackView | None = None
    notice: QLabel | None = None
    new_work: dict[str, int] = field(default_factory=dict)
    """Arrivals not looked at yet, per tab ("lead", "callbacks")."""
    stopped: bool = False

    @property
    def presenters(self) -> list[_ListPresenter]:
        return [p for p in (self.lead, self.callbacks) if p is not None]

    def refresh(self, *, now: bool = False) -> None:
        if self.stopped:
            return
        for presenter in self.presenters:
            presenter.refresh(now=now)

    def stop(self) -> None:
        """No more reads: the window is closing and its database with it."""
        self.stopped = True
        for presenter in self.presenters:
            presenter.cancel()

    def arrived(self, key: str, count: int) -> None:
        self.new_work[key] = self.new_work.get(key, 0) + count
        self._show_notice()

    def seen(self, key: str) -> None:
        if self.new_work.pop(key, 0):
            self._show_notice()

    def _show_notice(self) -> None:
        if self.notice is None:
            return
        parts = []
        for key, title in (("lead", LEAD_TAB), ("callbacks", CALLBACK_TAB)):
            n = self.new_work.get(key, 0)
            if n:
                parts.append(f'<a href="{key}">{tr(title)} {n}</a>')
        self.notice.setText(
            QCoreApplication.translate("Worklists", "新到：{0}").format(" · ".join(parts))
            if parts
            else ""
        )
        self.notice.setVisible(bool(parts))


def tab_text(title: object, count: int) -> str:
    return f"{tr(title)}（{count}）" if count else tr(title)


def enclosing_tabs(widget: QWidget) -> QTabWidget | None:
    """The tab widget ``widget`` is a page of (the window's side tabs, or wherever the lead's
    desk put it)."""
    stack = widget.parentWidget()
    tabs = stack.parentWidget() if stack is not None else None
    return tabs if isinstance(tabs, QTabWidget) and tabs.indexOf(widget) >= 0 else None


def bring_into_view(widget: QWidget) -> None:
    """Make ``widget`` the current page of each tab widget and stack it sits in."""
    child: QWidget | None = widget
    while child is not None:
        parent = child.parentWidget()
        tabs = enclosing_tabs(child)
        if tabs is not None:
            tabs.setCurrentWidget(child)
            child = tabs
            continue
        if isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(child)
        child = parent


def attach_worklists(bench: Workbench) -> Worklists:
    """Add the worklist tabs the window's role may work, and keep them current."""
    window = bench.window
    actions = window.followup
    lists = Worklists(actions)
    side = window.side
    views: dict[str, _ListView] = {}

    def add(key: str, view: _ListView, presenter: _ListPresenter, title: object) -> None:
        side.addTab(view, tr(title))
        views[key] = view
        view.open_requested.connect(window.open_ticket)

        def count(n: int) -> None:  # on its tab, wherever the view was moved to
            tabs = enclosing_tabs(view)
            if tabs is not None:
                tabs.setTabText(tabs.indexOf(view), tab_text(title, n))

        def arrived(n: int) -> None:
            if not view.isVisible():  # in sight, the list itself shows it
                lists.arrived(key, n)

        presenter.count_changed.connect(count)
        presenter.arrived.connect(arrived)
        view.shown.connect(lambda: lists.seen(key))

    if actions.rules:
        lists.lead = LeadDeskPresenter(actions, window)
        lists.lead_view = LeadDeskView(lists.lead)
        add("lead", lists.lead_view, lists.lead, LEAD_TAB)
    if actions.calls_back:
        lists.callbacks = CallbackPresenter(actions, window)
        lists.callback_view = CallbackView(lists.callbacks)
        add("callbacks", lists.callback_view, lists.callbacks, CALLBACK_TAB)
    if not lists.presenters:
        return lists
    # The notice: a link per list with new work, in the status bar (never a modal).
    notice = QLabel()
    notice.setObjectName("worklistNotice")
    notice.setStyleSheet(f"color: {AMBER.name()}; font-weight: bold;")
    notice.setToolTip(
        QCoreApplication.translate("Worklists", "新到的派单异议、延期申请和待回访工单；点击查看")
    )
    notice.hide()
    notice.linkActivated.connect(lambda key: bring_into_view(views[key]))
    window.statusBar().insertPermanentWidget(0, notice)
    lists.notice = notice

    actions.acted.connect(lambda _id, text: window.show_info(text))

    def changed(kind: str) -> None:
        if kind == "tickets":
            lists.refresh()

    bench.runner.changes.connect(changed)
    bench.wiring.signals.pulled.connect(lambda _n: lists.refresh())
    first = {"done": False}

    def first_load(*_args: object) -> None:
        if not first["done"]:
            first["done"] = True
            lists.refresh(now=True)

    window.tickets_loaded.connect(first_load)
    QTimer.singleShot(FIRST_LOAD_MS, window, first_load)
    return lists
