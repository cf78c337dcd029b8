"""未送达: the changes the centre refused (or the seat could not send), and the way out.

Opened from the sync status ("未送达 N" in the status bar); loaded on first use
(:func:`agent_app.deferred.load`), so the window's start-up does not pay for it.

:class:`UndeliveredPresenter` (a QObject without widgets) reads the list through the task
runner (``Workstation.undelivered_items``: each ticket's number, kind, when it was refused,
the reason, the seat's ticket to open, whether a new number cures it) and acts on one row at a
time on the single writer: 重新发送 (``Workstation.resend``) and 重新编号
(``Workstation.renumber``), the step ``agent-app sync --resend`` / ``--renumber`` takes for
each ticket (``services.undelivered.send_again``), and 更正 for a ticket refused for its
content that the centre never accepted (the correction view, :mod:`agent_app.ui.undelivered_fix`).  After an action the row keeps its result:
queued again, renumbered, still invalid here (what to fix, from ``InvalidTicketError``), and
after the next sync delivered or refused again with the centre's new reason.  The mutation
reports a change of tickets, so the window syncs at once; the status bar's count follows
that sync.  :class:`UndeliveredModel` is a sortable table over plain :class:`UndeliveredRow`
data; :class:`UndeliveredDialog` shows it with a row's actions in its last column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.deferred import load as load_deferred
from agent_app.domain import timeutil
from agent_app.errors import KnownError
from agent_app.ui.models.rows import SORT_ROLE, ModelIndex, PlainRows, PlainRowsFilter
from agent_app.ui.models.ticket_table import GREEN, RED
from agent_app.ui.undelivered_reasons import kind_name, reason_text, tr
from agent_app.workers.tasks import Change, Task, TaskRunner

if TYPE_CHECKING:
    from agent_app.services.undelivered import Delivery, UndeliveredItem
    from agent_app.services.workstation import Workstation
    from agent_app.ui.undelivered_fix import CorrectionDialog

# What became of a row the operator acted on.
QUEUED = "queued"  # sent again: waits for the next sync
RENUMBERED = "renumbered"  # a new number, sent again
CORRECTED = "corrected"  # corrected in the correction view, sent again
DELIVERED = "delivered"  # the next sync delivered it
REFUSED_AGAIN = "refused_again"  # the centre refused it again (the row's reason is the new one)
INVALID = "invalid"  # not sent: the ticket still breaks a rule here (detail: the code)
FAILED = "failed"  # not sent: why (detail: the message)

RENUMBER_TIP = QT_TRANSLATE_NOOP(
    "Undelivered", "只有因编号冲突或席位号不符被拒收、且中心从未收到过的工单才能重新编号"
)
NO_TICKET_TIP = QT_TRANSLATE_NOOP("Undelivered", "本席位没有这张工单（在其他席位受理）")
CORRECT_TIP = QT_TRANSLATE_NOOP("Undelivered", "打开工单的可更正内容，标出被拒收的地方")
ACCEPTED_TIP = QT_TRANSLATE_NOOP(
    "Undelivered", "中心已受理过这张工单，不能在这里更正它的内容：请联系班长在中心处理"
)
NOT_CONTENT_TIP = QT_TRANSLATE_NOOP(
    "Undelivered", "拒收原因与工单内容无关，无需更正：请按原因重新发送或重新编号"
)


@dataclass(frozen=True)
class UndeliveredRow:
    """One row of the list: a ticket's undelivered change and what the operator did."""

    key: str  # what the outbox files it under (services.undelivered.UndeliveredItem.key)
    number: str
    kind: str
    since: datetime | None
    reason: str
    changes: int
    ticket_id: str  # the seat's ticket to open ("" when it holds none)
    renumberable: bool
    at_centre: bool = False  # the centre accepted the ticket before: not corrected here
    content: bool = False  # the reason is about the ticket's content (a payload rule)
    undelivered: bool = True  # still undelivered (False: sent again, waiting or delivered)
    outcome: str = ""
    detail: str = ""
    busy: bool = False

    @classmethod
    def of(cls, item: UndeliveredItem) -> UndeliveredRow:
        return cls(
            key=item.key,
            number=item.number,
            kind=item.kind,
            since=item.since,
            reason=item.reason,
            changes=item.changes,
            ticket_id=item.ticket_id,
            renumberable=item.renumberable,
            at_centre=item.at_centre,
            content=item.about_content,
        )

    @property
    def can_open(self) -> bool:
        return bool(self.ticket_id)

    @property
    def can_resend(self) -> bool:
        return self.undelivered and not self.busy

    @property
    def can_renumber(self) -> bool:
        return self.undelivered and self.renumberable and not self.busy

    @property
    def correction_reason(self) -> str:
        """The content problem to correct: what the seat found when it was last sent again
        (``INVALID``), else the centre's reason."""
        return self.detail if self.outcome == INVALID else self.reason

    @property
    def about_content(self) -> bool:
        """Refused for the ticket's content; a failed resend's code always is (a payload rule)."""
        if self.kind != "ticket":
            return False
        return bool(self.detail) if self.outcome == INVALID else self.content

    @property
    def can_correct(self) -> bool:
        """更正: a ticket of this seat refused for its content, never accepted by the centre."""
        return (
            self.undelivered
            and not self.busy
            and bool(self.ticket_id)
            and self.about_content
            and not self.at_centre
        )


