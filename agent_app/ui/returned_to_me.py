"""The operator's 退回给我 tab: tickets a shift lead returned after a quality check, with the
lead's comment; open one, correct it, 已改正，重新提交.

The checks live at the centre (``central.qa_results``), read with the operator's own login;
without a centre (demo, a seat with no central URL) the tab says it needs one.  The tab is a
light placeholder until first shown: the list's modules load then
(:func:`agent_app.deferred.load`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from agent_app import deferred

if TYPE_CHECKING:
    from agent_app.ui.compose import Workbench
    from agent_app.ui.lead_desk.presenters import ReturnedToMePresenter
    from agent_app.ui.lead_desk.views import ReturnedToMeView

TITLE = QT_TRANSLATE_NOOP("LeadDesk", "退回给我")


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


class ReturnedToMe(QObject):
    """The tab's page in the window's side tabs; builds the list when first shown.  A child of
    the page (its connections end with the window)."""

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
        tabs.addTab(self.page, tr(TITLE))
        tabs.currentChanged.connect(self._shown)

    def _shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.page:
            self.build()

    def build(self) -> None:
        """The list (once) and a fresh read."""
        if self.presenter is None:
            presenters = deferred.load("agent_app.ui.lead_desk.presenters")
            views = deferred.load("agent_app.ui.lead_desk.views")
            source: Any = None
            if self.central:
                connect = deferred.load("agent_app.storage.central.connect")
                sources = deferred.load("agent_app.services.lead_desk")
                source = sources.CentralQuality(connect.parse_url(self.central))
            self.presenter = presenters.ReturnedToMePresenter(self.runner, source, self)
            self.view = views.ReturnedToMeView(self.presenter)
            self.box.addWidget(self.view)
            self.presenter.open_requested.connect(self.open_number)
        self.presenter.refresh()

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
