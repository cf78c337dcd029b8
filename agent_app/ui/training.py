"""Trainer mode in the window: scored training calls, the watermark, the session report.

:class:`TrainingSession` is the presenter: the trainer picks a trainee and scenarios (or a
course); each call rings in with the scenario's caller number, its lines play into the
transcript strip as a live call would, and the trainee works it in the real form.  When the
call is saved, the ticket is scored against the scenario's expected answer
(:mod:`agent_app.domain.training`) and the card is shown in the 培训 tab.  At the end the
session goes to the data directory's training history and the report opens (print to PDF,
export JSON/CSV).

While a session runs, the call session saves through a training workstation: tickets are
numbered on the seat ``PX-<seat>`` under the trainee's id and, being demo tickets, never get an
outbox row (nothing is synced).  Training exists only in demo mode.  A 培训 / TRAINING
watermark lies over the work area in trainer mode (the trainer role, or a session running).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QMarginsF,
    QObject,
    QPointF,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QInputEvent,
    QKeyEvent,
    QMouseEvent,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.domain.training import ITEM_ORDER, ScoreItem, abandoned_card, summarize
from agent_app.services.training import (
    CallResult,
    Course,
    Scorer,
    SessionRecord,
    TrainingHistory,
    TrainingScenario,
    build_demo_tickets,
    is_training_number,
    load_courses,
    load_library,
    report_csv,
    scenario_files,
    training_workstation,
)
from agent_app.ui import domain_names
from agent_app.workers.tasks import Change

if TYPE_CHECKING:
    from agent_app.ui.compose import Workbench
    from agent_app.ui.main_window import MainWindow

log = logging.getLogger("agent_app.ui")
CONTEXT = "training"

ITEM_NAMES: dict[str, object] = {
    "outcome": QT_TRANSLATE_NOOP("training", "处理结果"),
    "request_type": QT_TRANSLATE_NOOP("training", "诉求类型"),
    "category": QT_TRANSLATE_NOOP("training", "分类"),
    "place": QT_TRANSLATE_NOOP("training", "属地"),
    "units": QT_TRANSLATE_NOOP("training", "承办单位"),
    "tier": QT_TRANSLATE_NOOP("training", "时限"),
    "privacy": QT_TRANSLATE_NOOP("training", "保密/企业"),
    "facts": QT_TRANSLATE_NOOP("training", "诉求要素"),
}

WHY: dict[str, object] = {
    "match": QT_TRANSLATE_NOOP("training", "正确"),
    "abandoned": QT_TRANSLATE_NOOP("training", "通话未完成（已开始新来电）"),
    "outcome_wrong": QT_TRANSLATE_NOOP("training", "应为「{expected}」，实际为「{got}」"),
    "missed_transfer": QT_TRANSLATE_NOOP(
        "training", "紧急情况须立即转{line}（{line_name}），实际为「{got}」"
    ),
    "needless_transfer": QT_TRANSLATE_NOOP(
        "training", "不属紧急情况，不应转接；应为「{expected}」"
    ),
    "wrong_line": QT_TRANSLATE_NOOP("training", "转接线路错误：应转{expected}，实际转{got}"),
    "wrong_channel": QT_TRANSLATE_NOOP(
        "training", "告知途径错误：应为「{expected}」，实际为「{got}」"
    ),
    "wrong_merge_target": QT_TRANSLATE_NOOP(
        "training", "并单对象错误：应并入 {expected}，实际并入 {got}"
    ),
    "type_wrong": QT_TRANSLATE_NOOP("training", "应为「{expected}」，实际为「{got}」"),
    "type_missing": QT_TRANSLATE_NOOP("training", "未选诉求类型，应为「{expected}」"),
    "same_l2": QT_TRANSLATE_NOOP("training", "一、二级正确（{l2}），三级分类不对：部分得分"),
    "same_l1": QT_TRANSLATE_NOOP("training", "仅一级分类正确（{l1}）：部分得分"),
    "category_wrong": QT_TRANSLATE_NOOP("training", "分类不对"),
    "category_missing": QT_TRANSLATE_NOOP("training", "未选分类"),
    "district_wrong": QT_TRANSLATE_NOOP("training", "区不对：应为{expected}，实际为{got}"),
    "township_wrong": QT_TRANSLATE_NOOP(
        "training", "区正确，街乡不对（应为{expected}，实际为{got}）：部分得分"
    ),
    "township_unknown": QT_TRANSLATE_NOOP(
        "training", "区正确；地址不足以确定街乡，应留空由区政府兜底：部分得分"
    ),
    "township_missing": QT_TRANSLATE_NOOP(
        "training", "区正确，街乡未定位（应为{expected}）：部分得分"
    ),
    "place_missing": QT_TRANSLATE_NOOP("training", "未定位属地，应为{expected}"),
    "main_unit_wrong": QT_TRANSLATE_NOOP("training", "主办单位应为{expected}，实际为{got}"),
    "co_units_partial": QT_TRANSLATE_NOOP(
        "training", "主办正确；协办缺少：{missing}；多出：{extra}"
    ),
    "units_partial": QT_TRANSLATE_NOOP(
        "training", "主办单位不对（{main}）；协办缺少：{missing}；多出：{extra}"
    ),
    "tier_wrong": QT_TRANSLATE_NOOP("training", "紧急程度应为「{expected}」，实际为「{got}」"),
    "due_differs": QT_TRANSLATE_NOOP(
        "training", "紧急程度正确，但办理时限 {got} 与规定的 {expected} 不符"
    ),
    "confidential_missed": QT_TRANSLATE_NOOP("training", "来电人要求保密，未勾选「保密」"),
    "confidential_wrong": QT_TRANSLATE_NOOP("training", "来电人未要求保密，却勾选了「保密」"),
    "company_missed": QT_TRANSLATE_NOOP("training", "来电人代表企业，未勾选「企业诉求人」"),
    "company_wrong": QT_TRANSLATE_NOOP("training", "来电人是个人，却勾选了「企业诉求人」"),
    "facts_missing": QT_TRANSLATE_NOOP("training", "描述缺少要素：{missing}"),
}

WATERMARK_TEXT = QT_TRANSLATE_NOOP("training", "培训 TRAINING")
LEVELS: dict[int, object] = {
    1: QT_TRANSLATE_NOOP("training", "入门"),
    2: QT_TRANSLATE_NOOP("training", "进阶"),
    3: QT_TRANSLATE_NOOP("training", "困难"),
}


def level(difficulty: int) -> str:
    return _t(LEVELS.get(difficulty, ""))


def _t(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP in the "training" context, translated."""
    return QCoreApplication.translate(CONTEXT, str(text))


