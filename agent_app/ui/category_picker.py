"""Category picker: type-ahead over the 3-level catalogue; Enter picks the highlighted leaf.

The picker does not search itself: it emits ``query_changed`` and the form runs the search off
the GUI thread and hands the hits back with :meth:`CategoryPicker.set_hits`.  Enter pressed while
a search is still running picks the first hit when it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from agent_app.ui.widgets import named

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CategoryHit:
    code: str
    name: str
    path: str
    matched: str = ""


_MATCHED = {  # shown translated (context "CategoryPicker")
    "recent": QT_TRANSLATE_NOOP("CategoryPicker", "最近"),
    "frequent": QT_TRANSLATE_NOOP("CategoryPicker", "常用"),
    "initials": QT_TRANSLATE_NOOP("CategoryPicker", "拼音首字母"),
    "pinyin": QT_TRANSLATE_NOOP("CategoryPicker", "拼音"),
    "keyword": QT_TRANSLATE_NOOP("CategoryPicker", "关键词"),
}


class HitListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[CategoryHit] = []

    def set_hits(self, hits: list[CategoryHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            tag = _MATCHED.get(hit.matched)
            if tag is None:
                return f"{hit.path}"
            return QCoreApplication.translate("CategoryPicker", "{path}　（{tag}）").format(
                path=hit.path, tag=QCoreApplication.translate("CategoryPicker", str(tag))
            )
        if role == Qt.ItemDataRole.UserRole:
            return hit.code
        return None


class CategoryPicker(QWidget):
    """Signals:
    query_changed(str): the search text changed (run the search, then call set_hits).
    picked(str): a category code was picked.
    """

    query_changed = Signal(str)
    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(
            placeholderText=self.tr("分类：输入名称、关键词或拼音首字母，回车选定")
        )
        self.search.setObjectName("categorySearch")
        self.model = HitListModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMaximumHeight(120)
        self.results.hide()
        self.path = named(QLabel(), "fieldHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.path)
        self.code = ""
        self.name = ""
        self._setting = False
        self._pending_query: str | None = None
        self._pick_when_ready = False
        self.search.textEdited.connect(self._edited)
        self.search.textChanged.connect(self._changed)
        self.search.installEventFilter(self)
        self.results.clicked.connect(lambda idx: self._pick_row(idx.row()))
        self.setFocusProxy(self.search)

    # state --------------------------------------------------------------------------------

    def set_category(self, code: str, name: str, path: str) -> None:
        self._setting = True
        self.search.setText(name)
        self._setting = False
        self.code, self.name = code, name
        self.path.setText(path)
        self.results.hide()
        self._pick_when_ready = False

    def clear(self) -> None:
        self.set_category("", "", "")
        self.model.set_hits([])

    def set_hits(self, query: str, hits: list[CategoryHit]) -> None:
        """Results of ``query``; ignored when the text has changed since."""
        if query != self.search.text().strip():
            return
        self._pending_query = None
        self.model.set_hits(hits)
        self.results.setVisible(bool(hits) and self.search.hasFocus())
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
        if self._pick_when_ready:
            self._pick_when_ready = False
            if hits:
                self._pick_row(0)

    # events -------------------------------------------------------------------------------

    def _edited(self, _text: str) -> None:
        self.code = ""  # typing again un-picks
        self.name = ""
        self.path.setText("")

    def _changed(self, text: str) -> None:
        if self._setting:
            return
        self._pending_query = text.strip()
        self.query_changed.emit(text.strip())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                return self._enter()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.hits:
                row = self.results.currentIndex().row()
                row += 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(row, len(self.model.hits) - 1))
                self.results.setCurrentIndex(self.model.index(row, 0))
                self.results.show()
                return True
            if key == Qt.Key.Key_Escape and self.results.isVisible():
                self.results.hide()
                return True
        if watched is self.search and event.type() == QEvent.Type.FocusOut:
            self.results.hide()
        return super().eventFilter(watched, event)

    def _enter(self) -> bool:
        if self.code and not self._pending_query:
            return False  # already picked: let Enter do its usual work
        if self._pending_query is not None or not self.model.hits:
            if self.search.text().strip():
                self._pick_when_ready = True
                return True
            return False
        row = max(self.results.currentIndex().row(), 0)
        self._pick_row(row)
        return True

    def _pick_row(self, row: int) -> None:
        if not 0 <= row < len(self.model.hits):
            return
        hit = self.model.hits[row]
        self.set_category(hit.code, hit.name, hit.path)
        self.picked.emit(hit.code)
