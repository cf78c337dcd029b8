"""Caller history drawer: this caller's tickets, open ones first, and repeat counters.

Below the table, what a repeat call can do with the selected ticket instead of making a new
one: 告知进展 (the caller was told its status), 补充 (the caller adds information, from the
description) and 催办 (a chase, the description as its note).  Each asks the call presenter
(``followup_requested``); 补充 and 催办 reach the handling unit, so they are enabled only for a
ticket that is with one.

The rows are the caller's tickets from the whole centre merged with the seat's own (a citizen
calling back reaches any operator); the counters' line says when the centre is still being
asked, and when it could not be (仅本席记录: the seat's own tickets only, which may not be
all of them); its tooltip counts the rows taken at another seat.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.followup import FollowupKind
from agent_app.domain.lifecycle import TERMINAL, Status
from agent_app.domain.summary import TicketSummary
from agent_app.services import caller_history as history_scope
from agent_app.ui.models.ticket_table import TicketTableModel
from agent_app.ui.widgets import named

REPEAT_DAYS = 30
UNIT_COLUMN_MAX = 110  # px
_TERMINAL = {s.value for s in TERMINAL}


def repeat_counts(rows: list[TicketSummary], now: datetime) -> tuple[int, int, int]:
    """(tickets in the last 30 days, open tickets, complaints in the last 30 days)."""
    import hashlib  # noqa: PLC0415 - OpenSSL's module: ~2.5 ms of the start otherwise

    from agent_app.services.suggest.related import TicketRecord, count_repeats  # noqa: PLC0415

    key = hashlib.sha256(b"caller").hexdigest()
    current = TicketRecord("current", "", now, caller_key=key)
    history = [TicketRecord(r.id, "", r.created_at, caller_key=key) for r in rows]
    counts = count_repeats(current, history, days=REPEAT_DAYS)
    since = now - timedelta(days=REPEAT_DAYS)
    complaints = sum(1 for r in rows if r.request_type == "complaint" and r.created_at >= since)
    open_count = sum(1 for r in rows if r.status not in _TERMINAL)
    return counts.caller_tickets, open_count, complaints


class CallerHistory(QGroupBox):
    """Signals:
    selection_changed(str): the ticket number selected (merge target), "" when none.
    activated(object): a row was double-clicked (open the ticket); its :class:`TicketSummary`.
    followup_requested(str, str): (a :class:`FollowupKind` value, the selected number).
    """

    selection_changed = Signal(str)
    activated = Signal(object)
    followup_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("来电历史"))
        self.model = TicketTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setMaximumHeight(104)
        self.view.setToolTip(self.tr("双击打开工单详情"))
        self.summary = named(QLabel(), "fieldHint", wrap=True)
        self.progress_button = QPushButton(self.tr("告知进展"))
        self.progress_button.setToolTip(
            self.tr("已向来电人告知所选工单的办理进展：记录在该工单上，本次来电办结，不新建工单")
        )
        self.supplement_button = QPushButton(self.tr("补充"))
        self.supplement_button.setToolTip(
            self.tr("把诉求描述作为来电人的补充内容追加到所选工单，并送达承办单位")
        )
        self.chase_button = QPushButton(self.tr("催办"))
        self.chase_button.setToolTip(
            self.tr("为所选工单记录一次催办（诉求描述为催办说明），并送达承办单位")
        )
        self.buttons = {
            FollowupKind.PROGRESS: self.progress_button,
            FollowupKind.SUPPLEMENT: self.supplement_button,
            FollowupKind.CHASE: self.chase_button,
        }
        # The actions share the counters' line, so the drawer is no taller than before.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.summary, 1)
        for kind, button in self.buttons.items():
            button.setObjectName(f"followup_{kind.value}")
            button.clicked.connect(lambda _checked=False, k=kind: self._request(k))
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(
            lambda index: self.activated.emit(self.model.row_at(index.row()))
        )
        self.counts = (0, 0, 0)
        self.scope = ""
        self.remote: frozenset[str] = frozenset()
        self._enable_actions()
        self.hide()

    def set_rows(
        self,
        rows: list[TicketSummary],
        now: datetime,
        *,
        scope: str = "",
        remote: frozenset[str] = frozenset(),
    ) -> None:
        """Show ``rows``; ``scope`` says where they come from (see
        :mod:`agent_app.services.caller_history`), ``remote`` which were taken elsewhere."""
        self.model.set_rows(rows, now)
        self.scope, self.remote = scope, remote
        self.view.resizeColumnsToContents()
        unit_column = TicketTableModel.COLUMNS.index("承办单位")
        if self.view.columnWidth(unit_column) > UNIT_COLUMN_MAX:
            self.view.setColumnWidth(unit_column, UNIT_COLUMN_MAX)  # long names elide
        self.counts = repeat_counts(rows, now)
        recent, open_count, complaints = self.counts
        text = self.tr("共 {0} 件，未办结 {1} 件；近{2}天来电 {3} 次，投诉 {4} 次").format(
            len(rows), open_count, REPEAT_DAYS, recent, complaints
        ) + (self.tr("（重复来电）") if recent >= 2 else "")
        tip = ""
        if scope == history_scope.SEAT_ONLY:
            text = self.tr("仅本席记录：{0}").format(text)
            tip = self.tr("中心暂时查询不到：只列出本席受理的工单，其他席位受理的可能未列出。")
        elif scope == history_scope.CHECKING:
            text += self.tr("（正在查询中心…）")
        elif scope == history_scope.CENTRE and remote:
            tip = self.tr("含其他席位受理的 {0} 件（来自中心）").format(len(remote))
        self.summary.setText(text)
        self.summary.setToolTip(tip)
        self.view.setVisible(bool(rows))
        self.setTitle(self.tr("来电历史 ({0})").format(len(rows)))
        self.setVisible(bool(rows) or scope == history_scope.SEAT_ONLY)
        self._enable_actions()

    def clear(self) -> None:
        self.model.set_rows([])
        self.counts = (0, 0, 0)
        self.scope, self.remote = "", frozenset()
        self._enable_actions()
        self.hide()

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    def selected(self) -> TicketSummary | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row())

    def _selected(self) -> None:
        chosen = self.selected()
        self._enable_actions()
        self.selection_changed.emit(chosen.number if chosen else "")

    def _enable_actions(self) -> None:
        chosen = self.selected()
        merged = chosen is not None and chosen.status == Status.MERGED_DUPLICATE.value
        with_unit = (
            chosen is not None
            and not merged
            and chosen.status not in _TERMINAL
            and bool(chosen.main_unit)
        )
        self.progress_button.setEnabled(chosen is not None and not merged)
        self.supplement_button.setEnabled(with_unit)
        self.chase_button.setEnabled(with_unit)

    def _request(self, kind: FollowupKind) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.followup_requested.emit(kind.value, chosen.number)
