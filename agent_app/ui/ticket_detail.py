"""The ticket detail view: one ticket's whole life, seen from the seat.

:class:`TicketDetailPresenter` owns the state (the ticket with its events and related tickets,
read in a worker; whether the caller's number is shown) and emits ``changed`` with a
:class:`DetailState`; :class:`TicketDetailView` renders it: every field (the caller masked,
显示号码 shows the number and is audited, as in the form), the deadline with its traffic light,
the event timeline (who, when, what; a table model), the handling unit's feedback (events of
kind ``reply`` / ``feedback``), the call's transcript saved with the ticket (通话记录:
redacted, timestamped, read-only; hidden when there is none), related and merged tickets, and the lifecycle's next steps for
this role and state as buttons.  The steps the seat can take (a ruling on an objection or an
extension request, a callback) open their form under the buttons and act through
:class:`~agent_app.ui.worklists_actions.FollowupActions`, as the worklists do; the detail is
read again after each.  Steps the seat cannot take stay disabled, their tooltip says why.
:class:`TicketDetailWindow` is the window the main window opens it in (one, reused).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.deadlines import traffic_light
from agent_app.domain.lifecycle import TERMINAL, Status, allowed_targets, find_transition
from agent_app.domain.phones import display_number
from agent_app.domain.privacy import mask_name, mask_phone
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import Outcome, Ticket, TicketEvent
from agent_app.services.ticket_detail import Relation, TicketDetail
from agent_app.services.workstation import Workstation
from agent_app.ui import domain_names
from agent_app.ui.models.ticket_table import AMBER, GREEN, RED
from agent_app.ui.worklists_actions import PANELS, FollowupActions, reveal_failed_text
from agent_app.ui.worklists_forms import (
    CallbackForm,
    DisputeForm,
    ExtensionForm,
    RedispatchForm,
    objection_name,
    result_name,
)
from agent_app.workers.tasks import Change, TaskRunner

ModelIndex = QModelIndex | QPersistentModelIndex
FEEDBACK_KINDS = frozenset({"reply", "feedback"})
_LIGHT_COLOURS = {"red": RED, "amber": AMBER, "green": GREEN}
_LIGHT_NAMES = {
    "red": QT_TRANSLATE_NOOP("TicketDetail", "已超时"),
    "amber": QT_TRANSLATE_NOOP("TicketDetail", "即将到期"),
    "green": QT_TRANSLATE_NOOP("TicketDetail", "时限内"),
}
_RELATION_NAMES = {
    Relation.MERGED_INTO: QT_TRANSLATE_NOOP("TicketDetail", "本单并入"),
    Relation.MERGED_HERE: QT_TRANSLATE_NOOP("TicketDetail", "并入本单"),
    Relation.LINKED: QT_TRANSLATE_NOOP("TicketDetail", "关联工单"),
    Relation.SAME_CALLER: QT_TRANSLATE_NOOP("TicketDetail", "同一来电人"),
}
_EVENT_NAMES = {
    "created": QT_TRANSLATE_NOOP("TicketDetail", "受理"),
    "transition": QT_TRANSLATE_NOOP("TicketDetail", "状态变更"),
    "field_change": QT_TRANSLATE_NOOP("TicketDetail", "修改"),
    "note": QT_TRANSLATE_NOOP("TicketDetail", "备注"),
    "unmask": QT_TRANSLATE_NOOP("TicketDetail", "显示号码"),
    "reply": QT_TRANSLATE_NOOP("TicketDetail", "承办单位反馈"),
    "feedback": QT_TRANSLATE_NOOP("TicketDetail", "承办单位反馈"),
    "progress_call": QT_TRANSLATE_NOOP("TicketDetail", "告知进展"),
    "supplement": QT_TRANSLATE_NOOP("TicketDetail", "来电补充"),
    "chase": QT_TRANSLATE_NOOP("TicketDetail", "催办"),
    "merged_call": QT_TRANSLATE_NOOP("TicketDetail", "并单来电"),
}
NO_COMMAND_TIP = QT_TRANSLATE_NOOP("TicketDetail", "此操作需由中心系统办理，本席位暂不能直接执行")
_RULING_NAMES = {
    "upheld": QT_TRANSLATE_NOOP("TicketDetail", "异议成立"),
    "rejected": QT_TRANSLATE_NOOP("TicketDetail", "异议不成立"),
    "approved": QT_TRANSLATE_NOOP("TicketDetail", "批准延期"),
    "denied": QT_TRANSLATE_NOOP("TicketDetail", "不批准延期"),
}
_RESOLVED_NAMES = {
    True: QT_TRANSLATE_NOOP("TicketDetail", "已解决"),
    False: QT_TRANSLATE_NOOP("TicketDetail", "未解决"),
}
_PANEL_NAMES = {
    "dispute": QT_TRANSLATE_NOOP("TicketDetail", "裁定派单异议"),
    "extension": QT_TRANSLATE_NOOP("TicketDetail", "审批延期申请"),
    "callback": QT_TRANSLATE_NOOP("TicketDetail", "回访"),
    "redispatch": QT_TRANSLATE_NOOP("TicketDetail", "重新派单"),
}


def tr(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP("TicketDetail", …), translated."""
    return QCoreApplication.translate("TicketDetail", str(text))


