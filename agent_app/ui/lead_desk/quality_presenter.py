"""The lead's 质检 tab's presenter: a shift's sample per operator and the QA scores over time.

It owns the state (:class:`QualityState`) and reads through the task runner's workers, never
on the GUI thread: ``source.sample`` and ``source.scores`` of
:mod:`agent_app.services.qa_desk` (the centre, or the seat's copy: ``partial``, no checks and
no scores there).  A shift's random draw is seeded by the shift's start, so drawing it again
(after a check was saved) gives the same tickets with their new status.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from agent_app.domain import timeutil
from agent_app.errors import ConfigError
from agent_app.services.lead_fallback import unreachable
from agent_app.services.qa_desk import Sample, SampleRow, Scores, shift_seed
from agent_app.services.qa_shifts import ALL, Roster, load_roster
from agent_app.ui.lead_desk.presenters import problem
from agent_app.workers.tasks import Latest, TaskRunner

PERIODS: tuple[tuple[str, object, int, str], ...] = (
    # key, name, days back from today, by
    ("4w", QT_TRANSLATE_NOOP("LeadDesk", "近 4 周（按周）"), 27, "week"),
    ("8w", QT_TRANSLATE_NOOP("LeadDesk", "近 8 周（按周）"), 55, "week"),
    ("12w", QT_TRANSLATE_NOOP("LeadDesk", "近 12 周（按周）"), 83, "week"),
    ("14d", QT_TRANSLATE_NOOP("LeadDesk", "近 14 天（按日）"), 13, "day"),
    ("30d", QT_TRANSLATE_NOOP("LeadDesk", "近 30 天（按日）"), 29, "day"),
)


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def current_shift(at: datetime, roster: Roster | None = None) -> tuple[date, str]:
    """(the day it started, key) of the shift of ``roster`` (default: the shipped one) running
    at ``at``: at 02:00 a night shift started at 22:00 the evening before; ``all`` at a time
    no shift covers."""
    return (roster or load_roster()).current(at)


@dataclass(frozen=True)
class QualityState:
    day: date
    shift: str = ALL
    operators: tuple[str, ...] = ()
    sample: Sample | None = None
    selected: str = ""  # ticket id of the row opened
    period: str = "8w"
    scores: Scores | None = None
    loading: frozenset[str] = frozenset()
    error: str = ""
    scores_error: str = ""
    shifts_error: str = ""  # the shifts file's problem (only 全天 is offered then)
    partial: bool = False
    has_scores: bool = True

    @property
    def rows(self) -> tuple[SampleRow, ...]:
        return self.sample.rows if self.sample is not None else ()


class QualityPresenter(QObject):
    """Pick a shift and operators, draw the sample (抽样), open a row's ticket (with the
    scorecard), read the scores of a period.  Signals: changed(QualityState);
    open_requested(str ticket id): show the ticket and its scorecard."""

    changed = Signal(object)
    open_requested = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        source: Any,
        parent: QObject | None = None,
        *,
        now: datetime | None = None,
        roster: Roster | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        shifts_error = ""
        if roster is None:
            try:
                roster = load_roster()
            except ConfigError as exc:  # the whole day still works; the tab says what is wrong
                roster, shifts_error = Roster(()), problem(exc)
        self.roster = roster
        day, shift = roster.current(now or timeutil.now())
        self.state = QualityState(
            day=day,
            shift=shift,
            shifts_error=shifts_error,
            partial=bool(getattr(source, "partial", True)),
            has_scores=bool(getattr(source, "has_scores", False)),
        )
        self._sample = Latest(runner, self)
        self._scores = Latest(runner, self)
        self._today = (now or timeutil.now()).astimezone(timeutil.SHANGHAI).date()
        self._scoring = False

    def _set(self, state: QualityState) -> None:
        self.state = state
        self.changed.emit(state)

    def _busy(self, key: str, on: bool, **changes: Any) -> None:
        st = self.state
        loading = st.loading | {key} if on else st.loading - {key}
        self._set(replace(st, loading=loading, **changes))

    # The sample -----------------------------------------------------------------------------
    def set_shift(self, day: date, shift: str) -> None:
        if (day, shift) != (self.state.day, self.state.shift):
            self._set(replace(self.state, day=day, shift=shift))

    def set_operators(self, text: str) -> None:
        words = (o.strip() for o in text.replace("，", ",").replace(" ", ",").split(","))
        self._set(replace(self.state, operators=tuple(dict.fromkeys(o for o in words if o))))

    def shift_times(self) -> tuple[datetime, datetime]:
        return self.roster.range(self.state.day, self.state.shift)

    def draw(self) -> None:
        """抽样: every operator's (or the chosen ones') sample of the chosen shift."""
        source, ops = self.source, self.state.operators
        if source is None:
            return
        start, end = self.shift_times()
        seed = shift_seed(start)
        self._busy("sample", True, error="")
        self._sample.request(
            lambda: source.sample(ops, start, end, seed=seed),
            lambda sample: self._busy("sample", False, sample=sample),
            self._failed("sample", "error"),
        )

    def _failed(self, key: str, field: str) -> Any:
        def failed(error: BaseException) -> None:
            text = problem(error)
            if key == "scores" and unreachable(error):  # kept at the centre only
                text = tr(
                    QT_TRANSLATE_NOOP(
                        "LeadDesk", "中心暂不可达，质检评分记录在中心；连接恢复后可查看（{0}）"
                    )
                ).format(text)
            self._busy(key, False, **{field: text})

        return failed

    def select(self, ticket_id: str) -> None:
        """Open the row's ticket (the desk shows it with its scorecard)."""
        if ticket_id and ticket_id != self.state.selected:
            self._set(replace(self.state, selected=ticket_id))
            self.open_requested.emit(ticket_id)

    def counts(self) -> tuple[int, int, int | None]:
        """(sampled, shift's tickets, checked; None: unknown on the seat's copy)."""
        sample = self.state.sample
        if sample is None:
            return 0, 0, None
        return len(sample.rows), sample.tickets, None if sample.partial else sample.checked

    def scorecard_changed(self, state: Any) -> None:
        """The desk's scorecard: once a check is saved at the centre, the sample's status and
        the scores are read again."""
        was, self._scoring = self._scoring, bool(state.busy)
        if was and not state.busy and state.saved:
            if self.state.sample is not None:
                self.draw()
            self.load_scores()

    # The scores -------------------------------------------------------------------------------
    def period_range(self) -> tuple[date, date, str]:
        key, _name, back, by = next(p for p in PERIODS if p[0] == self.state.period)
        return self._today - timedelta(days=back), self._today, by

    def set_period(self, key: str) -> None:
        if key != self.state.period and any(p[0] == key for p in PERIODS):
            self._set(replace(self.state, period=key))
            self.load_scores()

    def load_scores(self) -> None:
        source = self.source
        if source is None or not self.state.has_scores:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "质检记录在中心；连接中心后可查看评分"))
            self._set(replace(self.state, scores_error=text))
            return
        first, last, by = self.period_range()
        self._busy("scores", True, scores_error="")
        self._scores.request(
            lambda: source.scores(first, last, by),
            lambda scores: self._busy("scores", False, scores=scores),
            self._failed("scores", "scores_error"),
        )
