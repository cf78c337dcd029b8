"""The warning above the dispatch buttons when the call looks like an open ticket.

It shows the best probable duplicate (number, category, place, when, why) and offers
"merge into it" (it becomes the merge target; Ctrl+M then merges), "link" (the number goes
into the notes, the ticket is still filed) and "ignore" (hidden for this call).  Nothing here
decides: the operator does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agent_app.domain.timeutil import SHANGHAI

if TYPE_CHECKING:
    from agent_app.services.duplicate_check import DuplicateHint


class DuplicateBar(QFrame):
    """Signals: ``merge_requested(str)`` and ``link_requested(str)`` with the ticket number."""

    merge_requested = Signal(str)
    link_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateBar")
        self.setStyleSheet(
            "#duplicateBar { background: #fff4e5; border: 1px solid #f0b86e; border-radius: 4px; }"
        )
        self.hints: list[DuplicateHint] = []
        self._ignored: set[str] = set()
        self.text = QLabel(self, wordWrap=True)
        self.merge_button = QPushButton(self.tr("设为并单目标"), self)
        self.merge_button.setToolTip(self.tr("并入这张在办工单（随后按 Ctrl+M 并单）"))
        self.link_button = QPushButton(self.tr("关联"), self)
        self.link_button.setToolTip(self.tr("照常受理，在备注中注明关联工单号"))
        self.ignore_button = QPushButton(self.tr("忽略"), self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.merge_button, self.link_button, self.ignore_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.merge_button.clicked.connect(self._merge)
        self.link_button.clicked.connect(self._link)
        self.ignore_button.clicked.connect(self._ignore)
        self.hide()

    @property
    def current(self) -> DuplicateHint | None:
        return self.hints[0] if self.hints else None

    def set_hints(self, hints: Sequence[DuplicateHint]) -> None:
        """Show the best hint not ignored during this call (or hide)."""
        self.hints = [h for h in hints if h.number not in self._ignored]
        hint = self.current
        if hint is None:
            self.hide()
            return
        when = hint.created_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
        more = len(self.hints) - 1
        self.text.setText(
            self.tr(
                "<b>可能重复：</b>工单 {number}（{category}，{place}，{when} 受理，在办）"
                "<br>{description}<br><span style='color:#8a4b00'>{why}</span>"
            ).format(
                number=hint.number,
                category=hint.category_name or self.tr("未分类"),
                place=hint.place or self.tr("地点未定"),
                when=when,
                description=hint.description,
                why="；".join(hint.reasons)
                + (self.tr("；另有 {n} 张相似").format(n=more) if more else ""),
            )
        )
        self.show()

    def reset(self) -> None:
        """A new call: forget what was ignored, hide."""
        self._ignored.clear()
        self.hints = []
        self.hide()

    @Slot()
    def _merge(self) -> None:
        if self.current is not None:
            self.merge_requested.emit(self.current.number)

    @Slot()
    def _link(self) -> None:
        if self.current is not None:
            number = self.current.number
            self._ignored.add(number)
            self.link_requested.emit(number)
            self.set_hints(self.hints)

    @Slot()
    def _ignore(self) -> None:
        if self.current is not None:
            self._ignored.add(self.current.number)
            self.set_hints(self.hints)
