"""The lead's desk presenters: plain QObjects that own the state and read through the runner.

Each presenter holds a frozen state and emits ``changed(state)`` when it replaces it; the
views render that state and call the presenter's methods.  Every read runs on the task
runner's workers (the centre or the seat's database), never on the GUI thread; a newer
request replaces an older one (:class:`~agent_app.workers.tasks.Latest`).  The sources are
:mod:`agent_app.services.lead_desk`'s: the centre, or the seat's copy (``partial``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal

from agent_app.domain import timeutil
from agent_app.domain.rates import RateRow
from agent_app.services.lead_desk import (
    FiguresSource,
    OverdueCounts,
    ReviewSource,
    Trend,
    trend,
)
from agent_app.services.lead_fallback import Answer, Outage, SourceChanged, answered, unreachable
from agent_app.services.reports.figures import HotspotReport, RankingTable, TicketRef, add_months
from agent_app.services.review import MAX_LIMIT, ReviewFilter, ReviewRow
from agent_app.workers.tasks import Change, Latest, TaskRunner

PAGE = 100
OVERDUE_EVERY_MS = 60_000
MEASURE_NAMES = {
    "tickets": QT_TRANSLATE_NOOP("LeadDesk", "派单工单"),
    "dispatches": QT_TRANSLATE_NOOP("LeadDesk", "派单次数"),
    "signed_in_time": QT_TRANSLATE_NOOP("LeadDesk", "按时签收"),
    "upheld_objections": QT_TRANSLATE_NOOP("LeadDesk", "异议成立"),
    "callbacks": QT_TRANSLATE_NOOP("LeadDesk", "回访工单"),
    "resolved": QT_TRANSLATE_NOOP("LeadDesk", "已解决"),
    "satisfied": QT_TRANSLATE_NOOP("LeadDesk", "满意"),
}


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def problem(error: BaseException) -> str:
    """One line for the lead (a known error's own words)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


# Review queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewState:
    filter: ReviewFilter = ReviewFilter()
    rows: tuple[ReviewRow, ...] = ()
    total: int = 0
    next: str | None = None
    loading: bool = False
    error: str = ""
    partial: bool = False
    selected: str = ""
    outage: Outage | None = None
    """Set when the rows are the seat's copy because the centre could not be reached."""


class ReviewPresenter(QObject):
    """One worklist over the review source (the queue, 退回, 超时): filters, sort, keyset
    "more" paging and the count.  Signals: changed(ReviewState); open_requested(str)."""

    changed = Signal(object)
    open_requested = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        source: ReviewSource,
        parent: QObject | None = None,
        *,
        base: ReviewFilter = ReviewFilter(),  # noqa: B008 - frozen
        page: int = PAGE,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.page_size = page
        self.state = ReviewState(filter=base, partial=source.partial)
        self._latest = Latest(runner, self)

    def _set(self, state: ReviewState) -> None:
        self.state = state
        self.changed.emit(state)

    def set_source(self, source: ReviewSource) -> None:
        self.source = source
        self._set(replace(self.state, partial=source.partial))
        self.refresh()

    def set_filter(self, flt: ReviewFilter) -> None:
        self._set(replace(self.state, filter=flt))
        self.refresh()

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self.state.filter, **changes))

    def refresh(self) -> None:
        """The first page of the current filter (and the count)."""
        flt, source, size = self.state.filter, self.source, self.page_size
        self._set(replace(self.state, loading=True, error=""))
        self._latest.request(
            lambda: answered(lambda: source.page(flt, limit=size, after=None)),
            lambda page: self._loaded(flt, page, append=False),
            self._failed,
        )

    def reload(self) -> None:
        """The listed rows read again, as many as are listed (at least a page, at most what
        the centre gives in one read): a re-read after a sync keeps the pages the lead paged
        through, so the view keeps its selection and scroll position when the rows are the
        same."""
        st, source = self.state, self.source
        flt, size = st.filter, min(max(self.page_size, len(st.rows)), MAX_LIMIT)
        self._set(replace(st, loading=True, error=""))
        self._latest.request(
            lambda: answered(lambda: source.page(flt, limit=size, after=None)),
            lambda page: self._loaded(flt, page, append=False),
            self._failed,
        )

    def more(self) -> None:
        """The next page, appended (keyset: the cursor the last page gave)."""
        st = self.state
        if st.next is None or st.loading:
            return
        flt, source, size, after = st.filter, self.source, self.page_size, st.next
        self._set(replace(st, loading=True, error=""))
        self._latest.request(
            lambda: answered(lambda: source.page(flt, limit=size, after=after)),
            lambda page: self._loaded(flt, page, append=True),
            self._failed,
        )

    def _loaded(self, flt: ReviewFilter, answer: Answer[Any], *, append: bool) -> None:
        if flt != self.state.filter:
            return
        page = answer.value
        rows = (self.state.rows + page.rows) if append else page.rows
        total = page.total if page.total >= 0 else self.state.total
        self._set(
            replace(
                self.state,
                rows=rows,
                total=total,
                next=page.next,
                loading=False,
                error="",
                outage=answer.outage,
            )
        )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SourceChanged):  # 更多 after a switch: the list from the top
            self.refresh()
            return
        st = self.state
        # Rows the seat's copy gave are not left in sight unmarked beside the centre's refusal.
        if st.outage is not None:
            st = replace(st, rows=(), total=0, next=None, outage=None)
        self._set(replace(st, loading=False, error=problem(error)))

    def select(self, ticket_id: str) -> None:
        self._set(replace(self.state, selected=ticket_id))
        if ticket_id:
            self.open_requested.emit(ticket_id)

    def update_rows(self, changed: dict[str, ReviewRow]) -> None:
        """Rows changed in place (by id: a chase's new count), the page otherwise kept."""
        if not changed:
            return
        rows = tuple(changed.get(r.id, r) for r in self.state.rows)
        self._set(replace(self.state, rows=rows))


