"""The workstation window: ticket form + dispatch | knowledge base + map, transcript below."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.messages import MessageBridge
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui.dispatch_panel import DispatchPanel
from agent_app.ui.models.ticket_table import TicketTableModel
from agent_app.ui.ticket_form import TicketForm
from agent_app.workers.tasks import TaskRunner

ROLE_NAMES = {Role.OPERATOR: "话务员", Role.LEAD: "班长", Role.TRAINER: "培训师"}


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


class MainWindow(QMainWindow):
    """Signals:
    tickets_loaded(int): the "my tickets today" table was (re)filled with this many rows.
    new_call_requested(): the operator started a new call.
    save_requested(): the operator asked to save the ticket.
    """

    tickets_loaded = Signal(int)
    new_call_requested = Signal()
    save_requested = Signal()

    SHORTCUTS: tuple[tuple[str, str], ...] = (
        ("Ctrl+N", "新来电"),
        ("Ctrl+S", "保存工单"),
        ("Ctrl+Return", "派单"),
        ("Ctrl+D", "直接答复办结"),
        ("Ctrl+M", "并单"),
        ("F9 / F10 / F11 / F12", "一键转接 110 / 119 / 120 / 122"),
        ("Ctrl+K", "搜索知识库"),
        ("Ctrl+L", "定位地址"),
        ("Ctrl+T", "开始/暂停转写"),
        ("Ctrl+1 / Ctrl+2 / Ctrl+3", "切换到 知识库 / 地图 / 今日工单"),
        ("Alt+1…9", "采纳建议"),
        ("F1", "快捷键一览"),
    )

    def __init__(self, ctx: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self._title())
        self.resize(1366, 820)
        self.setMinimumSize(1100, 680)

        self.form = TicketForm()
        self.dispatch = DispatchPanel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(objectName="banner", wordWrap=True)
        self.banner.hide()
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.form, 1)
        left_layout.addWidget(self.dispatch)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)

        self.tickets = TicketTableModel(self, amber_hours=ctx.settings.due_amber_hours)
        self.ticket_view = QTableView()
        self.ticket_view.setModel(self.tickets)
        self.ticket_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ticket_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ticket_view.verticalHeader().hide()
        self.ticket_view.setAlternatingRowColors(True)
        self.ticket_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.ticket_view.horizontalHeader().setStretchLastSection(True)
        self.ticket_view.doubleClicked.connect(self._ticket_activated)

        self.side = QTabWidget()
        for title, widget in ctx.side_panes.items():
            self.side.addTab(widget, title)
        self.side.addTab(self.ticket_view, "今日工单")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.side)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([640, 720])
        self.splitter = split

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(split, 1)
        if ctx.transcript is not None:
            central_layout.addWidget(ctx.transcript)
        self.setCentralWidget(central)

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

    # Construction -------------------------------------------------------------------------

    def _title(self) -> str:
        mode = "【演示模式·数据不同步】" if self.ctx.demo else ""
        return f"12345 接诉即办坐席工作台 {mode}— 席位 {self.ctx.workstation.seat}"

    def _build_actions(self) -> None:
        bar = QToolBar("主工具栏", objectName="mainToolbar", movable=False)
        self.addToolBar(bar)
        self.new_call_action = QAction("新来电", self, shortcut=QKeySequence("Ctrl+N"))
        self.save_action = QAction("保存", self, shortcut=QKeySequence("Ctrl+S"))
        self.dispatch_action = QAction("派单", self, shortcut=QKeySequence("Ctrl+Return"))
        self.answer_action = QAction("直接答复", self, shortcut=QKeySequence("Ctrl+D"))
        self.merge_action = QAction("并单", self, shortcut=QKeySequence("Ctrl+M"))
        for action in (self.new_call_action, self.save_action, self.dispatch_action):
            bar.addAction(action)
        bar.addSeparator()
        self.addAction(self.answer_action)
        self.addAction(self.merge_action)
        for key, line in zip(
            ("F9", "F10", "F11", "F12"), ("110", "119", "120", "122"), strict=True
        ):
            action = QAction(f"转{line}", self, shortcut=QKeySequence(key))
            action.triggered.connect(
                lambda _=False, ln=line: self.dispatch.transfer_requested.emit(ln)
            )
            self.addAction(action)
        for i in range(self.side.count()):
            action = QAction(self, shortcut=QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, idx=i: self.side.setCurrentIndex(idx))
            self.addAction(action)
        self.new_call_action.triggered.connect(self.new_call_requested)
        self.save_action.triggered.connect(self.save_requested)
        self.dispatch_action.triggered.connect(self.dispatch.dispatch_requested)
        self.answer_action.triggered.connect(self.dispatch.answer_requested)
        self.merge_action.triggered.connect(self.dispatch.merge_requested)

        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        file_menu.addAction(self.new_call_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("退出")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        ticket_menu = menu.addMenu("工单(&T)")
        for action in (self.dispatch_action, self.answer_action, self.merge_action):
            ticket_menu.addAction(action)
        help_menu = menu.addMenu("帮助(&H)")
        shortcuts = help_menu.addAction("快捷键一览")
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        about = help_menu.addAction("关于")
        about.triggered.connect(self._about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.seat_label = QLabel(
            f"席位 {self.ctx.workstation.seat} · 工号 {self.ctx.workstation.operator_id}"
        )
        self.role_label = QLabel(f"角色：{ROLE_NAMES.get(self.ctx.role, self.ctx.role.value)}")
        self.sync_label = QLabel("演示模式：不同步" if self.ctx.demo else "同步：未连接")
        self.sync_label.setObjectName("syncLabel")
        self.clock_label = QLabel()
        for widget in (self.seat_label, self.role_label, self.sync_label, self.clock_label):
            status.addPermanentWidget(widget)

    # Data ---------------------------------------------------------------------------------

    def load_tickets(self) -> None:
        """Refresh "my tickets today" from the database, off the GUI thread."""
        mine = self.ctx.role is not Role.LEAD
        ws = self.ctx.workstation
        self.ctx.runner.run_query(lambda: ws.today_tickets(mine=mine), self._tickets_ready)

    def _tickets_ready(self, rows: list[TicketSummary]) -> None:
        self.tickets.set_rows(rows, timeutil.now())
        self.ticket_view.resizeColumnsToContents()
        self.side.setTabText(self.side.indexOf(self.ticket_view), f"今日工单 ({len(rows)})")
        self.tickets_loaded.emit(len(rows))

    @Slot(str)
    def _data_changed(self, kind: str) -> None:
        if kind == "tickets":
            self.load_tickets()

    def _ticket_activated(self, index: QModelIndex) -> None:
        row = self.tickets.row_at(index.row())
        self.show_info(f"工单 {row.number}：{row.description[:60]}")

    # Messages -----------------------------------------------------------------------------

    @Slot(str)
    def show_info(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

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
        lines = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in self.SHORTCUTS)
        box = QMessageBox(QMessageBox.Icon.Information, "快捷键一览", "", parent=self)
        box.setText(f"<table cellpadding='4'>{lines}</table>")
        box.setModal(False)
        box.show()

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "关于",
            "12345 接诉即办坐席工作台\n离线语音转写 · 知识库 · 属地定位 · 离线优先同步",
            parent=self,
        )
        box.setModal(False)
        box.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.ctx.settings.set_state("main_splitter", self.splitter.saveState())
        self.ctx.settings.sync()
        super().closeEvent(event)
