"""The ticket form: caller, request, place and description, in the order of a call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.ticket import (
    CHANNEL_NAMES,
    REQUEST_TYPE_NAMES,
    URGENCY_NAMES,
    URGENCY_TIERS,
    Channel,
    RequestType,
)


class TicketForm(QWidget):
    """Fields of one ticket.

    Signals:
        edited(): any field changed (drives autosave and validation).
        phone_entered(str): the caller number was completed (drives caller history).
        address_edited(str): the address text changed (drives the geocoder).
        text_changed(str): description + notes changed (drives KB and category suggestions).
    """

    edited = Signal()
    phone_entered = Signal(str)
    address_edited = Signal(str)
    text_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phone = QLineEdit(placeholderText="来电号码，如 13812345678 或 010-65123456")
        self.phone_status = QLabel(objectName="fieldHint")
        self.caller_name = QLineEdit(placeholderText="来电人姓名（可不填）")
        self.confidential = QCheckBox("保密")
        self.company = QCheckBox("企业诉求")
        self.channel = QComboBox()
        for ch in Channel:
            self.channel.addItem(CHANNEL_NAMES[ch], ch.value)
        self.request_type = QComboBox()
        self.request_type.addItem("（请选择）", None)
        for rt in RequestType:
            self.request_type.addItem(REQUEST_TYPE_NAMES[rt], rt.value)
        self.category = QLineEdit(placeholderText="分类：输入名称、关键词或拼音首字母")
        self.category_path = QLabel(objectName="fieldHint")
        self.urgency = QComboBox()
        for tier in URGENCY_TIERS:
            self.urgency.addItem(URGENCY_NAMES[tier], tier)
        self.urgency.setCurrentIndex(URGENCY_TIERS.index("ordinary"))
        self.address = QLineEdit(placeholderText="事发地址：区、街道/乡镇、小区或路名、门牌")
        self.jurisdiction = QLabel("属地：—", objectName="fieldHint")
        self.description = QPlainTextEdit(placeholderText="诉求内容：时间、地点、事项、诉求")
        self.description.setTabChangesFocus(True)
        self.notes = QPlainTextEdit(placeholderText="备注（通话转写可插入此处）")
        self.notes.setTabChangesFocus(True)
        self.description.setMinimumHeight(90)
        self.notes.setMaximumHeight(70)

        caller_box = QGroupBox("来电人")
        caller_form = QFormLayout(caller_box)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone, 3)
        phone_row.addWidget(self.phone_status, 2)
        caller_form.addRow("电话", phone_row)
        name_row = QHBoxLayout()
        name_row.addWidget(self.caller_name, 3)
        name_row.addWidget(self.confidential)
        name_row.addWidget(self.company)
        caller_form.addRow("姓名", name_row)
        caller_form.addRow("渠道", self.channel)

        request_box = QGroupBox("诉求")
        request_form = QFormLayout(request_box)
        type_row = QHBoxLayout()
        type_row.addWidget(self.request_type, 1)
        type_row.addWidget(QLabel("紧急程度"))
        type_row.addWidget(self.urgency, 1)
        request_form.addRow("类型", type_row)
        request_form.addRow("分类", self.category)
        request_form.addRow("", self.category_path)
        request_form.addRow("地址", self.address)
        request_form.addRow("", self.jurisdiction)
        request_form.addRow("内容", self.description)
        request_form.addRow("备注", self.notes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caller_box)
        layout.addWidget(request_box, 1)

        # Tab order follows the call: number, name, type, category, address, description.
        order = [
            self.phone,
            self.caller_name,
            self.confidential,
            self.company,
            self.channel,
            self.request_type,
            self.urgency,
            self.category,
            self.address,
            self.description,
            self.notes,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        for line in (self.phone, self.caller_name, self.category, self.address):
            line.textChanged.connect(self.edited)
        for combo in (self.channel, self.request_type, self.urgency):
            combo.currentIndexChanged.connect(self.edited)
        for box in (self.confidential, self.company):
            box.toggled.connect(self.edited)
        for text in (self.description, self.notes):
            text.textChanged.connect(self.edited)
            text.textChanged.connect(self._emit_text)
        self.phone.editingFinished.connect(lambda: self.phone_entered.emit(self.phone.text()))
        self.address.textChanged.connect(self.address_edited)

    def _emit_text(self) -> None:
        self.text_changed.emit(f"{self.description.toPlainText()}\n{self.notes.toPlainText()}")
