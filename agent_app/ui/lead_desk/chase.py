"""催办 from the lead's desk: the 超时预警 list by unit, and a chase with a note to the unit.

:class:`ChasePresenter` owns what a chase needs and gives: the note's template (naming the
due time), the check that asks before chasing a ticket again within
:data:`~agent_app.services.chase.CHASE_AGAIN`, the chase itself on a worker (through the desk's
chase source: the centre as the lead's login, or the seat's outbox), and what became of each
ticket (sent, queued, or 未送达 with its reason).  The chased rows of the list get their new
count and time in place (:meth:`ReviewPresenter.update_rows`).  A chase the centre refused
later, at sync time, comes with its row (``ReviewRow.undelivered``, the seat's outbox record
read with the page) and shows 未送达 there too; 重新发送 queues it again
(:meth:`ChasePresenter.resend`, as ``agent-app sync --resend`` does).

:class:`OverdueView` is the 超时预警 tab: overdue or due within 4/24/72 hours, one unit or
all, several rows selectable (or every loaded row of a unit), 催办… and a 催办 column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelectionModel,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.deadlines import DUE_SOON_HOURS
from agent_app.domain.followup import FOLLOWUP_TEXT_MAX
from agent_app.services.chase import CHASE_AGAIN, ChaseResult, chased_recently
from agent_app.services.review import ReviewRow
from agent_app.ui.lead_desk.presenters import ReviewPresenter, problem
from agent_app.ui.lead_desk.tables import Col
from agent_app.ui.lead_desk.views import ReviewView
from agent_app.ui.models.ticket_table import AMBER, RED
from agent_app.ui.widgets import FlowLayout
from agent_app.workers.tasks import Change, TaskRunner

ChaseFn = Callable[[Sequence[str], str], list[ChaseResult]]
ResendFn = Callable[[Sequence[str]], list[ChaseResult]]

SOON_SCOPE = "due24"
"""The scope the amber light opens (due within DUE_SOON_HOURS, not yet overdue)."""
SCOPES: tuple[tuple[str, object, dict[str, Any]], ...] = (
    ("overdue", QT_TRANSLATE_NOOP("LeadDesk", "已超时"), {"overdue": True}),
    (
        "due4",
        QT_TRANSLATE_NOOP("LeadDesk", "4小时内到期"),
        {"overdue": False, "due_within_hours": 4.0},
    ),
    (  # the amber light's list: the same rule as its count (DUE_SOON_HOURS)
        SOON_SCOPE,
        QT_TRANSLATE_NOOP("LeadDesk", "24小时内到期"),
        {"overdue": False, "due_within_hours": float(DUE_SOON_HOURS)},
    ),
    (
        "due72",
        QT_TRANSLATE_NOOP("LeadDesk", "72小时内到期"),
        {"overdue": False, "due_within_hours": 72.0},
    ),
)


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def _at(text: str | datetime | None) -> str:
    if not text:
        return "—"
    at = text if isinstance(text, datetime) else datetime.fromisoformat(text)
    return f"{at.astimezone(timeutil.SHANGHAI):%m-%d %H:%M}"


CHASE_SHOWN = 6
"""The chase dialog names this many of its tickets (all of them in its tooltip)."""
DUE_FIELD = "{办理时限}"
"""In a note for several tickets: each ticket's own due time (filled per ticket)."""
# The note is what the unit reads: Chinese whatever the desk's language.
NOTE_OVERDUE = "该工单办理时限为{due}，现已超时，请立即办理并反馈办理结果。"
NOTE_DUE_SOON = "该工单将于{due}到期，请抓紧办理，按时反馈办理结果。"
NOTE_MIXED = "该工单办理时限为{due}，请抓紧办理，按时反馈办理结果。"
NOTE_PLAIN = "请尽快办理并按时反馈办理结果。"


def note_template(rows: Sequence[ReviewRow]) -> str:
    """The note a chase starts with, naming the due time: the ticket's own for one ticket,
    :data:`DUE_FIELD` (filled per ticket by :func:`note_for`) for several."""
    timed = [r for r in rows if r.due_at]
    if not timed:
        return NOTE_PLAIN
    if all(r.overdue for r in rows):
        text = NOTE_OVERDUE
    elif not any(r.overdue for r in rows):
        text = NOTE_DUE_SOON
    else:
        text = NOTE_MIXED
    return text.format(due=_at(timed[0].due_at) if len(rows) == 1 else DUE_FIELD)


def note_for(row: ReviewRow, text: str) -> str:
    """The note as this ticket's unit reads it (its own due time in place of DUE_FIELD)."""
    return text.replace(DUE_FIELD, _at(row.due_at))


