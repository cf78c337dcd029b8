"""The ticket form: caller, request, place and description, in the order of a call.

The form holds one call at a time.  It proposes (off the GUI thread, through the task runner)
the place of the address, category and request-type chips from the text, and the handling
units of the category at the place; the operator accepts with Alt+1…9 or edits.  Its content
as plain data is :meth:`TicketForm.draft` (the autosaved draft payload).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.catalogue import Datatype, ExtraQuestion
from agent_app.domain.phones import check_phone, display_number
from agent_app.domain.privacy import mask_phone
from agent_app.domain.ticket import (
    URGENCY_TIERS,
    Channel,
    Outcome,
    RequestType,
    Ticket,
)
from agent_app.services.intake import (
    PLACE_KEYS,
    Chip,
    IntakeDraft,
    IntakeService,
    UnitsProposal,
    phone_problem,
    place_label,
    propose_answers,
    validate,
)
from agent_app.ui import domain_names
from agent_app.ui.caller_history import CallerHistory
from agent_app.ui.category_picker import CategoryHit, CategoryPicker
from agent_app.ui.suggestion_chips import SuggestionChips
from agent_app.ui.widgets import named
from agent_app.workers.tasks import Task, TaskRunner

GEOCODE_DELAY_MS = 250
NOTES_HEIGHT = 40
NOTES_FILLED_HEIGHT = 100
SUGGEST_DELAY_MS = 350
# Where Enter takes the operator next: the first missing field in this order (the call's).
NEXT_FIELD_ORDER = {
    f: i
    for i, f in enumerate(
        ("phone", "extra_phone", "caller_name", "description", "request_type", "category")
        + ("address", "notes")
    )
}


class MultiChoice(QWidget):
    """Check boxes for a multi-value list question."""

    def __init__(self, values: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for key, name in values:
            box = QCheckBox(name)
            box.setProperty("key", key)
            row.addWidget(box)
            self.boxes.append(box)


class TicketForm(QWidget):
    """Fields of one ticket.

    Signals:
        edited(): any field changed (drives autosave and validation).
        phone_entered(str): the caller number was completed (drives caller history).
        address_edited(str): the address text changed (drives the geocoder).
        text_changed(str): description + notes changed (drives KB and category suggestions).
        place_resolved(dict): the address resolved to a place (keys of ``PLACE_KEYS``).
        units_proposed(object): main/co units proposed (:class:`UnitsProposal`).
        unmask_requested(): the operator showed the full caller number (audited).
        call_started(str): a new call began (ticket id).
    """

    edited = Signal()
    phone_entered = Signal(str)
    address_edited = Signal(str)
    text_changed = Signal(str)
    place_resolved = Signal(dict)
    units_proposed = Signal(object)
    unmask_requested = Signal()
    call_started = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.service: IntakeService | None = None
        self.usage: dict[str, int] = {}
        self.recent: list[str] = []
        self.ticket_id = ""
        self.started_at: datetime | None = None
        self.place: dict[str, Any] = {}
        self.kb_article_id = ""
        self.merge_target = ""
        self.sources: dict[str, str] = {}
        self.units = UnitsProposal()
        self.dirty = False
        self._loading = False
        self._undo: list[tuple[str, Any]] = []
        self._phone_e164 = ""
        self._extra_e164 = ""
        self._unmasked = False
        self._questions: tuple[ExtraQuestion, ...] = ()
        self._answer_widgets: dict[str, Any] = {}
        self._geo_task: Task | None = None
        self._search_task: Task | None = None
        self._suggest_task: Task | None = None
        self._suggest_running = False
        self._accept_top_pending = False
        self._focus_after_geocode = False
        self._prefilled: dict[str, Any] = {}
        self.finished = False  # the call ended; its content is shown read-only

        self.call_status = named(QLabel(self.tr("空闲：Ctrl+N 新来电")), "callStatus")
        self.phone = QLineEdit(placeholderText=self.tr("来电号码，如 13812345678 或 010-65123456"))
        self.phone_status = named(QLabel(), "fieldHint")
        self.unmask_button = QPushButton(self.tr("显示号码"))
        self.unmask_button.setToolTip(self.tr("显示完整号码（记入审计日志）"))
        self.unmask_button.hide()
        self.extra_phone = QLineEdit(placeholderText=self.tr("其他联系电话（可不填）"))
        self.caller_name = QLineEdit(placeholderText=self.tr("来电人姓名（可不填）"))
        self.confidential = QCheckBox(self.tr("保密"))
        self.company = QCheckBox(self.tr("企业诉求"))
        self.channel = QComboBox()
        for ch in Channel:
            self.channel.addItem(domain_names.channel(ch), ch.value)
        self.history = CallerHistory()
        self.chips = SuggestionChips()
        self.request_type = QComboBox()
        self.request_type.addItem(self.tr("（请选择）"), None)
        for rt in RequestType:
            self.request_type.addItem(domain_names.request_type(rt), rt.value)
        self.picker = CategoryPicker()
        self.category = self.picker.search  # the search line (kept for existing callers)
        self.category_path = self.picker.path
        self.urgency = QComboBox()
        for tier in URGENCY_TIERS:
            self.urgency.addItem(domain_names.urgency(tier), tier)
        self.urgency.setCurrentIndex(URGENCY_TIERS.index("ordinary"))
        self.address = QLineEdit(
            placeholderText=self.tr("事发地址：区、街道/乡镇、小区或路名、门牌")
        )
        self.jurisdiction = named(QLabel(self.tr("属地：—")), "fieldHint")
        self.description = QPlainTextEdit(
            placeholderText=self.tr("诉求内容：时间、地点、事项、诉求")
        )
        self.description.setTabChangesFocus(True)
        self.description.setToolTip(
            self.tr("回车：采纳首选的分类和类型建议并跳到下一个待填项；Shift+回车：换行")
        )
        self.description.installEventFilter(self)
        self.notes = QPlainTextEdit(
            placeholderText=self.tr("备注 / 答复内容（通话转写、知识库答复可插入此处）")
        )
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(self._fit_notes)
        self.description.setMinimumHeight(64)
        self.description.setMaximumHeight(84)
        self.notes.setMaximumHeight(NOTES_HEIGHT)
        self.questions_box = QGroupBox(self.tr("补充信息"))
        self.questions_form = QFormLayout(self.questions_box)
        self.questions_box.hide()

        caller_box = QGroupBox(self.tr("来电人"))
        caller_form = QFormLayout(caller_box)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone, 3)
        phone_row.addWidget(self.unmask_button)
        phone_row.addWidget(self.phone_status, 2)
        caller_form.addRow(self.tr("电话"), phone_row)
        name_row = QHBoxLayout()
        name_row.addWidget(self.caller_name, 3)
        name_row.addWidget(self.confidential)
        name_row.addWidget(self.company)
        caller_form.addRow(self.tr("姓名"), name_row)
        other_row = QHBoxLayout()
        other_row.addWidget(self.extra_phone, 3)
        other_row.addWidget(QLabel(self.tr("渠道")))
        other_row.addWidget(self.channel, 1)
        caller_form.addRow(self.tr("其他电话"), other_row)

        request_box = QGroupBox(self.tr("诉求"))
        request_form = QFormLayout(request_box)
        request_form.addRow("", self.chips)
        type_row = QHBoxLayout()
        type_row.addWidget(self.request_type, 1)
        type_row.addWidget(QLabel(self.tr("紧急程度")))
        type_row.addWidget(self.urgency, 1)
        request_form.addRow(self.tr("类型"), type_row)
        request_form.addRow(self.tr("分类"), self.picker)
        request_form.addRow(self.tr("地址"), self.address)
        request_form.addRow("", self.jurisdiction)
        request_form.addRow(self.tr("内容"), self.description)
        request_form.addRow(self.tr("备注"), self.notes)

        for form_layout in (caller_form, request_form, self.questions_form):
            form_layout.setSpacing(4)  # the whole call fits the window's height
            form_layout.setContentsMargins(6, 2, 6, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.call_status)
        layout.addWidget(caller_box)
        layout.addWidget(self.history)
        layout.addWidget(request_box)
        layout.addWidget(self.questions_box)
        layout.addStretch(1)
        self.caller_box, self.request_box = caller_box, request_box
        self._input_boxes = (caller_box, request_box, self.questions_box)
        # A finished call stays readable (the default disabled grey is too faint).
        self.setStyleSheet(
            "QLineEdit:disabled, QPlainTextEdit:disabled, QComboBox:disabled,"
            " QCheckBox:disabled, QLabel:disabled { color: #444; }"
        )

        # Tab order follows the call: number, name, type, category, address, description.
        self._tab_order = [
            self.phone,
            self.caller_name,
            self.confidential,
            self.company,
            self.extra_phone,
            self.channel,
            self.request_type,
            self.category,
            self.urgency,
            self.address,
            self.description,
            self.notes,
        ]
        for first, second in zip(self._tab_order, self._tab_order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        for line in (self.phone, self.extra_phone, self.caller_name, self.address):
            line.textChanged.connect(self._changed)
        for combo in (self.channel, self.request_type, self.urgency):
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.confidential, self.company):
            box.toggled.connect(self._changed)
        for text in (self.description, self.notes):
            text.textChanged.connect(self._changed)
            text.textChanged.connect(self._emit_text)
        self.phone.editingFinished.connect(self.commit_phone)
        self.extra_phone.editingFinished.connect(self._commit_extra_phone)
        self.extra_phone.textEdited.connect(self._extra_typed)
        for line in (self.phone, self.caller_name, self.extra_phone):
            line.returnPressed.connect(self.focus_next_needed)
        self.phone.textEdited.connect(self._phone_typed)
        self.unmask_button.clicked.connect(self.toggle_unmask)
        self.address.textChanged.connect(self._address_changed)
        self.address.returnPressed.connect(self._address_entered)
        self.picker.query_changed.connect(self._search)
        self.picker.picked.connect(self._category_picked)
        self.chips.accepted.connect(self.accept_chip)
        self.history.selection_changed.connect(self._merge_target)

        self._geo_timer = QTimer(self, singleShot=True, interval=GEOCODE_DELAY_MS)
        self._geo_timer.timeout.connect(self._geocode)
        self._suggest_timer = QTimer(self, singleShot=True, interval=SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self._suggest)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)

    # Set-up -------------------------------------------------------------------------------

    def set_service(
        self,
        service: IntakeService,
        usage: dict[str, int] | None = None,
        recent: list[str] | None = None,
    ) -> None:
        """The proposals are available (loaded in a worker)."""
        self.service = service
        self.usage = dict(usage or {})
        self.recent = list(recent or [])
        if self.address.text().strip():
            self._geocode()
        if self.description.toPlainText().strip():
            self._suggest()
        self._propose_units()

    def _run(self, op: Callable[[], Any], done: Callable[[Any], None]) -> Task | None:
        if self.runner is None:
            done(op())
            return None
        return self.runner.run_query(op, done)

    # Call ---------------------------------------------------------------------------------

    @Slot()
    @Slot(str)
    def new_call(self, number: str | None = None) -> None:
        """Start a new call (empty form); ``number`` is the caller number from telephony."""
        self.clear()
        self._start()
        if number:
            self.phone.setText(number)
            self.sources["phone"] = "telephony"
            self.commit_phone()
            self.description.setFocus()  # the number is known: the caller's matter comes next
        else:
            self.phone.setFocus()

    def _start(self) -> None:
        if self.ticket_id:
            return
        self.ticket_id = Ticket.new_id()
        self.started_at = timeutil.now()
        self._clock.start()
        self._tick()
        self.call_started.emit(self.ticket_id)

    def show_finished(self, text: str) -> None:
        """The call ended (saved): its content stays on screen, read-only, with ``text``, until
        the next call (Ctrl+N, a ringing call, a restored draft or a proposal from the panes)."""
        self._clock.stop()
        self._geo_timer.stop()
        self._suggest_timer.stop()
        for task in (self._geo_task, self._search_task, self._suggest_task):
            if task is not None:
                task.cancel()
        self.ticket_id = ""
        self.started_at = None
        self.dirty = False
        self._undo = []
        self._accept_top_pending = False
        self._focus_after_geocode = False
        self.chips.clear()
        self._set_finished(True)
        self.call_status.setText(text)

    def _set_finished(self, finished: bool) -> None:
        self.finished = finished
        for box in self._input_boxes:
            box.setEnabled(not finished)

    def _leave_finished(self) -> None:
        if self.finished:
            self.clear()

    def clear(self) -> None:
        """Back to idle: no call, empty fields."""
        self._set_finished(False)
        self._loading = True
        try:
            for line in (self.phone, self.extra_phone, self.caller_name, self.address):
                line.clear()
            self.description.clear()
            self.notes.clear()
            self.channel.setCurrentIndex(0)
            self.request_type.setCurrentIndex(0)
            self.urgency.setCurrentIndex(URGENCY_TIERS.index("ordinary"))
            self.confidential.setChecked(False)
            self.company.setChecked(False)
            self.picker.clear()
            self.chips.clear()
            self.history.clear()
            self._set_questions(())
        finally:
            self._loading = False
        self.ticket_id = ""
        self.started_at = None
        self.place = {}
        self.kb_article_id = ""
        self.merge_target = ""
        self.sources = {}
        self.units = UnitsProposal()
        self.dirty = False
        self._accept_top_pending = False
        self._focus_after_geocode = False
        self._prefilled = {}
        self._undo = []
        self._phone_e164 = ""
        self._extra_e164 = ""
        self._unmasked = False
        self.phone.setReadOnly(False)  # a masked number of the previous call made it read-only
        self.extra_phone.setReadOnly(False)
        self.unmask_button.hide()
        self.phone_status.clear()
        self.jurisdiction.setText(self.tr("属地：—"))
        self._clock.stop()
        self.call_status.setText(self.tr("空闲：Ctrl+N 新来电"))
        self.units_proposed.emit(self.units)

    def stop_clock(self) -> None:
        self._clock.stop()

    def elapsed_seconds(self) -> float:
        if self.started_at is None:
            return 0.0
        return (timeutil.now() - self.started_at).total_seconds()

    def _tick(self) -> None:
        if self.started_at is None:
            return
        secs = int(self.elapsed_seconds())
        self.call_status.setText(
            self.tr("受理中 {0:02d}:{1:02d} · 开始 {2} · 渠道 {3}").format(
                secs // 60,
                secs % 60,
                self.started_at.strftime("%H:%M:%S"),
                self.channel.currentText(),
            )
        )

    # Draft --------------------------------------------------------------------------------

    def draft(self) -> IntakeDraft:
        return IntakeDraft(
            ticket_id=self.ticket_id,
            started_at=self.started_at.isoformat() if self.started_at else "",
            channel=self.channel.currentData() or Channel.PHONE.value,
            phone=self._phone_text(),
            extra_phone=self._extra_text(),
            caller_name=self.caller_name.text(),
            confidential=self.confidential.isChecked(),
            company=self.company.isChecked(),
            request_type=self.request_type.currentData() or "",
            category_code=self.picker.code,
            category_name=self._category_name(),
            urgency=self.urgency.currentData() or "ordinary",
            address=self.address.text(),
            place=dict(self.place),
            main_unit=self.units.main,
            co_units=list(self.units.co),
            description=self.description.toPlainText(),
            notes=self.notes.toPlainText(),
            answers=self.answers(),
            kb_article_id=self.kb_article_id,
            merge_target=self.merge_target,
            sources=dict(self.sources),
        )

    def _category_name(self) -> str:
        if not self.picker.code:
            return ""
        path = self.picker.path.text()
        return path.replace(" / ", "/") if path else self.picker.name

    def load_draft(self, draft: IntakeDraft) -> None:
        """Fill the form from a draft (crash recovery)."""
        self.clear()
        self._loading = True
        try:
            self.ticket_id = draft.ticket_id or Ticket.new_id()
            self.started_at = (
                datetime.fromisoformat(draft.started_at) if draft.started_at else timeutil.now()
            )
            self._set_combo(self.channel, draft.channel)
            self.phone.setText(draft.phone)
            self.extra_phone.setText(draft.extra_phone)
            self.caller_name.setText(draft.caller_name)
            self.confidential.setChecked(draft.confidential)
            self.company.setChecked(draft.company)
            self._set_combo(self.request_type, draft.request_type or None)
            if draft.category_code:
                path = draft.category_name.replace("/", " / ")
                name = draft.category_name.rsplit("/", 1)[-1]
                self.picker.set_category(draft.category_code, name, path)
            self._set_combo(self.urgency, draft.urgency)
            self.address.setText(draft.address)
            self.description.setPlainText(draft.description)
            self.notes.setPlainText(draft.notes)
            self.place = dict(draft.place)
            self.kb_article_id = draft.kb_article_id
            self.merge_target = draft.merge_target
            self.sources = dict(draft.sources)
            self.units = UnitsProposal(draft.main_unit, tuple(draft.co_units))
            if draft.category_code and self.service is not None:
                self._set_questions(self.service.questions(draft.category_code))
            self.set_answers(draft.answers)
        finally:
            self._loading = False
        self._show_place()
        self._clock.start()
        self._tick()
        self._phone_check(notify=False)
        self._commit_extra_phone()
        self.units_proposed.emit(self.units)
        self.dirty = False
        self.call_started.emit(self.ticket_id)
        self.edited.emit()

    @staticmethod
    def _set_combo(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _changed(self) -> None:
        if self._loading or self.finished:
            return
        if not self.ticket_id:
            self._start()
        self.dirty = True
        self.edited.emit()

    def _fit_notes(self) -> None:
        """Empty notes take one line's room; an inserted answer gets room to be read."""
        self.notes.setMaximumHeight(
            NOTES_FILLED_HEIGHT if self.notes.toPlainText() else NOTES_HEIGHT
        )

    def _emit_text(self) -> None:
        text = f"{self.description.toPlainText()}\n{self.notes.toPlainText()}"
        self.text_changed.emit(text)
        if not self._loading:
            self._suggest_timer.start()

    # Phone --------------------------------------------------------------------------------

    def _phone_text(self) -> str:
        if self._phone_e164 and not self._unmasked:
            return display_number(self._phone_e164)
        return self.phone.text().strip()

    def _phone_typed(self, _text: str) -> None:
        self._phone_e164 = ""
        self.unmask_button.hide()

    @Slot()
    def commit_phone(self) -> None:
        """The number is complete: validate, mask and look up the caller's history."""
        self._phone_check(notify=True)

    def _phone_check(self, *, notify: bool) -> None:
        if self._phone_e164 and not self._unmasked:
            return  # already checked and masked
        text = self.phone.text().strip()
        problem = phone_problem(text)
        if not text:
            self.phone_status.clear()
            return
        if problem:
            self.phone_status.setText(domain_names.problem(problem))
            self.phone_status.setProperty("kind", "error")
            return
        check = check_phone(text)
        self._phone_e164 = check.e164
        self.phone_status.setText(self.tr("号码有效"))
        self.phone_status.setProperty("kind", "ok")
        self._unmasked = False
        self._loading, was = True, self._loading
        self.phone.setText(mask_phone(display_number(check.e164)))
        self._loading = was
        self.phone.setReadOnly(True)
        self.unmask_button.setText(self.tr("显示号码"))
        self.unmask_button.show()
        if notify:
            self.phone_entered.emit(check.e164)

    def phone_e164(self) -> str:
        return self._phone_e164

    def _extra_text(self) -> str:
        if self._extra_e164 and not self._unmasked:
            return display_number(self._extra_e164)
        return self.extra_phone.text().strip()

    def _extra_typed(self, _text: str) -> None:
        self._extra_e164 = ""

    def _commit_extra_phone(self) -> None:
        """The second number is complete: a valid one is masked like the caller number (an
        invalid one stays as typed; the dispatch panel says what is wrong)."""
        if self._extra_e164 and not self._unmasked:
            return
        text = self.extra_phone.text().strip()
        if not text or phone_problem(text):
            return
        self._extra_e164 = check_phone(text).e164
        if self._unmasked:
            return
        self._loading, was = True, self._loading
        self.extra_phone.setText(mask_phone(display_number(self._extra_e164)))
        self.extra_phone.setReadOnly(True)
        self._loading = was
        self.unmask_button.show()

    @Slot()
    def toggle_unmask(self) -> None:
        """Show the full number (audited by the window) or mask it again; unmasked, it is
        editable."""
        if not (self._phone_e164 or self._extra_e164):
            return
        self._loading, was = True, self._loading
        self._unmasked = not self._unmasked
        for line, e164 in ((self.phone, self._phone_e164), (self.extra_phone, self._extra_e164)):
            if e164:
                number = display_number(e164)
                line.setText(number if self._unmasked else mask_phone(number))
                line.setReadOnly(not self._unmasked)
        if self._unmasked:
            self.unmask_button.setText(self.tr("隐藏号码"))
            self.unmask_requested.emit()
        else:
            self.unmask_button.setText(self.tr("显示号码"))
        self._loading = was

    def clear_phone(self) -> None:
        self._phone_e164 = ""
        self._unmasked = False
        self.phone.setReadOnly(False)
        self.phone.clear()
        self.unmask_button.hide()
        self.phone_status.clear()

    # Category -----------------------------------------------------------------------------

    def _search(self, query: str) -> None:
        service = self.service
        if service is None:
            return
        if self._search_task is not None:
            self._search_task.cancel()
        usage, recent = dict(self.usage), list(self.recent)

        def op() -> list[CategoryHit]:
            return [
                CategoryHit(h.category.code, h.category.level3, h.category.path, h.matched)
                for h in service.search(query, usage, recent)
            ]

        self._search_task = self._run(op, lambda hits: self.picker.set_hits(query, hits))

    def set_category(self, code: str) -> bool:
        """Pick the category ``code`` (chip, transcript or draft)."""
        if self.service is None:
            return False
        cat = self.service.category(code)
        if cat is None:
            return False
        self.picker.set_category(cat.code, cat.level3, cat.path)
        self._category_picked(cat.code)
        return True

    def _category_picked(self, code: str) -> None:
        service = self.service
        cat = service.category(code) if service else None
        if service is None or cat is None:
            return
        self._set_combo(self.urgency, cat.default_tier.value)
        if not self.request_type.currentData() and len(cat.request_types) == 1:
            self._set_combo(self.request_type, cat.request_types[0])
        self._set_questions(service.questions(code))
        self._propose_units(force=True)
        self._changed()
        if self.picker.search.hasFocus():
            self.focus_next_needed()

    # Extra questions ----------------------------------------------------------------------

    def _set_questions(self, questions: tuple[ExtraQuestion, ...]) -> None:
        while self.questions_form.rowCount():
            self.questions_form.removeRow(0)
        self._answer_widgets = {}
        self._questions = tuple(q for q in questions if q.variable)
        for q in self._questions:
            widget: Any
            if q.datatype is Datatype.SINGLEVALUELIST:
                widget = QComboBox()
                widget.addItem(self.tr("（请选择）"), None)
                for key, name in q.values:
                    widget.addItem(name, key)
                widget.currentIndexChanged.connect(self._changed)
            elif q.datatype is Datatype.MULTIVALUELIST:
                widget = MultiChoice(q.values)
                for box in widget.boxes:
                    box.toggled.connect(self._changed)
            elif q.datatype is Datatype.TEXT:
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMaximumHeight(50)
                widget.textChanged.connect(self._changed)
            else:
                widget = QLineEdit(placeholderText=q.datatype_description)
                widget.textChanged.connect(self._changed)
                widget.returnPressed.connect(self.focus_next_needed)
            label = q.description + (" *" if q.required else "")
            self.questions_form.addRow(label, widget)
            self._answer_widgets[q.code] = widget
        self.questions_box.setVisible(bool(self._questions))
        self.questions_box.setTitle(self.tr("补充信息"))
        self._prefilled = {}
        if not self._loading:
            self._propose_answers()
        last: QWidget = self.notes
        for widget in self._answer_widgets.values():
            first = widget.boxes[0] if getattr(widget, "boxes", None) else widget
            QWidget.setTabOrder(last, first)
            last = widget.boxes[-1] if getattr(widget, "boxes", None) else widget

    def questions(self) -> tuple[ExtraQuestion, ...]:
        return self._questions

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in self._questions:
            widget = self._answer_widgets.get(q.code)
            if widget is None:
                continue
            value: Any
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                value = widget.text()
            else:
                value = [b.property("key") for b in widget.boxes if b.isChecked()]
            if value not in (None, "", []):
                out[q.code] = value
        return out

    def set_answers(self, answers: dict[str, Any]) -> None:
        for code, value in answers.items():
            widget = self._answer_widgets.get(code)
            if widget is None:
                continue
            if isinstance(widget, QComboBox):
                self._set_combo(widget, value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))
            else:
                for box in widget.boxes:
                    box.setChecked(box.property("key") in value)

    def answer_widget(self, code: str) -> Any:
        return self._answer_widgets.get(code)

    # Place and units ----------------------------------------------------------------------

    def _address_changed(self, text: str) -> None:
        self.address_edited.emit(text)
        if not self._loading:
            self._geo_timer.start()

    @Slot()
    def geocode_now(self) -> None:
        """Look the address up now (Enter in the address, Ctrl+L), not after the typing pause."""
        self._geo_timer.stop()
        self._geocode()

    def _address_entered(self) -> None:
        self._focus_after_geocode = bool(self.service is not None and self.address.text().strip())
        if self._focus_after_geocode:
            self.geocode_now()
        else:
            self.focus_next_needed()

    def _geocode(self) -> None:
        service = self.service
        text = self.address.text().strip()
        if service is None or not text:
            return
        if self._geo_task is not None:
            self._geo_task.cancel()

        def done(place: dict[str, Any]) -> None:
            if self.address.text().strip() != text:
                return  # stale
            self._set_place(place, source="address")
            if self._focus_after_geocode:
                self._focus_after_geocode = False
                if self.address.hasFocus() and place.get("district"):
                    self.focus_next_needed()

        self._geo_task = self._run(lambda: service.resolve_place(text), done)

    def _set_place(self, place: dict[str, Any], *, source: str) -> None:
        self.place = dict(place)
        self.place["source"] = source
        self._show_place()
        if place.get("district"):
            self.place_resolved.emit({k: place.get(k) for k in PLACE_KEYS})
        self._propose_units(force=source == "map")
        self._changed()

    def _show_place(self) -> None:
        p = self.place
        if not p.get("district"):
            cands = p.get("candidates") or []
            if cands:
                names = "、".join(
                    f"{c.get('district') or ''}{c.get('township') or ''}" for c in cands[:4]
                )
                self.jurisdiction.setText(self.tr("属地不确定：可能是 {0}，请补充").format(names))
            else:
                self.jurisdiction.setText(self.tr("属地：未能确定，请补充区或街道名称"))
            return
        conf = p.get("confidence")
        tail = self.tr("（置信度 {0:.0%}）").format(conf) if isinstance(conf, float) else ""
        via = self.tr("（地图选定）") if p.get("source") == "map" else ""
        self.jurisdiction.setText(
            self.tr("属地：{0}{1}{2}").format(
                place_label(p.get("district"), p.get("township")), tail, via
            )
        )

    def _propose_units(self, *, force: bool = False) -> None:
        service = self.service
        if service is None or not self.picker.code:
            return
        proposal = service.propose_units(self.picker.code, self.place)
        self.units = proposal
        self.units_proposed.emit(proposal)

    def set_units(self, main: str, co: list[str]) -> None:
        """The operator edited the units (dispatch panel)."""
        self.units = UnitsProposal(main.strip(), tuple(u for u in co if u), self.units.reasons)
        self._changed()

    # Suggestions --------------------------------------------------------------------------

    def _suggest(self) -> None:
        service = self.service
        text = f"{self.description.toPlainText()}\n{self.notes.toPlainText()}".strip()
        if service is None:
            return
        if not text:
            self.chips.clear()
            if self._accept_top_pending:
                self._accept_top_pending = False
                self.focus_next_needed()
            return
        if self._suggest_task is not None:
            self._suggest_task.cancel()

        def op() -> tuple[list[Chip], list[Chip]]:
            return service.category_chips(text), service.request_type_chips(text)

        def done(result: tuple[list[Chip], list[Chip]]) -> None:
            self._suggest_running = False
            cats, types = result
            self.chips.set_group("category", cats)
            self.chips.set_group("request_type", types)
            self._propose_answers()
            if self._accept_top_pending:
                self._accept_top_pending = False
                self._accept_top_now()

        self._suggest_running = True
        self._suggest_task = self._run(op, done)

    @Slot(object)
    def accept_chip(self, chip: Chip) -> None:
        if chip.kind == "category":
            self._push_undo("category", (self.picker.code,))
            self.set_category(chip.value)
        elif chip.kind == "request_type":
            self._push_undo("request_type", self.request_type.currentData())
            self._set_combo(self.request_type, chip.value)

    def accept_suggestion(self, number: int) -> bool:
        return self.chips.accept(number)

    @Slot()
    def accept_top_proposals(self) -> None:
        """Enter in the description: take the first category and request-type proposals for
        what is still undecided, then go to the next field the dispatch needs.  Proposals not
        computed yet for the latest text are computed first."""
        if self.service is not None and (self._suggest_timer.isActive() or self._suggest_running):
            self._accept_top_pending = True
            if self._suggest_timer.isActive():
                self._suggest_timer.stop()
                self._suggest()
            return
        self._accept_top_now()

    def _accept_top_now(self) -> None:
        if not self.picker.code:
            top = next(iter(self.chips.proposed("category")), None)
            if top is not None:
                self.accept_chip(top)
        if not self.request_type.currentData():
            types = self.chips.proposed("request_type")
            cat = self.service.category(self.picker.code) if self.service else None
            allowed = set(cat.request_types) if cat is not None else set()
            top = next((c for c in types if c.value in allowed), None) or next(iter(types), None)
            if top is not None:
                self.accept_chip(top)
        self.focus_next_needed()

    def focus_next_needed(self) -> str:
        """Focus the first field a dispatch still needs (in the order of the form) and name
        it; "" when nothing is missing (Ctrl+Enter dispatches)."""
        problems = validate(self.draft(), Outcome.DISPATCHED, self._questions)
        fields = [p.field for p in problems if p.field != "main_unit"]  # the dispatch panel
        if not fields:
            return ""
        # The call's order: who calls, what about (the proposals come from it), then where.
        first = min(fields, key=lambda f: NEXT_FIELD_ORDER.get(f, len(NEXT_FIELD_ORDER)))
        self.focus_first_problem(first)
        return first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            watched is self.description
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers()
            & (
                Qt.KeyboardModifier.ShiftModifier
                | Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
            )
        ):
            self.accept_top_proposals()
            return True
        return super().eventFilter(watched, event)

    def _propose_answers(self) -> None:
        """Fill the extra questions the caller's words answer (temperature, scope, since …);
        an answer the operator gave or changed is never replaced."""
        if not self._questions or self._loading:
            return
        text = f"{self.description.toPlainText()}\n{self.notes.toPlainText()}"
        start = self.started_at or timeutil.now()
        current = self.answers()
        for code, (value, words) in propose_answers(self._questions, text, start).items():
            mine = code in current and self._prefilled.get(code) != current[code]
            if mine or current.get(code) == value:
                continue
            self.set_answers({code: value})
            self._prefilled[code] = value
            self.sources[f"answer:{code}"] = words
        if self._prefilled:
            self.questions_box.setTitle(self.tr("补充信息（已按诉求内容预填，请核对）"))

    def suggestion_log(self) -> list[dict[str, Any]]:
        """What was proposed and what the operator chose, per kind."""
        log: list[dict[str, Any]] = []
        for kind, chosen in (
            ("category", self.picker.code),
            ("request_type", self.request_type.currentData() or ""),
        ):
            proposed = [c.value for c in self.chips.proposed(kind)]
            if proposed:
                log.append({"kind": kind, "proposed": proposed, "chosen": chosen})
        if self.units.reasons:
            proposed_units = [u for u in (self.units.main, *self.units.co) if u]
            log.append({"kind": "units", "proposed": proposed_units, "chosen": self.units.main})
        return log

    # Slots for the right-hand panes (transcript, knowledge base, map) ----------------------

    @Slot(str)
    def insert_answer(self, text: str) -> None:
        """Append a knowledge-base answer to the notes (the answer field)."""
        self._leave_finished()
        current = self.notes.toPlainText().rstrip()
        self.notes.setPlainText(f"{current}\n{text}".strip() if current else text)

    @Slot(dict)
    def set_jurisdiction(self, proposal: dict) -> None:
        """A township picked on the map: it becomes the place; the units are proposed again."""
        self._leave_finished()
        place = dict(self.place)
        for key in ("district", "district_code", "township", "township_code", "lat", "lon"):
            if key in proposal:
                place[key] = proposal[key]
        if proposal.get("township_code") and not proposal.get("district_code"):
            place["district_code"] = str(proposal["township_code"])[:6]
        place["confidence"] = 1.0
        place["label"] = place_label(place.get("district"), place.get("township"))
        place["candidates"] = []
        self._set_place(place, source="map")

    @Slot(dict)
    def apply_proposal(self, proposal: dict) -> None:
        """Fill a field from a transcript proposal and remember the words it came from."""
        self._leave_finished()
        kind = str(proposal.get("kind", ""))
        value = str(proposal.get("value", ""))
        source = str(proposal.get("source_text", ""))
        if not value:
            return
        if kind == "phone":
            self._push_undo("phone", self._phone_text())
            self.clear_phone()
            self.phone.setText(value)
            self._phone_check(notify=True)
        elif kind == "address":
            self._push_undo("address", self.address.text())
            self.address.setText(value)
        elif kind == "name":
            self._push_undo("name", self.caller_name.text())
            self.caller_name.setText(value)
        elif kind == "time":
            self._push_undo("description", self.description.toPlainText())
            text = self.description.toPlainText().rstrip()
            self.description.setPlainText(f"{text}\n时间：{value}".strip())
        elif kind == "category":
            self._push_undo("category", (self.picker.code,))
            if not self.set_category(value):
                hits = self.service.search(value) if self.service else []
                if hits:
                    self.set_category(hits[0].category.code)
        elif kind == "kb":
            self._push_undo("notes", self.notes.toPlainText())
            self.insert_answer(value)
        else:
            return
        if source:
            self.sources[kind] = source

    def _push_undo(self, name: str, value: Any) -> None:
        self._undo.append((name, value))

    @Slot()
    def undo_proposal(self) -> bool:
        """Undo the last accepted proposal (transcript proposal or chip)."""
        if not self._undo:
            return False
        name, value = self._undo.pop()
        if name == "phone":
            self.clear_phone()
            self.phone.setText(value)
            self._phone_check(notify=False)
        elif name == "address":
            self.address.setText(value)
        elif name == "name":
            self.caller_name.setText(value)
        elif name == "description":
            self.description.setPlainText(value)
        elif name == "notes":
            self.notes.setPlainText(value)
        elif name == "request_type":
            self._set_combo(self.request_type, value)
        elif name == "category":
            (code,) = value
            if code:
                self.set_category(code)
            else:
                self.picker.clear()
                self._set_questions(())
        self.sources.pop(name, None)
        return True

    def _merge_target(self, number: str) -> None:
        self.merge_target = number
        self._changed()

    def focus_first_problem(self, field: str) -> None:
        widgets: dict[str, QWidget] = {
            "phone": self.phone,
            "extra_phone": self.extra_phone,
            "caller_name": self.caller_name,
            "request_type": self.request_type,
            "category": self.category,
            "address": self.address,
            "description": self.description,
            "notes": self.notes,
            "merge": self.history.view,
        }
        if field.startswith("q:"):
            widget = self._answer_widgets.get(field[2:])
            if widget is not None:
                (widget.boxes[0] if getattr(widget, "boxes", None) else widget).setFocus()
            return
        target = widgets.get(field)
        if target is not None:
            target.setFocus()
