"""The operator's 退回给我 tab: tickets a shift lead returned after a quality check, with the
lead's comment; open one, correct it, 已改正，重新提交.

The checks live at the centre (``central.qa_results``), read with the operator's own login;
without a centre (demo, a seat with no central URL) the tab says it needs one.  The tab is a
light placeholder until first shown: the list's modules load then
(:func:`agent_app.deferred.load`).

So that a return is not missed, the tab's title carries the count of open returned checks
(退回给我（N）): counted at the centre on a worker after a sync cycle that reached it (at most
once a minute, :data:`COUNT_GAP_MS`) and every few minutes otherwise (:data:`COUNT_EVERY_MS`;
never while the last cycle found the centre unreachable), and taken from the list whenever it
is read.  When the count grows, a notice in the status bar says so; a click on it shows the
tab.  Offline there is no count and nothing is said; the count's modules load in the worker,
after the first paint.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QTabWidget, QVBoxLayout, QWidget

from agent_app import deferred

if TYPE_CHECKING:
    from agent_app.ui.compose import Workbench
    from agent_app.ui.lead_desk.presenters import ReturnedToMePresenter
    from agent_app.ui.lead_desk.views import ReturnedToMeView

log = logging.getLogger("agent_app.ui")

TITLE = QT_TRANSLATE_NOOP("LeadDesk", "退回给我")
TITLE_COUNT = QT_TRANSLATE_NOOP("LeadDesk", "退回给我（{0}）")
NOTICE = QT_TRANSLATE_NOOP("LeadDesk", "班长退回了 {new} 张工单（共 {total} 张待改正），点击查看")
COUNT_GAP_MS = 60_000
"""The least time between two counts taken after sync cycles (a cycle runs every few seconds;
each count is one short query at the centre)."""
COUNT_EVERY_MS = 180_000
"""How often the count is taken when no sync cycle asked for it (a seat whose sync does not
run, a quiet network)."""


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


class ReturnedToMe(QObject):
    """The tab's page in the window's side tabs; builds the list when first shown, and keeps
    the count of open returned checks on the tab's title (see the module docstring).  A child
    of the page (its connections end with the window).

    Signals:
        count_changed(int): the open returned checks were counted (or the list was read).
    """

    count_changed = Signal(int)

    def __init__(self, bench: Workbench, tabs: QTabWidget, *, central: str | None) -> None:
        page = QWidget()
        page.setObjectName("returnedToMePage")
        super().__init__(page)
        self.page = page
        self.box = QVBoxLayout(page)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.runner = bench.runner
        self.workstation = bench.workstation
        self.window = bench.window
        self.central = central
        self.tabs = tabs
        self.presenter: ReturnedToMePresenter | None = None
        self.view: ReturnedToMeView | None = None
        self.count: int | None = None
        """The open returned checks last counted (None: not counted yet)."""
        self.quality: Any = None
        """The centre's quality checks (:class:`~agent_app.services.lead_desk.CentralQuality`,
        built on the first count, in its worker, or when the list is first shown)."""
        self._online: bool | None = None  # what the last sync cycle found
        self._counting = False
        self._counted_at: float | None = None
        self._failing = False
        tabs.addTab(self.page, tr(TITLE))
        tabs.currentChanged.connect(self._shown)
        # The notice when the count grows: in the status bar's message area, until clicked or
        # the tab is shown.
        self.notice = QPushButton()
        self.notice.setObjectName("returnedNotice")
        self.notice.setFlat(True)
        self.notice.setStyleSheet(
            "QPushButton#returnedNotice { color: #8a4b00; font-weight: bold; text-align: left;"
            " padding: 0 6px; }"
        )
        self.notice.hide()
        self.notice.clicked.connect(self.show_tab)
        self.window.statusBar().addWidget(self.notice)
        self.timer = QTimer(self, interval=COUNT_EVERY_MS)
        self.timer.timeout.connect(self._tick)
        if central:
            bench.wiring.signals.cycle_ended.connect(self.cycle_ended)
            self.timer.start()

    def _shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.page:
            self.notice.hide()
            self.build()

    def show_tab(self) -> None:
        """The notice was clicked: the 退回给我 tab in front (its list read again)."""
        self.notice.hide()
        if self.tabs.currentWidget() is self.page:
            self.build()
        else:
            self.tabs.setCurrentWidget(self.page)

    # The count ------------------------------------------------------------------------------------
    def cycle_ended(self, online: bool) -> None:
        """A sync cycle ended (``Wiring.signals.cycle_ended``): count when it reached the
        centre and the last count is older than COUNT_GAP_MS; offline, no count shown."""
        self._online = online
        if not online:
            self._set_title(None)
            return
        if self._due(COUNT_GAP_MS):
            self.count_now()

    def _tick(self) -> None:
        if self._online is not False and self._due(COUNT_GAP_MS):
            self.count_now()

    def _due(self, gap_ms: int) -> bool:
        at = self._counted_at
        return at is None or (time.monotonic() - at) * 1000 >= gap_ms

    def count_now(self) -> None:
        """Count the open returned checks at the centre, on a worker (one at a time)."""
        if not self.central or self._counting:
            return
        self._counting = True
        self._counted_at = time.monotonic()
        central = self.central

        def count() -> int:
            if self.quality is None:
                self.quality = self._centre_quality(central)
            return int(self.quality.returned_count())

        self.runner.run_query(count, self._counted, self._count_failed, owner=self)

    def _counted(self, n: int) -> None:
        self._counting = False
        if self._failing:
            log.info("returned checks counted again")
        self._failing = False
        self.show_count(n)

    def _count_failed(self, error: BaseException) -> None:
        self._counting = False
        if not self._failing:  # once per stretch: the sync status tells about the network
            log.info("returned checks not counted: %s", type(error).__name__)
        self._failing = True
        self._set_title(None)

    def show_count(self, n: int) -> None:
        """``n`` open returned checks: the tab's title says so; when ``n`` grew and the tab
        is not in front, the notice says so too (a click shows the tab)."""
        before = self.count or 0
        self.count = n
        self._set_title(n)
        in_front = self.tabs.currentWidget() is self.page
        if n > before and in_front and self.presenter is not None:
            if not self.presenter.state.loading and len(self.presenter.state.rows) < n:
                self.presenter.refresh()  # the new rows into the list in sight
        elif n > before:
            self.notice.setText(tr(NOTICE).format(new=n - before, total=n))
            self.notice.show()
        if n == 0:
            self.notice.hide()
        self.count_changed.emit(n)

    def _set_title(self, n: int | None) -> None:
        title = tr(TITLE_COUNT).format(n) if n else tr(TITLE)
        self.tabs.setTabText(self.tabs.indexOf(self.page), title)

    def _list_read(self, state: Any) -> None:
        """The list was read: its rows are the count."""
        if state.available and not state.loading and not state.busy and not state.error:
            self.show_count(len(state.rows))

    def build(self) -> None:
        """The list (once) and a fresh read."""
        if self.presenter is None:
            presenters = deferred.load("agent_app.ui.lead_desk.presenters")
            views = deferred.load("agent_app.ui.lead_desk.views")
            source: Any = None
            if self.central:
                if self.quality is None:
                    self.quality = self._centre_quality(self.central)
                source = self.quality
            self.presenter = presenters.ReturnedToMePresenter(self.runner, source, self)
            self.view = views.ReturnedToMeView(self.presenter)
            self.box.addWidget(self.view)
            self.presenter.open_requested.connect(self.open_number)
            self.presenter.changed.connect(self._list_read)
        self.presenter.refresh()

    @staticmethod
    def _centre_quality(central: str) -> Any:
        connect = deferred.load("agent_app.storage.central.connect")
        sources = deferred.load("agent_app.services.lead_desk")
        return sources.CentralQuality(connect.parse_url(central))

    def open_number(self, number: str) -> None:
        """The returned ticket, from the seat's tickets (the operator's own)."""
        search = deferred.load("agent_app.services.ticket_search")
        ws = self.workstation

        def find() -> str | None:
            rows = ws.search_tickets(search.SearchQuery(number=number, limit=1)).rows
            return rows[0].id if rows and rows[0].number == number else None

        def found(ticket_id: str | None) -> None:
            if ticket_id:
                self.window.open_ticket(ticket_id)
            elif self.view is not None:
                self.view.message.setText(
                    tr(
                        QT_TRANSLATE_NOOP("LeadDesk", "本席位没有工单 {0}；请在中心系统查看")
                    ).format(number)
                )

        self.runner.run_query(find, found, owner=self)


def attach_returned_to_me(bench: Workbench, *, central: str | None) -> ReturnedToMe:
    """Add the 退回给我 tab to the window's side tabs (``central``: the centre's URL, None:
    no centre)."""
    return ReturnedToMe(bench, bench.window.side, central=central)
