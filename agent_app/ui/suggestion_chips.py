"""Proposal chips: one button per proposal with its confidence; Alt+1…9 accepts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from agent_app.services.intake import Chip
from agent_app.ui import domain_names
from agent_app.ui.widgets import FlowLayout, named

KIND_NAMES = {  # shown translated (context "SuggestionChips")
    "category": QT_TRANSLATE_NOOP("SuggestionChips", "分类"),
    "request_type": QT_TRANSLATE_NOOP("SuggestionChips", "类型"),
    "unit": QT_TRANSLATE_NOOP("SuggestionChips", "主办"),
}


class SuggestionChips(QWidget):
    """Signals:
    accepted(object): the operator accepted this :class:`Chip` (click or Alt+number).
    """

    accepted = Signal(object)
    MAX = 9

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: dict[str, list[Chip]] = {}
        self._order: tuple[str, ...] = ("category", "request_type")
        self.buttons: list[QPushButton] = []
        # Chips wrap to a second row rather than widen the form past its pane.
        self._layout = FlowLayout(self)
        self._title = named(QLabel(self.tr("建议（内容栏回车采纳首选）")), "fieldHint")
        self._layout.addWidget(self._title)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.hide()

    def set_group(self, kind: str, chips: Sequence[Chip]) -> None:
        self._groups[kind] = list(chips)
        self._rebuild()

    def clear(self) -> None:
        self._groups.clear()
        self._rebuild()

    def chips(self) -> list[Chip]:
        out: list[Chip] = []
        for kind in self._order:
            out.extend(self._groups.get(kind, ()))
        return out[: self.MAX]

    def proposed(self, kind: str) -> list[Chip]:
        return list(self._groups.get(kind, ()))

    def accept(self, number: int) -> bool:
        """Accept the ``number``-th chip (1-based); False when there is none."""
        chips = self.chips()
        if not 1 <= number <= len(chips):
            return False
        self.accepted.emit(chips[number - 1])
        return True

    def _rebuild(self) -> None:
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for i, chip in enumerate(self.chips(), start=1):
            kind = QCoreApplication.translate(
                "SuggestionChips", str(KIND_NAMES.get(chip.kind, chip.kind))
            )
            label = domain_names.name(chip.label) if chip.kind == "request_type" else chip.label
            text = self.tr("Alt+{0} {1}：{2} {3:.0%}")
            button = QPushButton(text.format(i, kind, label, chip.confidence))
            button.setObjectName("chip")
            button.setFocusPolicy(button.focusPolicy().NoFocus)
            button.setToolTip(chip.reason)
            button.clicked.connect(lambda _=False, c=chip: self.accepted.emit(c))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(self.buttons))
