"""The lead's desk when the centre goes away mid-shift: the seat's copy answers instead.

A desk that reads the centre (:func:`agent_app.ui.lead_desk.desk.central_sources`) wraps its
centre sources in the ones here, each paired with the same source over the seat's own copy
(:class:`~agent_app.services.lead_desk.SeatReview`, ``SeatFigures``, ``SeatQA``):

* :func:`unreachable` tells a connection-level failure (no route, refused, reset, timed out,
  the server shutting down, too many connections, :class:`~agent_app.errors.UnreachableError`)
  from one the centre answered with: a permission error, a login that is not a lead's, a bad
  filter.  Only the first falls back; the others still reach the lead as their own message.
* :class:`CentreFallback` is the policy, one per desk and shared by its sources (thread-safe:
  the desk's reads run on worker threads).  After a failure it answers from the seat and
  tries the centre again at most every :data:`RETRY_SECONDS`, or at the next read after a
  sync cycle that reached the centre (:meth:`CentreFallback.centre_reached`); one read at a
  time tries (the others keep reading the seat meanwhile), so a centre that is gone is not
  asked by every read.  A read that has no answer within :data:`ANSWER_SECONDS` counts as
  a failure (the seat answers; the stuck read ends in the background, and while
  :data:`MAX_STUCK` are stuck none is added).  The first read the centre answers switches
  back.  Listeners hear each switch (:meth:`CentreFallback.subscribe`).
* :func:`answered` runs one of the desk's reads and says whether any part of it came from
  the seat (an :class:`Outage`: since when, why), so a view can mark the result.

Writes are never sent here: rulings, reveals and quality checks keep their own way (the
outbox, or a message).  No Qt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from agent_app.domain import timeutil
from agent_app.errors import KnownError, UnreachableError

if TYPE_CHECKING:
    from agent_app.domain.rates import RateRow
    from agent_app.services.lead_desk import FiguresSource, OverdueCounts, ReviewSource
    from agent_app.services.reports.figures import HotspotReport, RankingTable, TicketRef
    from agent_app.services.review import ReviewFilter, ReviewPage

log = logging.getLogger("agent_app.services")
T = TypeVar("T")

RETRY_SECONDS = 30.0
"""After a failure, the centre is tried again at most this often (a sync cycle that reached
it allows the next read at once)."""
ANSWER_SECONDS = 12.0
"""A centre read that has not answered in this time is answered from the seat (a link that
swallows packets, a centre that accepts and never answers); the read goes on in the
background until the connection gives up, and counts as stuck meanwhile."""
MAX_STUCK = 2
"""While this many centre reads are stuck, the centre is not tried again (bounded threads)."""
_UNREACHABLE_STATES = frozenset({"57P01", "57P02", "57P03", "53300"})
"""Server answers that mean "not now" (admin or crash shutdown, starting up, too many
connections); the connection-exception class 08 too."""


def first_line(error: BaseException) -> str:
    return " ".join((str(error).strip().splitlines() or [type(error).__name__])[0].split())


def unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the centre could not be reached or answered nothing (fall back)
    rather than that it refused (a permission, a login, a filter: show it)."""
    if isinstance(error, UnreachableError):
        return True
    if isinstance(error, KnownError):  # ConfigError (login, schema), UsageError (filter)
        return False
    try:
        import psycopg  # noqa: PLC0415 - only on a desk that reads the centre
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    if state is None:  # client side: refused, reset, timed out, closed, lost
        return True
    return state.startswith("08") or state in _UNREACHABLE_STATES


@dataclass(frozen=True)
class Outage:
    """The centre could not be reached: since when (the first failure) and the latest why."""

    since: datetime
    reason: str
    where: str = ""

    def clock(self) -> str:
        """HH:MM of ``since``, Shanghai time."""
        return self.since.astimezone(timeutil.SHANGHAI).strftime("%H:%M")


class _Seen(threading.local):
    def __init__(self) -> None:
        self.stack: list[list[Outage]] = []


_seen = _Seen()


def _note(outage: Outage) -> None:
    for marks in _seen.stack:
        marks.append(outage)