# Overdue ----------------------------------------------------------------------------------------


class OverduePresenter(QObject):
    """Red/amber/green counts of the open tickets, read every minute and after changes.
    Signals: changed(OverdueCounts | None, str error)."""

    changed = Signal(object, str)

    def __init__(
        self,
        runner: TaskRunner,
        read: Callable[[], OverdueCounts],
        parent: QObject | None = None,
        *,
        every_ms: int = OVERDUE_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self.read = read
        self.counts: OverdueCounts | None = None
        self.error = ""
        self.outage: Outage | None = None
        """Set when the counts are the seat's because the centre could not be reached."""
        self._latest = Latest(runner, self, delay_ms=150)
        self.timer = QTimer(self, interval=every_ms)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh(now=True)
        self.timer.start()

    def stop(self) -> None:
        """No more reads (the window closes)."""
        self.timer.stop()
        self._latest.cancel()

    def refresh(self, *, now: bool = False) -> None:
        read = self.read
        self._latest.request(lambda: answered(read), self._loaded, self._failed, now=now)

    def _loaded(self, answer: Answer[OverdueCounts]) -> None:
        self.counts, self.error, self.outage = answer.value, "", answer.outage
        self.changed.emit(answer.value, "")

    def _failed(self, error: BaseException) -> None:
        self.error = problem(error)
        self.changed.emit(self.counts, self.error)


# Figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiguresState:
    first: date
    last: date
    by: str = "township"
    month: date | None = None
    rates: tuple[RateRow, ...] = ()
    rankings: tuple[RankingTable, ...] = ()
    hotspots: HotspotReport | None = None
    trend: Trend | None = None
    tickets: tuple[TicketRef, ...] = ()
    tickets_title: str = ""
    loading: frozenset[str] = frozenset()
    error: str = ""
    notice: str = ""
    partial: bool = False
    outage: Outage | None = None
    """Set when the latest figures are the seat's because the centre could not be reached."""


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def last_day(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


class FiguresPresenter(QObject):
    """三率 for a period and grouping, the tickets behind a figure, 四类排名 and hotspots for
    a month, the trend of the scores, exports.  Signals: changed(FiguresState);
    exported(str file): an export was written (and recorded on the audit trail)."""

    changed = Signal(object)
    exported = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        source: FiguresSource,
        parent: QObject | None = None,
        *,
        today: date | None = None,
        audit: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.source = source
        self.audit = audit
        day = today or timeutil.now().date()
        month = month_of(day)
        self.state = FiguresState(first=month, last=day, month=month, partial=source.partial)
        self._rates = Latest(runner, self)
        self._tickets = Latest(runner, self)
        self._rankings = Latest(runner, self)
        self._hotspots = Latest(runner, self)
        self._trend = Latest(runner, self)

    def _set(self, state: FiguresState) -> None:
        self.state = state
        self.changed.emit(state)

    def _busy(self, key: str, on: bool, **changes: Any) -> None:
        loading = self.state.loading | {key} if on else self.state.loading - {key}
        self._set(replace(self.state, loading=loading, **changes))

    def _failed(self, key: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            self._busy(key, False, error=problem(error))

        return failed

    def _done(
        self, key: str, name: str, wrap: Callable[[Any], Any] = tuple
    ) -> Callable[[Any], None]:
        """The answer of a read (:func:`answered`) into the state's ``name``, with its mark."""

        def done(answer: Answer[Any]) -> None:
            self._busy(key, False, outage=answer.outage, **{name: wrap(answer.value)})

        return done

    # 三率 ----------------------------------------------------------------------------------
    def set_period(self, first: date, last: date) -> None:
        if last < first:
            self._set(
                replace(
                    self.state,
                    error=tr(QT_TRANSLATE_NOOP("LeadDesk", "结束日期早于开始日期，请重新选择")),
                )
            )
            return
        self._set(replace(self.state, first=first, last=last, error=""))
        self.load_rates()

    def set_month_period(self, month: date) -> None:
        """The whole month (today's month: up to today)."""
        today = timeutil.now().date()
        end = min(last_day(month), today) if month <= today else last_day(month)
        self.set_period(month, end)

    def set_by(self, by: str) -> None:
        self._set(replace(self.state, by=by))
        self.load_rates()

    def load_rates(self) -> None:
        st, source = self.state, self.source
        self._busy("rates", True, error="")
        self._rates.request(
            lambda: answered(lambda: source.rates(st.first, st.last, st.by)),
            self._done("rates", "rates"),
            self._failed("rates"),
        )

    def show_tickets(self, name: str, measure: str) -> None:
        """The tickets behind one figure (a row's numerator or denominator)."""
        st, source = self.state, self.source
        everything = tr(QT_TRANSLATE_NOOP("LeadDesk", "全部"))
        title = f"{name or everything} · {tr(MEASURE_NAMES.get(measure, measure))}"
        self._busy("tickets", True, tickets=(), tickets_title=title, error="")
        # Unit rows name the unit; a district row is every unit's tickets at its places.
        unit = name if st.by != "district" else ""
        district = name if st.by == "district" else ""

        def read() -> list[TicketRef]:
            refs = source.rate_tickets(st.first, st.last, measure, unit)
            return [r for r in refs if not district or r.district == district]

        self._tickets.request(
            lambda: answered(read), self._done("tickets", "tickets"), self._failed("tickets")
        )

    # 四类排名, hotspots, trend ----------------------------------------------------------------
    def set_month(self, month: date) -> None:
        self._set(replace(self.state, month=month_of(month)))
        self.load_rankings()
        self.load_hotspots()

    def load_rankings(self) -> None:
        month, source = self.state.month or month_of(self.state.last), self.source
        self._busy("rankings", True, error="")
        self._rankings.request(
            lambda: answered(lambda: source.rankings(month)),
            self._done("rankings", "rankings"),
            self._failed("rankings"),
        )

    def load_hotspots(self) -> None:
        month, source = self.state.month or month_of(self.state.last), self.source
        self._busy("hotspots", True, error="")
        self._hotspots.request(
            lambda: answered(lambda: source.hotspots(month)),
            self._done("hotspots", "hotspots", lambda report: report),
            self._failed("hotspots"),
        )

    def load_trend(self, by: str = "", months: int = 6) -> None:
        month, source = self.state.month or month_of(self.state.last), self.source
        group = by or ("township" if self.state.by == "unit" else self.state.by)
        self._busy("trend", True, error="")
        self._trend.request(
            lambda: answered(lambda: trend(source, group, month, months)),
            self._done("trend", "trend", lambda t: t),
            self._failed("trend"),
        )

    # Export ---------------------------------------------------------------------------------
    def export(self, fmt: str, out: Path) -> None:
        """Write the period's export (worker), then record it on the audit trail."""
        st, source, audit = self.state, self.source, self.audit

        def write() -> dict[str, Any]:
            return source.export(st.first, st.last, fmt, out)

        def done(summary: dict[str, Any]) -> None:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "已导出 {0} 张工单到 {1}")).format(
                summary.get("tickets", 0), out.name
            )
            self._busy("export", False, notice=text)
            if audit is not None:  # on the single writer, after the file was written
                detail = f"{fmt} {st.first}..{st.last} {summary.get('tickets', 0)} tickets"
                self.runner.run_mutation(
                    lambda: audit(detail),
                    lambda _r: self.exported.emit(str(out)),
                    self._failed("export"),
                    change=Change.AUDIT,
                    owner=self,
                )
            else:
                self.exported.emit(str(out))

        self._busy("export", True, error="", notice="")
        self.runner.run_query(write, done, self._failed("export"), owner=self)


# Conflicts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictsState:
    rows: tuple[dict[str, Any], ...] = ()
    selected: int | None = None
    loading: bool = False
    busy: bool = False
    message: str = ""
    error: bool = False
    available: bool = True  # False: the seat's copy has no conflicts (they live at the centre)


class ConflictsPresenter(QObject):
    """The sync's conflicts: list (open first), select one, keep one side or an edited value,
    once.  ``source`` has ``list(include_resolved)`` and ``resolve(id, keep, value)`` (None:
    not connected to the centre).  Signals: changed(ConflictsState); count_changed(int);
    open_requested(str): the selected conflict's ticket is to be shown."""

    changed = Signal(object)
    count_changed = Signal(int)
    open_requested = Signal(str)  # the selected conflict's ticket (id)

    def __init__(self, runner: TaskRunner, source: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.source = source
        self.state = ConflictsState(available=source is not None)
        self._latest = Latest(runner, self)

    def _set(self, state: ConflictsState) -> None:
        self.state = state
        self.changed.emit(state)

    def refresh(self) -> None:
        if self.source is None:
            self._set(
                replace(
                    self.state,
                    message=tr(QT_TRANSLATE_NOOP("LeadDesk", "冲突记录在中心；连接中心后可处理")),
                )
            )
            return
        source = self.source
        self._set(replace(self.state, loading=True))
        self._latest.request(lambda: source.list(True), self._loaded, self._failed)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        ids = {r["id"] for r in rows}
        selected = self.state.selected if self.state.selected in ids else None
        self._set(replace(self.state, rows=tuple(rows), selected=selected, loading=False))
        self.count_changed.emit(sum(1 for r in rows if not r.get("resolved_at")))

    def _failed(self, error: BaseException) -> None:
        text = problem(error)
        if unreachable(error):  # kept only at the centre: nothing of the seat's to show
            text = tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk", "中心暂不可达，同步冲突记录在中心；连接恢复后可查看和处理（{0}）"
                )
            ).format(text)
        self._set(replace(self.state, loading=False, busy=False, message=text, error=True))

    def select(self, conflict_id: int | None) -> None:
        self._set(replace(self.state, selected=conflict_id, message="", error=False))
        row = self.selected_row()
        if row is not None and row.get("ticket_id"):
            self.open_requested.emit(str(row["ticket_id"]))

    def selected_row(self) -> dict[str, Any] | None:
        return next((r for r in self.state.rows if r["id"] == self.state.selected), None)

    def resolve(self, keep: str, value: Any = None) -> None:
        """Keep ``local`` (the seat's side), ``remote`` (the centre's) or ``edited`` (value)."""
        row = self.selected_row()
        if row is None or self.source is None or self.state.busy:
            return
        if row.get("resolved_at"):
            self._set(
                replace(
                    self.state,
                    message=tr(QT_TRANSLATE_NOOP("LeadDesk", "此冲突已处理，不能再次处理")),
                    error=True,
                )
            )
            return
        source, cid = self.source, int(row["id"])

        def done(_result: object) -> None:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "冲突 {0} 已处理（工单 {1}）")).format(
                cid, row.get("number", "")
            )
            self._set(replace(self.state, busy=False, message=text, error=False))
            self.refresh()

        self._set(
            replace(
                self.state,
                busy=True,
                message=tr(QT_TRANSLATE_NOOP("LeadDesk", "正在保存…")),
                error=False,
            )
        )
        self.runner.run_query(
            lambda: source.resolve(cid, keep, value), done, self._failed, owner=self
        )


