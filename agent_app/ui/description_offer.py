"""The description drafted from the transcript, offered under the description field (草拟描述).

A view of the call presenter's :attr:`~agent_app.ui.call_session.CallState.description_offer`:
a small box under the description with the sentences the caller's words give that are not in
the description yet (up to three lines beside the buttons; the whole text and each sentence's
source are in the tooltip and the 来源 menu).  采用 (Alt+D) adds them after what the operator typed (the presenter's
``accept_description_draft``; Ctrl+Shift+Z undoes it like any accepted proposal), 来源 lists
each sentence with the time of the transcript line it came from (choosing one shows that line
in the transcript strip), 忽略 stops offering these sentences in this call.  Hidden when there
is nothing new to add.  It keeps no state of its own beyond what it last rendered.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QResizeEvent, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.description_draft import DescriptionDraft

SHORTCUT = "Alt+D"
PREVIEW_LINES = 3
"""Lines of the preview at most (a draft is 140 characters at most: about three lines of the
form at 1366x820); the rest is cut with "…"."""


def clock(seconds: float) -> str:
    """``75.4`` → ``01:15`` (as the transcript strip shows a line's time)."""
    whole = max(int(seconds), 0)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _utf16_slice(text: str, start: int, length: int) -> str:
    """``text[start:start + length]`` in UTF-16 code units (QTextLayout's positions)."""
    data = text.encode("utf-16-le")
    return data[2 * start : 2 * (start + length)].decode("utf-16-le", "ignore")


class WrappedPreview(QLabel):
    """A bold title, then text wrapped to the width it gets, at most ``lines`` lines, the last
    cut with "…"; the lines are laid out here (QTextLayout) so the cut is at a line's end."""

    def __init__(
        self, title: str = "", lines: int = PREVIEW_LINES, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._full = ""
        self._lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._wrap()

    def full_text(self) -> str:
        """The text shown, whole (without the title)."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._wrap()

    def _wrap(self) -> None:
        width = max(self.contentsRect().width(), 40)
        head = f"{self._title}  "
        whole = head + self._full
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        title_range = QTextLayout.FormatRange()
        title_range.start, title_range.length, title_range.format = 0, len(head), bold
        layout = QTextLayout(whole, self.font())
        layout.setFormats([title_range])
        layout.beginLayout()
        spans: list[tuple[int, int]] = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        rows = [_utf16_slice(whole, start, length) for start, length in spans]
        if len(rows) > self._lines:
            last = _utf16_slice(whole, spans[self._lines - 1][0], len(whole.encode("utf-16-le")))
            rows = rows[: self._lines - 1] + [
                self.fontMetrics().elidedText(last, Qt.TextElideMode.ElideRight, width)
            ]
        shown = [html.escape(row) for row in rows]
        if shown and rows[0].startswith(head):
            shown[0] = (
                f'<b style="color: #1f4e79">{html.escape(self._title)}</b>&nbsp;&nbsp;'
                + html.escape(rows[0][len(head) :])
            )
        text = "<br>".join(shown)
        if text != self.text():
            self.setText(text)


class DescriptionOffer(QFrame):
    """Signals:
    accept_requested(): 采用 pressed (Alt+D is the form's action).
    dismiss_requested(): 忽略 pressed.
    source_requested(int): show the transcript line (its segment row) a sentence came from.
    """

    accept_requested = Signal()
    dismiss_requested = Signal()
    source_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("descriptionOffer")
        self.setStyleSheet(
            "#descriptionOffer { background: #eef4ff; border: 1px solid #9db7e5;"
            " border-radius: 4px; }"
        )
        self._offer = DescriptionDraft(())
        self.preview = WrappedPreview(self.tr("草拟描述"))
        self.preview.setObjectName("descriptionOfferText")
        self.sources_button = QToolButton()
        self.sources_button.setText(self.tr("来源 ▾"))
        self.sources_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.sources_button.setToolTip(self.tr("每句出自通话转写的哪一行：选中即在转写中显示"))
        self.sources_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.sources_button)
        self.sources_button.setMenu(self.menu)
        self.accept_button = QPushButton(self.tr("采用 ({0})").format(SHORTCUT))
        self.accept_button.setToolTip(self.tr("追加到诉求内容之后，不替换已填写的内容"))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText(self.tr("忽略"))
        self.dismiss_button.setToolTip(self.tr("本次来电不再提示这几句"))
        height = self.fontMetrics().height() + 6
        for button in (self.accept_button, self.sources_button, self.dismiss_button):
            button.setFocusPolicy(button.focusPolicy().NoFocus)  # the cursor stays in the form
            button.setFixedHeight(height)
        self.accept_button.setStyleSheet("QPushButton { padding: 0 8px; }")
        # the buttons in a column on the right: the draft gets the box's whole height
        below = QHBoxLayout()
        below.setSpacing(4)
        below.addWidget(self.sources_button, 1)
        below.addWidget(self.dismiss_button, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        buttons.addWidget(self.accept_button)
        buttons.addLayout(below)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)
        layout.setSpacing(6)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.accept_button.clicked.connect(self.accept_requested)
        self.dismiss_button.clicked.connect(self.dismiss_requested)
        self.hide()

    def offer(self) -> DescriptionDraft:
        """What is offered now (empty when hidden)."""
        return self._offer

    def set_offer(self, offer: DescriptionDraft) -> None:
        """Show ``offer`` (the presenter's ``description_offer``); hidden when it is empty."""
        if offer == self._offer:
            return
        self._offer = offer
        self.preview.set_full_text(offer.text)
        lines = [
            self.tr("{time} {sentence}\n    来自：“{heard}”").format(
                time=clock(s.start), sentence=s.text, heard=s.heard
            )
            for s in offer.sentences
        ]
        tip = "\n".join(lines)
        self.preview.setToolTip(tip)
        self.menu.clear()
        for s in offer.sentences:
            action = self.menu.addAction(f"{clock(s.start)}  {s.text}".replace("&", "&&"))
            action.setToolTip(s.heard)
            action.triggered.connect(lambda _=False, row=s.segment: self.source_requested.emit(row))
        self.setVisible(bool(offer))

    def source_actions(self) -> list[QAction]:
        """The 来源 menu's entries, one per sentence offered."""
        return list(self.menu.actions())
