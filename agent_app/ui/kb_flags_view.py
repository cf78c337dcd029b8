"""The shift lead's list of knowledge-base flags: what operators found wrong or missing.

A table (``KbFlagsModel`` over plain :class:`~agent_app.services.kb_flags.KbFlag` rows) with
"mark resolved" and "show resolved".  Loading and resolving run through the task runner,
never on the GUI thread; the list refreshes when a flag is added (``changes("kb_flags")``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.timeutil import SHANGHAI
from agent_app.services.kb_flags import KbFlag, KbFlagStore
from agent_app.workers.tasks import Change, TaskRunner

ModelIndex = QModelIndex | QPersistentModelIndex
KB_FLAGS_CHANGE = Change.KB_FLAGS

# Shown translated (context "KbFlagsView", see _t).
KIND_NAMES = {
    "wrong": QT_TRANSLATE_NOOP("KbFlagsView", "条目有误"),
    "missing": QT_TRANSLATE_NOOP("KbFlagsView", "缺少答复"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("KbFlagsView", "时间"),
    QT_TRANSLATE_NOOP("KbFlagsView", "类型"),
    QT_TRANSLATE_NOOP("KbFlagsView", "知识条目"),
    QT_TRANSLATE_NOOP("KbFlagsView", "说明"),
    QT_TRANSLATE_NOOP("KbFlagsView", "席位"),
    QT_TRANSLATE_NOOP("KbFlagsView", "工号"),
    QT_TRANSLATE_NOOP("KbFlagsView", "状态"),
)


def _t(text: object) -> str:
    return QCoreApplication.translate("KbFlagsView", str(text))


class KbFlagsModel(QAbstractTableModel):
    """Flags as a table; ``titles`` maps article ids to titles for display."""

    FlagRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[KbFlag] = []
        self._titles: dict[str, str] = {}

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return _t(HEADERS[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        flag = self._rows[index.row()]
        column = index.column()
        if role == self.FlagRole:
            return flag
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(flag, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 3):
            return flag.article_id if column == 2 else flag.comment
        if role == Qt.ItemDataRole.ForegroundRole and flag.resolved:
            return QColor("#8c959f")
        return None

    def _display(self, flag: KbFlag, column: int) -> str:
        if column == 0:
            return flag.created_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
        if column == 1:
            return _t(KIND_NAMES.get(flag.kind, flag.kind))
        if column == 2:
            if not flag.article_id:
                return "—"
            return self._titles.get(flag.article_id, flag.article_id)
        if column == 3:
            return flag.comment
        if column == 4:
            return flag.seat
        if column == 5:
            return flag.operator_id
        return self.tr("已处理") if flag.resolved else self.tr("待处理")

    def set_rows(self, rows: Sequence[KbFlag], titles: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._titles = dict(titles or {})
        self.endResetModel()

    def flag_at(self, row: int) -> KbFlag | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class KbFlagsView(QWidget):
    """The lead's list of flags with "mark resolved".

    Signals:
        flags_loaded(int): the list was (re)loaded with this many rows.
        flag_resolved(int): this flag id was marked resolved.
    """

    flags_loaded = Signal(int)
    """The list was (re)loaded; the argument is the number of rows shown."""
    flag_resolved = Signal(int)
    """A flag was marked resolved (its id)."""

    def __init__(
        self,
        store: KbFlagStore,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        title_lookup: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kbFlagsView")
        self._store = store
        self._runner = runner
        self._title_lookup = title_lookup
        self.model = KbFlagsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.title_label = QLabel(self.tr("<b>知识库反馈</b>（话务员标记的有误条目和缺少的答复）"))
        self.count_label = QLabel()
        self.count_label.setObjectName("fieldHint")
        self.show_resolved = QCheckBox(self.tr("显示已处理"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.resolve_button = QPushButton(self.tr("标记已处理"))
        self.resolve_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_resolved)
        bottom.addStretch(1)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.show_resolved.toggled.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        runner.changes.connect(self._on_changes)

    def current_flag(self) -> KbFlag | None:
        index = self.table.currentIndex()
        return self.model.flag_at(index.row()) if index.isValid() else None

    @Slot()
    def refresh(self) -> None:
        """Reload the flags in a worker."""
        include = self.show_resolved.isChecked()
        store, lookup = self._store, self._title_lookup

        def load() -> tuple[list[KbFlag], dict[str, str]]:
            rows = store.list(include_resolved=include)
            titles: dict[str, str] = {}
            if lookup is not None:
                for ident in {r.article_id for r in rows if r.article_id}:
                    try:
                        titles[ident] = lookup(ident)
                    except Exception:  # noqa: BLE001 - an unknown article keeps its id
                        continue
            return rows, titles

        self._runner.run_query(load, self._loaded)

    def _loaded(self, result: tuple[list[KbFlag], dict[str, str]]) -> None:
        rows, titles = result
        self.model.set_rows(rows, titles)
        open_count = sum(not r.resolved for r in rows)
        self.count_label.setText(self.tr("待处理 {n} 条").format(n=open_count))
        self.resolve_button.setEnabled(False)
        self.flags_loaded.emit(len(rows))

    @Slot()
    def resolve_selected(self) -> None:
        flag = self.current_flag()
        if flag is None or flag.resolved:
            return
        store, ident = self._store, flag.id
        self.resolve_button.setEnabled(False)
        self._runner.run_mutation(
            lambda: store.resolve(ident),
            lambda _ok: self.flag_resolved.emit(ident),
            change=KB_FLAGS_CHANGE,
        )

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        flag = self.model.flag_at(current.row()) if current.isValid() else None
        self.resolve_button.setEnabled(flag is not None and not flag.resolved)

    @Slot(str)
    def _on_changes(self, kind: str) -> None:
        if kind == KB_FLAGS_CHANGE:
            self.refresh()
