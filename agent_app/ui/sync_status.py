"""Status-bar widget: does the seat reach the centre, how much waits to sync, when it last did.

Three modes:

* ``demo`` – demo and training data never sync: "演示模式：不同步";
* ``unconfigured`` – no central database is set: "同步：未配置中心库" and the queue length;
* ``live`` – a sync worker runs: online / offline / syncing, queue length and last sync time,
  fed by :meth:`SyncStatus.set_state` with the worker's state dicts.

Tickets whose change did not reach the centre (refused, or invalid at the seat) are counted as
"未送达 N", a red link after the text, with each number and reason in its tooltip.  Clicking
the link opens the undelivered list (:mod:`agent_app.ui.undelivered`, loaded on first use)
where the operator opens, resends or renumbers each ticket; :meth:`SyncStatus.attach_undelivered`
gives it the window's runner, seat data and ticket opener.  Clicking the rest of the widget
in live mode asks for a sync now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from agent_app.deferred import load as load_deferred
from agent_app.domain.timeutil import SHANGHAI

if TYPE_CHECKING:
    from agent_app.services.workstation import Workstation
    from agent_app.ui.undelivered import UndeliveredDialog
    from agent_app.workers.tasks import TaskRunner

MODES = ("demo", "unconfigured", "live")
COLOURS = {
    "online": "#1a7f37",
    "offline": "#cf222e",
    "waiting": "#9a6700",
    "idle": "#8c959f",
}


def format_last_sync(value: str | None, now: datetime | None = None) -> str:
    """ISO time → ``10:02:33`` today, ``11-21 10:02`` another day, "" when unknown."""
    if not value:
        return ""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=SHANGHAI)
    at = at.astimezone(SHANGHAI)
    today = (now or datetime.now(SHANGHAI)).astimezone(SHANGHAI).date()
    return at.strftime("%H:%M:%S") if at.date() == today else at.strftime("%m-%d %H:%M")


class SyncStatus(QWidget):
    """Sync state in the status bar.

    Signals:
        sync_requested(): the operator clicked the widget (live mode): sync now.
        undelivered_requested(): the operator clicked "未送达 N": show the undelivered list.
    """

    sync_requested = Signal()
    """The operator asked for a sync now."""
    undelivered_requested = Signal()
    """The operator asked for the undelivered list (the way out of 未送达)."""

    def __init__(self, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"unknown sync status mode {mode!r}")
        self.setObjectName("syncStatus")
        self.mode = mode
        self.queue = 0
        self.state: dict[str, Any] = {}
        self.problem = ""
        self.dot = QLabel("●")
        self.label = QLabel()
        self.label.setObjectName("syncStatusText")
        self.undelivered_link = QPushButton()
        self.undelivered_link.setObjectName("syncUndelivered")
        self.undelivered_link.setFlat(True)
        self.undelivered_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undelivered_link.setStyleSheet(
            f"QPushButton {{ color: {COLOURS['offline']}; text-decoration: underline;"
            " border: none; padding: 0 2px; }"
        )
        self.undelivered_link.clicked.connect(self.undelivered_requested)
        self.undelivered_link.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.undelivered_link)
        if mode == "live":
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.dialog: UndeliveredDialog | None = None
        self._undelivered_for: tuple[TaskRunner, Workstation, Callable[[str], object]] | None = None
        self._render()

    # ------------------------------------------------------------------ inputs

    def set_queue(self, count: int) -> None:
        """How many local changes wait to be sent."""
        self.queue = max(int(count), 0)
        self._render()

    @Slot(dict)
    def set_state(self, state: dict[str, Any]) -> None:
        """A state dict from the sync worker (``online``, ``syncing``, ``queue``, ...)."""
        self.state = dict(state)
        if "queue" in state:
            self.queue = max(int(state.get("queue") or 0), 0)
        self._render()
        if self.dialog is not None:
            self.dialog.presenter.sync_state(self.state)  # read again after each cycle

    def set_problem(self, text: str) -> None:
        """Sync cannot start (bad central URL, database error): say so, keep the queue."""
        self.problem = text
        self._render()

    def text(self) -> str:
        """What the widget shows, as one line (the undelivered link included)."""
        if self.undelivered_link.isHidden():
            return self.label.text()
        return f"{self.label.text()} · {self.undelivered_link.text()}"

    # ------------------------------------------------------------------ the undelivered list

    def attach_undelivered(
        self, runner: TaskRunner, workstation: Workstation, open_ticket: Callable[[str], object]
    ) -> None:
        """Let "未送达 N" open the undelivered list: reads and actions through ``runner`` on
        ``workstation``; 打开工单 calls ``open_ticket(ticket_id)`` (the window's detail)."""
        self._undelivered_for = (runner, workstation, open_ticket)
        self.undelivered_requested.connect(self.show_undelivered)

    @Slot()
    def show_undelivered(self) -> UndeliveredDialog | None:
        """The undelivered list over the window (built, and its module loaded, on first use)."""
        if self._undelivered_for is None:
            return None
        if self.dialog is None:
            runner, workstation, open_ticket = self._undelivered_for
            module = load_deferred("agent_app.ui.undelivered")  # on first use only
            dialog: UndeliveredDialog = module.UndeliveredDialog(
                runner, workstation, self.window(), open_ticket=open_ticket
            )
            self.dialog = dialog
        self.dialog.open_list()
        return self.dialog

    # ------------------------------------------------------------------ display

    def _render(self) -> None:
        colour, text, tip = self._describe()
        self.dot.setStyleSheet(f"color: {colour};")
        self.label.setText(text)
        self.setToolTip(tip)
        undelivered = int(self.state.get("undelivered") or 0) if self._live() else 0
        self.undelivered_link.setText(self.tr("未送达 {n}").format(n=undelivered))
        self.undelivered_link.setToolTip(
            "\n".join(
                [self.tr("点击查看未送达的工单并处理：打开工单、重新发送或重新编号。")]
                + self._undelivered_lines()
            )
        )
        self.undelivered_link.setVisible(undelivered > 0)

    def _live(self) -> bool:
        return self.mode == "live" and not self.problem

    def _undelivered_lines(self) -> list[str]:
        return [
            f"{item.get('number', '')}: {item.get('reason', '')}"
            for item in self.state.get("undelivered_items") or ()
        ]

    def _queue_text(self) -> str:
        return self.tr("待同步 {count} 条").format(count=self.queue)

    def _describe(self) -> tuple[str, str, str]:
        if self.mode == "demo":
            return (
                COLOURS["idle"],
                self.tr("演示模式：不同步"),
                self.tr("演示和培训数据只留在本机，永不上传到中心库。"),
            )
        if self.mode == "unconfigured":
            return (
                COLOURS["waiting"] if self.queue else COLOURS["idle"],
                self.tr("同步：未配置中心库") + " · " + self._queue_text(),
                self.tr(
                    "工单保存在本机。请在设置“中心数据库连接”（settings.ini 的 central_url）"
                    "或环境变量 AGENT_APP_CENTRAL_URL 中填写 postgresql://用户@主机:端口/库。"
                ),
            )
        if self.problem:
            return (
                COLOURS["offline"],
                self.tr("同步：无法启动") + " · " + self._queue_text(),
                self.problem,
            )
        state = self.state
        last = format_last_sync(state.get("last_sync"))
        last_text = self.tr("上次同步 {time}").format(time=last) if last else self.tr("尚未同步")
        error = str(state.get("last_error") or "")
        online = state.get("online")
        if state.get("syncing"):
            colour, head = COLOURS["waiting"], self.tr("同步中…")
        elif online is None:
            colour, head = COLOURS["waiting"], self.tr("同步：连接中…")
        elif online:
            colour, head = COLOURS["online"], self.tr("同步：在线")
        else:
            colour, head = COLOURS["offline"], self.tr("同步：离线")
        tip_lines = [self.tr("点击立即同步。")]
        undelivered = int(state.get("undelivered") or 0)
        if online is False:
            tip_lines.insert(0, self.tr("中心库暂时连不上：工单已保存在本机，恢复后自动上传。"))
        conflicts = int(state.get("conflicts") or 0)
        if conflicts:
            tip_lines.append(self.tr("本次有 {n} 处冲突，待班长处理。").format(n=conflicts))
        if error:
            tip_lines.append(error)
        parts = [head, self._queue_text(), last_text]
        if undelivered:  # the count itself is the link after the text (see _render)
            colour = COLOURS["offline"]
            tip_lines.append(
                self.tr(
                    "未送达：中心拒收或本机校验未通过，点击“未送达”查看，更正后重新发送（或重新编号）："
                )
            )
            tip_lines.extend(self._undelivered_lines())
        return colour, " · ".join(parts), "\n".join(tip_lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self.mode == "live" and event.button() == Qt.MouseButton.LeftButton:
            self.sync_requested.emit()
        super().mousePressEvent(event)
