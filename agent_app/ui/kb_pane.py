"""Knowledge-base pane: search box, results, article view and answer actions.

The pane suggests articles while the caller is still talking: :meth:`KnowledgePane.suggest_for_text`
receives the transcript or description as it changes; the search runs debounced on a worker
thread and the results list updates without taking the keyboard focus.  When the operator types
in the search box, the typed query wins until the box is cleared.

Sample content (``Article.placeholder``, 示例内容) is listed and shown, marked as such, so the
operator sees that the topic exists; 插入答复 and 直接答复办结 stay disabled for it and its text
is never emitted.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.workers.kb_search import KbSearchWorker

if TYPE_CHECKING:  # the records' module loads with the first search, after the first paint
    from agent_app.services.kb import Article, SearchHit

SUGGEST_TAIL_CHARS = 600
"""Live suggestions search the last part of a long transcript: the current topic."""

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ResultRow:
    hit: SearchHit
    article: Article | None = None

    @property
    def answerable(self) -> bool:
        """False for sample content (示例内容): its text may not go into a reply."""
        return not (self.hit.placeholder or (self.article is not None and self.article.placeholder))


class KbResultsModel(QAbstractListModel):
    """Search results as a list model over plain :class:`ResultRow` data."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    SnippetRole = Qt.ItemDataRole.UserRole + 2
    RowRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        hit = row.hit
        if role == Qt.ItemDataRole.DisplayRole:
            if not row.answerable:
                mark = QCoreApplication.translate("KnowledgePane", "［示例内容］")
                return f"{mark}{hit.title}\n{hit.snippet}"
            return f"{hit.title}\n{hit.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        if role == self.IdRole:
            return hit.article_id
        if role == self.SnippetRole:
            return hit.snippet
        if role == self.RowRole:
            return row
        return None

    def set_rows(self, rows: Sequence[ResultRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ResultRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def ids(self) -> list[str]:
        return [r.hit.article_id for r in self._rows]


def highlighted_html(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` as HTML with the spans marked."""
    out = []
    last = 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f'<span style="background:#ffe58f">{html.escape(text[start:end])}</span>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


class KnowledgePane(QWidget):
    """Knowledge-base pane.

    Signals:
        answer_insert_requested(str): insert this answer text into the reply.
        answered_directly_requested(str): close the call as answered from this article id.
        flag_requested(dict): persist this feedback flag (a ``kb_flags`` row as a dict).
    """

    answer_insert_requested = Signal(str)
    """The operator wants this answer text inserted into the reply field."""
    answered_directly_requested = Signal(str)
    """The operator answered the caller directly from this article (id)."""
    flag_requested = Signal(dict)
    """A feedback flag (wrong article / missing answer) to store for the shift lead."""

    def __init__(
        self,
        kb_search_callable: Callable[[str, int], Sequence[SearchHit]],
        parent: QWidget | None = None,
        *,
        article_lookup: Callable[[str], Article] | None = None,
        seat: str = "",
        k: int = 5,
        debounce_ms: int = 250,
    ) -> None:
        super().__init__(parent)
        self._seat = seat
        self._last_query = ""
        self._suggest_text = ""
        self.worker = KbSearchWorker(
            kb_search_callable, self, lookup=article_lookup, k=k, debounce_ms=debounce_ms
        )
        self.model = KbResultsModel(self)

        self.search_box = QLineEdit(self, clearButtonEnabled=True)
        self.search_box.setPlaceholderText(self.tr("搜索知识库（留空则按通话内容自动推荐）"))
        self.mode_label = QLabel(self.tr("根据通话内容推荐"), self)
        self.mode_label.setObjectName("kbModeLabel")
        self.notice = QLabel(self, wordWrap=True)
        self.notice.setObjectName("kbNotice")
        self.notice.setStyleSheet("color: #8a4b00;")
        self.notice.hide()
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.article_view = QTextBrowser(self)
        self.article_view.setOpenExternalLinks(False)
        self.article_view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.insert_button = QPushButton(self.tr("插入答复"), self)
        self.answered_button = QPushButton(self.tr("直接答复办结"), self)
        self.wrong_button = QPushButton(self.tr("标记有误"), self)
        self.missing_button = QPushButton(self.tr("反馈缺失"), self)
        for button in (self.insert_button, self.answered_button, self.wrong_button):
            button.setEnabled(False)
        for button in (
            self.insert_button,
            self.answered_button,
            self.wrong_button,
            self.missing_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        buttons = QHBoxLayout()
        for button in (
            self.insert_button,
            self.answered_button,
            self.wrong_button,
            self.missing_button,
        ):
            buttons.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.results)
        splitter.addWidget(self.article_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.search_box.textChanged.connect(self._on_query_edited)
        self.search_box.returnPressed.connect(self._on_return)
        self.worker.results_ready.connect(self._on_results)
        self.worker.failed.connect(self._on_failed)
        selection = self.results.selectionModel()
        selection.currentChanged.connect(self._on_current_changed)
        self.insert_button.clicked.connect(self._insert)
        self.answered_button.clicked.connect(self._answered)
        self.wrong_button.clicked.connect(self._flag_wrong)
        self.missing_button.clicked.connect(self._flag_missing)

    # ------------------------------------------------------------------ inputs

    @Slot(str)
    def suggest_for_text(self, text: str) -> None:
        """Live suggestions for the transcript or description (no focus change)."""
        self._suggest_text = text[-SUGGEST_TAIL_CHARS:]
        if not self.search_box.text().strip():
            self.worker.request(self._suggest_text)

    @Slot(str)
    def _on_query_edited(self, text: str) -> None:
        if text.strip():
            self.mode_label.setText(self.tr("搜索结果"))
            self.worker.request(text)
        else:
            self.mode_label.setText(self.tr("根据通话内容推荐"))
            self.worker.request(self._suggest_text)

    @Slot()
    def _on_return(self) -> None:
        text = self.search_box.text()
        self.worker.request_now(text if text.strip() else self._suggest_text)

    # ------------------------------------------------------------------ results

    @Slot(str, object)
    def _on_results(self, text: str, result: Any) -> None:
        hits, articles = result
        current = self.current_row()
        current_id = current.hit.article_id if current else None
        self._last_query = text
        self.model.set_rows([ResultRow(h, articles.get(h.article_id)) for h in hits])
        if current_id in self.model.ids():
            row = self.model.ids().index(current_id)
            self.results.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        elif self.model.rowCount():
            self.results.selectionModel().setCurrentIndex(
                self.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show(None)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.model.set_rows([])
        self.article_view.setPlainText(self.tr("知识库检索失败：") + message)

    def current_row(self) -> ResultRow | None:
        index = self.results.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show(self.model.row_at(current.row()) if current.isValid() else None)

    def _show(self, row: ResultRow | None) -> None:
        answerable = row is not None and row.answerable
        self.wrong_button.setEnabled(row is not None)
        for button in (self.insert_button, self.answered_button):
            button.setEnabled(answerable)
            button.setToolTip(
                ""
                if row is None or answerable
                else self.tr("该条目是示例内容，未经主管单位核实，不可用于答复")
            )
        if row is None:
            self.article_view.setHtml(
                "<p style='color:#888'>" + html.escape(self.tr("暂无匹配的知识条目")) + "</p>"
            )
            return
        hit, article = row.hit, row.article
        parts = [
            f"<h3>{highlighted_html(hit.title, hit.title_spans)}</h3>",
            f"<p style='color:#555'>{highlighted_html(hit.snippet, hit.snippet_spans)}</p>",
        ]
        if not row.answerable:
            parts.append(
                "<p style='color:#a8071a;font-weight:bold'>"
                + html.escape(self.tr("示例内容，不可用于答复：未经主管单位核实，仅供了解该主题。"))
                + "</p>"
            )
        if article is not None:
            heading = self.tr("答复口径") if row.answerable else self.tr("答复口径（示例内容）")
            style = "" if row.answerable else " style='color:#888'"
            parts.append("<h4>" + html.escape(heading) + "</h4>")
            parts.append(
                "".join(f"<p{style}>{html.escape(p)}</p>" for p in article.answer.split("\n") if p)
            )
            meta = []
            if article.unit:
                meta.append(self.tr("承办单位：") + article.unit)
            if article.source:
                meta.append(self.tr("依据：") + article.source)
            if meta:
                parts.append(
                    "<p style='color:#888;font-size:small'>"
                    + html.escape(" ｜ ".join(meta))
                    + "</p>"
                )
        self.article_view.setHtml("".join(parts))

    # ------------------------------------------------------------------ actions

    def _answer_text(self, row: ResultRow) -> str | None:
        """The text to insert, or ``None`` for sample content."""
        if not row.answerable:
            return None
        return row.article.answer if row.article is not None else row.hit.snippet

    @Slot()
    def _insert(self) -> None:
        row = self.current_row()
        text = self._answer_text(row) if row is not None else None
        if text is not None:
            self.answer_insert_requested.emit(text)

    @Slot()
    def _answered(self) -> None:
        row = self.current_row()
        if row is not None and row.answerable:
            self.answered_directly_requested.emit(row.hit.article_id)

    @Slot()
    def _flag_wrong(self) -> None:
        from agent_app.services.kb import make_flag  # noqa: PLC0415 - on first use

        row = self.current_row()
        if row is not None:
            self.flag_requested.emit(
                make_flag("wrong", article_id=row.hit.article_id, seat=self._seat)
            )

    @Slot()
    def _flag_missing(self) -> None:
        from agent_app.services.kb import make_flag  # noqa: PLC0415 - on first use

        query = self.search_box.text().strip() or self._last_query.strip()
        comment = "" if query else self.tr("未找到合适的知识条目")
        self.flag_requested.emit(
            make_flag("missing", query=query, comment=comment, seat=self._seat)
        )

    def set_notice(self, text: str) -> None:
        """Show a line about the knowledge base itself (index building, unavailable);
        an empty text hides it."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def shutdown(self) -> None:
        """Cancel pending searches and wait for a running one (call before closing)."""
        self.worker.cancel()
        self.worker.wait_idle()


def _preview(argv: list[str]) -> int:
    """Run the pane alone on the shipped knowledge base; ``--screenshot PNG`` renders it."""
    import tempfile  # noqa: PLC0415 - preview only
    from pathlib import Path  # noqa: PLC0415

    from PySide6.QtGui import QFont  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSplitter  # noqa: PLC0415

    from agent_app.paths import knowledge_base_dir  # noqa: PLC0415
    from agent_app.services.kb import KnowledgeBase  # noqa: PLC0415

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    font = QFont()
    font.setFamilies(["WenQuanYi Micro Hei", "DejaVu Sans"])
    font.setPointSize(10)
    app.setFont(font)
    tmp = tempfile.TemporaryDirectory()
    kb = KnowledgeBase(knowledge_base_dir(), Path(tmp.name) / "kb_index.sqlite3")
    kb.warm_up()
    window = QSplitter()
    transcript = QPlainTextEdit(window)
    transcript.setPlaceholderText(QCoreApplication.translate("KnowledgePane", "通话转写"))
    pane = KnowledgePane(
        lambda q, k: kb.search(q, k=k), window, article_lookup=kb.article, debounce_ms=150
    )
    window.addWidget(transcript)
    window.addWidget(pane)
    window.setSizes([380, 620])
    window.resize(1000, 640)
    window.setWindowTitle(QCoreApplication.translate("KnowledgePane", "知识库"))
    transcript.textChanged.connect(lambda: pane.suggest_for_text(transcript.toPlainText()))
    transcript.setPlainText(
        "话务员：您好，12345市民服务热线，请讲。\n"
        "市民：你好，我住在朝阳区望京那边一个老小区，这两天家里暖气一直不热，"
        "屋里才十五六度，老人孩子都冻感冒了。\n"
        "话务员：您向供热单位或者物业报修过吗？\n"
        "市民：找过物业了，物业说是热力公司的事，让我自己打电话，到现在也没人来测温。"
    )
    window.show()
    if "--screenshot" in argv:
        target = argv[argv.index("--screenshot") + 1]

        def grab() -> None:
            window.grab().save(target)
            pane.shutdown()
            app.quit()

        pane.worker.results_ready.connect(lambda *_: QTimer.singleShot(400, grab))
    code = app.exec()
    pane.shutdown()
    kb.close()
    tmp.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(_preview(sys.argv))