@dataclass(frozen=True)
class Answer(Generic[T]):
    """A read's value; ``outage`` set when (some of) it came from the seat's copy."""

    value: T
    outage: Outage | None = None

    @property
    def from_seat(self) -> bool:
        return self.outage is not None


def answered(read: Callable[[], T]) -> Answer[T]:
    """Run ``read`` (on this thread) and say whether a fallback answered any part of it."""
    marks: list[Outage] = []
    _seen.stack.append(marks)
    try:
        value = read()
    finally:
        _seen.stack.remove(marks)
    return Answer(value, marks[-1] if marks else None)


class CentreFallback:
    """One desk's policy: the centre while it answers, the seat's copy after a
    connection-level failure, the centre again after :data:`RETRY_SECONDS` or a sync cycle
    that reached it (see the module's doc)."""

    def __init__(
        self,
        *,
        where: str = "",
        retry: float = RETRY_SECONDS,
        answer_within: float | None = ANSWER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = timeutil.now,
    ) -> None:
        self.where = where
        self.retry = retry
        self.answer_within = answer_within
        """Seconds a centre read may take before the seat answers (None: no bound)."""
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._outage: Outage | None = None
        self._next_try = 0.0
        self._probing = False
        self._listeners: list[Callable[[Outage | None], object]] = []
        self.tries = 0
        """Reads sent to the centre (tests count them: no retry storms)."""
        self.stuck = 0
        """Centre reads past :attr:`answer_within` still waiting for their connection."""

    @property
    def outage(self) -> Outage | None:
        """Since when and why the seat answers (None: the centre does)."""
        with self._lock:
            return self._outage

    def subscribe(self, listener: Callable[[Outage | None], object]) -> None:
        """``listener(outage)`` on each switch (an Outage: to the seat; None: back to the
        centre), called on the thread of the read that switched."""
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Outage | None], object]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def centre_reached(self) -> None:
        """A sync cycle reached the centre: the next read tries it (no wait)."""
        with self._lock:
            self._next_try = 0.0

    def call(self, centre: Callable[[], T], seat: Callable[[], T]) -> T:
        """``centre()``, or ``seat()`` when the centre cannot be reached (now, or lately and
        not yet due for another try).  Other errors of the centre are raised as they are."""
        with self._lock:
            outage = self._outage
            due = not self._probing and self.stuck < MAX_STUCK and self._clock() >= self._next_try
            try_centre = outage is None or due
            probe = outage is not None and try_centre
            if probe:
                self._probing = True
            if try_centre:
                self.tries += 1
        if not try_centre:
            assert outage is not None
            _note(outage)
            return seat()
        try:
            value = self._ask(centre)
        except SourceChanged:
            raise  # nothing was asked of the centre
        except Exception as exc:
            if not unreachable(exc):
                self._switch(None)  # the centre answered (a refusal): it is reachable
                raise
            outage = self._failed(exc)
            _note(outage)
            return seat()
        finally:
            if probe:
                with self._lock:
                    self._probing = False
        self._switch(None)
        return value

    def _ask(self, centre: Callable[[], T]) -> T:
        """``centre()``, given up after :attr:`answer_within` seconds (it runs on a thread of
        its own then, so the caller's worker is freed; the read ends when its connection
        does)."""
        limit = self.answer_within
        if limit is None:
            return centre()
        done = threading.Event()
        box: dict[str, Any] = {}
        late = False

        def run() -> None:
            try:
                box["value"] = centre()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                box["error"] = exc
            finally:
                with self._lock:
                    done.set()
                    if late:
                        self.stuck -= 1

        threading.Thread(target=run, name="centre-read", daemon=True).start()
        if not done.wait(limit):
            with self._lock:
                if not done.is_set():
                    late = True
                    self.stuck += 1
            if late:
                where = f" {self.where}" if self.where else ""
                raise UnreachableError(f"the centre{where} did not answer within {limit:g} s")
        if "error" in box:
            raise box["error"]
        value: T = box["value"]
        return value

    def _failed(self, error: BaseException) -> Outage:
        reason = first_line(error)
        with self._lock:
            before = self._outage
            since = before.since if before is not None else self._now()
            outage = Outage(since, reason, self.where)
            self._outage = outage
            self._next_try = self._clock() + self.retry
        if before is None:
            log.warning("the centre cannot be reached; the lead's desk reads the seat's copy")
            self._tell(outage)
        return outage

    def _switch(self, outage: None) -> None:
        with self._lock:
            before, self._outage = self._outage, outage
            self._next_try = 0.0
        if before is not None:
            log.info("the centre answers again; the lead's desk reads it")
            self._tell(None)

    def _tell(self, outage: Outage | None) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(outage)