def _pretty(value: str) -> str:
    """An outcome ("transferred:110"), request type or tier as the UI says it."""
    head, _, detail = value.partition(":")
    try:
        name = domain_names.outcome(Outcome(head))
    except ValueError:
        name = ""
    if name:
        if head == Outcome.NOT_ACCEPTED.value and detail:
            return f"{name}（{domain_names.not_accepted_channel(detail)}）"
        return f"{name} {detail}".strip()
    if value in ("consult", "help", "complaint", "report", "suggestion"):
        return domain_names.request_type(value)
    if value in ("emergency", "utility", "ordinary", "complex"):
        return domain_names.urgency(value)
    return value


def item_name(item: ScoreItem) -> str:
    return _t(ITEM_NAMES.get(item.item, item.item))


def why_text(item: ScoreItem) -> str:
    """The reason of one scored item, in the UI's language."""
    args = {k: _pretty(v) for k, v in item.args().items()}
    try:
        return _t(WHY[item.why]).format(**args)
    except (KeyError, IndexError):
        return item.why


def shown_value(item: ScoreItem, value: str) -> str:
    if item.item in ("outcome", "request_type"):
        return _pretty(value)
    if item.item == "tier":
        tier, _, due = value.partition(" ")
        return f"{_pretty(tier)} {due}".strip()
    if item.item == "privacy":
        flags = dict(part.split("=") for part in value.split() if "=" in part)
        marks = []
        if flags.get("confidential") == "True":
            marks.append(QCoreApplication.translate("training", "保密"))
        if flags.get("company") == "True":
            marks.append(QCoreApplication.translate("training", "企业诉求人"))
        return "、".join(marks) or QCoreApplication.translate("training", "无")
    return value


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(round(value), 60)
    return (
        QCoreApplication.translate("training", "{0}分{1}秒").format(minutes, seconds)
        if minutes
        else QCoreApplication.translate("training", "{0}秒").format(seconds)
    )


