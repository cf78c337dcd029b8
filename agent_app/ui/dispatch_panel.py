"""The dispatch panel: handling units, time limit and the outcome of the call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.ticket import EMERGENCY_LINES, NOT_ACCEPTED_CHANNELS
from agent_app.services.intake import UnitsProposal
from agent_app.ui import domain_names
from agent_app.ui.widgets import ElidedLabel, named

CO_SEPARATOR = "、"
TRANSFER_KEYS = {"110": "F9", "119": "F10", "120": "F11", "122": "F12"}


class DispatchPanel(QGroupBox):
    """Signals:
    dispatch_requested(): 派单.
    answer_requested(): 直接答复办结.
    transfer_requested(str): one-key transfer to 110/119/120/122.
    not_accepted_requested(str): not accepted, with the proper channel's code.
    merge_requested(): merge into an existing ticket.
    units_edited(str, list): the operator changed the main unit or co-units.
    """

    dispatch_requested = Signal()
    answer_requested = Signal()
    transfer_requested = Signal(str)
    not_accepted_requested = Signal(str)
    merge_requested = Signal()
    units_edited = Signal(str, list)
    transfer_undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("派单"))
        self.main_unit = QLineEdit(placeholderText=self.tr("主办单位"))
        self.co_units = QLineEdit(placeholderText=self.tr("协办单位，多个用顿号分隔"))
        self.unit_reasons = named(ElidedLabel(), "fieldHint")  # the whole text: tooltip
        self.due = named(QLabel(self.tr("办理时限：—")), "dueLabel")
        self.reason = named(QLabel(), "validationHint", wrap=True)
        self.dispatch_button = named(QPushButton(self.tr("派单 (Ctrl+Enter)")), "primary")
        self.answer_button = QPushButton(self.tr("直接答复 (Ctrl+D)"))
        self.merge_button = QPushButton(self.tr("并单 (Ctrl+M)"))
        self.not_accepted = QComboBox()
        self.not_accepted.addItem(self.tr("不予受理 (Ctrl+U)：告知途径…"), None)
        for code, name in NOT_ACCEPTED_CHANNELS.items():
            self.not_accepted.addItem(domain_names.name(name), code)
        self.transfer_buttons: dict[str, QPushButton] = {}
        transfer_row = QHBoxLayout()
        transfer_row.addWidget(QLabel(self.tr("一键转接")))
        self.transfer_prompt = named(QLabel(), "transferPrompt", wrap=True)
        self.transfer_prompt.setStyleSheet(
            "QLabel#transferPrompt { background: #fdecea; color: #8a1c1c; padding: 4px; }"
        )
        self.transfer_prompt.hide()
        self.transfer_undo = QPushButton(self.tr("撤销转接 (Ctrl+Shift+Z)"))
        self.transfer_undo.hide()
        self.transfer_undo.clicked.connect(self.transfer_undo_requested)
        for key, (line, name) in zip(
            ("F9", "F10", "F11", "F12"), EMERGENCY_LINES.items(), strict=True
        ):
            button = QPushButton(f"{line} ({key})")
            button.setToolTip(
                self.tr("即时转至{0}{1}，并记录转接时间").format(line, domain_names.name(name))
            )
            button.clicked.connect(lambda _=False, ln=line: self.transfer_requested.emit(ln))
            self.transfer_buttons[line] = button
            transfer_row.addWidget(button)

        form = QFormLayout()
        form.addRow(self.tr("主办"), self.main_unit)
        form.addRow(self.tr("协办"), self.co_units)
        form.addRow("", self.unit_reasons)
        form.addRow("", self.due)
        actions = QHBoxLayout()
        actions.addWidget(self.dispatch_button, 2)
        actions.addWidget(self.answer_button, 1)
        actions.addWidget(self.merge_button, 1)
        actions.addWidget(self.not_accepted, 2)
        layout = QVBoxLayout(self)
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(self.transfer_prompt, 1)
        prompt_row.addWidget(self.transfer_undo)
        layout.addLayout(prompt_row)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addLayout(transfer_row)
        layout.addWidget(self.reason)

        self._setting = False
        self._hint_text = ""
        self._pending_text = ""
        self.dispatch_button.clicked.connect(self.dispatch_requested)
        self.answer_button.clicked.connect(self.answer_requested)
        self.merge_button.clicked.connect(self.merge_requested)
        self.not_accepted.activated.connect(self._not_accepted_chosen)
        self.main_unit.textEdited.connect(self._edited)
        self.co_units.textEdited.connect(self._edited)

    def set_units(self, proposal: UnitsProposal) -> None:
        """Show proposed units and why (the operator can edit them)."""
        self._setting = True
        self.main_unit.setText(proposal.main)
        self.co_units.setText(CO_SEPARATOR.join(proposal.co))
        self._setting = False
        self.unit_reasons.set_full_text(self.tr("；").join(proposal.reasons))

    def insert_bar(self, bar: QWidget) -> None:
        """A warning bar (probable duplicate) above everything else in the panel."""
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, bar)

    def set_transfer_hint(self, line: str) -> None:
        """The category asks to transfer to ``line`` first (e.g. a gas leak → 119): say so
        and highlight the key; "" clears it."""
        for ln, button in self.transfer_buttons.items():
            button.setProperty("hint", ln == line)
            button.setStyleSheet(
                "QPushButton { background: #c62828; color: white; font-weight: bold; }"
                if ln == line
                else ""
            )
        if line:
            key = TRANSFER_KEYS.get(line, "")
            self._hint_text = self.tr("此类诉求请先转{0}{1}（{2}），再记录工单").format(
                line, domain_names.emergency_line(line), key
            )
        else:
            self._hint_text = ""
        self._show_prompt()

    def set_pending_transfer(self, pending: object) -> None:
        """A transfer key was pressed: recorded in a few seconds unless undone; or, from
        idle, waiting for the same key again."""
        line = str(getattr(pending, "line", "") or "")
        confirmed = bool(getattr(pending, "confirmed", False))
        if not line:
            self._pending_text = ""
        elif confirmed:
            self._pending_text = self.tr("即将记录转{0}：5 秒内可撤销").format(line)
        else:
            self._pending_text = self.tr(
                "当前没有正在受理的来电：再按一次 {0} 确认记录转{1}"
            ).format(TRANSFER_KEYS.get(line, ""), line)
        self.transfer_undo.setVisible(bool(line) and confirmed)
        self._show_prompt()

    def _show_prompt(self) -> None:
        text = self._pending_text or self._hint_text
        self.transfer_prompt.setText(text)
        self.transfer_prompt.setVisible(bool(text))

    def units(self) -> tuple[str, list[str]]:
        co = [
            u.strip() for u in self.co_units.text().replace(",", CO_SEPARATOR).split(CO_SEPARATOR)
        ]
        return self.main_unit.text().strip(), [u for u in co if u]

    def set_problem(self, text: str) -> None:
        """The reason dispatch is not possible yet ("" when it is)."""
        self.show_reason(text)
        self.dispatch_button.setEnabled(not text)

    def show_reason(self, text: str) -> None:
        """Why the last action could not be done, or what is happening ("" hides it)."""
        self.reason.setText(text)
        self.reason.setVisible(bool(text))

    def _edited(self, _text: str) -> None:
        if not self._setting:
            main, co = self.units()
            self.units_edited.emit(main, co)

    def _not_accepted_chosen(self, index: int) -> None:
        code = self.not_accepted.itemData(index)
        if code:
            self.not_accepted_requested.emit(code)
            self.not_accepted.setCurrentIndex(0)