# Sources that fall back -----------------------------------------------------------------------


class SourceChanged(KnownError):
    """A next page was asked with a cursor of the other source (the centre's while the seat
    answers, or back): the list is to be read again from its first page."""


_CENTRE, _SEAT = "c:", "s:"


class FallbackReview:
    """The review queue: the centre's, else the seat's.  Cursors are tagged with the source
    that gave them; a next page asked of the other one raises :class:`SourceChanged`."""

    partial = False

    def __init__(self, centre: ReviewSource, seat: ReviewSource, policy: CentreFallback) -> None:
        self.centre = centre
        self.seat = seat
        self.policy = policy

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        def from_centre() -> ReviewPage:
            if after is not None and not after.startswith(_CENTRE):
                raise SourceChanged("the list's source changed; read it again")
            page = self.centre.page(flt, limit=limit, after=after and after[len(_CENTRE) :])
            return replace(page, next=None if page.next is None else _CENTRE + page.next)

        def from_seat() -> ReviewPage:
            if after is not None and not after.startswith(_SEAT):
                raise SourceChanged("the list's source changed; read it again")
            page = self.seat.page(flt, limit=limit, after=after and after[len(_SEAT) :])
            return replace(page, next=None if page.next is None else _SEAT + page.next)

        return self.policy.call(from_centre, from_seat)


class FallbackFigures:
    """三率, rankings, hotspots and a figure's tickets: the centre's, else the seat's.  An
    export is the centre's only (a file that does not say it is partial is not written)."""

    partial = False

    def __init__(self, centre: FiguresSource, seat: FiguresSource, policy: CentreFallback) -> None:
        self.centre = centre
        self.seat = seat
        self.policy = policy

    def rates(self, first: date, last: date, by: str) -> list[RateRow]:
        return self.policy.call(
            lambda: self.centre.rates(first, last, by), lambda: self.seat.rates(first, last, by)
        )

    def rate_tickets(self, first: date, last: date, measure: str, unit: str) -> list[TicketRef]:
        return self.policy.call(
            lambda: self.centre.rate_tickets(first, last, measure, unit),
            lambda: self.seat.rate_tickets(first, last, measure, unit),
        )

    def rankings(self, month: date) -> list[RankingTable]:
        return self.policy.call(
            lambda: self.centre.rankings(month), lambda: self.seat.rankings(month)
        )

    def hotspots(self, month: date) -> HotspotReport:
        return self.policy.call(
            lambda: self.centre.hotspots(month), lambda: self.seat.hotspots(month)
        )

    def export(self, first: date, last: date, fmt: str, out: Path) -> dict[str, Any]:
        return self.centre.export(first, last, fmt, out)


def fallback_counts(
    centre: Callable[[], OverdueCounts], seat: Callable[[], OverdueCounts], policy: CentreFallback
) -> Callable[[], OverdueCounts]:
    """The lights' counts: the centre's, else the seat's."""
    return lambda: policy.call(centre, seat)


class FallbackQA:
    """The 质检 tab: the shift's sample from the centre, else from the seat's copy (no
    checks there); the scores are kept at the centre only."""

    partial = False
    has_scores = True

    def __init__(self, centre: Any, seat: Any, policy: CentreFallback) -> None:
        self.centre = centre
        self.seat = seat
        self.policy = policy

    def sample(self, operators: Sequence[str], start: datetime, end: datetime, **kw: Any) -> Any:
        return self.policy.call(
            lambda: self.centre.sample(operators, start, end, **kw),
            lambda: self.seat.sample(operators, start, end, **kw),
        )

    def scores(self, first: date, last: date, by: str = "week") -> Any:
        return self.centre.scores(first, last, by)