# --- the presenter ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingState:
    """What the training tab shows."""

    loaded: bool = False
    active: bool = False
    trainee: str = ""
    course: str = ""
    queue: tuple[str, ...] = ()
    position: int = 0  # index into queue of the call being (or next to be) taken
    in_call: bool = False
    last: CallResult | None = None
    results: tuple[CallResult, ...] = field(default=())

    @property
    def current(self) -> str:
        return self.queue[self.position] if self.position < len(self.queue) else ""


class ActionCounter(QObject):
    """Counts the trainee's actions in the window during a call: clicks, and keys that act
    (Enter, Tab, function keys, shortcuts with Ctrl/Alt) — typing itself is counted once per
    field filled, when the call ends."""

    ACTING_KEYS = frozenset(
        {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}
        | {getattr(Qt.Key, f"Key_F{n}") for n in range(1, 13)}
    )

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.count = 0

    def start(self) -> None:
        self.count = 0
        self._seen: set[tuple[int, int, int]] = set()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> int:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        return self.count

    def _once(self, event: QInputEvent, what: int) -> bool:
        """True the first time this event is seen (an event goes up to the parents too)."""
        key = (int(event.type().value), int(event.timestamp()), what)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if self._once(event, int(event.button().value)):
                self.count += 1
        elif kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            acting = event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            )
            if (
                (acting or event.key() in self.ACTING_KEYS)
                and not event.isAutoRepeat()
                and self._once(event, int(event.key()))
            ):
                self.count += 1
        return False