@dataclass(frozen=True)
class ChaseState:
    busy: bool = False
    message: str = ""
    error: bool = False
    outcomes: tuple[tuple[str, ChaseResult], ...] = ()  # number → the latest result here

    def outcome(self, number: str) -> ChaseResult | None:
        return dict(self.outcomes).get(number)


class ChasePresenter(QObject):
    """Chases the rows of ``rows`` (the 超时预警 list).  ``chase`` is the desk's chase
    source (None: the desk cannot chase); ``seat`` True: it writes the seat's database (the
    single writer, then the seat's tickets changed), else it talks to the centre.
    Signals: changed(ChaseState); chased(int): this many tickets got their chase."""

    changed = Signal(object)
    chased = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        rows: ReviewPresenter,
        chase: ChaseFn | None,
        parent: QObject | None = None,
        *,
        seat: bool = True,
        clock: Callable[[], datetime] = timeutil.now,
        resend: ResendFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.rows = rows
        self.source = chase
        self.resender = resend
        self.seat = seat
        self.clock = clock
        self.state = ChaseState()

    def _set(self, state: ChaseState) -> None:
        self.state = state
        self.changed.emit(state)

    def _say(self, text: str, *, error: bool) -> None:
        self._set(replace(self.state, message=text, error=error))

    def rows_of(self, ids: Sequence[str]) -> list[ReviewRow]:
        wanted = set(ids)
        return [r for r in self.rows.state.rows if r.id in wanted]

    def template(self, ids: Sequence[str]) -> str:
        return note_template(self.rows_of(ids))

    def recent(self, ids: Sequence[str]) -> list[ReviewRow]:
        """The chosen rows chased less than CHASE_AGAIN ago (asked about first)."""
        now = self.clock()
        return [r for r in self.rows_of(ids) if chased_recently(r.last_chase, now)]

    def chase(self, ids: Sequence[str], text: str, *, confirmed: bool = False) -> str:
        """Chase the rows ``ids`` with the note ``text`` on a worker.  Returns ``started``;
        ``confirm`` (nothing done) when a row was chased recently and not ``confirmed``;
        ``invalid`` (the message says why) when there is nothing to do."""
        rows = self.rows_of(ids)
        words = text.strip()
        if self.source is None:
            self._say(tr(QT_TRANSLATE_NOOP("LeadDesk", "本席位不能催办")), error=True)
            return "invalid"
        if self.state.busy:
            return "invalid"
        if not rows:
            self._say(tr(QT_TRANSLATE_NOOP("LeadDesk", "请先选择要催办的工单")), error=True)
            return "invalid"
        if not words:
            self._say(tr(QT_TRANSLATE_NOOP("LeadDesk", "请填写催办说明")), error=True)
            return "invalid"
        notes: dict[str, list[str]] = {}  # the note as each unit reads it → its tickets
        for row in rows:
            notes.setdefault(note_for(row, words), []).append(row.number)
        if max(len(n) for n in notes) > FOLLOWUP_TEXT_MAX:
            self._say(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "催办说明过长（最多 {0} 字）")).format(
                    FOLLOWUP_TEXT_MAX
                ),
                error=True,
            )
            return "invalid"
        if not confirmed and self.recent(ids):
            return "confirm"
        source, numbers = self.source, [r.number for r in rows]

        def run() -> list[ChaseResult]:
            out: list[ChaseResult] = []
            for note, group in notes.items():
                out += source(group, note)
            return out

        self._set(
            replace(
                self.state,
                busy=True,
                error=False,
                message=tr(QT_TRANSLATE_NOOP("LeadDesk", "正在催办 {0} 张工单…")).format(
                    len(numbers)
                ),
            )
        )
        if self.seat:
            self.runner.run_mutation(
                run, self._done, self._failed, change=Change.TICKETS, owner=self
            )
        else:
            self.runner.run_query(run, self._done, self._failed, owner=self)
        return "started"

    def _done(self, results: list[ChaseResult]) -> None:
        by_number = {r.number: r for r in results}
        changed: dict[str, ReviewRow] = {}
        for row in self.rows.state.rows:
            res = by_number.get(row.number)
            if res is None or not res.delivered or res.at is None:
                continue
            changed[row.id] = replace(
                row, chases=res.chases or row.chases + 1, last_chase=res.at.isoformat()
            )
        self.rows.update_rows(changed)
        refused = [r for r in results if not r.delivered]
        counts = {o: sum(1 for r in results if r.outcome == o) for o in ("sent", "queued")}
        text = tr(
            QT_TRANSLATE_NOOP(
                "LeadDesk",
                "已催办 {done} 张（中心已记录 {sent}，待同步送达 {queued}）；未送达 {refused} 张",
            )
        ).format(
            done=len(results) - len(refused),
            sent=counts["sent"],
            queued=counts["queued"],
            refused=len(refused),
        )
        if refused:
            first = refused[0]
            text += " — " + tr(QT_TRANSLATE_NOOP("LeadDesk", "{number}：{reason}")).format(
                number=first.number, reason=first.reason
            )
        outcomes = dict(self.state.outcomes)
        outcomes.update(by_number)
        self._set(
            ChaseState(
                busy=False, message=text, error=bool(refused), outcomes=tuple(outcomes.items())
            )
        )
        self.chased.emit(len(results) - len(refused))

    def _failed(self, error: BaseException) -> None:
        self._set(replace(self.state, busy=False, message=problem(error), error=True))

    def undelivered(self, ids: Sequence[str]) -> list[ReviewRow]:
        """The chosen rows whose change the seat's outbox holds as 未送达."""
        return [r for r in self.rows_of(ids) if r.undelivered]

    def resend(self, ids: Sequence[str]) -> str:
        """Queue the undelivered changes of the rows ``ids`` again (the seat's outbox, a
        worker; the next sync delivers them).  Returns ``started`` or ``invalid``."""
        rows = self.undelivered(ids)
        if self.resender is None or self.state.busy:
            return "invalid"
        if not rows:
            self._say(tr(QT_TRANSLATE_NOOP("LeadDesk", "所选工单没有未送达的催办")), error=True)
            return "invalid"
        resend, numbers = self.resender, [r.number for r in rows]
        self._set(
            replace(
                self.state,
                busy=True,
                error=False,
                message=tr(QT_TRANSLATE_NOOP("LeadDesk", "正在重新发送 {0} 张工单…")).format(
                    len(numbers)
                ),
            )
        )
        self.runner.run_mutation(
            lambda: resend(numbers), self._resent, self._failed, change=Change.TICKETS, owner=self
        )
        return "started"

    def _resent(self, results: list[ChaseResult]) -> None:
        by_number = {r.number: r for r in results}
        queued = {n for n, r in by_number.items() if r.delivered}
        self.rows.update_rows(
            {r.id: replace(r, undelivered="") for r in self.rows.state.rows if r.number in queued}
        )
        refused = [r for r in results if not r.delivered]
        text = tr(
            QT_TRANSLATE_NOOP(
                "LeadDesk", "已重新发送 {done} 张，待同步送达；未能重新发送 {refused} 张"
            )
        ).format(done=len(queued), refused=len(refused))
        if refused:
            first = refused[0]
            text += " — " + tr(QT_TRANSLATE_NOOP("LeadDesk", "{number}：{reason}")).format(
                number=first.number, reason=first.reason
            )
        outcomes = dict(self.state.outcomes)
        outcomes.update(by_number)
        self._set(
            ChaseState(
                busy=False, message=text, error=bool(refused), outcomes=tuple(outcomes.items())
            )
        )