@dataclass(frozen=True)
class UndeliveredState:
    rows: tuple[UndeliveredRow, ...] = ()
    loading: bool = False
    loaded: bool = False
    error: str = ""

    @property
    def waiting(self) -> int:
        """Rows still undelivered."""
        return sum(r.undelivered for r in self.rows)


def since_text(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.astimezone(timeutil.SHANGHAI):%m-%d %H:%M}"


def result_text(row: UndeliveredRow) -> str:
    """What became of the row's last action (the 结果 column)."""
    if row.busy:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "正在处理…"))
    if row.outcome == QUEUED:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "已重新排队，等待同步"))
    if row.outcome == CORRECTED:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "已更正，待发送"))
    if row.outcome == RENUMBERED:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "已重新编号为 {number}，等待同步")).format(
            number=row.detail
        )
    if row.outcome == DELIVERED:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "已送达中心"))
    if row.outcome == REFUSED_AGAIN:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "仍被中心拒收：{reason}")).format(
            reason=reason_text(row.reason)
        )
    if row.outcome == INVALID:
        return tr(
            QT_TRANSLATE_NOOP("Undelivered", "未发送：{reason}。请点“更正”改正后保存")
        ).format(reason=reason_text(row.detail))
    if row.outcome == FAILED:
        return tr(QT_TRANSLATE_NOOP("Undelivered", "未发送：{error}")).format(error=row.detail)
    return ""


def result_is_bad(row: UndeliveredRow) -> bool:
    return row.outcome in (REFUSED_AGAIN, INVALID, FAILED)


# Presenter -----------------------------------------------------------------------------------