class TrainingSession(QObject):
    """The training presenter (see the module docstring).

    Signals:
        state_changed(object): the new :class:`TrainingState`.
        scored(object): a call was scored; its :class:`CallResult`.
        session_finished(object): the session ended; its :class:`SessionRecord`.
        message(str): something to tell the trainer.
    """

    state_changed = Signal(object)
    scored = Signal(object)
    session_finished = Signal(object)
    message = Signal(str)

    def __init__(self, bench: Workbench, *, pace: float | None = 1.0) -> None:
        super().__init__(bench.window)
        self.bench = bench
        self.window: MainWindow = bench.window
        self.pace = pace
        self.scenarios: dict[str, TrainingScenario] = {}
        self.courses: list[Course] = []
        self.scorer: Scorer | None = None
        self.history = TrainingHistory(bench.workstation.paths.root)
        self._state = TrainingState()
        self._record: SessionRecord | None = None
        self._base_workstation = bench.session.workstation
        self._counter = ActionCounter(self.window)
        self._call_id = ""
        bench.session.finished.connect(self._ticket_saved)
        bench.session.call_started.connect(self._call_started)

    @property
    def state(self) -> TrainingState:
        return self._state

    def _set(self, **changes: Any) -> None:
        self._state = replace(self._state, **changes)
        self.state_changed.emit(self._state)

    def load(self) -> None:
        """Read the library, the courses and the scoring rules in a worker."""

        def op() -> tuple[list[TrainingScenario], list[Course], Scorer]:
            return load_library(), load_courses(), Scorer.load()

        def done(result: tuple[list[TrainingScenario], list[Course], Scorer]) -> None:
            scenarios, courses, scorer = result
            self.scenarios = {sc.id: sc for sc in scenarios}
            self.courses = courses
            self.scorer = scorer
            self._set(loaded=True)

        def failed(error: BaseException) -> None:
            self.message.emit(
                QCoreApplication.translate("training", "培训场景无法加载：{0}").format(error)
            )

        self.bench.runner.run_query(op, done, failed, owner=self)

    # Intents -----------------------------------------------------------------------------

    def start(self, trainee: str, scenario_ids: Sequence[str], course: str = "") -> bool:
        """Begin a session for ``trainee`` with these scenarios, in order."""
        ids = tuple(s for s in scenario_ids if s in self.scenarios)
        trainee = trainee.strip()
        if not self._state.loaded or not ids or not trainee or self._state.active:
            return False
        self._record = SessionRecord.start(trainee, course)
        ws = training_workstation(self._base_workstation, trainee)
        self.bench.session.workstation = ws
        self._set(
            active=True, trainee=trainee, course=course, queue=ids, position=0,
            in_call=False, last=None, results=(),
        )  # fmt: skip
        return True

    def next_call(self) -> bool:
        """The next scenario's call rings in; its lines play into the transcript."""
        s = self._state
        if not s.active or s.in_call or not s.current:
            return False
        scenario = self.scenarios[s.current]
        ws = self.bench.session.workstation
        demo = build_demo_tickets(scenario, seat=self._base_workstation.seat, operator_id="trainer")

        def seed() -> None:
            for ticket in demo:
                if ws.ticket(ticket.id) is None:
                    ws.save_ticket(ticket)

        self._call_id = ""
        self._set(in_call=True, last=None)
        self.bench.runner.run_mutation(
            seed,
            lambda _r: self._ring(scenario),
            lambda e: self.message.emit(
                QCoreApplication.translate("training", "培训数据无法写入：{0}").format(e)
            ),
            change=Change.TICKETS,
            owner=self,
        )
        return True

    def _ring(self, scenario: TrainingScenario) -> None:
        self._counter.start()
        self.window.incoming.emit(scenario.caller.phone)
        strip = self.bench.panes.strip
        if strip is not None and scenario.path is not None:
            strip.stop()
            strip.clear()
            strip.set_scenarios([scenario.path], pace=self.pace)
            strip.start()

    def _call_started(self, ticket_id: str) -> None:
        """The training call rang in (remembered); another call started while it was open
        means the trainee left it unfinished: scored 0, the session moves on."""
        s = self._state
        if not s.active or not s.in_call:
            return
        if not self._call_id:
            self._call_id = ticket_id
            return
        if ticket_id == self._call_id:
            return
        self._counter.stop()
        scenario = self.scenarios[s.current]
        result = CallResult(
            scenario.id, scenario.title, scenario.difficulty, abandoned_card(scenario.id)
        )
        assert self._record is not None
        self._record = self._record.add(result)
        self._set(in_call=False, last=result, position=s.position + 1, results=(*s.results, result))
        self.scored.emit(result)

    def _ticket_saved(self, ticket: Ticket) -> None:
        s = self._state
        if not s.active or not s.in_call or self.scorer is None:
            return
        if not is_training_number(ticket.number):
            return
        scenario = self.scenarios[s.current]
        fields = len(self.bench.session.state.typed & TYPED_FIELDS)
        actions = self._counter.stop() + fields
        card = self.scorer.score(scenario, ticket, actions=actions)
        result = CallResult(scenario.id, scenario.title, scenario.difficulty, card)
        assert self._record is not None
        self._record = self._record.add(result)
        self._set(in_call=False, last=result, position=s.position + 1, results=(*s.results, result))
        self.scored.emit(result)

    def finish(self) -> SessionRecord | None:
        """End the session: stored in the history, the window back to the demo seat."""
        s = self._state
        if not s.active or self._record is None:
            return None
        self._counter.stop()
        record = self._record.finish()
        self._record = None
        self.bench.session.workstation = self._base_workstation
        strip = self.bench.panes.strip
        if strip is not None:
            strip.stop()
            strip.set_scenarios(scenario_files(), pace=1.0)
        history = self.history
        self.bench.runner.run_mutation(
            lambda: history.append(record),
            None,
            lambda e: self.message.emit(
                QCoreApplication.translate("training", "培训记录无法保存：{0}").format(e)
            ),
            change=Change.AUDIT,
            owner=self,
        )
        self._set(active=False, in_call=False)
        self.session_finished.emit(record)
        return record


TYPED_FIELDS = frozenset({"caller_name", "extra_phone", "address", "description", "notes"})


# --- views --------------------------------------------------------------------------------