def feedback_text(event: TicketEvent) -> str:
    """The unit's words in a reply/feedback event (the first text field it has)."""
    for key in ("text", "content", "feedback", "reply", "comment"):
        value = event.data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def is_feedback(event: TicketEvent) -> bool:
    """The unit's reply: a reply/feedback event, or its transition to 已反馈 with a text."""
    if event.kind in FEEDBACK_KINDS:
        return True
    return event.kind == "transition" and event.to_status == Status.REPLIED.value


def _result_suffix(event: TicketEvent) -> str:
    result = event.data.get("result")
    return f"（{result_name(result)}）" if isinstance(result, str) and result else ""


def _follow_up_parts(data: dict[str, Any]) -> list[str]:
    """What a unit's step or a ruling carried: the objection's code, the ruling, the days
    asked, the callback's answer, the unit's words."""
    parts: list[str] = []
    if isinstance(data.get("reason_code"), str) and data["reason_code"]:
        parts.append(objection_name(data["reason_code"]))
    if data.get("ruling") in _RULING_NAMES:
        parts.append(tr(_RULING_NAMES[data["ruling"]]))
    if data.get("ruling") == "upheld" and data.get("to_unit"):
        parts.append(
            QCoreApplication.translate("TicketDetail", "改派至 {0}").format(data["to_unit"])
        )
    if isinstance(data.get("days"), int) and data["days"]:
        parts.append(
            QCoreApplication.translate("TicketDetail", "{0} 个工作日").format(data["days"])
        )
    callback = data.get("callback")
    if isinstance(callback, dict):
        resolved = tr(_RESOLVED_NAMES[bool(callback.get("resolved"))])
        parts.append(f"{resolved}，{callback.get('satisfaction', '')}")
        if callback.get("words"):
            parts.append(str(callback["words"]))
    if isinstance(data.get("text"), str) and data["text"].strip():
        parts.append(data["text"].strip())
    return parts


def event_text(event: TicketEvent) -> str:
    """What happened, for the timeline's 说明 column."""
    parts: list[str] = []
    if event.kind in FEEDBACK_KINDS:
        return feedback_text(event)
    if event.kind == "merged_call":  # the original records each call merged into it
        return QCoreApplication.translate(
            "TicketDetail", "另一来电人反映同一问题：工单 {0}（共 {1} 位来电人）"
        ).format(event.data.get("number", ""), event.data.get("callers", ""))
    if event.kind in ("progress_call", "supplement", "chase"):
        return str(event.data.get("text") or "")
    if event.from_status or event.to_status:
        source = domain_names.status(event.from_status) if event.from_status else "—"
        target = domain_names.status(event.to_status) if event.to_status else "—"
        parts.append(f"{source} → {target}")
    data = event.data
    if data.get("main_unit"):
        parts.append(
            QCoreApplication.translate("TicketDetail", "主办：{0}").format(data["main_unit"])
        )
    if data.get("line"):
        parts.append(QCoreApplication.translate("TicketDetail", "转接 {0}").format(data["line"]))
    if data.get("merged_into"):
        parts.append(
            QCoreApplication.translate("TicketDetail", "并入 {0}").format(data["merged_into"])
        )
    parts.extend(_follow_up_parts(data))
    if data.get("reason") and isinstance(data["reason"], str):
        parts.append(data["reason"])
    if data.get("action") == "merged_close":
        parts.append(
            QCoreApplication.translate("TicketDetail", "随原工单 {0} 办结").format(
                data.get("original", "")
            )
        )
    return "；".join(parts)


_ACTOR_NAMES = {
    Role.HANDLER.value: QT_TRANSLATE_NOOP("TicketDetail", "承办单位"),
    Role.CENTER.value: QT_TRANSLATE_NOOP("TicketDetail", "中心"),
    Role.AUTHORITY.value: QT_TRANSLATE_NOOP("TicketDetail", "政务服务部门"),
    Role.SYSTEM.value: QT_TRANSLATE_NOOP("TicketDetail", "系统"),
}


def actor_text(event: TicketEvent) -> str:
    """``话务员 op001``, ``承办单位 热力集团望京站``, ``系统``."""
    name = _ACTOR_NAMES.get(event.actor_role)
    if name is not None:
        role = tr(name)
    else:
        try:
            role = domain_names.role(Role(event.actor_role))
        except ValueError:
            role = event.actor_role
    actor = "" if event.actor_id == event.actor_role else event.actor_id
    return f"{role} {actor}".strip()