def chase_text(row: ReviewRow, result: ChaseResult | None) -> str:
    """The 催办 cell: 未送达 and why, or the count and the latest time."""
    if result is not None and not result.delivered:
        return tr(QT_TRANSLATE_NOOP("LeadDesk", "未送达：{0}")).format(result.reason)
    if row.undelivered:  # refused later, at sync time: the seat's outbox says so
        return tr(QT_TRANSLATE_NOOP("LeadDesk", "未送达：{0}")).format(row.undelivered)
    if not row.chases:
        if result is not None and result.outcome == "queued":
            return tr(QT_TRANSLATE_NOOP("LeadDesk", "待同步送达"))
        return ""
    text = tr(QT_TRANSLATE_NOOP("LeadDesk", "{n} 次，最近 {at}")).format(
        n=row.chases, at=_at(row.last_chase)
    )
    if result is not None and result.outcome == "queued":
        text += tr(QT_TRANSLATE_NOOP("LeadDesk", "（待同步）"))
    return text


# The dialogs (behind classmethods the tests replace) -------------------------------------------


class ChaseDialog(QDialog):
    """The note of a chase: required, prefilled; the tickets it goes to."""

    def __init__(self, numbers: Sequence[str], template: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chaseDialog")
        self.setWindowTitle(tr(QT_TRANSLATE_NOOP("LeadDesk", "催办")))
        head = QLabel(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "向承办单位催办 {0} 张工单：")).format(len(numbers))
        )
        head.setWordWrap(True)
        # The numbers: each on one line (never broken at its hyphens), wrapping between
        # numbers; the first CHASE_SHOWN, the rest in the tooltip.
        self.numbers = QWidget()
        self.numbers.setObjectName("chaseNumbers")
        flow = FlowLayout(self.numbers, spacing=12)
        for number in numbers[:CHASE_SHOWN]:
            label = QLabel(number)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            flow.addWidget(label)
        if len(numbers) > CHASE_SHOWN:
            more = QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "等 {0} 张")).format(len(numbers)))
            more.setObjectName("chaseMore")
            flow.addWidget(more)
        self.numbers.setToolTip("\n".join(numbers))
        self.note = QPlainTextEdit(template)
        self.note.setObjectName("chaseNote")
        self.note.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "催办说明（必填）")))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr(QT_TRANSLATE_NOOP("LeadDesk", "催办")))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr(QT_TRANSLATE_NOOP("LeadDesk", "取消")))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._note_changed)
        self._note_changed()
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.numbers)
        layout.addWidget(self.note, 1)
        if DUE_FIELD in template:
            hint = QLabel(
                tr(
                    QT_TRANSLATE_NOOP("LeadDesk", "说明中的「{0}」在每张工单上换成该工单的办理时限")
                ).format(DUE_FIELD)
            )
            hint.setObjectName("chaseHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #445;")
            layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.resize(520, 240)

    def _note_changed(self) -> None:
        """催办 only with a note."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note.toPlainText().strip()))

    @classmethod
    def ask(cls, parent: QWidget, numbers: Sequence[str], template: str) -> str | None:
        """The note, or None when the lead cancelled."""
        dialog = cls(numbers, template, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.note.toPlainText().strip()
        finally:
            dialog.deleteLater()


def ask_again(parent: QWidget, rows: Sequence[ReviewRow]) -> bool:
    """Whether to chase again tickets chased less than CHASE_AGAIN ago."""
    hours = int(CHASE_AGAIN.total_seconds() // 3600)
    text = tr(
        QT_TRANSLATE_NOOP(
            "LeadDesk", "{n} 张工单在 {hours} 小时内已催办过（如 {number}，{at}）。仍要再次催办吗？"
        )
    ).format(n=len(rows), hours=hours, number=rows[0].number, at=_at(rows[0].last_chase))
    box = QMessageBox(
        QMessageBox.Icon.Question,
        tr(QT_TRANSLATE_NOOP("LeadDesk", "再次催办")),
        text,
        parent=parent,
    )
    again = box.addButton(
        tr(QT_TRANSLATE_NOOP("LeadDesk", "再次催办")), QMessageBox.ButtonRole.AcceptRole
    )
    cancel = box.addButton(
        tr(QT_TRANSLATE_NOOP("LeadDesk", "取消")), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(cancel)
    try:
        box.exec()
        return box.clickedButton() is again
    finally:
        box.deleteLater()


# The 超时预警 tab -------------------------------------------------------------------------------


class OverdueView(ReviewView):
    """The overdue and due-soon tickets by due time, one unit or all; select rows (or a
    unit's), 催办….  ``ask_note`` and ``confirm`` are the dialogs (tests replace them)."""

    def __init__(self, presenter: ReviewPresenter, chase: ChasePresenter) -> None:
        column = Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "催办")),
            lambda r: chase_text(r, chase.state.outcome(r.number)),
            lambda r: (r.chases, r.last_chase or ""),
            colour=self._chase_colour,
        )
        super().__init__(presenter, filters=False, name="overdueView", extra=(column,))
        self.chaser = chase
        self.ask_note: Callable[[QWidget, Sequence[str], str], str | None] = ChaseDialog.ask
        self.confirm: Callable[[QWidget, Sequence[ReviewRow]], bool] = ask_again
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # In sight first: the number, the due time, the unit and its chases.
        header = self.table.horizontalHeader()
        last = self.model.columnCount() - 1
        for at, logical in enumerate((0, 3, 7, last)):  # 工单号, 办理时限, 承办单位, 催办
            header.moveSection(header.visualIndex(logical), at)
        self.scope = QComboBox()
        self.scope.setObjectName("overdueScope")
        for key, text, _ in SCOPES:
            self.scope.addItem(tr(text), key)
        self.unit_filter = QLineEdit()
        self.unit_filter.setObjectName("overdueUnit")
        self.unit_filter.setClearButtonEnabled(True)
        self.unit_filter.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "承办单位（全部）")))
        self.same_unit_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "选中同单位")))
        self.same_unit_button.setObjectName("overdueSameUnit")
        self.same_unit_button.setToolTip(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "选中已列出的、与所选工单同一承办单位的全部工单"))
        )
        self.chase_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "催办…")))
        self.chase_button.setObjectName("overdueChase")
        self.chase_button.setToolTip(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "向所选工单的承办单位催办，附催办说明"))
        )
        self.resend_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "重新发送")))
        self.resend_button.setObjectName("overdueResend")
        self.resend_button.setToolTip(
            tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk",
                    "未送达：中心在同步时拒收了本席位发出的催办。"
                    "重新发送所选工单的未送达记录，下次同步送达（同 agent-app sync --resend）",
                )
            )
        )
        self.resend_button.hide()  # shown while a listed row is 未送达 (the seat's outbox)
        self.chase_message = QLabel()
        self.chase_message.setObjectName("overdueChaseMessage")
        self.chase_message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.scope)
        bar.addWidget(self.unit_filter, 1)
        bar.addWidget(self.same_unit_button)
        bar.addWidget(self.chase_button)
        bar.addWidget(self.resend_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, bar)
        layout.addWidget(self.chase_message)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.unit_filter.editingFinished.connect(self._scope_changed)
        self.same_unit_button.clicked.connect(self.select_same_unit)
        self.chase_button.clicked.connect(self.chase_selected)
        self.resend_button.clicked.connect(self.resend_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        chase.changed.connect(self.show_chase)
        presenter.changed.connect(self._rows_changed)
        self.show_chase(chase.state)

    def _chase_colour(self, row: ReviewRow) -> str | None:
        result = self.chaser.state.outcome(row.number)
        if result is not None and not result.delivered:
            return RED.name()
        if row.undelivered:
            return RED.name()
        if chased_recently(row.last_chase, self.chaser.clock()):
            return AMBER.name()
        return None

    def show_scope(self, key: str) -> None:
        """List ``overdue`` or ``due4``/``due24``/``due72`` (a key of SCOPES)."""
        at = self.scope.findData(key)
        if at >= 0:
            self.scope.setCurrentIndex(at)

    def _scope_changed(self, *_args: object) -> None:
        scope: dict[str, Any] = {"overdue": False, "due_within_hours": None}
        scope.update(SCOPES[max(self.scope.currentIndex(), 0)][2])
        flt = replace(
            self.presenter.state.filter, unit=self.unit_filter.text().strip(), sort="due", **scope
        )
        if flt != self.presenter.state.filter:
            self.presenter.set_filter(flt)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.row_at(r).id for r in rows]

    def select_same_unit(self) -> None:
        """Add every listed row of the selected rows' units to the selection."""
        units = {r.unit for r in self.chaser.rows_of(self.selected_ids())}
        if not units:
            return
        sel = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for i in range(self.proxy.rowCount()):
            if self.proxy.row_at(i).unit in units:
                sel.select(self.proxy.index(i, 0), flags)

    def chase_selected(self) -> None:
        """催办…: the note (prefilled), a confirmation for a recent chase, then the chase."""
        ids = self.selected_ids()
        if not ids:
            self.chaser.chase(ids, "")
            return
        numbers = [r.number for r in self.chaser.rows_of(ids)]
        text = self.ask_note(self, numbers, self.chaser.template(ids))
        if text is None:
            return
        if self.chaser.chase(ids, text) == "confirm" and self.confirm(
            self, self.chaser.recent(ids)
        ):
            self.chaser.chase(ids, text, confirmed=True)

    def _rows_changed(self, *_args: object) -> None:
        self.resend_button.setVisible(
            self.chaser.resender is not None
            and any(r.undelivered for r in self.presenter.state.rows)
        )

    def resend_selected(self) -> None:
        """重新发送: the selected rows' undelivered chases, queued again at the seat."""
        self.chaser.resend(self.selected_ids())

    def _selection_changed(self, *_args: object) -> None:
        n = len(self.table.selectionModel().selectedRows())
        self.resend_button.setEnabled(
            self.chaser.resender is not None
            and not self.chaser.state.busy
            and bool(self.chaser.undelivered(self.selected_ids()))
        )
        self.chase_button.setEnabled(
            n > 0 and self.chaser.source is not None and not self.chaser.state.busy
        )
        self.chase_button.setText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "催办 {0} 张…")).format(n)
            if n > 1
            else tr(QT_TRANSLATE_NOOP("LeadDesk", "催办…"))
        )

    def show_chase(self, state: ChaseState) -> None:
        self.chase_message.setText(state.message)
        self.chase_message.setStyleSheet("color: #b71c1c;" if state.error else "")
        if self.model.rowCount():
            last = self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)
        self._selection_changed()