class Watermark(QWidget):
    """培训 / TRAINING written across the work area; lets every click through."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("trainingWatermark")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._window = window
        window.installEventFilter(self)
        self.hide()

    def follow(self) -> None:
        central = getattr(self._window, "centralWidget", lambda: None)()
        if central is not None:
            top_left = central.mapTo(self._window, central.rect().topLeft())
            self.setGeometry(QRect(top_left, central.size()))
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.follow()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSize(40)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(200, 30, 30, 34))
        text = _t(WATERMARK_TEXT)
        step_x, step_y = 560, 260
        painter.translate(self.width() / 2, self.height() / 2)
        painter.rotate(-24)
        span = max(self.width(), self.height())
        y = -span
        row = 0
        while y < span:
            x = -span + (row % 2) * step_x // 2
            while x < span:
                painter.drawText(QPointF(x, y), text)
                x += step_x
            y += step_y
            row += 1
        painter.end()


class TrainingPane(QWidget):
    """The 培训 tab: set up a session, then the call's brief and the score card."""

    def __init__(self, training: TrainingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPane")
        self.training = training
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

        setup = QWidget()
        form = QVBoxLayout(setup)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("学员工号")))
        self.trainee = QLineEdit()
        self.trainee.setPlaceholderText(self.tr("例如 px001"))
        row.addWidget(self.trainee, 1)
        row.addWidget(QLabel(self.tr("课程")))
        self.course = QComboBox()
        row.addWidget(self.course, 2)
        form.addLayout(row)
        self.scenario_list = QListWidget()
        self.scenario_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        form.addWidget(self.scenario_list, 1)
        buttons = QHBoxLayout()
        self.history_button = QPushButton(self.tr("培训记录"))
        self.start_button = QPushButton(self.tr("开始培训"))
        self.start_button.setDefault(True)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        form.addLayout(buttons)
        self.stack.addWidget(setup)

        running = QWidget()
        run = QVBoxLayout(running)
        self.progress = QLabel()
        self.progress.setObjectName("trainingProgress")
        self.progress.setWordWrap(True)
        self.brief = QLabel()
        self.brief.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setObjectName("trainingScore")
        self.score_label.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("项目"),
                self.tr("应为"),
                self.tr("实际"),
                self.tr("得分"),
                self.tr("说明"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
            )  # fmt: skip
        ):
            header.setSectionResizeMode(col, mode)
        run_buttons = QHBoxLayout()
        self.next_button = QPushButton(self.tr("接听下一通"))
        self.finish_button = QPushButton(self.tr("结束培训并查看报告"))
        run_buttons.addWidget(self.next_button)
        run_buttons.addStretch(1)
        run_buttons.addWidget(self.finish_button)
        run.addWidget(self.progress)
        run.addWidget(self.brief)
        run.addWidget(self.score_label)
        run.addWidget(self.table, 1)
        run.addLayout(run_buttons)
        self.stack.addWidget(running)

        self.course.currentIndexChanged.connect(self._course_chosen)
        self.start_button.clicked.connect(self._start)
        self.next_button.clicked.connect(training.next_call)
        self.finish_button.clicked.connect(training.finish)
        training.state_changed.connect(self.render_state)
        self._filled = False
        self.render_state(training.state)

    def _fill(self) -> None:
        self.course.blockSignals(True)
        self.course.clear()
        self.course.addItem(self.tr("自选场景"), "")
        for course in self.training.courses:
            self.course.addItem(course.title, course.id)
        self.course.blockSignals(False)
        self.scenario_list.clear()
        for sc in self.training.scenarios.values():
            item = QListWidgetItem(f"[{level(sc.difficulty)}] {sc.title}")
            item.setData(Qt.ItemDataRole.UserRole, sc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.scenario_list.addItem(item)
        self._filled = True

    def _course_chosen(self, _index: int) -> None:
        course_id = self.course.currentData()
        course = next((c for c in self.training.courses if c.id == course_id), None)
        wanted = set(course.scenarios) if course is not None else set()
        for i in range(self.scenario_list.count()):
            item = self.scenario_list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[str]:
        course_id = self.course.currentData()
        course = next((c for c in self.training.courses if c.id == course_id), None)
        checked = [
            str(self.scenario_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.scenario_list.count())
            if self.scenario_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        if course is not None:  # the course's order, then any added by hand
            return [s for s in course.scenarios if s in checked] + [
                s for s in checked if s not in course.scenarios
            ]
        return checked

    def _start(self) -> None:
        ids = self.checked_ids()
        if not self.trainee.text().strip():
            self.training.message.emit(self.tr("请填写学员工号"))
            self.trainee.setFocus()
            return
        if not ids:
            self.training.message.emit(self.tr("请选择课程或至少一个场景"))
            return
        if self.training.start(self.trainee.text(), ids, str(self.course.currentData() or "")):
            self.training.next_call()

    def render_state(self, state: TrainingState) -> None:
        if state.loaded and not self._filled:
            self._fill()
        self.start_button.setEnabled(state.loaded and not state.active)
        self.stack.setCurrentIndex(1 if state.active or state.last is not None else 0)
        if not state.active and state.last is None:
            return
        total = len(state.queue)
        current = state.current or (state.queue[-1] if state.queue else "")
        scenario = self.training.scenarios.get(current)
        if state.in_call and scenario is not None:
            self.progress.setText(
                self.tr("学员 {0} · 第 {1}/{2} 通：{3}（{4}）").format(
                    state.trainee,
                    state.position + 1,
                    total,
                    scenario.title,
                    level(scenario.difficulty),
                )  # fmt: skip
            )
            self.brief.setText(self.tr("请像真实来电一样受理：听转写、填工单、派单或办结。"))
        elif state.active and state.current and scenario is not None:
            self.progress.setText(
                self.tr("学员 {0} · 已完成 {1}/{2} 通，下一通：{3}").format(
                    state.trainee, state.position, total, scenario.title
                )
            )
        elif state.active:
            self.progress.setText(
                self.tr("学员 {0} · {1} 通全部完成，请结束培训查看报告").format(
                    state.trainee, total
                )
            )
        self.next_button.setEnabled(state.active and not state.in_call and bool(state.current))
        self.finish_button.setEnabled(state.active and not state.in_call)
        if state.last is not None:
            self.show_card(state.last)
        elif state.in_call:
            self.score_label.clear()
            self.table.setRowCount(0)

    def show_card(self, result: CallResult) -> None:
        card = result.card
        scenario = self.training.scenarios.get(result.scenario_id)
        if scenario is not None and not self.training.state.in_call:
            self.brief.setText(self.tr("要点：{0}").format(scenario.brief))
        self.score_label.setText(
            self.tr("{0}：{1} 分（用时 {2}，操作 {3} 次，工单 {4}）").format(
                result.title,
                card.score,
                _seconds(card.seconds),
                card.actions if card.actions is not None else "—",
                card.ticket_number,
            )  # fmt: skip
        )
        items = sorted(card.items, key=lambda i: ITEM_ORDER.index(i.item))
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            cells = (
                item_name(item),
                shown_value(item, item.expected),
                shown_value(item, item.got),
                f"{round(item.points, 1):g}/{item.max}",
                why_text(item),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if col == 3 and item.points < item.max:
                    cell.setForeground(QColor("#b71c1c"))
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()


# --- the report ---------------------------------------------------------------------------


def report_html(record: SessionRecord, history: Sequence[dict[str, Any]] = ()) -> str:
    """The session report as HTML (shown, printed to PDF)."""
    cards = [r.card for r in record.results]
    totals = summarize(cards)
    esc = html.escape
    heading = QCoreApplication.translate("training", "培训报告")
    earlier = QCoreApplication.translate("training", "历次培训")
    parts = [
        "<html><body style='font-size:10pt'>",
        "<h2>" + esc(heading) + " · " + esc(record.trainee) + "</h2>",
        "<p>"
        + esc(
            QCoreApplication.translate("training", "开始 {0}，结束 {1}，课程 {2}").format(
                f"{record.started_at:%Y-%m-%d %H:%M}",
                f"{record.finished_at:%H:%M}" if record.finished_at else "—",
                record.course or QCoreApplication.translate("training", "自选场景"),
            )
        )
        + "</p>",
        "<p><b>"
        + esc(
            QCoreApplication.translate(
                "training", "共 {0} 通，平均 {1} 分，平均用时 {2}，操作共 {3} 次"
            ).format(
                totals["calls"],
                totals["mean_score"],
                _seconds(totals["mean_seconds"]),
                totals["actions"],
            )  # fmt: skip
        )
        + "</b></p>",
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>",
        "<tr>"
        + "".join(
            f"<th>{esc(_t(h))}</th>"
            for h in (
                QT_TRANSLATE_NOOP("training", "场景"),
                QT_TRANSLATE_NOOP("training", "难度"),
                QT_TRANSLATE_NOOP("training", "工单"),
                QT_TRANSLATE_NOOP("training", "得分"),
                QT_TRANSLATE_NOOP("training", "用时"),
                QT_TRANSLATE_NOOP("training", "操作"),
                QT_TRANSLATE_NOOP("training", "失分项"),
            )
        )
        + "</tr>",
    ]
    for r in record.results:
        lost = "<br>".join(
            esc(f"{item_name(i)}：{why_text(i)}") for i in r.card.items if i.points < i.max
        ) or esc(QCoreApplication.translate("training", "无"))
        parts.append(
            "<tr>"
            f"<td>{esc(r.title)}</td><td>{esc(level(r.difficulty))}</td>"
            f"<td>{esc(r.card.ticket_number)}</td><td align='right'><b>{r.card.score}</b></td>"
            f"<td>{esc(_seconds(r.card.seconds))}</td><td align='right'>{r.card.actions or 0}</td>"
            f"<td>{lost}</td></tr>"
        )
    parts.append("</table>")
    if history:
        parts.append("<h3>" + esc(earlier) + "</h3>")
        body = history_html(history)
        parts.append(body[body.index("<table") : body.index("</body>")])
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(html_text: str, path: Path) -> None:
    """Print the report to a PDF file (A4, 15 mm margins)."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    doc = QTextDocument()
    doc.setDefaultFont(QApplication.font())
    doc.setHtml(html_text)
    layout = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(layout.size().toSizeF())
    doc.print_(writer)


class SessionReport(QDialog):
    """A trainee's session report with the history of their sessions: print, export."""

    def __init__(
        self,
        record: SessionRecord,
        history: Sequence[dict[str, Any]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingReport")
        self.setWindowTitle(self.tr("培训报告 · {0}").format(record.trainee))
        self.record = record
        self.html = report_html(record, history)
        self.view = QTextBrowser()
        self.view.setHtml(self.html)
        self.pdf_button = QPushButton(self.tr("打印为 PDF…"))
        self.json_button = QPushButton(self.tr("导出 JSON…"))
        self.csv_button = QPushButton(self.tr("导出 CSV…"))
        close = QPushButton(self.tr("关闭"))
        buttons = QHBoxLayout()
        for b in (self.pdf_button, self.json_button, self.csv_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(900, 640)
        close.clicked.connect(self.close)
        self.pdf_button.clicked.connect(lambda: self._ask("pdf"))
        self.json_button.clicked.connect(lambda: self._ask("json"))
        self.csv_button.clicked.connect(lambda: self._ask("csv"))

    def _ask(self, kind: str) -> None:
        name = f"training-{self.record.trainee}-{self.record.started_at:%Y%m%d-%H%M}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存培训报告"), name)
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> None:
        if kind == "pdf":
            write_pdf(self.html, path)
        elif kind == "json":
            path.write_text(
                json.dumps(self.record.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        else:
            path.write_text(report_csv(self.record), encoding="utf-8-sig")


def history_html(rows: Sequence[dict[str, Any]], trainee: str = "") -> str:
    """The stored sessions as HTML (one row per session, newest last)."""
    esc = html.escape
    title = QCoreApplication.translate("training", "培训记录") + (
        f" · {trainee}" if trainee else ""
    )
    parts = [
        f"<html><body style='font-size:10pt'><h2>{esc(title)}</h2>",
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>",
        *(
            f"<th>{esc(_t(h))}</th>"
            for h in (
                QT_TRANSLATE_NOOP("training", "日期"),
                QT_TRANSLATE_NOOP("training", "学员"),
                QT_TRANSLATE_NOOP("training", "课程"),
                QT_TRANSLATE_NOOP("training", "通数"),
                QT_TRANSLATE_NOOP("training", "平均分"),
            )
        ),
        "</tr>",
    ]
    own = QCoreApplication.translate("training", "自选场景")
    for row in rows:
        parts.append(
            f"<tr><td>{esc(str(row.get('started_at', ''))[:16].replace('T', ' '))}</td>"
            f"<td>{esc(str(row.get('trainee', '')))}</td>"
            "<td>" + esc(str(row.get("course") or own)) + "</td>"
            f"<td align='right'>{row.get('calls', 0)}</td>"
            f"<td align='right'>{row.get('mean_score', 0)}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "".join(parts)


def show_history(training: TrainingSession, parent: QWidget) -> None:
    """The stored sessions of the trainee typed in the pane (or of everyone), read in a
    worker, in a window."""
    pane = parent.findChild(TrainingPane)
    trainee = pane.trainee.text().strip() if pane is not None else ""
    history = training.history

    def done(rows: list[dict[str, Any]]) -> None:
        if not rows:
            training.message.emit(QCoreApplication.translate("training", "尚无培训记录"))
            return
        dialog = QDialog(parent)
        dialog.setObjectName("trainingHistory")
        dialog.setWindowTitle(QCoreApplication.translate("training", "培训记录"))
        view = QTextBrowser(dialog)
        view.setHtml(history_html(rows, trainee))
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.resize(760, 480)
        dialog.show()

    training.bench.runner.run_query(lambda: history.sessions(trainee or None), done, owner=training)


# --- attaching it to the window -----------------------------------------------------------


@dataclass
class Training:
    """What :func:`attach_training` added to the window."""

    session: TrainingSession
    pane: TrainingPane
    watermark: Watermark
    reports: list[SessionReport] = field(default_factory=list)


def attach_training(bench: Workbench, *, pace: float | None = 1.0) -> Training | None:
    """Trainer mode for a demo window: the 培训 tab and menu, the watermark, the report after
    each session.  None outside demo mode (a real seat never trains)."""
    window = bench.window
    if not window.ctx.demo:
        return None
    session = TrainingSession(bench, pace=pace)
    pane = TrainingPane(session)
    window.side.addTab(pane, QCoreApplication.translate("training", "培训"))
    watermark = Watermark(window)
    training = Training(session, pane, watermark)

    def mark(state: TrainingState | None = None) -> None:
        active = state.active if state is not None else False
        watermark.setVisible(active or window.ctx.role is Role.TRAINER)
        watermark.follow()

    def finished(record: SessionRecord) -> None:
        mark()
        history = session.history

        def show(rows: list[dict[str, Any]]) -> None:
            if not any(r.get("session") == record.session_id for r in rows):
                rows = [*rows, record.to_dict()]
            report = SessionReport(record, rows, window)
            training.reports.append(report)
            report.show()

        # after the mutation that appends the record (the runner has one writer; queries
        # may run before it: the record is added when missing)
        bench.runner.run_query(lambda: history.sessions(record.trainee), show, owner=session)

    def show_pane() -> None:
        window.side.setCurrentWidget(pane)

    session.state_changed.connect(mark)
    session.message.connect(window.show_info)
    session.session_finished.connect(finished)
    pane.history_button.clicked.connect(lambda: show_history(session, window))
    menu = window.menuBar().addMenu(QCoreApplication.translate("training", "培训(&R)"))
    menu.addAction(QCoreApplication.translate("training", "开始培训…"), show_pane)
    menu.addAction(QCoreApplication.translate("training", "接听下一通培训来电"), session.next_call)
    menu.addAction(QCoreApplication.translate("training", "结束培训并查看报告"), session.finish)
    menu.addAction(
        QCoreApplication.translate("training", "培训记录…"), lambda: show_history(session, window)
    )
    mark()
    session.load()
    return training