class UndeliveredPresenter(QObject):
    """The list's state; reads and acts through the task runner, never on the GUI thread.

    Signals:
        changed(object): the :class:`UndeliveredState` was replaced.
        open_requested(str): show this ticket (the seat's id) in the ticket detail window.
        correct_requested(str): open the correction view for the row filed under this key.
    """

    changed = Signal(object)
    open_requested = Signal(str)
    correct_requested = Signal(str)

    def __init__(
        self, runner: TaskRunner, workstation: Workstation, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.workstation = workstation
        self.state = UndeliveredState()
        self.active = False  # read again after each sync only while shown
        self._outcomes: dict[str, tuple[str, str]] = {}  # key → (outcome, detail)
        self._last: dict[str, UndeliveredRow] = {}  # acted rows as last seen
        self._busy: set[str] = set()
        self._generation = 0  # bumped by each finished action: older reads are stale
        self._reading: Task | None = None
        self._again = False

    def _set(self, state: UndeliveredState) -> None:
        self.state = state
        self.changed.emit(state)

    def row(self, key: str) -> UndeliveredRow | None:
        return next((r for r in self.state.rows if r.key == key), None)

    # Reading --------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Read the list again (and where the rows acted on stand now)."""
        if self._reading is not None and not self._reading.finished:
            self._again = True
            return
        self._again = False
        self._set(replace(self.state, loading=True))
        ws, acted, generation = self.workstation, tuple(self._outcomes), self._generation
        self._reading = self.runner.run_query(
            lambda: ws.undelivered_items(acted),
            lambda result: self._loaded(generation, result),
            self._load_failed,
            owner=self,
        )

    def sync_state(self, state: dict[str, Any]) -> None:
        """A state of the sync worker: after each cycle the list is read again (while shown)."""
        if self.active and not state.get("syncing"):
            self.reload()

    def _loaded(
        self, generation: int, result: tuple[Sequence[UndeliveredItem], dict[str, Delivery]]
    ) -> None:
        self._reading = None
        if generation != self._generation or self._again:
            self.reload()  # an action finished meanwhile: this read may predate it
            return
        items, deliveries = result
        rows: list[UndeliveredRow] = []
        for item in items:
            row = UndeliveredRow.of(item)
            outcome = self._outcomes.get(item.key)
            if outcome is not None and outcome[0] in (QUEUED, RENUMBERED, CORRECTED, DELIVERED):
                outcome = self._outcomes[item.key] = (REFUSED_AGAIN, item.reason)
            if outcome is not None:
                row = replace(row, outcome=outcome[0], detail=outcome[1])
            row = replace(row, busy=item.key in self._busy)
            if outcome is not None:
                self._last[item.key] = row
            rows.append(row)
        listed = {r.key for r in rows}
        for key, (done, detail) in list(self._outcomes.items()):
            last, delivery = self._last.get(key), deliveries.get(key)
            if key in listed or last is None or delivery is None:
                continue
            if delivery.state == "delivered":
                done, detail = self._outcomes[key] = (DELIVERED, "")
            row = replace(
                last,
                number=delivery.number,
                undelivered=False,
                outcome=done,
                detail=detail,
                busy=False,
            )
            self._last[key] = row
            rows.append(row)
        self._set(UndeliveredState(rows=tuple(rows), loaded=True))

    def _load_failed(self, error: BaseException) -> None:
        self._reading = None
        if not isinstance(error, KnownError):
            self.runner.route_error(error)
        text = str(error) if isinstance(error, KnownError) else type(error).__name__
        self._set(replace(self.state, loading=False, error=text))

    # Acting ----------------------------------------------------------------------------------

    def open(self, key: str) -> None:
        """打开工单: the row's ticket in the detail window."""
        row = self.row(key)
        if row is not None and row.can_open:
            self.open_requested.emit(row.ticket_id)

    def correct(self, key: str) -> None:
        """更正: the correction view for the row (a content refusal of a new ticket)."""
        row = self.row(key)
        if row is not None and row.can_correct:
            self.correct_requested.emit(key)

    @Slot(str)
    def mark_corrected(self, key: str) -> None:
        """The correction view saved the row's ticket and queued it again."""
        self._generation += 1
        self._outcomes[key] = (CORRECTED, "")
        row = self.row(key)
        if row is not None:
            row = replace(row, undelivered=False, outcome=CORRECTED, detail="", busy=False)
            self._last[key] = row
            self._patch(key, row=row)
        self.reload()

    def resend(self, key: str) -> None:
        """重新发送: the ticket's current state, queued again."""
        self._act(key, renumber=False)

    def renumber(self, key: str) -> None:
        """重新编号: a new number of this seat, then queued again."""
        self._act(key, renumber=True)

    def _act(self, key: str, *, renumber: bool) -> None:
        row = self.row(key)
        if row is None or not (row.can_renumber if renumber else row.can_resend):
            return
        self._busy.add(key)
        self._patch(key, busy=True)
        ws = self.workstation

        def act() -> str:
            if renumber:
                return ws.renumber(key)
            ws.resend(key)
            return ""

        self.runner.run_mutation(
            act,
            lambda number: self._acted(key, renumber, str(number or "")),
            lambda error: self._act_failed(key, error),
            change=Change.TICKETS,  # the window syncs at once, and reads its lists again
            owner=self,
        )

    def _acted(self, key: str, renumber: bool, number: str) -> None:
        self._busy.discard(key)
        self._generation += 1
        outcome = (RENUMBERED, number) if renumber else (QUEUED, "")
        self._outcomes[key] = outcome
        row = self.row(key)
        if row is not None:
            row = replace(
                row,
                number=number or row.number,
                undelivered=False,
                outcome=outcome[0],
                detail=outcome[1],
                busy=False,
            )
            self._last[key] = row
            self._patch(key, row=row)
        self.reload()

    def _act_failed(self, key: str, error: BaseException) -> None:
        self._busy.discard(key)
        self._generation += 1
        if isinstance(error, KnownError):
            code = getattr(error, "code", "")  # InvalidTicketError: the rule still broken
            outcome = (INVALID, str(code)) if code else (FAILED, str(error))
        else:
            self.runner.route_error(error)  # a bug: the crash handler
            outcome = (FAILED, type(error).__name__)
        self._outcomes[key] = outcome
        row = self.row(key)
        if row is not None:
            row = replace(row, outcome=outcome[0], detail=outcome[1], busy=False)
            self._last[key] = row
            self._patch(key, row=row)
        self.reload()

    def _patch(self, key: str, *, row: UndeliveredRow | None = None, busy: bool = False) -> None:
        rows = tuple(
            (row if row is not None else replace(r, busy=busy)) if r.key == key else r
            for r in self.state.rows
        )
        self._set(replace(self.state, rows=rows))


# Table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: object  # QT_TRANSLATE_NOOP("Undelivered", …)
    text: Callable[[UndeliveredRow], str]
    key: Callable[[UndeliveredRow], Any]
    tip: Callable[[UndeliveredRow], str] | None = None


def _reason_tip(row: UndeliveredRow) -> str:
    return f"{reason_text(row.reason)}\n({row.reason})" if row.reason else ""


def _number_tip(row: UndeliveredRow) -> str:
    return tr(QT_TRANSLATE_NOOP("Undelivered", "{number}：{n} 项修改等待发送")).format(
        number=row.number, n=row.changes
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        QT_TRANSLATE_NOOP("Undelivered", "工单编号"),
        lambda r: r.number,
        lambda r: r.number,
        _number_tip,
    ),
    Column(QT_TRANSLATE_NOOP("Undelivered", "类型"), lambda r: kind_name(r.kind), lambda r: r.kind),
    Column(
        QT_TRANSLATE_NOOP("Undelivered", "拒收时间"),
        lambda r: since_text(r.since),
        lambda r: r.since.timestamp() if r.since is not None else 0.0,
    ),
    Column(
        QT_TRANSLATE_NOOP("Undelivered", "原因"),
        lambda r: reason_text(r.reason),
        lambda r: reason_text(r.reason),
        _reason_tip,
    ),
    Column(
        QT_TRANSLATE_NOOP("Undelivered", "处理结果"),
        result_text,
        lambda r: (r.undelivered, r.outcome),
    ),
    Column(QT_TRANSLATE_NOOP("Undelivered", "操作"), lambda _r: "", lambda r: r.undelivered),
)
ACTIONS_COLUMN = len(COLUMNS) - 1
REASON_COLUMN = 3
RESULT_COLUMN = 4