# Quality checks (查缺补漏) ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardState:
    number: str = ""
    items: tuple[tuple[str, str, float], ...] = ()  # (key, name, weight) from the scorecard
    marks: tuple[tuple[str, float], ...] = ()
    moments: tuple[tuple[str, float], ...] = ()  # item → second of the saved transcript
    comment: str = ""
    score: float = 0.0
    passed: bool = False
    pass_mark: float = 0.0
    busy: bool = False
    saved: bool = False
    message: str = ""
    error: bool = False
    available: bool = True  # False: checks are kept at the centre, none configured


class ScorecardPresenter(QObject):
    """The scorecard of the selected ticket: a mark per item (0, 0.5 or 1, all right to start),
    a comment, the weighted total and pass/fail; save, or return to the operator with the
    comment, at the centre (``source.record``) on a worker.  ``card`` is the loaded
    :class:`~agent_app.services.quality.Scorecard`; ``source`` None: no centre configured.
    Signals: changed(ScorecardState); moment_requested(float): show the transcript there."""

    changed = Signal(object)
    moment_requested = Signal(float)

    def __init__(
        self, runner: TaskRunner, card: Any, source: Any, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.card = card
        self.source = source
        items = tuple((i.key, i.name, float(i.weight)) for i in card.items)
        self.state = self._scored(
            ScorecardState(
                items=items,
                marks=tuple((k, 1.0) for k, _n, _w in items),
                pass_mark=float(card.pass_mark),
                available=source is not None,
            )
        )

    def _scored(self, state: ScorecardState) -> ScorecardState:
        score, passed, _items = self.card.score(dict(state.marks))
        return replace(state, score=score, passed=passed)

    def _set(self, state: ScorecardState) -> None:
        self.state = state
        self.changed.emit(state)

    def set_ticket(self, number: str) -> None:
        """A new ticket: every item right again, no comment, nothing pointed at."""
        marks = tuple((k, 1.0) for k, _n, _w in self.state.items)
        self._set(
            self._scored(
                replace(
                    self.state,
                    number=number,
                    marks=marks,
                    moments=(),
                    comment="",
                    saved=False,
                    message="",
                    error=False,
                )
            )
        )

    def set_mark(self, key: str, mark: float) -> None:
        marks = tuple((k, mark if k == key else m) for k, m in self.state.marks)
        self._set(self._scored(replace(self.state, marks=marks, saved=False)))

    def set_moment(self, key: str, second: float | None) -> None:
        moments = tuple((k, s) for k, s in self.state.moments if k != key)
        if second is not None:
            moments += ((key, float(second)),)
        self._set(replace(self.state, moments=moments))

    def show_moment(self, key: str) -> None:
        second = dict(self.state.moments).get(key)
        if second is not None:
            self.moment_requested.emit(second)

    def set_comment(self, text: str) -> None:
        self.state = replace(self.state, comment=text)

    def save(self, *, return_to_operator: bool = False) -> None:
        state = self.state
        if self.source is None:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "质检记录在中心；连接中心后可评分"))
            self._set(replace(state, message=text, error=True))
            return
        if not state.number or state.busy:
            return
        if return_to_operator and not state.comment.strip():
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "退回时请在备注中写明要改正的内容"))
            self._set(replace(state, message=text, error=True))
            return
        source = self.source
        number, marks, moments = state.number, dict(state.marks), dict(state.moments)
        comment = state.comment

        def record() -> dict[str, Any]:
            return dict(
                source.record(
                    number,
                    marks,
                    comment=comment,
                    return_to_operator=return_to_operator,
                    moments=moments or None,
                )
            )

        def done(result: dict[str, Any]) -> None:
            if result.get("returned"):
                text = tr(QT_TRANSLATE_NOOP("LeadDesk", "工单 {0} 已退回给话务员（{1} 分）"))
            else:
                text = tr(QT_TRANSLATE_NOOP("LeadDesk", "工单 {0} 质检已保存（{1} 分）"))
            self._set(
                replace(
                    self.state,
                    busy=False,
                    saved=True,
                    message=text.format(number, result.get("score", "")),
                    error=False,
                )
            )

        def failed(error: BaseException) -> None:
            text = problem(error)
            if unreachable(error):  # a check is written at the centre only
                text = tr(
                    QT_TRANSLATE_NOOP("LeadDesk", "中心暂不可达，质检未保存；请稍后再次保存（{0}）")
                ).format(text)
            self._set(replace(self.state, busy=False, message=text, error=True))

        self._set(
            replace(
                state,
                busy=True,
                message=tr(QT_TRANSLATE_NOOP("LeadDesk", "正在保存…")),
                error=False,
            )
        )
        self.runner.run_query(record, done, failed, owner=self)


