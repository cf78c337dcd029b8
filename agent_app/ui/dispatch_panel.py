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


class DispatchPanel(QGroupBox):
    """Signals:
    dispatch_requested(): 派单.
    answer_requested(): 直接答复办结.
    transfer_requested(str): one-key transfer to 110/119/120/122.
    not_accepted_requested(str): not accepted, with the proper channel's code.
    merge_requested(): merge into an existing ticket.
    """

    dispatch_requested = Signal()
    answer_requested = Signal()
    transfer_requested = Signal(str)
    not_accepted_requested = Signal(str)
    merge_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("派单", parent)
        self.main_unit = QLineEdit(placeholderText="主办单位")
        self.co_units = QLineEdit(placeholderText="协办单位，多个用顿号分隔")
        self.due = QLabel("办理时限：—", objectName="dueLabel")
        self.reason = QLabel(objectName="validationHint", wordWrap=True)
        self.dispatch_button = QPushButton("派单 (Ctrl+Enter)", objectName="primary")
        self.answer_button = QPushButton("直接答复 (Ctrl+D)")
        self.merge_button = QPushButton("并单 (Ctrl+M)")
        self.not_accepted = QComboBox()
        self.not_accepted.addItem("不予受理：告知途径…", None)
        for code, name in NOT_ACCEPTED_CHANNELS.items():
            self.not_accepted.addItem(name, code)
        self.transfer_buttons: dict[str, QPushButton] = {}
        transfer_row = QHBoxLayout()
        transfer_row.addWidget(QLabel("一键转接"))
        for key, (line, name) in zip(
            ("F9", "F10", "F11", "F12"), EMERGENCY_LINES.items(), strict=True
        ):
            button = QPushButton(f"{line} ({key})")
            button.setToolTip(f"即时转至{line}{name}，并记录转接时间")
            button.clicked.connect(lambda _=False, ln=line: self.transfer_requested.emit(ln))
            self.transfer_buttons[line] = button
            transfer_row.addWidget(button)

        form = QFormLayout()
        form.addRow("主办", self.main_unit)
        form.addRow("协办", self.co_units)
        form.addRow("", self.due)
        actions = QHBoxLayout()
        actions.addWidget(self.dispatch_button, 2)
        actions.addWidget(self.answer_button, 1)
        actions.addWidget(self.merge_button, 1)
        actions.addWidget(self.not_accepted, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addLayout(transfer_row)
        layout.addWidget(self.reason)

        self.dispatch_button.clicked.connect(self.dispatch_requested)
        self.answer_button.clicked.connect(self.answer_requested)
        self.merge_button.clicked.connect(self.merge_requested)
        self.not_accepted.activated.connect(self._not_accepted_chosen)

    def _not_accepted_chosen(self, index: int) -> None:
        code = self.not_accepted.itemData(index)
        if code:
            self.not_accepted_requested.emit(code)
            self.not_accepted.setCurrentIndex(0)
