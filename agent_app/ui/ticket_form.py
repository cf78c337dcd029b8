"""The ticket form: caller, request, place and description, in the order of a call.

A view of the :class:`~agent_app.ui.call_session.CallSession`: it renders the session's
:class:`~agent_app.ui.call_session.CallState` on ``state_changed`` and turns what the operator
types, picks and accepts into the session's intents.  It keeps no call state of its own (only
which state it last rendered, so that typing is never overwritten by its own echo).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor
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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.catalogue import Datatype, ExtraQuestion
from agent_app.domain.intake import NEXT_FIELD_ORDER, IntakeDraft, phone_problem
from agent_app.domain.privacy import mask_phone
from agent_app.domain.ticket import URGENCY_TIERS, Channel, Outcome, RequestType
from agent_app.services import caller_history as history_scope
from agent_app.services.intake import UnitsProposal, place_label
from agent_app.ui import domain_names
from agent_app.ui.call_session import CallSession, CallState, Phase
from agent_app.ui.caller_history import CallerHistory
from agent_app.ui.category_picker import CategoryHit, CategoryPicker
from agent_app.ui.description_offer import SHORTCUT as DRAFT_SHORTCUT
from agent_app.ui.description_offer import DescriptionOffer
from agent_app.ui.suggestion_chips import SuggestionChips
from agent_app.ui.widgets import named

NOTES_HEIGHT = 40
NOTES_FILLED_HEIGHT = 100
DESCRIPTION_HEIGHT = 84
DESCRIPTION_OFFER_HEIGHT = 64
"""The description's height while a drafted description is offered below it (three lines
still): the offer then pushes the rest of the form down less."""


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

    def value(self) -> list[str]:
        return [b.property("key") for b in self.boxes if b.isChecked()]

    def set_value(self, keys: Any) -> None:
        for box in self.boxes:
            box.setChecked(box.property("key") in (keys or ()))


class TicketForm(QWidget):
    """Fields of the call being taken (a view of ``session``)."""

    def __init__(self, session: CallSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rendering = False
        self._shown: CallState | None = None
        self._answer_widgets: dict[str, Any] = {}
        # The session's signals, for the panes that follow the call.
        self.place_resolved = session.place_resolved
        self.text_changed = session.text_changed
        self.call_started = session.call_started

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
        self.request_type.addItem(self.tr("（请选择）"), "")
        for rt in RequestType:
            self.request_type.addItem(domain_names.request_type(rt), rt.value)
        self.picker = CategoryPicker()
        self.category = self.picker.search
        self.category_path = self.picker.path
        self.urgency = QComboBox()
        for tier in URGENCY_TIERS:
            self.urgency.addItem(domain_names.urgency(tier), tier)
        self.urgency.setCurrentIndex(URGENCY_TIERS.index("ordinary"))
        self.address = QLineEdit(
            placeholderText=self.tr("事发地址：区、街道/乡镇、小区或路名、门牌")
        )
        self.jurisdiction = named(QLabel(self.tr("属地：—")), "fieldHint", wrap=True)
        self.description = QPlainTextEdit(
            placeholderText=self.tr("诉求内容：时间、地点、事项、诉求")
        )
        self.description.setTabChangesFocus(True)
        self.description.setToolTip(
            self.tr("回车：采纳首选的分类和类型建议并跳到下一个待填项；Shift+回车：换行")
        )
        self.description.installEventFilter(self)
        # the description drafted from the caller's words: offered under the field, added after
        # what the operator typed (never in its place); hidden when nothing new is left to add
        self.description_offer = DescriptionOffer()
        self.draft_action = QAction(
            self.tr("采用草拟描述"), self, shortcut=QKeySequence(DRAFT_SHORTCUT)
        )
        self.addAction(self.draft_action)
        self.notes = QPlainTextEdit(
            placeholderText=self.tr("备注 / 答复内容（通话转写、知识库答复可插入此处）")
        )
        self.notes.setTabChangesFocus(True)
        self.description.setMinimumHeight(DESCRIPTION_OFFER_HEIGHT)
        self.description.setMaximumHeight(DESCRIPTION_HEIGHT)
        self.notes.setMaximumHeight(NOTES_HEIGHT)
        self.questions_box = QGroupBox(self.tr("补充信息"))
        self.questions_form = QFormLayout(self.questions_box)
        self.questions_box.hide()

        # Caller: two rows whose widgets shrink to the pane's width (no fixed minimum that
        # pushes 保密 / 企业诉求 / 渠道 out of sight when the proposals appear).
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
        for widget in (self.phone, self.extra_phone, self.caller_name, self.address):
            widget.setMinimumWidth(80)
        self.phone_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        request_box = QGroupBox(self.tr("诉求"))
        request_layout = QVBoxLayout(request_box)
        request_layout.setContentsMargins(6, 2, 6, 0)
        request_layout.setSpacing(2)
        request_layout.addWidget(self.chips)  # wraps to more rows (height for width)
        request_form = QFormLayout()
        request_layout.addLayout(request_form)
        type_row = QHBoxLayout()
        type_row.addWidget(self.request_type, 1)
        type_row.addWidget(QLabel(self.tr("紧急程度")))
        type_row.addWidget(self.urgency, 1)
        request_form.addRow(self.tr("类型"), type_row)
        request_form.addRow(self.tr("分类"), self.picker)
        request_form.addRow(self.tr("地址"), self.address)
        request_form.addRow("", self.jurisdiction)
        description_cell = QWidget()
        description_layout = QVBoxLayout(description_cell)
        description_layout.setContentsMargins(0, 0, 0, 0)
        description_layout.setSpacing(2)
        description_layout.addWidget(self.description)
        description_layout.addWidget(self.description_offer)
        request_form.addRow(self.tr("内容"), description_cell)
        request_form.addRow(self.tr("备注"), self.notes)

        for form_layout in (caller_form, request_form, self.questions_form):
            form_layout.setSpacing(4)  # the whole call fits the window's height
            form_layout.setContentsMargins(6, 2, 6, 4)
            form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.call_status)
        layout.addWidget(caller_box)
        layout.addWidget(request_box)
        layout.addWidget(self.questions_box)
        layout.addWidget(self.history)
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

        # What the operator does → the session's intents.
        self.phone.textChanged.connect(self._phone_typed)
        self.phone.editingFinished.connect(session.commit_phone)
        self.extra_phone.editingFinished.connect(session.commit_extra_phone)
        for name, line in (
            ("extra_phone", self.extra_phone),
            ("caller_name", self.caller_name),
            ("address", self.address),
        ):
            line.textChanged.connect(lambda text, n=name: self._edit(n, text))
        for name, text_edit in (("description", self.description), ("notes", self.notes)):
            text_edit.textChanged.connect(
                lambda n=name, w=text_edit: self._edit(n, w.toPlainText())
            )
        for name, combo in (
            ("channel", self.channel),
            ("request_type", self.request_type),
            ("urgency", self.urgency),
        ):
            combo.currentIndexChanged.connect(
                lambda _i, n=name, c=combo: self._edit(n, c.currentData() or "")
            )
        for name, box in (("confidential", self.confidential), ("company", self.company)):
            box.toggled.connect(lambda on, n=name: self._edit(n, on))
        for line in (self.phone, self.caller_name, self.extra_phone):
            line.returnPressed.connect(self.focus_next_needed)
        self.unmask_button.clicked.connect(session.toggle_unmask)
        self.address.returnPressed.connect(self._address_entered)
        self.picker.query_changed.connect(session.search_categories)
        self.picker.picked.connect(self._category_picked)
        self.chips.accepted.connect(session.accept)
        self.chips.choose_category.connect(lambda: self.category.setFocus())
        self.history.selection_changed.connect(self._merge_target)
        self.history.followup_requested.connect(session.follow_up)
        self.notes.textChanged.connect(self._fit_notes)
        self.draft_action.triggered.connect(session.accept_description_draft)
        self.description_offer.accept_requested.connect(session.accept_description_draft)
        self.description_offer.dismiss_requested.connect(session.dismiss_description_draft)
        self.transcript_source_requested = self.description_offer.source_requested
        """A drafted sentence's source was chosen: the transcript strip shows that row."""

        # The session's state → the widgets.
        session.state_changed.connect(self.render_state)
        session.category_hits.connect(self._show_hits)
        session.focus_requested.connect(self.focus_first_problem)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self.render_state(session.state)

    # Compatibility accessors: the state, read-only ---------------------------------------

    @property
    def state(self) -> CallState:
        return self.session.state

    @property
    def ticket_id(self) -> str:
        """The call being taken ("" when idle or finished)."""
        s = self.session.state
        return s.ticket_id if s.phase in (Phase.ACTIVE, Phase.SAVING) else ""

    @property
    def place(self) -> Mapping[str, Any]:
        return self.session.state.draft.place

    @property
    def units(self) -> UnitsProposal:
        s = self.session.state
        return UnitsProposal(s.draft.main_unit, tuple(s.draft.co_units), s.unit_reasons)

    @property
    def finished(self) -> bool:
        return self.session.state.phase is Phase.FINISHED

    @property
    def dirty(self) -> bool:
        return self.session.state.dirty

    @property
    def merge_target(self) -> str:
        return self.session.state.draft.merge_target

    @property
    def kb_article_id(self) -> str:
        return self.session.state.draft.kb_article_id

    @property
    def sources(self) -> Mapping[str, str]:
        return self.session.state.draft.sources

    def draft(self) -> IntakeDraft:
        return self.session.state.draft

    def questions(self) -> tuple[ExtraQuestion, ...]:
        return self.session.state.questions

    def answers(self) -> dict[str, Any]:
        return dict(self.session.state.draft.answers)

    def answer_widget(self, code: str) -> Any:
        return self._answer_widgets.get(code)

    def phone_e164(self) -> str:
        return self.session.state.phone_e164

    # Intents (for the window's actions and the tests) ------------------------------------

    @Slot()
    @Slot(str)
    def new_call(self, number: str | None = None) -> None:
        self.session.new_call(number)

    def load_draft(self, draft: IntakeDraft) -> None:
        self.session.restore(draft)

    @Slot()
    def commit_phone(self) -> None:
        self.session.commit_phone()

    @Slot()
    def toggle_unmask(self) -> None:
        self.session.toggle_unmask()

    def clear_phone(self) -> None:
        self.session.clear_phone()

    def set_category(self, code: str) -> bool:
        return self.session.pick_category(code)

    def accept_suggestion(self, number: int) -> bool:
        return self.session.accept_chip_number(number)

    @Slot()
    def accept_top_proposals(self) -> None:
        def then() -> None:
            s = self.session.state
            if s.category_unsure and not s.draft.category_code:
                self.category.setFocus()  # the model is unsure: the operator picks
            else:
                self.focus_next_needed()

        self.session.accept_top(then=then)

    @Slot(dict)
    def apply_proposal(self, proposal: dict) -> None:
        self.session.accept(proposal)

    @Slot()
    def undo_proposal(self) -> bool:
        return self.session.undo()

    @Slot(int, object)
    def transcript_segment(self, row: int, segment: Mapping[str, Any]) -> None:
        """A final transcript line (row, stored dict): the drafted description follows it."""
        self.session.transcript_line(
            row,
            str(segment.get("text", "")),
            float(segment.get("start", 0.0)),
            float(segment.get("end", 0.0)),
        )

    @Slot()
    def accept_description_draft(self) -> bool:
        return self.session.accept_description_draft()

    @Slot(str)
    def insert_answer(self, text: str) -> None:
        self.session.insert_answer(text)

    @Slot(dict)
    def set_jurisdiction(self, proposal: dict) -> None:
        self.session.set_jurisdiction(proposal)

    @Slot()
    def geocode_now(self) -> None:
        self.session.geocode_now()

    def elapsed_seconds(self) -> float:
        return self.session.elapsed_seconds()

    # What the operator does ---------------------------------------------------------------

    def _edit(self, name: str, value: Any) -> None:
        if not self._rendering:
            self.session.edit(name, value)

    def _phone_typed(self, text: str) -> None:
        if not self._rendering:
            self.session.set_phone(text)

    def _address_entered(self) -> None:
        if self.session.service is not None and self.address.text().strip():

            def then() -> None:
                if self.address.hasFocus() and self.session.state.draft.place.get("district"):
                    self.focus_next_needed()

            self.session.geocode_now(then)
        else:
            self.focus_next_needed()

    def _category_picked(self, code: str) -> None:
        self.session.pick_category(code)
        if self.picker.search.hasFocus():
            self.focus_next_needed()

    def _merge_target(self, number: str) -> None:
        if not self._rendering:
            self.session.set_merge_target(number)

    def _show_hits(self, query: str, hits: list[Any]) -> None:
        self.picker.set_hits(
            query,
            [
                CategoryHit(h.category.code, h.category.level3, h.category.path, h.matched)
                for h in hits
            ],
        )

    def _answer_changed(self, code: str) -> None:
        if self._rendering:
            return
        widget = self._answer_widgets.get(code)
        if widget is not None:
            self.session.set_answer(code, _widget_value(widget))

    def focus_next_needed(self) -> str:
        """Focus the first field a dispatch still needs (in the order of the form) and name
        it; "" when nothing is missing (Ctrl+Enter dispatches)."""
        problems = self.session.problems(Outcome.DISPATCHED)
        fields = [p.field for p in problems if p.field != "main_unit"]  # the dispatch panel
        if not fields:
            return ""
        first = min(fields, key=lambda f: NEXT_FIELD_ORDER.get(f, len(NEXT_FIELD_ORDER)))
        self.focus_first_problem(first)
        return first

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
                (widget.boxes[0] if isinstance(widget, MultiChoice) else widget).setFocus()
            return
        target = widgets.get(field)
        if target is not None:
            target.setFocus()

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

    # Rendering ------------------------------------------------------------------------------

    @Slot(object)
    def render_state(self, state: CallState) -> None:
        """Show ``state``: only what differs from the widgets is set (typing stays put)."""
        old, self._shown = self._shown, state
        self._rendering = True
        try:
            self._render_fields(state, old)
        finally:
            self._rendering = False

    def _render_fields(self, s: CallState, old: CallState | None) -> None:
        d = s.draft
        editable = s.phase in (Phase.IDLE, Phase.ACTIVE)
        for box in self._input_boxes:
            box.setEnabled(editable)
        masked = bool(s.phone_e164) and not s.unmasked
        _set_line(self.phone, mask_phone(d.phone) if masked else d.phone)
        self.phone.setReadOnly(masked)
        extra_masked = bool(s.extra_e164) and not s.unmasked
        _set_line(self.extra_phone, mask_phone(d.extra_phone) if extra_masked else d.extra_phone)
        self.extra_phone.setReadOnly(extra_masked)
        self.unmask_button.setVisible(bool(s.phone_e164 or s.extra_e164))
        self.unmask_button.setText(self.tr("隐藏号码") if s.unmasked else self.tr("显示号码"))
        problem = phone_problem(d.phone) if d.phone else None
        if problem is not None:
            self.phone_status.setText(domain_names.problem(problem))
            self.phone_status.setProperty("kind", "error")
        elif s.phone_e164:
            self.phone_status.setText(self.tr("号码有效"))
            self.phone_status.setProperty("kind", "ok")
        else:
            self.phone_status.clear()
        _set_line(self.caller_name, d.caller_name)
        _set_line(self.address, d.address)
        _set_text(self.description, d.description)
        _set_text(self.notes, d.notes)
        _set_combo(self.channel, d.channel or Channel.PHONE.value)
        _set_combo(self.request_type, d.request_type or "")
        _set_combo(self.urgency, d.urgency)
        if self.confidential.isChecked() != d.confidential:
            self.confidential.setChecked(d.confidential)
        if self.company.isChecked() != d.company:
            self.company.setChecked(d.company)
        if old is None or old.draft.category_code != d.category_code:
            if d.category_code:
                path = d.category_name.replace("/", " / ")
                self.picker.set_category(d.category_code, d.category_name.rsplit("/", 1)[-1], path)
            else:
                self.picker.clear()
        if old is None or old.questions != s.questions:
            self._build_questions(s.questions)
        for code, widget in self._answer_widgets.items():
            value = d.answers.get(code)
            if _widget_value(widget) != (value if value is not None else _empty(widget)):
                _set_widget_value(widget, value)
        self.questions_box.setTitle(
            self.tr("补充信息（已按诉求内容预填，请核对）") if s.prefilled else self.tr("补充信息")
        )
        offer = s.description_offer
        self.description_offer.set_offer(offer)
        self.description.setMaximumHeight(DESCRIPTION_OFFER_HEIGHT if offer else DESCRIPTION_HEIGHT)
        if old is None or (old.category_chips, old.type_chips) != (s.category_chips, s.type_chips):
            self.chips.set_group("category", s.category_chips)
            self.chips.set_group("request_type", s.type_chips)
        self.chips.set_unsure(s.category_unsure and not d.category_code)
        if old is None or (old.history, old.history_scope, old.history_remote) != (
            s.history,
            s.history_scope,
            s.history_remote,
        ):
            # No row of its own and the centre unreachable: say the history may be incomplete.
            unsure = s.history_scope == history_scope.SEAT_ONLY and bool(self.session.central_url)
            if s.history or unsure:
                self.history.set_rows(
                    list(s.history), timeutil.now(), scope=s.history_scope, remote=s.history_remote
                )
            else:
                self.history.clear()
        self._show_place(d.place)
        self._render_status(s)
        if s.phase is Phase.ACTIVE and not self._clock.isActive():
            self._clock.start()
        elif s.phase is not Phase.ACTIVE:
            self._clock.stop()

    def _render_status(self, s: CallState) -> None:
        if s.phase is Phase.IDLE:
            self.call_status.setText(self.tr("空闲：Ctrl+N 新来电"))
        elif s.phase is Phase.SAVING:
            self.call_status.setText(self.tr("正在保存…"))
        elif s.phase is Phase.FINISHED:
            self.call_status.setText(self.tr("已办结（只读）：按 Ctrl+N 或来电开始下一通"))
        else:
            self._tick()

    def _tick(self) -> None:
        s = self.session.state
        started = s.started_at
        if started is None or s.phase is not Phase.ACTIVE:
            return
        secs = int(self.session.elapsed_seconds())
        self.call_status.setText(
            self.tr("受理中 {0:02d}:{1:02d} · 开始 {2} · 渠道 {3}").format(
                secs // 60,
                secs % 60,
                started.astimezone(timeutil.SHANGHAI).strftime("%H:%M:%S"),
                self.channel.currentText(),
            )
        )

    def _show_place(self, p: Mapping[str, Any]) -> None:
        if not p:
            self.jurisdiction.setText(self.tr("属地：—"))
            return
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

    def _fit_notes(self) -> None:
        """Empty notes take one line's room; an inserted answer gets room to be read."""
        self.notes.setMaximumHeight(
            NOTES_FILLED_HEIGHT if self.notes.toPlainText() else NOTES_HEIGHT
        )

    def _build_questions(self, questions: tuple[ExtraQuestion, ...]) -> None:
        while self.questions_form.rowCount():
            self.questions_form.removeRow(0)
        self._answer_widgets = {}
        for q in questions:
            if not q.variable:
                continue
            widget: Any
            if q.datatype is Datatype.SINGLEVALUELIST:
                widget = QComboBox()
                widget.addItem(self.tr("（请选择）"), None)
                for key, name in q.values:
                    widget.addItem(name, key)
                widget.currentIndexChanged.connect(lambda _i, c=q.code: self._answer_changed(c))
            elif q.datatype is Datatype.MULTIVALUELIST:
                widget = MultiChoice(q.values)
                for box in widget.boxes:
                    box.toggled.connect(lambda _on, c=q.code: self._answer_changed(c))
            elif q.datatype is Datatype.TEXT:
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMaximumHeight(50)
                widget.textChanged.connect(lambda c=q.code: self._answer_changed(c))
            else:
                widget = QLineEdit(placeholderText=q.datatype_description)
                widget.textChanged.connect(lambda _t, c=q.code: self._answer_changed(c))
                widget.returnPressed.connect(self.focus_next_needed)
            label = q.description + (" *" if q.required else "")
            self.questions_form.addRow(label, widget)
            self._answer_widgets[q.code] = widget
        self.questions_box.setVisible(bool(self._answer_widgets))
        last: QWidget = self.notes
        for widget in self._answer_widgets.values():
            first = widget.boxes[0] if isinstance(widget, MultiChoice) and widget.boxes else widget
            QWidget.setTabOrder(last, first)
            last = widget.boxes[-1] if isinstance(widget, MultiChoice) and widget.boxes else widget


def _set_line(line: QLineEdit, text: str) -> None:
    if line.text() != text:
        line.setText(text)


def _set_text(edit: QPlainTextEdit, text: str) -> None:
    if edit.toPlainText() != text:
        edit.setPlainText(text)
        if edit.hasFocus():  # an accepted draft or an undo: go on typing at the end
            edit.moveCursor(QTextCursor.MoveOperation.End)


def _set_combo(combo: QComboBox, value: Any) -> None:
    index = max(combo.findData(value), 0)
    if combo.currentIndex() != index:
        combo.setCurrentIndex(index)


def _empty(widget: Any) -> Any:
    if isinstance(widget, MultiChoice):
        return []
    if isinstance(widget, QComboBox):
        return None
    return ""


def _widget_value(widget: Any) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return widget.value()


def _set_widget_value(widget: Any, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText("" if value is None else str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    else:
        widget.set_value(value)
