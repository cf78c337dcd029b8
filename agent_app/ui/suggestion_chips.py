"""Proposal chips: one button per proposal with its confidence; Alt+1…9 accepts.

The category chips follow the model's calibrated confidence (:meth:`IntakeService.category_proposal`):
one chip when it is sure, several when it hesitates, and when it is unsure none but a
不确定，请选择类别 button that takes the operator to the category picker.  A calibrated chip's
tooltip states how often what is shown held the right category on held-out messages.
"""

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
    choose_category(): the operator clicked 不确定，请选择类别 (the model is unsure).
    """

    accepted = Signal(object)
    choose_category = Signal()
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
        self.unsure = QPushButton(self.tr("不确定，请选择类别"))
        self.unsure.setObjectName("chipUnsure")
        self.unsure.setFocusPolicy(self.unsure.focusPolicy().NoFocus)
        self.unsure.setToolTip(
            self.tr("分类模型对这段内容没有把握，不显示建议：请在分类栏中搜索选择")
        )
        self.unsure.clicked.connect(self.choose_category)
        self.unsure.hide()
        self._layout.addWidget(self.unsure)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.hide()

    def set_group(self, kind: str, chips: Sequence[Chip]) -> None:
        self._groups[kind] = list(chips)
        self._rebuild()

    def set_unsure(self, unsure: bool) -> None:
        """Show 不确定，请选择类别 (the category model abstained) or hide it."""
        if unsure != self.unsure.isVisibleTo(self):
            self.unsure.setVisible(unsure)
            self.setVisible(bool(self.buttons) or unsure)

    def clear(self) -> None:
        self._groups.clear()
        self.unsure.hide()
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
            button.setToolTip(self._tooltip(chip))
            button.clicked.connect(lambda _=False, c=chip: self.accepted.emit(c))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(self.buttons) or self.unsure.isVisibleTo(self))

    def _tooltip(self, chip: Chip) -> str:
        if chip.precision is None:
            return chip.reason
        shown = self.tr("只显示首选：模型有把握") if len(self.proposed(chip.kind)) == 1 else ""
        measured = self.tr(
            "在此置信度下，所列建议含正确类别的实测比例：{0:.0%}（模型未学过的 {1} 条样本）"
        )
        lines = [chip.reason, shown, measured.format(chip.precision, chip.measured_n)]
        return "\n".join(line for line in lines if line)