@dataclass(frozen=True)
class ReturnedState:
    rows: tuple[dict[str, Any], ...] = ()
    selected: int | None = None
    loading: bool = False
    busy: bool = False
    message: str = ""
    error: bool = False
    available: bool = True  # False: no centre configured


class ReturnedToMePresenter(QObject):
    """The operator's 退回给我 list: checks of the login's tickets a lead returned, with the
    lead's comment; open one (its ticket), and 已改正，重新提交 (``source.resubmit``).
    ``source`` None: no centre configured.  Signals: changed(ReturnedState);
    open_requested(str): the ticket's number."""

    changed = Signal(object)
    open_requested = Signal(str)

    def __init__(self, runner: TaskRunner, source: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.source = source
        self.state = ReturnedState(available=source is not None)
        self._latest = Latest(runner, self)

    def _set(self, state: ReturnedState) -> None:
        self.state = state
        self.changed.emit(state)

    def _failed(self, error: BaseException) -> None:
        self._set(
            replace(self.state, loading=False, busy=False, message=problem(error), error=True)
        )

    def refresh(self) -> None:
        if self.source is None:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "退回的工单记录在中心；需要配置中心"))
            self._set(replace(self.state, message=text))
            return
        source = self.source
        self._set(replace(self.state, loading=True))
        self._latest.request(lambda: source.returned(), self._loaded, self._failed)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        ids = {r["id"] for r in rows}
        selected = self.state.selected if self.state.selected in ids else None
        self._set(replace(self.state, rows=tuple(rows), selected=selected, loading=False))

    def select(self, check_id: int | None) -> None:
        self._set(replace(self.state, selected=check_id, message="", error=False))

    def selected_row(self) -> dict[str, Any] | None:
        return next((r for r in self.state.rows if r["id"] == self.state.selected), None)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_requested.emit(str(row["number"]))

    def resubmit(self) -> None:
        row = self.selected_row()
        if row is None or self.source is None or self.state.busy:
            return
        source, cid, number = self.source, int(row["id"]), str(row["number"])

        def done(_result: object) -> None:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "工单 {0} 已重新提交"))
            self._set(replace(self.state, busy=False, message=text.format(number), error=False))
            self.refresh()

        self._set(
            replace(
                self.state,
                busy=True,
                message=tr(QT_TRANSLATE_NOOP("LeadDesk", "正在保存…")),
                error=False,
            )
        )
        self.runner.run_query(lambda: source.resubmit(cid), done, self._failed, owner=self)