class UndeliveredModel(PlainRows):
    """The rows under :data:`COLUMNS`; :data:`SORT_ROLE` gives each cell's sort key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def header_text(self, column: Column) -> str:
        return tr(column.title)

    def keys(self) -> list[str]:
        return [self.row_at(i).key for i in range(self.rowCount())]

    def update_rows(self, rows: Sequence[UndeliveredRow]) -> bool:
        """The same keys in the same order: the cells change in place (True); else a reset."""
        if [r.key for r in rows] != self.keys():
            self.set_rows(rows)
            return False
        self._rows = tuple(rows)
        if rows:
            last = self.index(len(rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        return True

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        row, column = cell
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip is not None else column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == RESULT_COLUMN and row.outcome:
                return QBrush(RED if result_is_bad(row) else GREEN)
            if index.column() == REASON_COLUMN and row.undelivered:
                return QBrush(RED)
        return None


# Views ---------------------------------------------------------------------------------------


class RowActions(QWidget):
    """打开工单 · 更正 · 重新发送 · 重新编号 for one row (the table's last column)."""

    def __init__(self, presenter: UndeliveredPresenter, key: str) -> None:
        super().__init__()
        self.key = key
        self.open_button = QPushButton(tr(QT_TRANSLATE_NOOP("Undelivered", "打开工单")))
        self.open_button.setObjectName("undeliveredOpen")
        self.correct_button = QPushButton(tr(QT_TRANSLATE_NOOP("Undelivered", "更正")))
        self.correct_button.setObjectName("undeliveredCorrect")
        self.resend_button = QPushButton(tr(QT_TRANSLATE_NOOP("Undelivered", "重新发送")))
        self.resend_button.setObjectName("undeliveredResend")
        self.resend_button.setToolTip(
            tr(QT_TRANSLATE_NOOP("Undelivered", "更正后，以工单当前的内容重新发送给中心"))
        )
        self.renumber_button = QPushButton(tr(QT_TRANSLATE_NOOP("Undelivered", "重新编号")))
        self.renumber_button.setObjectName("undeliveredRenumber")
        self.open_button.clicked.connect(lambda: presenter.open(key))
        self.correct_button.clicked.connect(lambda: presenter.correct(key))
        self.resend_button.clicked.connect(lambda: presenter.resend(key))
        self.renumber_button.clicked.connect(lambda: presenter.renumber(key))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.setSpacing(4)
        buttons = (self.open_button, self.correct_button, self.resend_button, self.renumber_button)
        for button in buttons:
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            layout.addWidget(button)
        layout.addStretch(1)

    def show_row(self, row: UndeliveredRow) -> None:
        self.open_button.setEnabled(row.can_open)
        self.open_button.setToolTip("" if row.can_open else tr(NO_TICKET_TIP))
        self.correct_button.setEnabled(row.can_correct)
        if row.at_centre and row.about_content:
            tip = ACCEPTED_TIP
        elif not row.about_content:
            tip = NOT_CONTENT_TIP
        else:
            tip = CORRECT_TIP
        self.correct_button.setToolTip(tr(tip))
        self.resend_button.setEnabled(row.can_resend)
        self.renumber_button.setEnabled(row.can_renumber)
        self.renumber_button.setToolTip(
            tr(QT_TRANSLATE_NOOP("Undelivered", "给这张工单一个本席位的新编号，再重新发送"))
            if row.can_renumber
            else tr(RENUMBER_TIP)
        )


class UndeliveredDialog(QDialog):
    """The undelivered list over the window (non-modal; Esc or 关闭 closes it)."""

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        parent: QWidget | None = None,
        *,
        open_ticket: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("undeliveredDialog")
        self.setWindowTitle(tr(QT_TRANSLATE_NOOP("Undelivered", "未送达中心的工单")))
        self.setModal(False)
        self.presenter = UndeliveredPresenter(runner, workstation, self)
        if open_ticket is not None:
            self.presenter.open_requested.connect(open_ticket)
        self.runner, self.workstation = runner, workstation
        self.correction: CorrectionDialog | None = None  # built on the first 更正
        self.presenter.correct_requested.connect(self.open_correction)
        self.model = UndeliveredModel(self)
        self.proxy = PlainRowsFilter(self.model, self)
        self.proxy.setDynamicSortFilter(True)
        self.summary = QLabel()
        self.summary.setObjectName("undeliveredSummary")
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("undeliveredTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # oldest refusal first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # reasons and results are sentences: wrapped, each row as tall as its text
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._open_index)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESULT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.empty = QLabel(
            tr(
                QT_TRANSLATE_NOOP(
                    "Undelivered", "没有未送达的工单：所有修改都已送达中心，或正在排队等待同步。"
                )
            )
        )
        self.empty.setObjectName("undeliveredEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.message = QLabel()
        self.message.setObjectName("undeliveredMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(tr(QT_TRANSLATE_NOOP("Undelivered", "关闭")))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._actions: dict[str, RowActions] = {}
        self.presenter.changed.connect(self.show_state)
        self.proxy.layoutChanged.connect(self._place_actions)
        self.show_state(self.presenter.state)

    # ------------------------------------------------------------------ life cycle

    def open_list(self) -> None:
        """Show the dialog (raised when shown already) and read the list again."""
        self.fit_to_parent()
        if self.isVisible():
            if QGuiApplication.platformName() != "offscreen":  # it cannot raise (and warns)
                self.raise_()
                self.activateWindow()
        else:
            self.show()
        self.presenter.reload()

    def fit_to_parent(self) -> None:
        parent = self.parentWidget()
        room = parent.size() if parent is not None else None
        width = min(1500, room.width() - 80) if room is not None else 1180
        height = min(600, room.height() - 120) if room is not None else 560
        self.resize(max(width, 900), max(height, 380))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.presenter.active = True
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.presenter.active = False  # closed (关闭, Esc): no reading after each sync
        super().hideEvent(event)

    # ------------------------------------------------------------------ rendering

    def show_state(self, state: UndeliveredState) -> None:
        if not self.model.update_rows(state.rows):
            self._actions.clear()  # the reset deleted the index widgets
        self._place_actions()
        self.stack.setCurrentWidget(self.empty if state.loaded and not state.rows else self.table)
        self.summary.setText(self._summary(state))
        self.message.setText(state.error)
        self.message.setStyleSheet(f"color: {RED.name()};" if state.error else "")
        self.message.setVisible(bool(state.error))

    def _summary(self, state: UndeliveredState) -> str:
        if not state.loaded:
            return tr(QT_TRANSLATE_NOOP("Undelivered", "正在读取…"))
        if not state.rows:
            return ""
        if not state.waiting:
            return tr(QT_TRANSLATE_NOOP("Undelivered", "已全部处理；同步后会显示是否送达。"))
        return tr(
            QT_TRANSLATE_NOOP(
                "Undelivered",
                "{n} 张工单的修改未送达中心，承办单位收不到。因内容被拒收的点“更正”，改正后保存；"
                "其他的核对后点“重新发送”；编号冲突的点“重新编号”。处理结果在下次同步后更新。",
            )
        ).format(n=state.waiting)

    @Slot()
    def _place_actions(self) -> None:
        """Each row's buttons in the last column (kept across sorting and in-place updates)."""
        for r in range(self.proxy.rowCount()):
            row = self.proxy.row_at(r)
            index = self.proxy.index(r, ACTIONS_COLUMN)
            widget = self._actions.get(row.key)
            if widget is None or self.table.indexWidget(index) is not widget:
                widget = RowActions(self.presenter, row.key)
                self.table.setIndexWidget(index, widget)
                self._actions[row.key] = widget
            widget.show_row(row)
        self.table.resizeColumnToContents(ACTIONS_COLUMN)

    @Slot(str)
    def open_correction(self, key: str) -> CorrectionDialog | None:
        """更正: the correction view (one, reused) for the row filed under ``key``."""
        row = self.presenter.row(key)
        if row is None:
            return None
        if self.correction is None:
            fix = load_deferred("agent_app.ui.undelivered_fix")
            dialog: CorrectionDialog = fix.CorrectionDialog(self.runner, self.workstation, self)
            dialog.presenter.corrected.connect(self.presenter.mark_corrected)
            self.correction = dialog
        self.correction.open_row(key, row.ticket_id, row.number, row.correction_reason)
        return self.correction

    def actions_for(self, key: str) -> RowActions | None:
        """The buttons of the row filed under ``key`` (tests, screenshots)."""
        return self._actions.get(key)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.presenter.open(self.proxy.row_at(index.row()).key)
