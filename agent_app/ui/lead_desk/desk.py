"""The shift lead's desk: worklists on the left, the selected ticket and the map on the right.

:func:`attach_lead_desk` (called by the composition root for the lead's role) puts the desk
in front of the operator's intake view in the same window: F2 (or 接听来电) switches to the
intake view and back; a new call (Ctrl+N) or a ringing call switches to it by itself.  The
worklists built by :func:`agent_app.ui.worklists.attach_worklists` (异议与延期, 回访) move
from the intake view's side tabs into the desk.

Sources: the centre when the seat has a central URL (the lead's login), otherwise — demo,
an offline seat — the seat's own tickets, marked "本席数据（不完整）".  When the centre goes
away mid-shift, its reads are answered from the seat's copy (:mod:`agent_app.services.
lead_fallback`), marked "本席数据（中心暂不可达，HH:MM 起）" on the list and in the top bar; the
centre is tried again at most every 30 s or after a sync cycle that reached it, and the desk
switches back by itself when it answers.

After a sync cycle that pulled changes or changed the seat's undelivered changes (未送达), the
desk reads the lights and the list in sight again, once per cycle (:meth:`LeadDesk.after_sync`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket
from agent_app.errors import KnownError
from agent_app.services import call_transcripts, lead_fallback, qa_desk, quality
from agent_app.services import lead_desk as sources
from agent_app.services.chase import CentralChase, MarkUndelivered, SeatChase
from agent_app.services.lead_fallback import CentreFallback, Outage
from agent_app.services.review import ReviewFilter
from agent_app.services.ticket_search import SearchQuery
from agent_app.ui.lead_desk.chase import SOON_SCOPE, ChasePresenter, OverdueView
from agent_app.ui.lead_desk.detail import DeskDetailPresenter
from agent_app.ui.lead_desk.presenters import (
    ConflictsPresenter,
    FiguresPresenter,
    OverduePresenter,
    ReviewPresenter,
    ScorecardPresenter,
)
from agent_app.ui.lead_desk.quality_view import add_quality_tab
from agent_app.ui.lead_desk.views import (
    ConflictsView,
    FiguresView,
    OverdueBar,
    ReviewView,
    ScorecardView,
    seat_mark_text,
    seat_mark_tip,
)
from agent_app.ui.ticket_detail import DetailState, TicketDetailPresenter, TicketDetailView

if TYPE_CHECKING:
    from agent_app.ui.compose import Workbench
    from agent_app.ui.lead_desk.charts import Choropleth
    from agent_app.ui.map_pane import MapPane
    from agent_app.workers.tasks import TaskRunner

log = logging.getLogger("agent_app.ui")
SWITCH_KEY = "F2"
FIGURES_HISTORY = timedelta(days=400)
"""How far back the seat's figures read: six trend months plus a hotspot's baseline."""
PARTIAL_TEXT = QT_TRANSLATE_NOOP("LeadDesk", "本席数据（不完整）")
SYNC_SETTLE_MS = 300
"""A sync cycle's notices (changes pulled, undelivered changed) that come within this time of
the first are one re-read of the desk."""


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


@dataclass
class DeskSources:
    figures: sources.FiguresSource
    review: sources.ReviewSource
    overdue: Any  # () -> OverdueCounts
    partial: bool
    where: str = ""
    central_ticket: Callable[[str], Ticket | None] | None = None
    """A ticket of the centre by id (None: the seat's tickets only)."""
    central_id: Callable[[str], str | None] | None = None
    """The centre's ticket id for a ticket number."""
    central_transcript: Callable[[str], list[Any]] | None = None
    """The centre's transcripts of a ticket's calls (None: the seat's saved lines only)."""
    conflicts: Any = None
    """The sync's conflicts at the centre (None: the seat's copy has none)."""
    quality: Any = None
    """Quality checks at the centre (None: they are kept only there)."""
    invalidate: Callable[[], object] | None = None
    """Forget what was read (the seat's tickets changed)."""
    qa: Any = None
    """The 质检 tab's samples and scores (:mod:`agent_app.services.qa_desk`)."""
    chase: Callable[[Sequence[str], str], list[Any]] | None = None
    """催办 tickets with a note (:mod:`agent_app.services.chase`; None: not from here)."""
    outbox: SeatChase | None = None
    """The seat's outbox: its undelivered records (未送达) on the 超时预警 rows, and 重新发送."""
    close: Callable[[], object] | None = None
    """Let go of what the sources hold (the centre's reused connections); the desk's shutdown."""
    policy: CentreFallback | None = None
    """When the centre's reads fall back to the seat's copy (None: no fallback)."""


def seat_chase(bench: Workbench) -> SeatChase:
    """Chases through the seat's outbox, as the seat's central login (a demo window: as
    its operator and role; its data never syncs)."""
    ws = bench.workstation
    actor = (ws.operator_id, bench.window.ctx.role) if ws.paths.is_demo else None
    return SeatChase(ws.db, ws.paths, actor=actor)


def seat_sources(bench: Workbench) -> DeskSources:
    """The desk over the seat's own copy: one cache of the seat's tickets as summaries (the
    columns the lists show and filter on, what the events say; no events held) shared by the
    review lists and the figures; the lights count the open tickets' time limits read afresh;
    the detail pane reads the ticket it opens in full."""
    db = bench.workstation.db
    every = sources.cached(lambda: sources.seat_summaries(db))
    return DeskSources(
        invalidate=partial(_clear, every),
        figures=sources.SeatFigures(partial(_recent, every)),
        review=sources.SeatReview(every),
        overdue=lambda: sources.seat_overdue_counts(db, timeutil.now()),
        partial=True,
        chase=(outbox := seat_chase(bench)).chase,
        outbox=outbox,
        qa=qa_desk.SeatQA(db),
    )


def _recent(every: sources.Cached) -> list[sources.SeatTicket]:
    """The figures' tickets: those of a trend's months and a hotspot's baseline."""
    since = timeutil.now() - FIGURES_HISTORY
    return [t for t in every() if t.created_at >= since]


def _clear(*caches: sources.Cached) -> None:
    for cache in caches:
        cache.clear()


def central_sources(
    url: str,
    *,
    seat: str = "",
    fallback: SeatChase | None = None,
    seat_copy: DeskSources | None = None,
) -> DeskSources:
    """The centre as the lead's login; with ``seat`` (this seat's id) the desk chases there
    too, through ``fallback`` (the seat's outbox) when the centre cannot be reached.  With
    ``seat_copy`` (:func:`seat_sources`) the lists, the lights, the figures and the 质检
    sample are answered from the seat's copy while the centre cannot be reached
    (:mod:`agent_app.services.lead_fallback`)."""
    from agent_app.services.review import whoami  # noqa: PLC0415 - centre only
    from agent_app.storage.central.connect import parse_url  # noqa: PLC0415
    from agent_app.storage.central.link import CentralLink  # noqa: PLC0415

    target = parse_url(url)
    # One holder of the lead's connections for every read of the desk (opened on the first,
    # the login checked once per connection, closed by the desk's shutdown): a read no
    # longer pays a connect and a login check (docs/lead_desk.md, "Reused connections").
    link = CentralLink(target, check=whoami)
    review = sources.CentralReview(target, link=link)
    figures: sources.FiguresSource = sources.CentralFigures(target, link=link)
    queue: sources.ReviewSource = review
    qa: Any = qa_desk.CentralQA(target, link=link)
    overdue: Callable[[], sources.OverdueCounts] = partial(sources.central_overdue_counts, review)
    policy = None
    if seat_copy is not None:
        # The seat's copy answers while the centre cannot be reached; one policy for the
        # desk, so a read that finds the centre gone spares the others the wait.
        policy = CentreFallback(where=target.display)
        figures = lead_fallback.FallbackFigures(figures, seat_copy.figures, policy)
        queue = lead_fallback.FallbackReview(review, seat_copy.review, policy)
        overdue = lead_fallback.fallback_counts(overdue, seat_copy.overdue, policy)
        qa = lead_fallback.FallbackQA(qa, seat_copy.qa, policy)
    return DeskSources(
        figures=figures,
        review=queue,
        overdue=overdue,
        partial=False,
        where=target.display,
        central_ticket=lambda ticket_id: sources.central_ticket(target, ticket_id, link=link),
        central_id=lambda number: sources.central_ticket_id(target, number, link=link),
        central_transcript=lambda ticket_id: call_transcripts.centre_calls(
            target, ticket_id, link=link
        ),
        conflicts=sources.CentralConflicts(target, link=link),
        quality=sources.CentralQuality(target, link=link),
        qa=qa,
        chase=CentralChase(target, seat, fallback=fallback, link=link).chase if seat else None,
        outbox=fallback,
        close=link.close,
        policy=policy,
    )


class LeadDesk(QWidget):
    """The desk's widget; presenters are built by the caller (see :func:`build_desk`).

    Signals: outage_changed(Outage | None): the centre's reads switched to the seat's copy
    (an Outage) or back (None); emitted from a worker, delivered on the GUI thread."""

    outage_changed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        detail: TicketDetailPresenter,
        srcs: DeskSources,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("leadDesk")
        self.runner = runner
        self.sources = srcs
        self.detail = detail
        self.review = ReviewPresenter(runner, srcs.review, self)
        self.returned = ReviewPresenter(runner, srcs.review, self, base=ReviewFilter(qa="returned"))
        outbox = srcs.outbox
        marked = srcs.review if outbox is None else MarkUndelivered(srcs.review, outbox.undelivered)
        self.overdue_list = ReviewPresenter(
            runner, marked, self, base=ReviewFilter(overdue=True, sort="due")
        )
        self.figures = FiguresPresenter(runner, srcs.figures, self)
        self.conflicts = ConflictsPresenter(runner, srcs.conflicts, self)
        self.overdue = OverduePresenter(runner, srcs.overdue, self)
        # Top bar: the lights, where the data comes from, the switch to the intake view.
        self.lights = OverdueBar()
        self.overdue.changed.connect(self.lights.show_counts)
        self.source_label = QLabel(
            tr(PARTIAL_TEXT)
            if srcs.partial
            else tr(QT_TRANSLATE_NOOP("LeadDesk", "中心数据 {0}")).format(srcs.where)
        )
        self.source_label.setObjectName("deskSource")
        self.source_label.setStyleSheet(
            "color: #8a4b00; font-weight: bold;" if srcs.partial else "color: #445;"
        )
        self._centre_text = self.source_label.text()
        self.intake_button = QPushButton(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "接听来电（{0}）")).format(SWITCH_KEY)
        )
        self.intake_button.setObjectName("deskIntake")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "班长工作台"))))
        top.addWidget(self.lights)
        top.addStretch(1)
        top.addWidget(self.source_label)
        top.addWidget(self.intake_button)
        # Left: the worklists.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("deskTabs")
        self.tabs.setUsesScrollButtons(False)  # every list in sight; long titles elided
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.review_view = ReviewView(self.review)
        self.returned_view = ReviewView(self.returned, filters=False, name="returnedView")
        self.chaser = ChasePresenter(
            runner,
            self.overdue_list,
            srcs.chase,
            self,
            seat=srcs.partial,
            resend=outbox.resend if outbox is not None else None,
        )
        self.chaser.chased.connect(self._chased)
        self.overdue_view = OverdueView(self.overdue_list, self.chaser)
        self.figures_view = FiguresView(self.figures)
        self.conflicts_view = ConflictsView(self.conflicts)
        self.tabs.addTab(self.review_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "审核队列")))
        self.tabs.addTab(self.returned_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "退回工单")))
        self.tabs.addTab(self.overdue_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "超时预警")))
        self.tabs.addTab(self.conflicts_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "同步冲突")))
        self.tabs.addTab(self.figures_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "三率与排名")))
        self.conflicts.count_changed.connect(self._conflict_count)
        self.tabs.currentChanged.connect(self._tab_shown)
        for p in (self.review, self.returned, self.overdue_list, self.conflicts):
            p.open_requested.connect(self.detail.open)
        self.lights.clicked.connect(self._light_clicked)
        # Right: the selected ticket, its scorecard, the map.
        self.detail_view = TicketDetailView(detail)
        self.scorecard: ScorecardPresenter | None = None
        self.scorecard_view: QWidget
        try:
            card = quality.load_scorecard()
        except KnownError as exc:
            log.warning("no scorecard: %s", exc)
            self.scorecard_view = QLabel(str(exc).splitlines()[0])
            self.scorecard_view.setWordWrap(True)
        else:
            self.scorecard = ScorecardPresenter(runner, card, srcs.quality, self)
            self.scorecard.moment_requested.connect(self.show_moment)
            self.scorecard_view = ScorecardView(self.scorecard, self.selected_second)
        self.map_slot = QWidget()
        self.map_layout = QVBoxLayout(self.map_slot)
        self.map_layout.setContentsMargins(0, 0, 0, 0)
        self.map_note = QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "正在加载地图…")))
        self.map_note.setObjectName("deskMapNote")
        self.map_note.setWordWrap(True)
        self.map_layout.addWidget(self.map_note)
        self.map: MapPane | None = None
        self.choropleth: Choropleth | None = None
        self._scores: dict[str, Any] = {}
        # The map and the scorecard share the space under the detail (one tab each): stacked,
        # neither had room at 1366x820.
        self.bottom = QTabWidget()
        self.bottom.setObjectName("deskBottomTabs")
        self.bottom.addTab(self.map_slot, tr(QT_TRANSLATE_NOOP("LeadDesk", "地图")))
        self.bottom.addTab(self.scorecard_view, tr(QT_TRANSLATE_NOOP("LeadDesk", "质检评分")))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.detail_view)
        right.addWidget(self.bottom)
        right.setSizes([460, 340])
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tabs)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 6)
        self.split.setStretchFactor(1, 5)
        self.split.setSizes([760, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        detail.changed.connect(self._detail_changed)
        self.figures_view.choropleth.connect(self._show_scores)
        self._loaded: set[int] = set()
        # After a sync: one re-read of what is shown per cycle (see after_sync).
        self._sync_timer = QTimer(self, singleShot=True, interval=SYNC_SETTLE_MS)
        self._sync_timer.timeout.connect(self._reread_after_sync)
        self._sync_forget = False  # the seat's copy is to be read afresh (changes pulled)
        self._sync_again = False  # a notice came while the shown list was being read
        for p in (self.review, self.returned, self.overdue_list, self.conflicts):
            p.changed.connect(self._read_settled)
        self.quality_view = add_quality_tab(self)  # 质检: the shift's sample, the scores
        # The centre gone mid-shift: the policy says so from a worker; shown on this thread.
        self.outage_changed.connect(self._outage_changed)
        if srcs.policy is not None:
            srcs.policy.subscribe(self._relay_outage)

    # Loading ------------------------------------------------------------------------------------
    def start(self) -> None:
        """First reads: the lights and the shown tab."""
        self.overdue.start()
        if self.sources.conflicts is not None:  # the count on the tab from the start
            self.conflicts.refresh()
            self._loaded.add(self.tabs.indexOf(self.conflicts_view))
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index in self._loaded:
            return
        self._loaded.add(index)
        widget = self.tabs.widget(index)
        if widget is self.figures_view:
            self.figures.load_rates()
            self.figures.load_rankings()
            self.figures.load_hotspots()
        if widget is self.conflicts_view:
            self.conflicts.refresh()
        for view in (self.review_view, self.returned_view, self.overdue_view):
            if widget is view:
                view.presenter.reload()

    def _chased(self, _count: int) -> None:
        """A chase changes no time limit; the lights are read again all the same."""
        self.overdue.refresh()

    def _conflict_count(self, n: int) -> None:
        i = self.tabs.indexOf(self.conflicts_view)
        self.tabs.setTabText(
            i,
            tr(QT_TRANSLATE_NOOP("LeadDesk", "同步冲突（{0}）")).format(n)
            if n
            else tr(QT_TRANSLATE_NOOP("LeadDesk", "同步冲突")),
        )

    def shutdown(self) -> None:
        """Stop the lights' timer and forget pending reads (before the window closes); close
        the centre's reused connections (a read still running closes its own when done)."""
        self.overdue.stop()
        self._sync_timer.stop()
        self._sync_again = False
        if self.sources.policy is not None:
            self.sources.policy.unsubscribe(self._relay_outage)
        if self.sources.close is not None:
            self.sources.close()

    def data_changed(self, kind: str) -> None:
        """Tickets changed at the seat: the lights count again; on the seat's copy the
        shown worklist is read again too."""
        if kind != "tickets":
            return
        self.overdue.refresh()
        if self.sources.invalidate is not None:
            self.sources.invalidate()
            for view in (self.review_view, self.returned_view, self.overdue_view):
                if view is self.tabs.currentWidget():
                    view.presenter.reload()

    # After a sync cycle ---------------------------------------------------------------------------
    def sync_pulled(self, _count: int) -> None:
        """A sync cycle brought changes from the centre (``Wiring.signals.pulled``)."""
        self.after_sync(pulled=True)

    def undelivered_changed(self, _count: int) -> None:
        """The seat's undelivered changes are not what they were after a sync cycle (a chase
        the centre refused: 未送达 on its 超时预警 row; ``Wiring.signals.undelivered_changed``)."""
        self.after_sync(pulled=False)

    def after_sync(self, *, pulled: bool) -> None:
        """Read again, once, what the desk shows: the lights and the list in sight (the
        centre's or the seat's; on the seat's copy what was read is forgotten first when
        changes were pulled).  Notices within SYNC_SETTLE_MS are one re-read; one that comes
        while the list is being read waits for that read; the other lists are read again
        when next shown.  Every read runs on the runner's workers."""
        self._sync_forget = self._sync_forget or pulled
        if not self._sync_timer.isActive():
            self._sync_timer.start()

    def cycle_ended(self, online: bool) -> None:
        """A sync cycle ended (``Wiring.signals.cycle_ended``): when it reached the centre
        while the desk reads the seat's copy, the next read tries the centre, and the lights
        and the list in sight are read again (once, as after any cycle)."""
        policy = self.sources.policy
        if online and policy is not None and policy.outage is not None:
            policy.centre_reached()
            self.after_sync(pulled=False)

    # The centre away ------------------------------------------------------------------------------
    def _relay_outage(self, outage: Outage | None) -> None:
        """The policy's switch, from the worker that made it (queued to this thread)."""
        if isValid(self):  # a read that ends after the window went
            self.outage_changed.emit(outage)

    def _outage_changed(self, outage: Outage | None) -> None:
        """Mark the top bar while the seat's copy answers; when the centre answers again,
        the mark goes and what was read from the seat is read again (the lights, the list
        or figures in sight; the other lists when next shown)."""
        if outage is not None:
            self.source_label.setText(seat_mark_text(outage))
            self.source_label.setToolTip(seat_mark_tip(outage))
            self.source_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
            return
        self.source_label.setText(self._centre_text)
        self.source_label.setToolTip("")
        self.source_label.setStyleSheet("color: #445;")
        if self.overdue.outage is not None:
            self.overdue.refresh()
        shown = self.tabs.currentWidget()
        for view in (self.review_view, self.returned_view, self.overdue_view):
            if view.presenter.state.outage is None:
                continue
            if view is shown:
                view.presenter.reload()
            else:
                self._loaded.discard(self.tabs.indexOf(view))
        if self.figures.state.outage is not None:
            if shown is self.figures_view:
                self.figures.load_rates()
                self.figures.load_rankings()
                self.figures.load_hotspots()
            else:
                self._loaded.discard(self.tabs.indexOf(self.figures_view))

    def _shown_presenter(self) -> ReviewPresenter | ConflictsPresenter | None:
        shown = self.tabs.currentWidget()
        for view in (self.review_view, self.returned_view, self.overdue_view):
            if shown is view:
                return view.presenter
        return self.conflicts if shown is self.conflicts_view else None

    def _reread_after_sync(self) -> None:
        presenter = self._shown_presenter()
        if presenter is not None and presenter.state.loading:
            self._sync_again = True  # after the read running now (_read_settled)
            return
        if self._sync_forget and self.sources.invalidate is not None:
            self.sources.invalidate()
        self._sync_forget = False
        self.overdue.refresh()
        shown = self.tabs.currentWidget()
        for view in (self.review_view, self.returned_view, self.overdue_view, self.conflicts_view):
            if view is not shown:  # stale: read when next shown
                self._loaded.discard(self.tabs.indexOf(view))
        if isinstance(presenter, ReviewPresenter):
            presenter.reload()
        elif presenter is not None:
            presenter.refresh()

    def _read_settled(self, state: Any) -> None:
        if self._sync_again and not state.loading:
            self._sync_again = False
            if not self._sync_timer.isActive():
                self._sync_timer.start()

    def add_worklist(self, view: QWidget, title: str, at: int = 1) -> int:
        """A worklist view of :mod:`agent_app.ui.worklists` (异议与延期, 回访) as a desk tab."""
        index = self.tabs.insertTab(at, view, title)
        self._loaded = {i + 1 if i >= at else i for i in self._loaded}
        return index

    def _light_clicked(self, light: str) -> None:
        """Red: the overdue tickets; amber: those due within DUE_SOON_HOURS (the rule the
        light counts by); both in 超时预警, where the lead can chase them."""
        if light in ("red", "amber"):
            self.tabs.setCurrentWidget(self.overdue_view)
            self.overdue_view.show_scope("overdue" if light == "red" else SOON_SCOPE)

    # The map --------------------------------------------------------------------------------------
    def build_map(self) -> None:
        """The map under the detail, with the townships' choropleth (after the first paint)."""
        if self.map is not None:
            return
        from agent_app.services.geo.gazetteer import Gazetteer  # noqa: PLC0415 - on first use
        from agent_app.services.geo.mapdata import DistrictMap  # noqa: PLC0415
        from agent_app.ui.lead_desk.charts import Choropleth  # noqa: PLC0415
        from agent_app.ui.map_pane import MapPane  # noqa: PLC0415

        try:
            district_map = DistrictMap.load()
            gazetteer = Gazetteer.default()
        except (KnownError, OSError) as exc:
            self.map_note.setText(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        self.map = MapPane(district_map, gazetteer)
        self.map.heat_button.hide()
        self.map_note.setText(
            tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk", "街乡镇按综合得分着色（圆点位于街乡镇的近似位置；无街乡镇边界数据）"
                )
            )
        )
        self.map_layout.addWidget(self.map, 1)
        self.choropleth = Choropleth(self.map, gazetteer.townships.values())
        if self._scores:
            self._show_scores(self._scores)

    def _show_scores(self, scores: dict[str, Any]) -> None:
        self._scores = scores
        self.bottom.setCurrentWidget(self.map_slot)  # the figures colour the map: show it
        if self.choropleth is not None:
            n = self.choropleth.show_scores(scores)
            self.map_note.setText(
                tr(
                    QT_TRANSLATE_NOOP(
                        "LeadDesk",
                        "街乡镇三率着色：{0} 处（红低绿高；圆点位于街乡镇的近似位置，产品数据中没有街乡镇边界）",
                    )
                ).format(n)
            )

    # The scorecard and the transcript ------------------------------------------------------------
    def _transcript(self) -> tuple[Any, ...]:
        detail = self.detail.state.detail
        return tuple(detail.transcript) if detail is not None else ()

    def selected_second(self) -> float | None:
        """The second of the 通话记录 line the cursor is on (None: no transcript)."""
        lines = self._transcript()
        if not lines:
            return None
        block = self.detail_view.transcript.textCursor().blockNumber()
        return lines[min(max(block, 0), len(lines) - 1)].start_ms / 1000

    def show_moment(self, second: float) -> None:
        """Select, in 通话记录, the line spoken at ``second`` and scroll to it."""
        lines = self._transcript()
        if not lines:
            return
        at = 0
        for i, line in enumerate(lines):
            if line.start_ms <= second * 1000:
                at = i
        box = self.detail_view.transcript
        block = box.document().findBlockByNumber(at)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        box.setTextCursor(cursor)
        box.ensureCursorVisible()
        box.setFocus()

    def _detail_changed(self, state: DetailState) -> None:
        if self.scorecard is not None and state.detail is not None:
            number = state.detail.ticket.number
            if number != self.scorecard.state.number:
                self.scorecard.set_ticket(number)
        if self.map is None or state.detail is None:
            return
        place = state.detail.ticket.place
        self.map.set_ticket_pin(place.lat, place.lon, state.detail.ticket.number)
        if place.lat is not None and place.lon is not None:
            self.map.center_on(place.lat, place.lon, 6000)

    def open_number(self, number: str) -> None:
        """Show the ticket with this number (a figure's ticket): the seat's, else the centre's."""
        ws, central_id = self.detail.workstation, self.sources.central_id

        def find() -> str | None:
            rows = ws.search_tickets(SearchQuery(number=number, limit=1)).rows
            if rows and rows[0].number == number:
                return rows[0].id
            return central_id(number) if central_id is not None else None

        def found(ticket_id: str | None) -> None:
            if ticket_id:
                self.detail.open(ticket_id)
            else:
                self.figures_view.status.setText(
                    tr(
                        QT_TRANSLATE_NOOP("LeadDesk", "本席位没有工单 {0}；请在中心系统查看")
                    ).format(number)
                )

        self.runner.run_query(find, found, owner=self)


class LeadDeskHandle(QObject):
    """The desk and the intake view stacked in the window; switches between them (a child
    of the window: its connections end with it)."""

    def __init__(
        self, desk: LeadDesk, stack: QStackedWidget, intake: QWidget, switch: QAction
    ) -> None:
        super().__init__(stack)
        self.desk = desk
        self.stack = stack
        self.intake = intake
        self.switch_action = switch
        self.moved: list[QWidget] = []

    def show_desk(self) -> None:
        self.stack.setCurrentWidget(self.desk)

    def show_intake(self, *_args: object) -> None:
        self.stack.setCurrentWidget(self.intake)

    def toggle(self) -> None:
        if self.stack.currentWidget() is self.desk:
            self.show_intake()
        else:
            self.show_desk()


def attach_lead_desk(bench: Workbench, *, central: str | None = None) -> LeadDeskHandle:
    """Put the lead's desk in front of the intake view of ``bench``'s window."""
    window = bench.window
    srcs: DeskSources
    if central and not bench.window.ctx.demo:
        try:
            srcs = central_sources(
                central,
                seat=bench.workstation.seat,
                fallback=seat_chase(bench),
                seat_copy=seat_sources(bench),
            )
        except KnownError as exc:
            log.warning("lead desk reads the seat: %s", exc)
            srcs = seat_sources(bench)
    else:
        srcs = seat_sources(bench)
    detail = DeskDetailPresenter(
        bench.runner,
        bench.workstation,
        window,
        actions=window.followup,
        central=srcs.central_ticket,
        transcript=srcs.central_transcript,
    )
    desk = LeadDesk(bench.runner, detail, srcs)
    ws = bench.workstation  # not the bench: the window's connections must not hold it
    desk.figures.audit = lambda text: ws.audit("export", Role.LEAD.value, "", text, field="ticket")
    desk.figures_view.open_number.connect(desk.open_number)
    intake = window.takeCentralWidget()
    assert intake is not None  # the window always has its form | panes splitter
    stack = QStackedWidget()
    stack.setObjectName("leadStack")
    stack.addWidget(desk)
    stack.addWidget(intake)
    window.setCentralWidget(stack)
    switch = QAction(
        tr(QT_TRANSLATE_NOOP("LeadDesk", "班长工作台 / 接听来电")),
        window,
        shortcut=QKeySequence(SWITCH_KEY),
    )
    window.addAction(switch)
    window.toolbar.addAction(switch)
    handle = LeadDeskHandle(desk, stack, intake, switch)
    switch.triggered.connect(handle.toggle)
    desk.intake_button.clicked.connect(handle.show_intake)
    window.new_call_requested.connect(handle.show_intake)
    window.incoming.connect(handle.show_intake)
    lists = bench.worklists
    if lists is not None:
        at = 1
        for view, title in ((lists.lead_view, "异议与延期"), (lists.callback_view, "回访")):
            if view is None:
                continue
            view.open_requested.disconnect(window.open_ticket)
            view.open_requested.connect(detail.open)
            text = QCoreApplication.translate("Worklists", title).replace("&", "&&")
            desk.add_worklist(view, text, at=at)
            handle.moved.append(view)
            at += 1
    bench.runner.changes.connect(desk.data_changed)
    bench.wiring.signals.pulled.connect(desk.sync_pulled)
    bench.wiring.signals.undelivered_changed.connect(desk.undelivered_changed)
    bench.wiring.signals.cycle_ended.connect(desk.cycle_ended)
    desk.start()
    QTimer.singleShot(0, desk.build_map)
    return handle