class TimelineModel(QAbstractTableModel):
    """The ticket's events, oldest first: time, who, what, details."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("TicketDetail", "时间"),
        QT_TRANSLATE_NOOP("TicketDetail", "操作人"),
        QT_TRANSLATE_NOOP("TicketDetail", "事件"),
        QT_TRANSLATE_NOOP("TicketDetail", "说明"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: tuple[TicketEvent, ...] = ()

    def set_events(self, events: tuple[TicketEvent, ...]) -> None:
        self.beginResetModel()
        self._events = tuple(events)
        self.endResetModel()

    def event_at(self, row: int) -> TicketEvent:
        return self._events[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.COLUMNS):
                return tr(str(self.COLUMNS[section]))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._events)):
            return None
        event = self._events[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return f"{event.at.astimezone(timeutil.SHANGHAI):%Y-%m-%d %H:%M}"
            if column == 1:
                return actor_text(event)
            if column == 2:
                return tr(str(_EVENT_NAMES.get(event.kind, event.kind)))
            return event_text(event)
        return None


class RelatedModel(QAbstractTableModel):
    """Related tickets: relation, number, status, time, what it is about."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("TicketDetail", "关系"),
        QT_TRANSLATE_NOOP("TicketDetail", "工单号"),
        QT_TRANSLATE_NOOP("TicketDetail", "状态"),
        QT_TRANSLATE_NOOP("TicketDetail", "时间"),
        QT_TRANSLATE_NOOP("TicketDetail", "内容"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Relation, TicketSummary]] = []

    def set_rows(self, rows: list[tuple[Relation, TicketSummary]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> TicketSummary:
        return self._rows[row][1]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.COLUMNS):
                return tr(str(self.COLUMNS[section]))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        relation, t = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return tr(str(_RELATION_NAMES[relation]))
            if column == 1:
                return t.number
            if column == 2:
                return domain_names.status(t.status)
            if column == 3:
                return f"{t.created_at:%Y-%m-%d %H:%M}"
            return t.description
        return None


@dataclass(frozen=True)
class DetailState:
    """What the view shows: nothing yet, the ticket being read, it, or why not."""

    ticket_id: str = ""
    detail: TicketDetail | None = None
    loading: bool = False
    error: str = ""
    unmasked: bool = False
    panel: str = ""  # the action form shown: "", "dispute", "extension", "callback"
    choices: Any = None  # dispute: UnitChoices (None while read)
    preview: datetime | None = None  # extension: the due time an approval gives
    preview_loading: bool = False
    number: str = ""  # callback: the caller's number, revealed (audited) for the call
    revealing: bool = False
    busy: bool = False  # an action is being saved
    notice: str = ""  # what the last action did, or why it failed
    notice_error: bool = False


class TicketDetailPresenter(QObject):
    """Signals:
    changed(object): the :class:`DetailState` was replaced.
    open_requested(str): a related ticket was asked for (its id); the presenter opens it.
    """

    changed = Signal(object)
    open_requested = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        role: Role,
        parent: QObject | None = None,
        *,
        actions: FollowupActions | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.workstation = workstation
        self.role = role
        self.actions = actions
        self.state = DetailState()
        self._notice: tuple[str, bool] = ("", False)
        self.open_requested.connect(self.open)
        if actions is not None:
            actions.acted.connect(self._acted)
            actions.failed.connect(self._action_failed)

    def _set(self, state: DetailState) -> None:
        self.state = state
        self.changed.emit(state)

    @Slot(str)
    def open(self, ticket_id: str) -> None:
        """Read the ticket (worker) and show it, its number masked."""
        self._notice = ("", False)
        self._read(ticket_id, opening=True)

    def _read(self, ticket_id: str, *, opening: bool = False) -> None:
        self._set(DetailState(ticket_id=ticket_id, loading=True))
        ws = self.workstation
        if opening and self.role is Role.LEAD:  # a lead's every opening: audited, then shown
            self.runner.run_mutation(
                lambda: ws.ticket_detail_audited(ticket_id, Role.LEAD.value),
                lambda detail: self._loaded(ticket_id, detail),
                lambda error: self._failed(ticket_id, error),
                change=Change.AUDIT,
                owner=self,
            )
            return
        self.runner.run_query(
            lambda: ws.ticket_detail(ticket_id),
            lambda detail: self._loaded(ticket_id, detail),
            lambda error: self._failed(ticket_id, error),
            owner=self,
        )

    @Slot()
    def reload(self) -> None:
        """Read the ticket again (the last action's notice stays shown)."""
        if self.state.ticket_id:
            self._read(self.state.ticket_id)

    def _loaded(self, ticket_id: str, detail: TicketDetail | None) -> None:
        if ticket_id != self.state.ticket_id:
            return  # another ticket was opened meanwhile
        if detail is None:
            self._set(
                DetailState(
                    ticket_id=ticket_id,
                    error=QCoreApplication.translate("TicketDetail", "本席位没有这张工单"),
                )
            )
            return
        notice, error = self._notice
        self._set(
            DetailState(ticket_id=ticket_id, detail=detail, notice=notice, notice_error=error)
        )

    def _failed(self, ticket_id: str, error: BaseException) -> None:
        if ticket_id == self.state.ticket_id:
            self._set(DetailState(ticket_id=ticket_id, error=str(error) or type(error).__name__))

    @Slot()
    def toggle_unmask(self) -> None:
        """Show the caller's number in full (audited) or mask it again."""
        detail = self.state.detail
        if detail is None or detail.ticket.caller.confidential:
            return
        if self.state.unmasked:
            self._set(replace(self.state, unmasked=False))
            return
        # The audit row is stored first; the number is shown only once it is (R10).
        ws, role, ticket_id = self.workstation, self.role.value, detail.ticket.id

        def shown(_result: object) -> None:
            if self.state.ticket_id == ticket_id and self.state.detail is not None:
                self._set(replace(self.state, unmasked=True))

        self.runner.run_mutation(
            lambda: ws.audit(
                "unmask_phone",
                role,
                ticket_id,
                "caller number shown (detail)",
                field="caller.phones",
            ),
            shown,
            change=Change.AUDIT,
        )

    # Acting on the ticket -------------------------------------------------------------------

    def panel_for(self, target: Status) -> str:
        """The form that takes the ticket to ``target`` ("" when the seat cannot act)."""
        detail = self.state.detail
        if detail is None or self.actions is None:
            return ""
        step = (detail.ticket.status, target)
        kind = PANELS.get(step, "")
        return kind if kind and self.actions.may(step) else ""

    @Slot(str)
    def open_panel(self, kind: str) -> None:
        """Show the form for ``kind``; read what it needs (units proposed, the new limit)."""
        detail, actions = self.state.detail, self.actions
        if detail is None or actions is None or self.state.busy:
            return
        ticket_id = detail.ticket.id
        self._set(
            replace(
                self.state,
                panel=kind,
                choices=None,
                preview=None,
                preview_loading=kind == "extension",
                number="",
                revealing=False,
                notice="",
            )  # fmt: skip
        )
        if kind in ("dispute", "redispatch"):
            actions.choices(ticket_id, lambda c: self._got(ticket_id, choices=c), owner=self)
        elif kind == "extension":
            actions.extension_preview(
                ticket_id, lambda p: self._got(ticket_id, preview=p, preview_loading=False),
                owner=self,
            )  # fmt: skip

    def _got(self, ticket_id: str, **values: Any) -> None:
        if ticket_id == self.state.ticket_id and self.state.detail is not None:
            self._set(replace(self.state, **values))

    def _start(self) -> Ticket | None:
        detail = self.state.detail
        if detail is None or self.actions is None or self.state.busy:
            return None
        saving = QCoreApplication.translate("TicketDetail", "正在保存…")
        self._set(replace(self.state, busy=True, number="", notice=saving, notice_error=False))
        return detail.ticket

    def uphold(self, to_unit: str) -> None:
        t = self._start() if to_unit.strip() else None
        if t is not None and self.actions is not None:
            self.actions.rule_dispute(t.id, t.number, uphold=True, to_unit=to_unit.strip())

    def reject(self, reason: str) -> None:
        t = self._start() if reason.strip() else None
        if t is not None and self.actions is not None:
            self.actions.rule_dispute(t.id, t.number, uphold=False, reason=reason.strip())

    def redispatch(self, to_unit: str) -> None:
        t = self._start() if to_unit.strip() else None
        if t is not None and self.actions is not None:
            self.actions.redispatch(t.id, t.number, to_unit=to_unit.strip())

    def approve(self) -> None:
        t = self._start()
        if t is not None and self.actions is not None:
            self.actions.rule_extension(t.id, t.number, approve=True)

    def deny(self, reason: str) -> None:
        t = self._start() if reason.strip() else None
        if t is not None and self.actions is not None:
            self.actions.rule_extension(t.id, t.number, approve=False, reason=reason.strip())

    def reveal(self) -> None:
        """The caller's number for the callback: audited first, shown after."""
        detail = self.state.detail
        if detail is None or self.actions is None or self.state.revealing or self.state.number:
            return
        ticket_id = detail.ticket.id
        self._set(replace(self.state, revealing=True))

        def failed(error: BaseException) -> None:
            text = reveal_failed_text(error)
            self._got(ticket_id, revealing=False, notice=text, notice_error=True)

        self.actions.reveal_number(
            ticket_id, lambda n: self._got(ticket_id, number=n, revealing=False), failed,
            owner=self,
        )  # fmt: skip

    def record(self, resolved: bool, satisfaction: str, words: str) -> None:
        t = self._start()
        if t is not None and self.actions is not None:
            self.actions.record_callback(
                t.id, t.number, resolved=resolved, satisfaction=satisfaction, words=words
            )

    def _acted(self, ticket_id: str, text: str) -> None:
        if ticket_id == self.state.ticket_id:
            self._notice = (text, False)
            self.reload()

    def _action_failed(self, ticket_id: str, text: str) -> None:
        if ticket_id == self.state.ticket_id and self.state.detail is not None:
            self._set(replace(self.state, busy=False, notice=text, notice_error=True))

    def panel_for_current(self) -> str:
        """The form the ticket's present state allows (a form left open after its step was
        taken, or after the unit acted meanwhile, is closed)."""
        return next(
            (k for target, _why in self.actions_for_role() if (k := self.panel_for(target))), ""
        )

    def actions_for_role(self) -> list[tuple[Status, str]]:
        """The steps the lifecycle allows this role from the ticket's state: (target, why)."""
        detail = self.state.detail
        if detail is None:
            return []
        source = detail.ticket.status
        out = []
        for target in allowed_targets(source, self.role):
            transition = find_transition(source, target)
            out.append((target, transition.reason if transition else ""))
        return out


def last_request(ticket: Ticket, status: Status) -> dict[str, Any]:
    """The data of the latest transition into ``status`` (the unit's request or reply)."""
    for event in reversed(ticket.events):
        if event.kind == "transition" and event.to_status == status.value:
            return dict(event.data)
    return {}


def deadline_text(ticket: Ticket, now: datetime) -> tuple[str, str]:
    """(the 时限 line, its traffic light: red/amber/green, "" when none applies)."""
    if ticket.due_at is None:
        return QCoreApplication.translate("TicketDetail", "无（{0}）").format(
            domain_names.status(ticket.status)
        ), ""
    due = ticket.due_at.astimezone(timeutil.SHANGHAI)
    if ticket.status in TERMINAL or ticket.status is Status.CLOSED:
        return QCoreApplication.translate("TicketDetail", "{0} 前办结（已结束）").format(
            f"{due:%Y-%m-%d %H:%M}"
        ), ""
    light = traffic_light(ticket.due_at, now, ticket.created_at)
    return (
        QCoreApplication.translate("TicketDetail", "{0} 前办结 · {1}").format(
            f"{due:%Y-%m-%d %H:%M}", tr(_LIGHT_NAMES[light])
        ),
        light,
    )


class _FieldsScroll(QScrollArea):
    """The fields' scroll area: never narrower than its fields need (the splitter beside it
    gives way), so the caller row and its 显示号码 are never cut or scrolled sideways."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        width = widget.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())


class TicketDetailView(QWidget):
    """Renders a :class:`TicketDetailPresenter`'s state; sends its intents."""

    def __init__(self, presenter: TicketDetailPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketDetail")
        self.presenter = presenter
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.light = QLabel()
        self.light.setObjectName("deadlineLight")
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        labels = (
            ("status", QT_TRANSLATE_NOOP("TicketDetail", "状态")),
            ("created", QT_TRANSLATE_NOOP("TicketDetail", "受理时间")),
            ("channel", QT_TRANSLATE_NOOP("TicketDetail", "渠道")),
            ("caller", QT_TRANSLATE_NOOP("TicketDetail", "来电人")),
            ("type", QT_TRANSLATE_NOOP("TicketDetail", "诉求类型")),
            ("category", QT_TRANSLATE_NOOP("TicketDetail", "分类")),
            ("address", QT_TRANSLATE_NOOP("TicketDetail", "地址")),
            ("place", QT_TRANSLATE_NOOP("TicketDetail", "属地")),
            ("urgency", QT_TRANSLATE_NOOP("TicketDetail", "紧急程度")),
            ("units", QT_TRANSLATE_NOOP("TicketDetail", "承办单位")),
            ("due", QT_TRANSLATE_NOOP("TicketDetail", "办理时限")),
            ("outcome", QT_TRANSLATE_NOOP("TicketDetail", "受理结果")),
            ("description", QT_TRANSLATE_NOOP("TicketDetail", "诉求内容")),
            ("notes", QT_TRANSLATE_NOOP("TicketDetail", "备注")),
            ("answers", QT_TRANSLATE_NOOP("TicketDetail", "补充信息")),
            ("seat", QT_TRANSLATE_NOOP("TicketDetail", "席位/工号")),
        )
        self.unmask_button = QPushButton(self.tr("显示号码"))
        self.unmask_button.setObjectName("detailUnmask")
        self.unmask_button.setToolTip(self.tr("显示完整号码（记入审计日志）"))
        self.unmask_button.clicked.connect(presenter.toggle_unmask)
        for key, label in labels:
            value = QLabel()
            # The caller (name and numbers) stays on one line: a number is never broken.
            value.setWordWrap(key != "caller")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            if key in ("caller", "due"):
                # A widget, not a bare layout: QFormLayout gives a nested layout the height
                # of one line, so a value that wraps beside its button (来电人 at 1366x820)
                # was cut; a widget's row gets its height for its width.
                cell = QWidget()
                cell.setObjectName(f"detailRow_{key}")
                row = QHBoxLayout(cell)
                row.setContentsMargins(0, 0, 0, 0)
                if key == "caller":
                    row.addWidget(value, 1)
                    row.addWidget(self.unmask_button, 0, Qt.AlignmentFlag.AlignTop)
                else:
                    row.addWidget(self.light, 0, Qt.AlignmentFlag.AlignTop)
                    row.addWidget(value, 1)
                form.addRow(tr(str(label)), cell)
            else:
                form.addRow(tr(str(label)), value)
        fields_box = QWidget()
        fields_box.setLayout(form)
        scroll = _FieldsScroll(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(fields_box)
        self.fields_scroll = scroll

        self.timeline = TimelineModel(self)
        self.timeline_view = self._table(self.timeline)
        self.timeline_view.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch
        )
        timeline_box = QGroupBox(self.tr("办理经过"))
        QVBoxLayout(timeline_box).addWidget(self.timeline_view)

        self.feedback = QLabel()
        self.feedback.setObjectName("detailFeedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        feedback_box = QGroupBox(self.tr("承办单位反馈"))
        QVBoxLayout(feedback_box).addWidget(self.feedback)

        # The call's transcript saved with the ticket (redacted; read-only; none: hidden).
        self.transcript = QPlainTextEdit()
        self.transcript.setObjectName("detailTranscript")
        self.transcript.setReadOnly(True)
        self.transcript.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.transcript_box = QGroupBox(self.tr("通话记录"))
        QVBoxLayout(self.transcript_box).addWidget(self.transcript)
        self.transcript_box.hide()
        # The repeat calls' transcripts (告知进展, 补充, 催办), each under its kind and time.
        self.repeat_transcript = QPlainTextEdit()
        self.repeat_transcript.setObjectName("detailRepeatTranscript")
        self.repeat_transcript.setReadOnly(True)
        self.repeat_transcript.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.repeat_box = QGroupBox(self.tr("复诉通话记录"))
        QVBoxLayout(self.repeat_box).addWidget(self.repeat_transcript)
        self.repeat_box.hide()

        self.related = RelatedModel(self)
        self.related_view = self._table(self.related)
        self.related_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.related_view.doubleClicked.connect(self._open_related)
        related_box = QGroupBox(self.tr("相关工单（双击打开）"))
        QVBoxLayout(related_box).addWidget(self.related_view)

        self.actions_row = QHBoxLayout()
        self.action_buttons: list[QPushButton] = []
        actions_box = QGroupBox(self.tr("可执行的操作"))
        actions_box.setLayout(self.actions_row)
        # The form of the step chosen (a ruling, a callback), under the buttons.
        self.dispute_form = DisputeForm()
        self.extension_form = ExtensionForm()
        self.callback_form = CallbackForm()
        self.redispatch_form = RedispatchForm()
        self.panel_stack = QStackedWidget()
        self.panels: dict[str, QWidget] = {
            "dispute": self.dispute_form,
            "extension": self.extension_form,
            "callback": self.callback_form,
            "redispatch": self.redispatch_form,
        }
        for panel_form in self.panels.values():
            self.panel_stack.addWidget(panel_form)
        self.panel_box = QGroupBox()
        self.panel_box.setObjectName("detailActionPanel")
        QVBoxLayout(self.panel_box).addWidget(self.panel_stack)
        self.panel_box.hide()
        self.notice = QLabel()
        self.notice.setObjectName("detailNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.dispute_form.uphold_requested.connect(presenter.uphold)
        self.dispute_form.reject_requested.connect(presenter.reject)
        self.extension_form.approve_requested.connect(presenter.approve)
        self.extension_form.deny_requested.connect(presenter.deny)
        self.callback_form.reveal_requested.connect(presenter.reveal)
        self.callback_form.record_requested.connect(presenter.record)
        self.redispatch_form.uphold_requested.connect(presenter.redispatch)
        self._panel_for: tuple[str, str, bool] = ("", "", False)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(timeline_box)
        right.addWidget(feedback_box)
        right.addWidget(self.transcript_box)
        right.addWidget(self.repeat_box)
        right.addWidget(related_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setStretchFactor(2, 2)
        right.setStretchFactor(3, 1)
        right.setStretchFactor(4, 2)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(scroll)
        body.addWidget(right)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setSizes([480, 720])

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)
        layout.addWidget(actions_box)
        layout.addWidget(self.notice)
        layout.addWidget(self.panel_box)
        presenter.changed.connect(self.show_state)
        self.show_state(presenter.state)

    @staticmethod
    def _table(model: QAbstractTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return view

    @Slot(object)
    def show_state(self, state: DetailState) -> None:
        detail = state.detail
        if state.loading:
            self.message.setText(self.tr("正在读取工单…"))
        else:
            self.message.setText(state.error)
        self.message.setVisible(bool(self.message.text()))
        if detail is None:
            self.title.setText(self.tr("工单详情"))
            for label in self.fields.values():
                label.clear()
            self.timeline.set_events(())
            self.related.set_rows([])
            self.feedback.clear()
            self._show_transcript(())
            self._show_repeat_calls(())
            self.unmask_button.hide()
            self._set_actions([])
            self._show_panel(state)
            return
        t = detail.ticket
        self.title.setText(
            self.tr("工单 {0} · {1}").format(t.number, domain_names.status(t.status))
        )
        f = self.fields
        f["status"].setText(domain_names.status(t.status))
        f["created"].setText(f"{t.created_at.astimezone(timeutil.SHANGHAI):%Y-%m-%d %H:%M:%S}")
        f["channel"].setText(domain_names.channel(t.channel))
        f["caller"].setText(self._caller(t, state.unmasked))
        self.unmask_button.setVisible(bool(t.caller.phones) and not t.caller.confidential)
        self.unmask_button.setText(self.tr("隐藏号码") if state.unmasked else self.tr("显示号码"))
        f["type"].setText(domain_names.request_type(t.request_type) if t.request_type else "—")
        f["category"].setText(t.category_name or "—")
        f["address"].setText(t.place.address or "—")
        f["place"].setText(f"{t.place.district}{t.place.township}{t.place.community}" or "—")
        f["urgency"].setText(domain_names.urgency(t.urgency))
        units = t.main_unit or "—"
        if t.co_units:
            units += self.tr("（协办：{0}）").format("、".join(t.co_units))
        f["units"].setText(units)
        due, light = deadline_text(t, timeutil.now())
        f["due"].setText(due)
        if light:
            colour = _LIGHT_COLOURS[light].name()
            self.light.setText("● ")
            self.light.setStyleSheet(f"color: {colour}; font-size: 16px;")
            self.light.setToolTip(tr(_LIGHT_NAMES[light]))
            self.light.show()
        else:
            self.light.hide()
        outcome = domain_names.outcome(Outcome(t.outcome)) if t.outcome else "—"
        if t.outcome_detail:
            outcome += f"（{t.outcome_detail}）"
        if t.merged_into:
            outcome += self.tr("，并入 {0}").format(t.merged_into)
        merged_calls = sum(1 for e in t.events if e.kind == "merged_call")
        if merged_calls:
            outcome += self.tr("；共 {0} 位来电人反映（{1} 通来电并入本单）").format(
                merged_calls + 1, merged_calls
            )
        f["outcome"].setText(outcome)
        f["description"].setText(t.description or "—")
        f["notes"].setText(t.notes or "—")
        answers = t.extra.get("answers") if isinstance(t.extra, dict) else None
        if isinstance(answers, dict) and answers:
            f["answers"].setText("\n".join(f"{k}：{v}" for k, v in answers.items()))
        else:
            f["answers"].setText("—")
        f["seat"].setText(f"{t.seat} / {t.operator_id}")
        self.fields_scroll.updateGeometry()  # its minimum width follows the fields
        self.timeline.set_events(t.events)
        replies = [e for e in t.events if is_feedback(e) and feedback_text(e)]
        if replies:
            self.feedback.setText(
                "\n\n".join(
                    f"{e.at.astimezone(timeutil.SHANGHAI):%m-%d %H:%M} {actor_text(e)}：\n"
                    f"{feedback_text(e)}{_result_suffix(e)}"
                    for e in replies
                )
            )
        else:
            self.feedback.setText(self.tr("暂无承办单位反馈"))
        self._show_transcript(detail.transcript)
        self._show_repeat_calls(detail.repeat_calls)
        self.related.set_rows([(r.relation, r.summary) for r in detail.related])
        self._set_actions(self.presenter.actions_for_role())
        self._show_panel(state)

    def _show_transcript(self, lines: tuple[TranscriptLine, ...]) -> None:
        """通话记录: one ``mm:ss  text`` line each; the section is hidden without lines."""
        text = "\n".join(f"{x.at}  {x.text}" for x in lines)
        if self.transcript.toPlainText() != text:
            self.transcript.setPlainText(text)
        self.transcript_box.setVisible(bool(lines))

    def _show_repeat_calls(self, calls: tuple[Any, ...]) -> None:
        """复诉通话记录: each repeat call's kind and time, then its lines; hidden without any."""
        names = {
            "progress_call": self.tr("告知进展"),
            "supplement": self.tr("补充"),
            "chase": self.tr("催办"),
        }
        blocks = []
        for call in calls:
            when = f" {call.at.astimezone(timeutil.SHANGHAI):%m-%d %H:%M}" if call.at else ""
            head = f"【{names.get(call.kind, call.kind)}{when}】"
            blocks.append("\n".join([head, *(f"{x.at}  {x.text}" for x in call.lines)]))
        text = "\n\n".join(blocks)
        if self.repeat_transcript.toPlainText() != text:
            self.repeat_transcript.setPlainText(text)
        self.repeat_box.setVisible(bool(calls))

    def _show_panel(self, state: DetailState) -> None:
        """The chosen step's form and the last action's notice."""
        self.notice.setText(state.notice)
        self.notice.setStyleSheet(f"color: {RED.name()};" if state.notice_error else "")
        self.notice.setVisible(bool(state.notice))
        detail = state.detail
        if detail is None or not state.panel or self.presenter.panel_for_current() != state.panel:
            self.panel_box.hide()
            self._panel_for = ("", "", False)
            return
        t = detail.ticket
        self.panel_box.setTitle(tr(_PANEL_NAMES[state.panel]))
        self.panel_stack.setCurrentWidget(self.panels[state.panel])
        key = (t.id, state.panel, state.choices is not None or state.preview is not None)
        fresh = key != self._panel_for
        self._panel_for = key
        if state.panel in ("dispute", "redispatch"):
            form = self.dispute_form if state.panel == "dispute" else self.redispatch_form
            if fresh:
                form.set_choices(state.choices, t.main_unit)
            form.set_busy(state.busy)
        elif state.panel == "extension":
            request = last_request(t, Status.EXTENSION_REQUESTED)
            if fresh or state.preview_loading:
                self.extension_form.set_request(
                    int(request.get("days") or 0), t.due_at, state.preview,
                    loading=state.preview_loading,
                )  # fmt: skip
            self.extension_form.set_busy(state.busy)
        else:
            reply = last_request(t, Status.REPLIED)
            self.callback_form.set_ticket(
                reply=str(reply.get("text") or ""),
                caller=self._caller(t, False),
                number=state.number,
                revealing=state.revealing,
                can_reveal=bool(t.caller.phones),
                replied=t.status is Status.REPLIED,
                fresh=fresh,
            )
            self.callback_form.set_busy(state.busy)
        self.panel_box.show()

    def _caller(self, t: Ticket, unmasked: bool) -> str:
        numbers = [display_number(p) for p in t.caller.phones]
        if t.caller.confidential:
            text = f"{mask_name(t.caller.name)} {' '.join(mask_phone(n) for n in numbers)}"
            return text.strip() + self.tr("（保密）")
        if unmasked:
            return f"{t.caller.name} {' '.join(numbers)}".strip()
        return f"{mask_name(t.caller.name)} {' '.join(mask_phone(n) for n in numbers)}".strip()

    def _set_actions(self, actions: list[tuple[Status, str]]) -> None:
        for button in self.action_buttons:
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = []
        while self.actions_row.count():
            self.actions_row.takeAt(0)
        if not actions:
            none = QPushButton(self.tr("当前状态下本角色无可执行操作"))
            none.setFlat(True)
            none.setEnabled(False)
            self.action_buttons.append(none)
            self.actions_row.addWidget(none)
        for target, reason in actions:
            panel = self.presenter.panel_for(target)
            if panel:
                button = QPushButton(tr(_PANEL_NAMES[panel]))
                button.setToolTip(reason)
                button.clicked.connect(lambda _=False, k=panel: self.presenter.open_panel(k))
                button.setEnabled(not self.presenter.state.busy)
            else:
                button = QPushButton(self.tr("转为「{0}」").format(domain_names.status(target)))
                button.setEnabled(False)
                button.setToolTip(f"{reason}\n{tr(NO_COMMAND_TIP)}".strip())
            button.setObjectName(f"action_{target.value}")
            self.action_buttons.append(button)
            self.actions_row.addWidget(button)
        self.actions_row.addStretch(1)

    def _open_related(self, index: QModelIndex) -> None:
        if index.isValid():
            self.presenter.open_requested.emit(self.related.row_at(index.row()).id)


class TicketDetailWindow(QWidget):
    """The window a ticket's detail opens in (non-modal; Esc closes it)."""

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        role: Role,
        parent: QWidget | None = None,
        *,
        actions: FollowupActions | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ticketDetailWindow")
        self.presenter = TicketDetailPresenter(runner, workstation, role, self, actions=actions)
        self.view = TicketDetailView(self.presenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(1200, 760)
        self.presenter.changed.connect(self._retitle)
        close = QShortcut(QKeySequence("Escape"), self)
        close.activated.connect(self.close)
        self._retitle(self.presenter.state)

    def open(self, ticket_id: str) -> None:
        self.presenter.open(ticket_id)
        if self.isVisible():
            self.raise_()  # behind the main window: bring it to the front
        else:
            self.show()

    def _retitle(self, state: DetailState) -> None:
        number = state.detail.ticket.number if state.detail else ""
        self.setWindowTitle(self.tr("工单详情 {0}").format(number).strip())
