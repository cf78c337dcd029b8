"""The forms the lead acts in, shared by the worklists and the ticket detail window.

* :class:`DisputeForm`: an objection (派单异议): upheld → re-dispatch (改派) to a unit picked
  from the catalogue's proposal or any unit; rejected → the reason (the unit keeps it);
* :class:`ExtensionForm`: an extension request: the working days asked for and the new due
  time from the working-day calendar, shown before confirming; denied → the reason;
* :class:`CallbackForm`: a callback (回访): the unit's reply, the caller masked with a button
  that reveals the number for the call (audited first), resolved yes/no, 满意/基本满意/不满意,
  the citizen's words, and what the answer will do (办结 or 二次办理).

The forms only render and emit intents; a presenter decides and acts.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.followup import SATISFACTION, SATISFIED
from agent_app.services.worklists import UnitChoices
from agent_app.ui.worklists_actions import due_text

OBJECTION_NAMES = {
    "not_ours": QT_TRANSLATE_NOOP("Worklists", "非本单位职责"),
    "wrong_place": QT_TRANSLATE_NOOP("Worklists", "不属本辖区"),
    "duplicate": QT_TRANSLATE_NOOP("Worklists", "重复工单"),
    "not_actionable": QT_TRANSLATE_NOOP("Worklists", "无法办理"),
    "other": QT_TRANSLATE_NOOP("Worklists", "其他"),
}
RESULT_NAMES = {
    "resolved": QT_TRANSLATE_NOOP("Worklists", "已解决"),
    "partly": QT_TRANSLATE_NOOP("Worklists", "部分解决"),
    "unresolved": QT_TRANSLATE_NOOP("Worklists", "未解决"),
}
SATISFACTION_NAMES = {
    "满意": QT_TRANSLATE_NOOP("Worklists", "满意"),
    "基本满意": QT_TRANSLATE_NOOP("Worklists", "基本满意"),
    "不满意": QT_TRANSLATE_NOOP("Worklists", "不满意"),
}


def tr(text: object) -> str:
    return QCoreApplication.translate("Worklists", str(text))


def objection_name(code: str) -> str:
    return tr(OBJECTION_NAMES[code]) if code in OBJECTION_NAMES else code


def result_name(code: str) -> str:
    return tr(RESULT_NAMES[code]) if code in RESULT_NAMES else code


def _wrapped(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DisputeForm(QWidget):
    """Signals: uphold_requested(str unit), reject_requested(str reason)."""

    same_unit = False
    """Whether the ticket may go to the unit it is with (not for an objection)."""

    def tr(self, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        """This form's strings in their own context, also in a subclass (RedispatchForm)."""
        return QCoreApplication.translate("DisputeForm", source, disambiguation, n)

    uphold_requested = Signal(str)
    reject_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disputeForm")
        self._current_unit = ""
        self.unit = QComboBox()
        self.unit.setObjectName("redispatchUnit")
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.setMinimumContentsLength(14)
        self.unit.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        completer = self.unit.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        edit = self.unit.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("选择建议单位或输入任一单位"))
        self.proposal = _wrapped("redispatchWhy")
        self.uphold = QPushButton(self.tr("异议成立，改派"))
        self.uphold.setObjectName("upholdButton")
        self.reason = QLineEdit()
        self.reason.setObjectName("rejectReason")
        self.reason.setPlaceholderText(self.tr("异议不成立的理由（首接负责）"))
        self.reject = QPushButton(self.tr("驳回异议"))
        self.reject.setObjectName("rejectButton")
        up_row = QHBoxLayout()
        up_row.addWidget(self.unit, 1)
        up_row.addWidget(self.uphold)
        no_row = QHBoxLayout()
        no_row.addWidget(self.reason, 1)
        no_row.addWidget(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.uphold_label = QLabel(self.tr("异议成立：改派至"))
        self.reject_label = QLabel(self.tr("异议不成立：原单位继续办理"))
        layout.addWidget(self.uphold_label)
        layout.addLayout(up_row)
        layout.addWidget(self.proposal)
        layout.addWidget(self.reject_label)
        layout.addLayout(no_row)
        layout.addStretch(1)
        self.unit.currentTextChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.uphold.clicked.connect(lambda: self.uphold_requested.emit(self.chosen_unit()))
        self.reject.clicked.connect(lambda: self.reject_requested.emit(self.reason.text().strip()))
        self._busy = False
        self._update()

    def unit_text(self) -> str:
        return self.unit.currentText().strip()

    def set_choices(self, choices: UnitChoices | None, current_unit: str) -> None:
        """The catalogue's proposal first (the first one picked), then every other unit."""
        self._current_unit = current_unit
        self.unit.blockSignals(True)
        self.unit.clear()
        if choices is not None:
            proposed = list(choices.proposed)
            others = [
                u
                for u in choices.all_units
                if u not in proposed and (u != current_unit or self.same_unit)
            ]
            for name in proposed:
                self.unit.addItem(self.tr("{0}（建议）").format(name), name)
            self.unit.addItems(others)
            if proposed:
                self.unit.setCurrentIndex(0)
                self.unit.setEditText(proposed[0])
            else:
                self.unit.setCurrentIndex(-1)
                self.unit.setEditText("")
            why = "；".join(choices.reasons)
            self.proposal.setText(
                self.tr("按分类和属地建议：{0}").format(why)
                if proposed
                else self.tr("分类目录没有其他建议单位，请选择或输入承办单位")
            )
        else:
            self.unit.setEditText("")
            self.proposal.setText(self.tr("正在读取建议单位…"))
        self.unit.blockSignals(False)
        self.reason.clear()
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _update(self, *_args: object) -> None:
        text = self.chosen_unit()
        other = text != self._current_unit or self.same_unit
        self.uphold.setEnabled(not self._busy and bool(text) and other)
        self.reject.setEnabled(not self._busy and bool(self.reason.text().strip()))
        self.uphold.setToolTip(
            self.tr("改派给 {0}，按紧急程度重新计算办理时限").format(text) if text else ""
        )

    def chosen_unit(self) -> str:
        """The unit picked (a proposal's item carries its plain name)."""
        text = self.unit_text()
        index = self.unit.findText(text)
        if index >= 0 and self.unit.itemData(index):
            return str(self.unit.itemData(index))
        return text


class RedispatchForm(DisputeForm):
    """A reopened ticket (二次办理) re-dispatched: to its unit again (督办) or another.
    Signals: uphold_requested(str unit)."""

    same_unit = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redispatchForm")
        self.uphold_label.setText(
            QCoreApplication.translate("DisputeForm", "重新派单至（可仍派原单位督办）")
        )
        self.uphold.setText(QCoreApplication.translate("DisputeForm", "重新派单"))
        for widget in (self.reject_label, self.reason, self.reject):
            widget.hide()

    def set_choices(self, choices: UnitChoices | None, current_unit: str) -> None:
        super().set_choices(choices, current_unit)
        if choices is not None and not choices.proposed:
            self.unit.setEditText(current_unit)  # by default back to its unit


class ExtensionForm(QWidget):
    """Signals: approve_requested(), deny_requested(str reason)."""

    approve_requested = Signal()
    deny_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("extensionForm")
        self.summary = _wrapped("extensionSummary")
        self.approve = QPushButton(self.tr("批准延期"))
        self.approve.setObjectName("approveButton")
        self.reason = QLineEdit()
        self.reason.setObjectName("denyReason")
        self.reason.setPlaceholderText(self.tr("不批准的理由"))
        self.deny = QPushButton(self.tr("不批准"))
        self.deny.setObjectName("denyButton")
        yes_row = QHBoxLayout()
        yes_row.addWidget(self.summary, 1)
        yes_row.addWidget(self.approve)
        no_row = QHBoxLayout()
        no_row.addWidget(self.reason, 1)
        no_row.addWidget(self.deny)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(yes_row)
        layout.addLayout(no_row)
        layout.addStretch(1)
        self.approve.clicked.connect(self.approve_requested)
        self.deny.clicked.connect(lambda: self.deny_requested.emit(self.reason.text().strip()))
        self.reason.textChanged.connect(self._update)
        self._busy = False
        self._ready = False
        self._update()

    def set_request(
        self, days: int, due: datetime | None, preview: datetime | None, *, loading: bool
    ) -> None:
        """The request: days asked, the current limit and the one approval would give."""
        if loading:
            text = self.tr("申请延期 {0} 个工作日；正在按工作日历计算新时限…").format(days)
        elif preview is None:
            text = self.tr("申请没有注明延期天数，只能不批准")
        else:
            text = self.tr("申请延期 {0} 个工作日：时限由 {1} 延至 {2}（按工作日历）").format(
                days, due_text(due), due_text(preview)
            )
        self.summary.setText(text)
        self._ready = preview is not None and not loading
        self.reason.clear()
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _update(self, *_args: object) -> None:
        self.approve.setEnabled(not self._busy and self._ready)
        self.deny.setEnabled(not self._busy and bool(self.reason.text().strip()))


class CallbackForm(QWidget):
    """Signals: reveal_requested(), record_requested(bool resolved, str satisfaction, str words)."""

    reveal_requested = Signal()
    record_requested = Signal(bool, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callbackForm")
        self.reply = _wrapped("callbackReply")
        self.caller = _wrapped("callbackCaller")
        self.reveal = QPushButton(self.tr("显示号码回拨"))
        self.reveal.setObjectName("revealButton")
        self.reveal.setToolTip(self.tr("显示完整号码用于本次回访（先记入审计日志）"))
        self.resolved_yes = QRadioButton(self.tr("已解决"))
        self.resolved_no = QRadioButton(self.tr("未解决"))
        self.resolved = QButtonGroup(self)
        self.resolved.addButton(self.resolved_yes)
        self.resolved.addButton(self.resolved_no)
        self.satisfaction: dict[str, QRadioButton] = {}
        self.satisfaction_group = QButtonGroup(self)
        sat_row = QHBoxLayout()
        for value in SATISFACTION:
            button = QRadioButton(tr(SATISFACTION_NAMES[value]))
            button.setObjectName(f"satisfaction_{SATISFACTION.index(value)}")
            self.satisfaction[value] = button
            self.satisfaction_group.addButton(button)
            sat_row.addWidget(button)
        sat_row.addStretch(1)
        res_row = QHBoxLayout()
        res_row.addWidget(self.resolved_yes)
        res_row.addWidget(self.resolved_no)
        res_row.addStretch(1)
        self.words = QPlainTextEdit()
        self.words.setObjectName("citizenWords")
        self.words.setPlaceholderText(self.tr("市民原话（转给承办单位，号码自动隐去）"))
        self.words.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.outcome = _wrapped("callbackOutcome")
        self.record = QPushButton(self.tr("记录回访结果"))
        self.record.setObjectName("recordButton")
        caller_row = QHBoxLayout()
        caller_row.addWidget(self.caller, 1)
        caller_row.addWidget(self.reveal)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("单位反馈"), self.reply)
        form.addRow(self.tr("来电人"), caller_row)
        form.addRow(self.tr("是否解决"), res_row)
        form.addRow(self.tr("满意度"), sat_row)
        form.addRow(self.tr("市民意见"), self.words)
        end_row = QHBoxLayout()
        end_row.addWidget(self.outcome, 1)
        end_row.addWidget(self.record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(end_row)
        layout.addStretch(1)
        self.reveal.clicked.connect(self.reveal_requested)
        self.record.clicked.connect(self._record)
        self.resolved.buttonToggled.connect(self._update)
        self.satisfaction_group.buttonToggled.connect(self._update)
        self._busy = False
        self._replied = False
        self._update()

    def set_ticket(
        self,
        *,
        reply: str,
        caller: str,
        number: str,
        revealing: bool,
        can_reveal: bool,
        replied: bool,
        fresh: bool,
    ) -> None:
        """Show the ticket; ``fresh``: another ticket (the answers are cleared)."""
        self.reply.setText(reply or self.tr("承办单位尚未反馈（已超过办理时限）"))
        if number:
            self.caller.setText(self.tr("{0}　回拨号码：{1}").format(caller, number))
        else:
            self.caller.setText(caller or "—")
        self.reveal.setVisible(can_reveal and not number)
        self.reveal.setEnabled(not revealing)
        self.reveal.setText(self.tr("正在记入审计…") if revealing else self.tr("显示号码回拨"))
        self._replied = replied
        if fresh:
            for group in (self.resolved, self.satisfaction_group):
                group.setExclusive(False)
                for button in group.buttons():
                    button.setChecked(False)
                group.setExclusive(True)
            self.words.clear()
        self._update()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def answer(self) -> tuple[bool, str, str] | None:
        """(resolved, satisfaction, words) once both choices are made."""
        sat = next((v for v, b in self.satisfaction.items() if b.isChecked()), "")
        if not sat or not (self.resolved_yes.isChecked() or self.resolved_no.isChecked()):
            return None
        return self.resolved_yes.isChecked(), sat, self.words.toPlainText().strip()

    def _record(self) -> None:
        answer = self.answer()
        if answer is not None:
            self.record_requested.emit(*answer)

    def _update(self, *_args: object) -> None:
        answer = self.answer()
        self.record.setEnabled(not self._busy and self._replied and answer is not None)
        if not self._replied:
            text = self.tr("单位反馈后才能记录回访结果；可先回拨告知市民进展")
        elif answer is None:
            text = self.tr("请选择是否解决和满意度")
        elif answer[0] and answer[1] in SATISFIED:
            text = self.tr("记录后工单办结")
        else:
            text = self.tr("记录后转二次办理：退回承办单位，重新计算时限")
        self.outcome.setText(text)
