"""更正: correcting a ticket the centre refused for its content, from the undelivered list.

A row of the undelivered list whose reason is about the ticket's content (the payload rules'
``<problem>:<field>``, e.g. ``too_long:description``) and whose ticket the centre never
accepted opens this view (the row's 更正).  It shows the refusal's reason at the top, the
ticket's editable fields (``services.undelivered.CORRECTABLE``: description, address,
category, type, urgency, caller, notes) with the one the refusal names highlighted and
focused.  保存并重新发送 checks the fields with the seat's own rules (the centre's,
``services.undelivered.field_problems``) on the spot and marks each broken field with what to
fix, keeping what was typed; a valid correction is saved on the single writer
(``services.undelivered.save_correction``: a ``field_change`` event by the seat's login and
ONE change replacing the waiting ones), and the list's row then says 已更正，待发送.

Why a view of its own: the intake form is a view of a live call (its state is the call
session's) and the detail window shows a ticket read-only; this view edits only what a
refusal can be about, on a ticket that never reached the centre.  A ticket the centre
accepted opens read-only with the reason why.

:class:`CorrectionPresenter` holds the state (no widgets); :class:`CorrectionDialog` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.phones import display_number
from agent_app.domain.privacy import mask_name, mask_phone
from agent_app.domain.ticket import URGENCY_TIERS, RequestType
from agent_app.errors import KnownError
from agent_app.services import undelivered as service
from agent_app.ui import domain_names
from agent_app.ui.category_picker import CategoryHit, CategoryPicker
from agent_app.ui.models.ticket_table import RED
from agent_app.ui.undelivered_reasons import field_name, reason_text, tr
from agent_app.workers.tasks import Change, TaskRunner

if TYPE_CHECKING:
    from agent_app.services.undelivered import Correction
    from agent_app.services.workstation import Workstation

HIGHLIGHT = f"border: 2px solid {RED.name()};"

ACCEPTED_TEXT = QT_TRANSLATE_NOOP(
    "Undelivered",
    "中心已受理过工单 {number}，这里不能再更正它的内容（只有从未送达中心的工单可以在此更正）。"
    "如需修改，请联系班长在中心处理。",
)
NOT_UNDELIVERED_TEXT = QT_TRANSLATE_NOOP(
    "Undelivered", "工单 {number} 已没有未送达的修改，无需更正。"
)
UNPICKED = "unpicked:category_name"  # a category typed but not picked from the catalogue
UNPICKED_TEXT = QT_TRANSLATE_NOOP(
    "Undelivered", "请从列表中选定一个分类（输入名称、关键词或拼音首字母，回车选定）"
)
FORM_FIELDS = tuple(f for f in service.CORRECTABLE if f != "category_code")
"""The rows of the view: the category's code and name are one row (the picker)."""
TOO_LONG_TEXT = QT_TRANSLATE_NOOP(
    "Undelivered", "“{field}”太长：最多 {max} 个字，现在 {n} 个字，请删减"
)


@dataclass(frozen=True)
class CorrectionState:
    """What the view shows: the ticket being read, it with its problems, being saved, saved."""

    key: str = ""
    ticket_id: str = ""
    number: str = ""
    reason: str = ""  # the refusal the operator corrects (a reason code)
    loading: bool = False
    correction: Correction | None = None
    problems: dict[str, str] = field(default_factory=dict)  # field ("" other) → reason code
    saving: bool = False
    saved: bool = False
    error: str = ""

    @property
    def editable(self) -> bool:
        c = self.correction
        return c is not None and not c.at_centre and c.undelivered and not self.saved

    @property
    def focus_field(self) -> str:
        """The row to highlight and focus: the first broken one, else the refused one."""
        for name in FORM_FIELDS:
            if name in self.problems:
                return name
        return row_of(service.content_field(self.reason) or "")


def row_of(name: str) -> str:
    """The view's row of a payload field ("" when the view does not show it)."""
    name = "category_name" if name == "category_code" else name
    return name if name in FORM_FIELDS else ""


def problem_text(code: str, values: dict[str, Any] | None = None) -> str:
    """A field's problem in words; a too-long text also says how long it may be."""
    if code == UNPICKED:
        return tr(UNPICKED_TEXT)
    name = service.content_field(code)
    if code.startswith("too_long:") and name in service.MAX_LENGTHS and values is not None:
        value = values.get(name)
        if isinstance(value, str):
            return tr(TOO_LONG_TEXT).format(
                field=field_name(name), max=service.MAX_LENGTHS[name], n=len(value)
            )
    return reason_text(code)


