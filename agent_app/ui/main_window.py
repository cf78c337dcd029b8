"""The workstation window: ticket form + dispatch | knowledge base + map, transcript below."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizeGrip,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from agent_app.deferred import load as load_deferred
from agent_app.domain import timeutil
from agent_app.domain.intake import IntakeDraft
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.messages import MessageBridge
from agent_app.services.intake import IntakeService, UnitsProposal
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui import domain_names
from agent_app.ui.call_session import CallSession, CallState, Phase
from agent_app.ui.dispatch_panel import DispatchPanel
from agent_app.ui.duplicate_bar import DuplicateBar
from agent_app.ui.panes import tab_title
from agent_app.ui.ticket_form import TicketForm
from agent_app.ui.todays_tickets import TodaysTickets, read_day
from agent_app.ui.widgets import named
from agent_app.ui.worklists_actions import FollowupActions
from agent_app.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from agent_app.ui.ticket_detail import TicketDetailWindow
    from agent_app.ui.ticket_search import TicketSearchTab

log = logging.getLogger("agent_app.ui")


@dataclass
class WindowContext:
    """Everything the window needs, built by the composition root (app.py)."""

    settings: Settings
    runner: TaskRunner
    bridge: MessageBridge
    workstation: Workstation
    role: Role
    demo: bool
    side_panes: dict[str, QWidget] = field(default_factory=dict)
    transcript: QWidget | None = None
    session: CallSession | None = None


class MainWindow(QMainWindow):
    """Signals:
    tickets_loaded(int): the "my tickets today" table was (re)filled with this many rows.
    new_call_requested(): the operator started a new call.
    save_requested(): the operator asked to save the ticket.
    incoming(str): telephony: a call from this number rings in (starts a new call).
    intake_ready(): catalogue, gazetteer and suggesters are loaded (proposals available).
    ticket_finished(object): a call ended with an outcome; the saved :class:`Ticket`.
    draft_saved(str): the form's draft was written (ticket id).
    draft_restored(str): a draft left by a crash was put back in the form (ticket id).
    """

    tickets_loaded = Signal(int)
    new_call_requested = Signal()
    save_requested = Signal()
    incoming = Signal(str)
    intake_ready = Signal()
    ticket_finished = Signal(object)
    draft_saved = Signal(str)
    draft_restored = Signal(str)

    # The F1 help: key, what it does (Chinese, shown translated in the "MainWindow" context).
    SHORTCUTS: tuple[tuple[str, object], ...] = (
        ("Ctrl+N", QT_TRANSLATE_NOOP("MainWindow", "新来电")),
        ("Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "保存工单")),
        ("Ctrl+Return", QT_TRANSLATE_NOOP("MainWindow", "派单")),
        ("Ctrl+D", QT_TRANSLATE_NOOP("MainWindow", "直接答复办结")),
        ("Ctrl+M", QT_TRANSLATE_NOOP("MainWindow", "并单")),
        ("Ctrl+U", QT_TRANSLATE_NOOP("MainWindow", "不予受理（选择告知途径）")),
        ("F9 / F10 / F11 / F12", QT_TRANSLATE_NOOP("MainWindow", "一键转接 110 / 119 / 120 / 122")),
        ("Ctrl+Shift+Z", QT_TRANSLATE_NOOP("MainWindow", "撤销上一次采纳的建议")),
        ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("MainWindow", "显示/隐藏来电号码（记入审计）")),
        ("Ctrl+F", QT_TRANSLATE_NOOP("MainWindow", "分类搜索（回车选定）")),
        ("Ctrl+K", QT_TRANSLATE_NOOP("MainWindow", "搜索知识库")),
        ("Ctrl+L", QT_TRANSLATE_NOOP("MainWindow", "定位地址")),
        ("Ctrl+T", QT_TRANSLATE_NOOP("MainWindow", "开始/停止转写")),
        (
            "Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4",
            QT_TRANSLATE_NOOP("MainWindow", "切换到 知识库 / 地图 / 今日工单 / 工单查询"),
        ),
        ("Alt+1…9", QT_TRANSLATE_NOOP("MainWindow", "采纳建议")),
        ("Alt+D", QT_TRANSLATE_NOOP("MainWindow", "采用草拟的诉求描述（追加在已填内容之后）")),
        ("F1", QT_TRANSLATE_NOOP("MainWindow", "快捷键一览")),
    )

    # The intake (catalogue, pinyin tables, model) loads after the first paint of "my tickets
    # today", or after this many milliseconds when that list is not read (a window built
    # without it: the training window, tests).
    INTAKE_FALLBACK_MS = 1500

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self._title())
        self.resize(1366, 820)
        self.setMinimumSize(1100, 680)

        self.session = ctx.session or CallSession(
            ctx.runner, ctx.workstation, role=ctx.role, demo=ctx.demo, parent=self
        )
        self.form = TicketForm(self.session)
        self.dispatch = DispatchPanel()
        self.duplicate_bar = DuplicateBar(self.dispatch)
        self.dispatch.insert_bar(self.duplicate_bar)
        self._shown_drafts: set[str] = set()
        self._more_drafts = False
        self.last_message = ""
        """The last passing message, in the status bar or (when too long) the banner."""
        # Left: messages on top, the form (scrolls when the category has many questions),
        # the dispatch panel always in sight at the bottom.
        self.banner = named(QLabel(), "banner", wrap=True)
        self.banner.setStyleSheet(
            'QLabel#banner[kind="done"] { background: #e8f5e9; color: #1b5e20; }'
        )
        self.banner.hide()
        self.form_scroll = QScrollArea(widgetResizable=True)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_scroll.setWidget(self.form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.form_scroll, 1)
        left_layout.addWidget(self.dispatch)

        # "Today's tickets": all of them, sortable and filtered (ui/todays_tickets.py).
        self.today = TodaysTickets()
        self.tickets = self.today.model  # the rows, in the table's sort order
        self.ticket_view = self.today.view
        self.today.activated.connect(self._ticket_activated)

        self.side = QTabWidget()
        for title, widget in ctx.side_panes.items():
            self.side.addTab(widget, tab_title(title))
        self.side.addTab(self.today, self.tr("今日工单"))
        self.today.title_changed.connect(
            lambda text: self.side.setTabText(self.side.indexOf(self.today), text)
        )
        # "工单查询": find any ticket; its rows, today's and the caller's history open the detail.
        # Built when first shown (it costs the first paint ~20 ms otherwise).
        self.search_page = QWidget()
        search_layout = QVBoxLayout(self.search_page)
        search_layout.setContentsMargins(0, 0, 0, 0)
        self._search_tab: TicketSearchTab | None = None
        self.side.addTab(self.search_page, self.tr("工单查询"))
        self.side.currentChanged.connect(self._side_tab_shown)
        self.detail_window: TicketDetailWindow | None = None
        # The lead's rulings and the callbacks (worklists and the detail window act through it).
        self.followup = FollowupActions(
            ctx.runner,
            ctx.workstation,
            ctx.role,
            catalogue=lambda: self.intake.catalogue if self.intake is not None else None,
            parent=self,
        )

        # The form gets the whole height (it is the operator's work); the panes that feed it
        # (knowledge base, map, tickets) and the transcript strip share the right-hand side.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.side, 1)
        if ctx.transcript is not None:
            right_layout.addWidget(ctx.transcript)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([610, 750])
        self.splitter = split
        self.setCentralWidget(split)

        self._build_actions()
        self._build_status_bar()

        ctx.bridge.info.connect(self.show_info)
        ctx.bridge.warning.connect(self.show_warning)
        ctx.bridge.error.connect(self.show_error)
        ctx.runner.failed.connect(self.show_error)
        ctx.runner.changes.connect(self._data_changed)

        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()
        state = ctx.settings.state("main_splitter")
        if state is not None:
            split.restoreState(state)
        self._wire_intake()

    # Construction -------------------------------------------------------------------------

    def _title(self) -> str:
        mode = self.tr("【演示模式·数据不同步】") if self.ctx.demo else ""
        return self.tr("12345 接诉即办坐席工作台 {0}— 席位 {1}").format(
            mode, self.ctx.workstation.seat
        )

    def _build_actions(self) -> None:
        bar = self.toolbar = named(QToolBar(self.tr("主工具栏"), movable=False), "mainToolbar")
        self.new_call_action = QAction(self.tr("新来电"), self, shortcut=QKeySequence("Ctrl+N"))
        self.save_action = QAction(self.tr("保存"), self, shortcut=QKeySequence("Ctrl+S"))
        self.dispatch_action = QAction(self.tr("派单"), self, shortcut=QKeySequence("Ctrl+Return"))
        self.answer_action = QAction(self.tr("直接答复"), self, shortcut=QKeySequence("Ctrl+D"))
        self.merge_action = QAction(self.tr("并单"), self, shortcut=QKeySequence("Ctrl+M"))
        for action in (self.new_call_action, self.save_action, self.dispatch_action):
            bar.addAction(action)
        # In the menu bar's row: the form needs the window's height more than a tool bar row.
        bar.setStyleSheet("QToolBar { padding: 0; border: none; } QToolButton { padding: 0 8px; }")
        bar.setFixedHeight(self.fontMetrics().height() + 8)
        self.menuBar().setCornerWidget(bar, Qt.Corner.TopRightCorner)
        bar.show()
        self.addAction(self.answer_action)
        self.addAction(self.merge_action)
        for key, line in zip(
            ("F9", "F10", "F11", "F12"), ("110", "119", "120", "122"), strict=True
        ):
            action = QAction(self.tr("转{0}").format(line), self, shortcut=QKeySequence(key))
            action.triggered.connect(lambda _=False, ln=line: self.transfer(ln))
            self.addAction(action)
        for i in range(self.side.count()):
            action = QAction(self, shortcut=QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, idx=i: self.side.setCurrentIndex(idx))
            self.addAction(action)
        self.not_accepted_action = QAction(
            self.tr("不予受理"), self, shortcut=QKeySequence("Ctrl+U")
        )
        self.undo_proposal_action = QAction(
            self.tr("撤销采纳"), self, shortcut=QKeySequence("Ctrl+Shift+Z")
        )
        self.unmask_action = QAction(
            self.tr("显示号码"), self, shortcut=QKeySequence("Ctrl+Shift+P")
        )
        self.category_action = QAction(self.tr("分类搜索"), self, shortcut=QKeySequence("Ctrl+F"))
        self.kb_search_action = QAction(
            self.tr("搜索知识库"), self, shortcut=QKeySequence("Ctrl+K")
        )
        self.locate_action = QAction(self.tr("定位地址"), self, shortcut=QKeySequence("Ctrl+L"))
        self.transcript_action = QAction(
            self.tr("开始/停止转写"), self, shortcut=QKeySequence("Ctrl+T")
        )
        for action in (
            self.not_accepted_action,
            self.undo_proposal_action,
            self.unmask_action,
            self.category_action,
            self.kb_search_action,
            self.locate_action,
            self.transcript_action,
        ):
            self.addAction(action)
        self.chip_actions: list[QAction] = []
        for n in range(1, 10):
            action = QAction(self, shortcut=QKeySequence(f"Alt+{n}"))
            action.triggered.connect(lambda _=False, k=n: self.session.accept_chip_number(k))
            self.addAction(action)
            self.chip_actions.append(action)
        self.new_call_action.triggered.connect(self.new_call_requested)
        self.new_call_action.triggered.connect(lambda: self.new_call())
        self.save_action.triggered.connect(self.save_requested)
        self.save_action.triggered.connect(self.save_draft_now)
        self.dispatch_action.triggered.connect(self.dispatch.dispatch_requested)
        self.answer_action.triggered.connect(self.dispatch.answer_requested)
        self.merge_action.triggered.connect(self.dispatch.merge_requested)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.new_call_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("退出"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        ticket_menu = menu.addMenu(self.tr("工单(&T)"))
        for action in (self.dispatch_action, self.answer_action, self.merge_action):
            ticket_menu.addAction(action)
        help_menu = menu.addMenu(self.tr("帮助(&H)"))
        shortcuts = help_menu.addAction(self.tr("快捷键一览"))
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        about = help_menu.addAction(self.tr("关于"))
        about.triggered.connect(self._about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.seat_label = QLabel(
            self.tr("席位 {0} · 工号 {1}").format(
                self.ctx.workstation.seat, self.ctx.workstation.operator_id
            )
        )
        self.role_label = QLabel(self.tr("角色：{0}").format(domain_names.role(self.ctx.role)))
        self.sync_label = QLabel(
            self.tr("演示模式：不同步") if self.ctx.demo else self.tr("同步：未连接")
        )
        self.sync_label.setObjectName("syncLabel")
        self.clock_label = QLabel()
        for widget in (self.seat_label, self.role_label, self.sync_label, self.clock_label):
            status.addPermanentWidget(widget)

    # Intake -------------------------------------------------------------------------------

    def _wire_intake(self) -> None:
        session, form, panel = self.session, self.form, self.dispatch
        self.incoming.connect(self.incoming_call)
        session.state_changed.connect(self._render_call)
        session.problems_changed.connect(lambda _p: self._refresh())
        session.finished.connect(self._call_saved)
        session.save_failed.connect(self._save_failed)
        session.message.connect(self.show_info)
        session.draft_saved.connect(self.draft_saved)
        panel.units_edited.connect(session.set_units)
        panel.dispatch_requested.connect(lambda: self.finish(Outcome.DISPATCHED))
        panel.answer_requested.connect(lambda: self.finish(Outcome.ANSWERED))
        panel.merge_requested.connect(lambda: self.finish(Outcome.MERGED))
        panel.transfer_requested.connect(self.transfer)
        panel.transfer_undo_requested.connect(session.cancel_transfer)
        panel.not_accepted_requested.connect(lambda code: self.finish(Outcome.NOT_ACCEPTED, code))
        self.duplicate_bar.merge_requested.connect(session.merge_into)
        form.history.activated.connect(self._ticket_activated)
        self.duplicate_bar.link_requested.connect(session.link)
        session.call_started.connect(lambda _id: self.duplicate_bar.reset())
        self.not_accepted_action.triggered.connect(self._choose_not_accepted)
        self.undo_proposal_action.triggered.connect(self._undo)
        self.unmask_action.triggered.connect(session.toggle_unmask)
        self.category_action.triggered.connect(form.category.setFocus)
        self.kb_search_action.triggered.connect(self.focus_kb_search)
        self.locate_action.triggered.connect(self.locate_address)
        self.transcript_action.triggered.connect(self.toggle_transcript)
        self._autosave = QTimer(self, interval=max(int(self.ctx.settings.autosave_ms), 100))
        self._autosave.timeout.connect(self._autosave_tick)
        self._autosave.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._refresh()
        ws = self.ctx.workstation
        model_dir = ws.paths.models / "category"

        def load() -> tuple[IntakeService, dict[str, int], list[str], list[Any]]:
            # The operator's picks first: reading them opens (and on a first start or after
            # an update, migrates) the database, which the unit history below reads in plain
            # SQL.  Before, an intake that loaded ahead of "my tickets today" (its fallback
            # after 1.5 s, e.g. behind a long migration) failed with "no such table".
            usage, recent = ws.category_usage()
            service = IntakeService.load(
                model_dir, nominatim_url=ws.nominatim_url, database=ws.paths.database
            )
            return service, usage, recent, ws.drafts()

        # After the first paint of "my tickets today": the catalogue, pinyin tables and model
        # (about a second of imports) must not compete with it; at the latest after 1.5 s.
        # Queued, so that the rows just loaded are painted before the worker starts (it holds
        # the GIL for most of its imports); a load not started yet never starts after close.
        pending = {"load": True}
        self._closed = False
        self._intake_timer = QTimer(self, singleShot=True, interval=0)
        self._intake_timer.timeout.connect(
            lambda: self.ctx.runner.run_query(load, self._intake_loaded, self._intake_failed)
        )

        def start(*_args: object) -> None:
            if pending["load"] and not self._closed:
                pending["load"] = False
                self._intake_timer.start()

        self.tickets_loaded.connect(start)
        QTimer.singleShot(self.INTAKE_FALLBACK_MS, self, start)

    @property
    def intake(self) -> IntakeService | None:
        return self.session.service

    def _intake_loaded(
        self, result: tuple[IntakeService, dict[str, int], list[str], list[Any]]
    ) -> None:
        service, usage, recent, drafts = result
        self.session.set_service(service, usage, recent)
        self._restore_draft(drafts)
        self._refresh()
        self.intake_ready.emit()

    def _restore_draft(self, drafts: list[tuple[str, datetime, dict[str, Any]]]) -> None:
        """Put the newest draft not yet shown this session back in an idle form.

        Drafts are left by a crash (or by a call interrupted with Ctrl+N); the older ones are
        restored one by one as each restored call ends; a draft skipped with Ctrl+N stays in
        the database and comes back at the next start.
        """
        pending = sorted(
            (d for d in drafts if d[0] not in self._shown_drafts),
            key=lambda d: d[1],
            reverse=True,
        )
        busy = self.session.state.phase is Phase.ACTIVE
        self._more_drafts = len(pending) > (0 if busy else 1)
        if not pending or busy:
            return
        draft_id, saved_at, payload = pending[0]
        draft = IntakeDraft.from_payload(payload)
        draft.ticket_id = draft.ticket_id or draft_id
        self._shown_drafts.update({draft_id, draft.ticket_id})
        self.session.restore(draft)
        older = len(pending) - 1
        more = self.tr("另有 {0} 份较早的草稿，本单结束后依次恢复。").format(older) if older else ""
        self.show_warning(
            self.tr("已恢复 {0} 自动保存的受理草稿，请核对后继续办理。").format(
                f"{saved_at.astimezone(timeutil.SHANGHAI):%H:%M:%S}"
            )
            + more
            + self.tr("按 Ctrl+N 可先受理新来电（草稿保留，下次启动时再恢复）。")
        )
        self.draft_restored.emit(draft.ticket_id)

    def _intake_failed(self, error: BaseException) -> None:
        self.show_error(
            self.tr("分类目录或地址库无法加载（{0}），请检查 knowledge_base 目录后重启。").format(
                error
            )
        )

    @Slot()
    @Slot(str)
    def new_call(self, number: str | None = None) -> None:
        """Start a new call; a call in progress is kept as a draft."""
        if self.banner.property("kind") == "done":
            self.banner.hide()  # the previous call's result
        self.session.new_call(number)

    @Slot(str)
    def incoming_call(self, number: str) -> None:
        """Telephony: a call from ``number``: a new call with the caller number filled."""
        self.new_call(number)

    @Slot(str, str)
    def answer_directly(self, article_id: str, answer_text: str) -> None:
        """The knowledge-base answer was read out: record it and end as answered directly."""
        self.session.answer_directly(article_id, answer_text)

    def current_draft(self) -> IntakeDraft:
        return self.session.state.draft

    def problems(self, outcome: Outcome) -> list[str]:
        return [domain_names.problem(p) for p in self.session.problems(outcome)]

    @Slot()
    def _undo(self) -> None:
        """Ctrl+Shift+Z: a transfer waiting to be recorded, else the last accepted proposal."""
        if self.session.cancel_transfer():
            self.show_info(self.tr("已撤销转接记录"))
        elif self.session.undo():
            self.show_info(self.tr("已撤销上一次采纳的建议"))

    def transfer(self, line: str) -> None:
        """F9–F12 / the transfer buttons: see :meth:`CallSession.transfer`."""
        self.session.transfer(line)

    @Slot(object)
    def _render_call(self, state: CallState) -> None:
        panel = self.dispatch
        panel.set_units(
            UnitsProposal(state.draft.main_unit, tuple(state.draft.co_units), state.unit_reasons)
        )
        panel.set_transfer_hint(state.transfer_hint)
        panel.set_pending_transfer(state.pending_transfer)
        shown = [h for h in state.duplicates if h.number not in state.ignored_duplicates]
        if state.phase is Phase.ACTIVE:
            self.duplicate_bar.set_hints(shown)
        else:
            self.duplicate_bar.set_hints([])
        self._refresh()

    def _refresh(self) -> None:
        """Inline validation: dispatch/save enabled or the reason shown; due time shown."""
        state = self.session.state
        draft = state.draft
        problems = self.session.problems(Outcome.DISPATCHED)
        last = state.saved if state.phase is Phase.FINISHED else None
        if last is not None:
            text = self.tr("工单 {0} 已保存：按 Ctrl+N 或来电开始下一通").format(last.number)
        elif state.phase is Phase.SAVING:
            text = self.tr("正在保存…")
        elif state.phase is Phase.IDLE:
            text = self.tr("尚未开始受理：按 Ctrl+N 新来电")
        elif self.intake is None:
            text = self.tr("正在加载分类目录和地址库…")
        else:
            text = self.tr("；").join(domain_names.problem(p) for p in problems[:3])
        self.dispatch.set_problem(text)
        self.dispatch_action.setEnabled(not text)
        for line in (self.dispatch.main_unit, self.dispatch.co_units):
            line.setReadOnly(state.phase is not Phase.ACTIVE)  # the saved ticket's units
        format_problems = [
            p for p in self.session.problems(Outcome.TRANSFERRED) if p.field != "merge"
        ]
        self.save_action.setEnabled(state.phase is Phase.ACTIVE and not format_problems)
        if format_problems and state.phase is Phase.ACTIVE:
            self.dispatch.show_reason(
                self.tr("；").join(domain_names.problem(p) for p in format_problems)
            )
        if last is not None:
            if last.due_at is not None:
                due_at = last.due_at.astimezone(timeutil.SHANGHAI)
                self.dispatch.due.setText(
                    self.tr("办理时限：{0} 前办结").format(f"{due_at:%m-%d %H:%M}")
                )
            else:
                name = domain_names.outcome(Outcome(last.outcome)) if last.outcome else ""
                self.dispatch.due.setText(self.tr("办理时限：—（{0}，无需承办）").format(name))
        elif self.intake is not None and state.phase is Phase.ACTIVE:
            due = self.intake.due(timeutil.now(), draft.urgency)
            limit = domain_names.limit_label(self.intake.catalogue.time_limit(draft.urgency))
            self.dispatch.due.setText(
                self.tr("办理时限：{0}，现在派单则 {1} 前办结").format(limit, f"{due:%m-%d %H:%M}")
            )
        else:
            self.dispatch.due.setText(self.tr("办理时限：—"))

    def finish(self, outcome: Outcome, detail: str = "") -> bool:
        """End the call with ``outcome``; False (with the reason shown) when not possible."""
        if self.session.state.phase is Phase.IDLE and outcome is not Outcome.ANSWERED:
            self.session.new_call()
        ok = self.session.finish(outcome, detail)
        problems = self.session.problems(outcome) if not ok else []
        if problems:
            self.dispatch.show_reason(
                self.tr("无法{0}：{1}").format(
                    domain_names.outcome(outcome),
                    self.tr("；").join(domain_names.problem(p) for p in problems[:3]),
                )
            )
        if ok:
            self.dispatch.show_reason(
                self.tr("正在保存（{0}）…").format(domain_names.outcome(outcome))
            )
        return ok

    @Slot(object)
    def _call_saved(self, ticket: Ticket) -> None:
        outcome = Outcome(ticket.outcome) if ticket.outcome else Outcome.DISPATCHED
        detail = ticket.outcome_detail
        result = self._finished_text(ticket, outcome, detail)
        self._refresh()
        self.show_info(result)
        self._show_banner(self.tr("已保存：{0}").format(result), "done")
        self.ticket_finished.emit(ticket)
        if self._more_drafts:
            self.ctx.runner.run_query(self.ctx.workstation.drafts, self._restore_draft)

    @Slot(str)
    def _save_failed(self, text: str) -> None:
        self.dispatch.show_reason(text)
        if self.session.state.phase is not Phase.ACTIVE:
            self.show_info(text)

    @staticmethod
    def _finished_text(ticket: Ticket, outcome: Outcome, detail: str) -> str:
        number = ticket.number
        if outcome is Outcome.TRANSFERRED:
            return QCoreApplication.translate(
                "MainWindow", "工单 {0}：已转{1}{2}，时间已记录"
            ).format(number, detail, domain_names.emergency_line(detail))
        if outcome is Outcome.NOT_ACCEPTED:
            channel = domain_names.not_accepted_channel(detail)
            return QCoreApplication.translate(
                "MainWindow", "工单 {0}：不予受理，已告知来电人通过「{1}」途径办理"
            ).format(number, channel)
        if outcome is Outcome.MERGED:
            return QCoreApplication.translate("MainWindow", "工单 {0}：已并入 {1}").format(
                number, ticket.merged_into
            )
        if outcome is Outcome.DISPATCHED:
            return QCoreApplication.translate("MainWindow", "工单 {0}：已派至 {1}").format(
                number, ticket.main_unit
            )
        if outcome is Outcome.ANSWERED and ticket.kb_article_id:
            return QCoreApplication.translate(
                "MainWindow", "工单 {0}：已直接答复办结（知识库条目 {1}）"
            ).format(number, ticket.kb_article_id)
        return QCoreApplication.translate("MainWindow", "工单 {0}：{1}").format(
            number, domain_names.outcome(outcome)
        )

    @Slot()
    def focus_kb_search(self) -> None:
        """Ctrl+K: the knowledge-base tab, its search box focused with its text selected."""
        pane = self.side.findChild(QWidget, "kbPane")
        box = getattr(pane, "search_box", None)
        if pane is None or not isinstance(box, QLineEdit):
            self.show_info(self.tr("知识库不可用"))
            return
        for i in range(self.side.count()):
            tab = self.side.widget(i)
            if tab is not None and tab.isAncestorOf(box):
                self.side.setCurrentIndex(i)
        box.setFocus()
        box.selectAll()

    @Slot()
    def locate_address(self) -> None:
        """Ctrl+L: look the address up now (the jurisdiction and units follow)."""
        if not self.session.state.draft.address.strip():
            self.form.address.setFocus()
            return
        self.session.geocode_now()

    @Slot()
    def toggle_transcript(self) -> None:
        """Ctrl+T: start the transcript strip, or stop it when it runs."""
        strip = self.ctx.transcript
        if strip is not None and strip.objectName() != "transcriptStrip":
            strip = strip.findChild(QWidget, "transcriptStrip")  # built after the first paint
        if strip is None:
            self.show_info(self.tr("通话转写不可用"))
            return
        stop = getattr(strip, "stop_button", None)
        running = isinstance(stop, QPushButton) and stop.isEnabled()
        getattr(strip, "stop" if running else "start")()

    def _choose_not_accepted(self) -> None:
        self.dispatch.not_accepted.setFocus()
        self.dispatch.not_accepted.showPopup()

    # Drafts -------------------------------------------------------------------------------

    def _autosave_tick(self) -> None:
        if self.session.state.dirty:
            self.session.save_draft()

    def _focus_changed(self, _old: object, new: object) -> None:
        if isinstance(new, QWidget) and self.form.isAncestorOf(new):
            self.form_scroll.ensureWidgetVisible(new, 0, 24)
        if self.session.state.dirty:
            self.session.save_draft()

    @Slot()
    def save_draft_now(self) -> None:
        """Write the form's draft now (autosave, focus change, Ctrl+S)."""
        self.session.save_draft()

    # Data ---------------------------------------------------------------------------------

    def load_tickets(self) -> None:
        """Refresh "my tickets today" from the database, off the GUI thread."""
        mine = self.ctx.role is not Role.LEAD
        ws = self.ctx.workstation
        self.ctx.runner.run_query(
            lambda: read_day(ws.today_tickets(mine=mine)), self._tickets_ready
        )

    def _tickets_ready(self, day: tuple[list[TicketSummary], list[str]]) -> None:
        rows, texts = day
        self.today.set_rows(rows, timeutil.now(), texts)  # the tab's title follows
        self.tickets_loaded.emit(len(rows))

    @Slot(str)
    def _data_changed(self, kind: str) -> None:
        if kind == "tickets":
            self.load_tickets()

    @property
    def search_tab(self) -> TicketSearchTab:
        """The 工单查询 tab's content (built on first use)."""
        if self._search_tab is None:
            search = load_deferred("agent_app.ui.ticket_search")  # the tab's module, now
            tab: TicketSearchTab = search.TicketSearchTab(self.ctx.runner, self.ctx.workstation)
            tab.activated.connect(self._ticket_activated)
            layout = self.search_page.layout()
            if layout is not None:
                layout.addWidget(tab)
            self._search_tab = tab
        return self._search_tab

    def _side_tab_shown(self, index: int) -> None:
        if self.side.widget(index) is self.search_page:
            _ = self.search_tab

    def _ticket_activated(self, row: TicketSummary) -> None:
        self.open_ticket(row.id)

    def open_ticket(self, ticket_id: str) -> TicketDetailWindow:
        """Show the ticket's detail window (one, reused) with this ticket."""
        if self.detail_window is None:
            from agent_app.ui.ticket_detail import TicketDetailWindow  # noqa: PLC0415 - on first use

            ctx = self.ctx
            self.detail_window = TicketDetailWindow(
                ctx.runner, ctx.workstation, ctx.role, self, actions=self.followup
            )
        self.detail_window.open(ticket_id)
        return self.detail_window

    # Messages -----------------------------------------------------------------------------

    @Slot(str)
    def show_info(self, text: str) -> None:
        """A passing message in the status bar; one that the permanent widgets (seat, role,
        sync, clock) would cut off is shown in the banner instead, so it is read whole."""
        self.last_message = text
        bar = self.statusBar()
        if bar.fontMetrics().horizontalAdvance(text) + 24 > self.status_message_room():
            if self.banner.property("kind") != "done" or not self.banner.isVisible():
                self._show_banner(text, "info")
            return
        bar.showMessage(text, 5000)

    def status_message_room(self) -> int:
        """Pixels the status bar leaves for a message beside its permanent widgets."""
        bar = self.statusBar()
        taken = sum(
            w.width() + 8
            for w in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w.isVisible() and not isinstance(w, QSizeGrip)
        )
        return max(bar.width() - taken, 0)

    @Slot(str)
    def show_warning(self, text: str) -> None:
        self._show_banner(text, "warning")

    @Slot(str)
    def show_error(self, text: str) -> None:
        self._show_banner(text, "error")

    def _show_banner(self, text: str, kind: str) -> None:
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()
        QTimer.singleShot(12_000, self.banner.hide)

    def set_sync_state(self, text: str) -> None:
        self.sync_label.setText(text)

    def _tick(self) -> None:
        self.clock_label.setText(timeutil.now().strftime("%Y-%m-%d %H:%M:%S"))

    def show_shortcuts(self) -> None:
        lines = "".join(
            f"<tr><td><b>{k}</b></td><td>{self.tr(str(v))}</td></tr>" for k, v in self.SHORTCUTS
        )
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("快捷键一览"), "", parent=self)
        box.setText(f"<table cellpadding='4'>{lines}</table>")
        box.setModal(False)
        box.show()

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("关于"),
            self.tr("12345 接诉即办坐席工作台\n离线语音转写 · 知识库 · 属地定位 · 离线优先同步"),
            parent=self,
        )
        box.setModal(False)
        box.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._closed = True  # no start-up load begins after this
        self._intake_timer.stop()
        self.ctx.settings.set_state("main_splitter", self.splitter.saveState())
        self.ctx.settings.sync()
        super().closeEvent(event)