class CorrectionPresenter(QObject):
    """The correction's state; reads and saves through the task runner.

    Signals:
        changed(object): the :class:`CorrectionState` was replaced.
        corrected(str): the correction of the row filed under this key was saved and queued.
    """

    changed = Signal(object)
    corrected = Signal(str)

    def __init__(
        self, runner: TaskRunner, workstation: Workstation, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.workstation = workstation
        self.state = CorrectionState()

    def _set(self, state: CorrectionState) -> None:
        self.state = state
        self.changed.emit(state)

    def open(self, key: str, ticket_id: str, number: str, reason: str) -> None:
        """Read the ticket (on the writer when the caller's data is shown: audited first)."""
        self._set(
            CorrectionState(
                key=key, ticket_id=ticket_id, number=number, reason=reason, loading=True
            )
        )
        ws = self.workstation

        def read() -> Correction | None:
            login, role = service.seat_actor(ws.paths)  # the seat's central login
            return service.open_correction(ws.db, ticket_id, reason, actor=login, role=role)

        self.runner.run_mutation(
            read,
            lambda found: self._loaded(key, found),
            lambda error: self._failed(key, error),
            change=Change.AUDIT,
            owner=self,
        )

    def _loaded(self, key: str, found: Correction | None) -> None:
        if key != self.state.key:
            return  # another row was opened meanwhile
        if found is None:
            text = tr(QT_TRANSLATE_NOOP("Undelivered", "本席位没有这张工单"))
            self._set(replace(self.state, loading=False, error=text))
            return
        self._set(replace(self.state, loading=False, correction=found, number=found.ticket.number))

    def _failed(self, key: str, error: BaseException) -> None:
        if key != self.state.key:
            return
        if not isinstance(error, KnownError):
            self.runner.route_error(error)
        text = str(error) if isinstance(error, KnownError) else type(error).__name__
        self._set(replace(self.state, loading=False, saving=False, error=text))

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        """The fields of ``values`` that break a rule (pure, no database: on the spot)."""
        c = self.state.correction
        if c is None:
            return {}
        return service.field_problems(c.ticket, values, now=timeutil.now())

    @Slot(object)
    def save(self, values: dict[str, Any]) -> None:
        """保存并重新发送: checked here first; a valid correction saved on the writer."""
        state = self.state
        if not state.editable or state.saving:
            return
        problems = {row_of(f) if row_of(f) else f: code for f, code in self.check(values).items()}
        if "category_code" in values and not values["category_code"]:
            problems.setdefault("category_name", UNPICKED)  # typed, not picked
        if problems:
            self._set(replace(state, problems=problems, error=""))
            return
        ws, key, ticket_id = self.workstation, state.key, state.ticket_id
        self._set(replace(state, problems={}, saving=True, error=""))

        def write() -> list[str]:
            login, role = service.seat_actor(ws.paths)  # the event's actor: the login
            return service.save_correction(
                ws.db, ticket_id, values, actor_id=login, role=role, now=timeutil.now()
            )

        self.runner.run_mutation(
            write,
            lambda _fields: self._saved(key),
            lambda error: self._save_failed(key, error),
            change=Change.TICKETS,  # the window syncs at once
            owner=self,
        )

    def _saved(self, key: str) -> None:
        if key == self.state.key:
            self._set(replace(self.state, saving=False, saved=True))
        self.corrected.emit(key)

    @Slot(str)
    def note_error(self, text: str) -> None:
        """A problem beside the correction (the catalogue could not be read)."""
        self._set(replace(self.state, error=text))

    def _save_failed(self, key: str, error: BaseException) -> None:
        if key != self.state.key:
            return
        code = str(getattr(error, "code", "") or "")
        if code:  # InvalidTicketError: a rule still broken (a field this view may not show)
            problems = {row_of(service.content_field(code) or ""): code}
            self._set(replace(self.state, saving=False, problems=problems))
            return
        if isinstance(error, service.AcceptedTicketError):  # accepted meanwhile
            c = self.state.correction
            accepted = replace(c, at_centre=True) if c is not None else None
            self._set(replace(self.state, saving=False, correction=accepted))
            return
        self._failed(key, error)


class CorrectionDialog(QDialog):
    """The correction view over the undelivered list (non-modal; Esc or 取消 closes it)."""

    def __init__(
        self, runner: TaskRunner, workstation: Workstation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setModal(False)
        self.presenter = CorrectionPresenter(runner, workstation, self)
        self.banner = QLabel()
        self.banner.setObjectName("correctionReason")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; border: 1px solid #e6a19a; padding: 8px; }"
        )
        self.hint = QLabel()
        self.hint.setObjectName("correctionHint")
        self.hint.setWordWrap(True)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(150)
        self.address = QLineEdit()
        self.category = CategoryPicker()
        self.categories = service.CategorySearch()  # loaded on the first search, in a worker
        self._category_names: dict[str, str] = {}  # code → the name a ticket stores
        self._category_shown = ""  # the ticket's category as the picker first showed it
        self.category.query_changed.connect(self._search_categories)
        self.request_type = QComboBox()
        self.request_type.addItem(tr(QT_TRANSLATE_NOOP("Undelivered", "（未选）")), "")
        for rt in RequestType:
            self.request_type.addItem(domain_names.request_type(rt), rt.value)
        self.urgency = QComboBox()
        for tier in URGENCY_TIERS:
            self.urgency.addItem(domain_names.urgency(tier), tier)
        self.caller_name = QLineEdit()
        self.caller_phones = QLineEdit()
        self.caller_phones.setToolTip(
            tr(QT_TRANSLATE_NOOP("Undelivered", "多个号码之间用空格或逗号隔开"))
        )
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(60)
        self.notes.setMaximumHeight(90)
        self.widgets: dict[str, QWidget] = {
            "description": self.description,
            "place.address": self.address,
            "category_name": self.category,
            "request_type": self.request_type,
            "urgency": self.urgency,
            "caller.name": self.caller_name,
            "caller.phones": self.caller_phones,
            "notes": self.notes,
        }
        for name, widget in self.widgets.items():
            widget.setObjectName(f"correct_{name.replace('.', '_')}")
        self.messages: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in FORM_FIELDS:
            message = QLabel()
            message.setObjectName(f"correctMessage_{name.replace('.', '_')}")
            message.setWordWrap(True)
            message.setStyleSheet(f"color: {RED.name()};")
            message.hide()
            self.messages[name] = message
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(self.widgets[name])
            cell_layout.addWidget(message)
            if name != "description":  # the description takes the height there is to spare
                cell.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            form.addRow(field_name(name), cell)
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.message = QLabel()
        self.message.setObjectName("correctionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            tr(QT_TRANSLATE_NOOP("Undelivered", "保存并重新发送")),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setObjectName("correctionSave")
        self.cancel_button = buttons.addButton(
            tr(QT_TRANSLATE_NOOP("Undelivered", "取消")), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.close)
        self.save_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        escape = QShortcut(QKeySequence("Escape"), self)
        escape.activated.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._filled_for = ""  # the key whose ticket the fields hold (typing is never replaced)
        self._checked: dict[str, str] = {}  # the problems last shown
        self.presenter.changed.connect(self.show_state)
        self.show_state(self.presenter.state)

    # ------------------------------------------------------------------ opening, saving

    def open_row(self, key: str, ticket_id: str, number: str, reason: str) -> None:
        """Show the correction of the row filed under ``key`` (reads the ticket)."""
        self._filled_for = ""
        parent = self.parentWidget()
        host = parent.window().parentWidget() if parent is not None else None
        room = host if host is not None else parent  # the main window, else the list
        if room is not None:
            width, height = room.width(), room.height()
            self.resize(min(900, max(640, width - 160)), max(480, min(760, height - 60)))
        else:
            self.resize(760, 640)
        self.show()
        self.presenter.open(key, ticket_id, number, reason)

    def values(self) -> dict[str, Any]:
        """What the fields hold now (the editable ones)."""
        c = self.presenter.state.correction
        values: dict[str, Any] = {
            "description": self.description.toPlainText(),
            "place.address": self.address.text(),
            "request_type": self.request_type.currentData(),
            "urgency": self.urgency.currentData(),
            "notes": self.notes.toPlainText(),
        }
        picked = self.category.code
        if picked or self.category.search.text().strip() != self._category_shown:
            values["category_code"] = picked  # "" : typed but not picked (the view says so)
            values["category_name"] = self._category_names.get(picked, "")
        if c is not None and c.revealed:
            values["caller.name"] = self.caller_name.text()
            values["caller.phones"] = service.phones_from_text(self.caller_phones.text())
        return values

    @Slot()
    def _save(self) -> None:
        self.presenter.save(self.values())

    # ------------------------------------------------------------------ rendering

    @Slot(object)
    def show_state(self, state: CorrectionState) -> None:
        c = state.correction
        number = state.number or "—"
        self.setWindowTitle(
            tr(QT_TRANSLATE_NOOP("Undelivered", "更正工单 {number}")).format(number=number)
        )
        # focus moves to the field to correct when the ticket is shown and after each check
        # that found problems, never while the operator types elsewhere
        focus = bool(state.problems) and state.problems is not self._checked
        self._checked = state.problems
        if c is not None and self._filled_for != state.key:
            self._fill(c)
            self._filled_for = state.key
            focus = True
        self.banner.setText(self._banner(state))
        self.hint.setText(self._hint(state))
        editable = state.editable and not state.saving
        for name, widget in self.widgets.items():
            private = name in service.PRIVATE_FIELDS and not (c is not None and c.revealed)
            widget.setEnabled(editable and not private)
        self.save_button.setEnabled(editable)
        values = self.values() if c is not None else {}
        for name in FORM_FIELDS:
            code = state.problems.get(name, "")
            refused = not state.problems and name == state.focus_field and state.editable
            self.outlined(name).setStyleSheet(HIGHLIGHT if code or refused else "")
            text = problem_text(code, values) if code else ""
            if refused:
                text = problem_text(state.reason, values)
            self.messages[name].setText(text)
            self.messages[name].setVisible(bool(text))
        other = state.problems.get("", "")
        message = state.error or (
            tr(QT_TRANSLATE_NOOP("Undelivered", "还不能发送：{reason}")).format(
                reason=reason_text(other)
            )
            if other
            else ""
        )
        if state.saving:
            message = tr(QT_TRANSLATE_NOOP("Undelivered", "正在保存…"))
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {RED.name()};" if not state.saving else "")
        self.message.setVisible(bool(message))
        if editable and focus:
            self._focus(state)

    def outlined(self, name: str) -> QWidget:
        """The widget outlined when the row ``name`` is to be corrected."""
        return self.category.search if name == "category_name" else self.widgets[name]

    @Slot(str)
    def _search_categories(self, query: str) -> None:
        categories, runner = self.categories, self.presenter.runner
        runner.run_query(
            lambda: categories.search(query),
            lambda hits: self._show_categories(query, hits),
            self._categories_failed,
            owner=self,
        )

    def _show_categories(self, query: str, hits: list[tuple[str, str, str]]) -> None:
        self._category_names.update({code: stored for code, _leaf, stored in hits})
        self.category.set_hits(
            query,
            [CategoryHit(code, leaf, stored.replace("/", " / ")) for code, leaf, stored in hits],
        )

    def _categories_failed(self, error: BaseException) -> None:
        if not isinstance(error, KnownError):
            self.presenter.runner.route_error(error)
        self.presenter.note_error(
            str(error) if isinstance(error, KnownError) else type(error).__name__
        )

    def _focus(self, state: CorrectionState) -> None:
        name = state.focus_field
        widget = self.widgets.get(name)
        if widget is not None and widget.isEnabled():
            widget.setFocus()

    def _banner(self, state: CorrectionState) -> str:
        c = state.correction
        if state.loading:
            return tr(QT_TRANSLATE_NOOP("Undelivered", "正在读取工单…"))
        if c is None:
            return state.error
        if c.at_centre:
            return tr(ACCEPTED_TEXT).format(number=c.ticket.number)
        if not c.undelivered and not state.saved:
            return tr(NOT_UNDELIVERED_TEXT).format(number=c.ticket.number)
        return tr(QT_TRANSLATE_NOOP("Undelivered", "未送达的原因：{reason}")).format(
            reason=reason_text(state.reason)
        )

    def _hint(self, state: CorrectionState) -> str:
        if state.saved:
            return tr(
                QT_TRANSLATE_NOOP(
                    "Undelivered", "已更正，待发送：下次同步时以更正后的内容送达中心。"
                )
            )
        if not state.editable:
            return ""
        return tr(
            QT_TRANSLATE_NOOP(
                "Undelivered",
                "请更正标红的内容，再点“保存并重新发送”。保存前会按中心的规则检查；"
                "有问题的地方会标出，已输入的内容不会丢失。",
            )
        )

    def _fill(self, c: Correction) -> None:
        t = c.ticket
        self.description.setPlainText(t.description)
        self.address.setText(t.place.address)
        self._category_names[t.category_code] = t.category_name
        self._category_shown = t.category_name.rsplit("/", 1)[-1]
        self.category.set_category(
            t.category_code, t.category_name.rsplit("/", 1)[-1], t.category_name.replace("/", " / ")
        )
        self.request_type.setCurrentIndex(
            max(0, self.request_type.findData(t.request_type.value if t.request_type else ""))
        )
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(t.urgency)))
        numbers = [display_number(p) for p in t.caller.phones]
        if c.revealed:
            self.caller_name.setText(t.caller.name)
            self.caller_phones.setText(" ".join(numbers))
        else:
            self.caller_name.setText(mask_name(t.caller.name))
            self.caller_phones.setText(" ".join(mask_phone(n) for n in numbers))
        self.notes.setPlainText(t.notes)
