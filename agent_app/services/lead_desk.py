"""What the shift lead's desk reads, from the centre or from the seat's own copy.

Two sources behind one interface each, so the desk's presenters never know which one they
read (switching is the one line that builds the source):

* figures (三率, 四类排名, trends, hotspots, the tickets behind a figure, exports):
  :class:`CentralFigures` over :mod:`agent_app.services.reports` (the centre's counts), and
  :class:`SeatFigures`, the same arithmetic (:mod:`agent_app.domain.rates`) over the tickets
  this seat holds: what a demo window or an offline seat can show, always marked partial;
* the review queue: :class:`CentralReview` over :mod:`agent_app.services.review` (keyset
  pages of the centre's tickets) and :class:`SeatReview` over the seat's tickets (the same
  :class:`~agent_app.services.review.ReviewFilter` and :class:`ReviewPage`, an offset as the
  cursor);
* :func:`overdue_counts` / :func:`central_overdue_counts`: red, amber and green counts of the
  open tickets' time limits by :func:`agent_app.domain.deadlines.due_light` (amber: due within
  :data:`~agent_app.domain.deadlines.DUE_SOON_HOURS`), the rule the 超时预警 list filters by,
  so a light's count is the rows its click lists.

No Qt here: the desk calls these through its task runner, never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from agent_app.domain import timeutil
from agent_app.domain.deadlines import DUE_SOON_HOURS, due_light
from agent_app.domain.lifecycle import Status
from agent_app.domain.rates import (
    RankingRow,
    RateCounts,
    RateDefinitions,
    RateRow,
    classify,
    compute_rates,
    per_10k,
    robust_growth,
)
from agent_app.errors import ConfigError, KnownError, UsageError
from agent_app.services.central_source import CentralSource
from agent_app.services.reports import export as export_mod
from agent_app.services.reports import figures
from agent_app.services.reports.figures import (
    Candidate,
    Hotspot,
    HotspotReport,
    RankingTable,
    TicketRef,
    add_months,
    definitions,
    district_population,
    group_counts,
    month_period,
    past_topics,
    period,
)
from agent_app.services.review import OPEN_STATUSES, ReviewFilter, ReviewPage, ReviewRow

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket, TicketEvent
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink
    from agent_app.storage.db import Database

EXPORT_FORMATS = export_mod.FORMATS
EXPORT_SUFFIX = {"xlsx": ".xlsx", "csv": ".csv", "open311-json": ".json", "open311-xml": ".xml"}
TREND_MONTHS = 6


# Interfaces -----------------------------------------------------------------------------------


class FiguresSource(Protocol):
    """Where the figures come from; ``partial`` when they are only this seat's tickets."""

    partial: bool

    def rates(self, first: date, last: date, by: str) -> list[RateRow]: ...

    def rate_tickets(self, first: date, last: date, measure: str, unit: str) -> list[TicketRef]: ...

    def rankings(self, month: date) -> list[RankingTable]: ...

    def hotspots(self, month: date) -> HotspotReport: ...

    def export(self, first: date, last: date, fmt: str, out: Path) -> dict[str, Any]: ...


class ReviewSource(Protocol):
    partial: bool

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage: ...


@dataclass(frozen=True)
class Trend:
    """Scores (0..100, None without a denominator) of each row over consecutive months."""

    by: str
    months: tuple[str, ...]
    series: dict[str, tuple[float | None, ...]] = field(default_factory=dict)
    tickets: dict[str, int] = field(default_factory=dict)  # dispatched over the months


def trend(source: FiguresSource, by: str, last_month: date, months: int = TREND_MONTHS) -> Trend:
    """The score of every ``by`` row in each of the ``months`` months up to ``last_month``."""
    labels: list[str] = []
    per_month: list[dict[str, float | None]] = []
    volume: Counter[str] = Counter()
    for i in range(months - 1, -1, -1):
        m = add_months(last_month, -i)
        p = month_period(m)
        rows = source.rates(p.start.date(), (p.end - timedelta(days=1)).date(), by)
        labels.append(p.label)
        per_month.append({r.name: r.score for r in rows})
        volume.update({r.name: r.counts.tickets for r in rows})
    names = sorted({n for scores in per_month for n in scores})
    series = {n: tuple(scores.get(n) for scores in per_month) for n in names}
    return Trend(by, tuple(labels), series, dict(volume))


# The centre -----------------------------------------------------------------------------------


class CentralFigures(CentralSource):
    """The figures at the centre, as the lead's login (every ticket of the city); with
    ``link`` on its reused connections (the desk's), else a new connection per read."""

    partial = False

    def rates(self, first: date, last: date, by: str) -> list[RateRow]:
        return figures.rates(
            self.target, first, last, by, password_lookup=self.password_lookup, link=self.link
        )

    def rate_tickets(self, first: date, last: date, measure: str, unit: str) -> list[TicketRef]:
        return figures.rate_tickets(
            self.target,
            first,
            last,
            measure,
            unit or None,
            password_lookup=self.password_lookup,
            link=self.link,
        )

    def rankings(self, month: date) -> list[RankingTable]:
        return figures.rankings(
            self.target, month, password_lookup=self.password_lookup, link=self.link
        )

    def hotspots(self, month: date) -> HotspotReport:
        return figures.hotspots(
            self.target, month, password_lookup=self.password_lookup, link=self.link
        )

    def export(self, first: date, last: date, fmt: str, out: Path) -> dict[str, Any]:
        return export_mod.export(
            self.target, first, last, fmt, out, password_lookup=self.password_lookup, link=self.link
        )


def central_ticket(
    target: CentralTarget,
    ticket_id: str,
    *,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> Ticket | None:
    """One ticket of the centre with its events (the lead's login: every ticket), for the
    desk's detail pane when the seat does not hold it; None when the centre has none.  The
    caller comes masked (``central.tickets_masked``: a confidential caller entirely); no app
    login reads ``central.tickets.data`` (c0010)."""
    from agent_app.domain.serialize import ticket_from_dict  # noqa: PLC0415
    from agent_app.domain.ticket import TicketEvent  # noqa: PLC0415

    def read(conn: Any) -> tuple[Any, list[Any]]:
        row = conn.execute(
            "SELECT data, status FROM central.tickets_masked WHERE id = %s", (ticket_id,)
        ).fetchone()
        if row is None:
            return None, []
        events = conn.execute(
            "SELECT at, kind, actor_role, actor_id, from_status, to_status, data "
            "FROM central.ticket_events WHERE ticket_id = %s ORDER BY at, seq",
            (ticket_id,),
        ).fetchall()
        return row, events

    row, events = figures.centre_read(target, password_lookup, read, link=link)
    if row is None:
        return None
    data = dict(row[0] or {})
    data.setdefault("id", ticket_id)
    data["status"] = row[1] or data.get("status")
    data["events"] = []
    ticket = ticket_from_dict(data)
    return replace(
        ticket,
        events=tuple(
            TicketEvent(at, kind, role, actor, frm, to, dict(d or {}))
            for at, kind, role, actor, frm, to, d in events
        ),
    )


def central_ticket_id(
    target: CentralTarget,
    number: str,
    *,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> str | None:
    """The id of the centre's ticket with this number (a figure's tickets give numbers)."""

    def read(conn: Any) -> Any:
        return conn.execute(
            "SELECT id FROM central.tickets WHERE number = %s LIMIT 1", (number,)
        ).fetchone()

    row = figures.centre_read(target, password_lookup, read, link=link)
    return str(row[0]) if row else None


class CentralReview(CentralSource):
    """The review queue at the centre (keyset pages, :mod:`agent_app.services.review`).

    With ``link`` (the desk's): each page on its reused connections, the lead check done once
    per connection by the link (``check=review.whoami``); else connect and check per page."""

    partial = False

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        from agent_app.services import review  # noqa: PLC0415 - psycopg only at the centre

        link = self.link
        if link is not None:

            def read(conn: Any) -> ReviewPage:
                review.require_lead(self.target, link.identity)
                return review.review_page(
                    conn, flt, limit=limit, after=after, with_total=after is None
                )

            import psycopg  # noqa: PLC0415

            try:
                return link.read(read)
            except psycopg.errors.InsufficientPrivilege:
                raise ConfigError(
                    f"The login {self.target.user} may not read the review queue at "
                    f"{self.target.display}; sign in with a shift lead's login or ask the "
                    "administrator to grant it the lead group."
                ) from None
        kw: dict[str, Any] = {}
        if self.password_lookup is not None:
            kw["password_lookup"] = self.password_lookup
        # The next page keeps the first page's total (the desk shows it): no count again.
        return review.review_list(
            self.target, flt, limit=limit, after=after, with_total=after is None, **kw
        )


class CentralConflicts(CentralSource):
    """The sync's conflicts at the centre (:mod:`agent_app.services.conflicts`)."""

    def _kw(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"link": self.link}
        if self.password_lookup is not None:
            kw["password_lookup"] = self.password_lookup
        return kw

    def list(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        from agent_app.services import conflicts  # noqa: PLC0415 - psycopg at the centre only

        return conflicts.list_conflicts(
            self.target, include_resolved=include_resolved, limit=200, **self._kw()
        )

    def resolve(self, conflict_id: int, keep: str, value: Any = None) -> dict[str, Any]:
        from agent_app.services import conflicts  # noqa: PLC0415

        return conflicts.resolve(self.target, conflict_id, keep, value, **self._kw())


# The seat's copy ----------------------------------------------------------------------------

CACHE_SECONDS = 20.0
"""A figure, its trend and its tickets read one copy of the seat's tickets."""


class Cached:
    """``read`` whose answer is reused for ``seconds`` (the worker threads share it) until
    :meth:`clear` (the seat's tickets changed)."""

    def __init__(self, read: Callable[[], list[Any]], seconds: float = CACHE_SECONDS) -> None:
        self._read = read
        self._seconds = seconds
        self._lock = threading.Lock()
        self._memo: tuple[float, int, list[Any]] | None = None
        self._generation = 0

    def __call__(self) -> list[Any]:
        with self._lock:
            memo, generation = self._memo, self._generation
            if memo is not None and memo[1] == generation:
                if time.monotonic() - memo[0] < self._seconds:
                    return memo[2]
        value = self._read()  # outside the lock: a clear() meanwhile is not waited for
        with self._lock:
            if generation == self._generation:
                self._memo = (time.monotonic(), generation, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._memo = None


def cached(read: Callable[[], list[Any]], seconds: float = CACHE_SECONDS) -> Cached:
    return Cached(read, seconds)


def seat_tickets(
    db: Database, *, since: datetime | None = None, statuses: Iterable[str] = ()
) -> list[Ticket]:
    """The seat's tickets (created since ``since``; in ``statuses``) with their events, read
    in bulk.  Callers' names and numbers are not read: the desk's lists and figures do not
    show them (the detail pane reads its ticket itself)."""
    from sqlalchemy import select  # noqa: PLC0415 - the ORM on first use (worker thread)

    from agent_app.domain.ticket import Caller, Place, Ticket  # noqa: PLC0415
    from agent_app.storage.models import TicketRow  # noqa: PLC0415
    from agent_app.storage.repository import events_of  # noqa: PLC0415

    wanted = tuple(statuses)
    query = select(TicketRow)
    if since is not None:
        query = query.where(TicketRow.created_at >= since)
    if wanted:
        query = query.where(TicketRow.status.in_(wanted))
    out: list[Ticket] = []
    with db.read() as s:
        rows = list(s.scalars(query))
        events = events_of(s, [r.id for r in rows])
        for r in rows:
            out.append(
                Ticket(
                    id=r.id,
                    number=r.number,
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                    seat=r.seat,
                    operator_id=r.operator_id,
                    caller=Caller(confidential=r.confidential),
                    category_code=r.category_code,
                    category_name=r.category_name,
                    place=Place(
                        address=r.address,
                        district=r.district,
                        district_code=r.district_code,
                        township=r.township,
                        township_code=r.township_code,
                        lat=r.lat,
                        lon=r.lon,
                    ),
                    urgency=r.urgency,
                    main_unit=r.main_unit,
                    due_at=r.due_at,
                    status=Status(r.status),
                    is_demo=r.is_demo,
                    events=tuple(events.get(r.id, ())),
                )
            )
    return out


@dataclass(frozen=True)
class _Dispatch:
    unit: str
    at: datetime
    signed_at: datetime | None
    upheld: bool


def _dispatches(events: Iterable[TicketEvent], main_unit: str) -> list[_Dispatch]:
    """Each dispatch of the ticket: to which unit, when, when signed, objection upheld."""
    out: list[_Dispatch] = []
    units: list[tuple[str, datetime]] = []
    signed: dict[int, datetime] = {}
    upheld: set[int] = set()
    for e in sorted(events, key=lambda x: x.at):
        if e.kind != "transition":
            continue
        if e.to_status == Status.DISPATCHED.value:
            if e.data.get("ruling") == "upheld" and units:
                upheld.add(len(units) - 1)
                units[-1] = (str(e.data.get("from_unit") or units[-1][0]), units[-1][1])
            units.append((str(e.data.get("to_unit") or e.data.get("unit") or ""), e.at))
        elif e.to_status == Status.SIGNED.value and units and len(units) - 1 not in signed:
            signed[len(units) - 1] = e.at
    # The last dispatch went to the ticket's unit; earlier ones to the unit an upheld
    # objection moved it from (filled above) or, without a record, to the same unit.
    for i, (unit, at) in enumerate(units):
        name = unit or (main_unit if i == len(units) - 1 else "") or main_unit
        out.append(_Dispatch(name, at, signed.get(i), i in upheld))
    return out


def _latest_callback(events: Iterable[TicketEvent]) -> tuple[datetime, dict[str, Any]] | None:
    found = None
    for e in events:
        cb = e.data.get("callback") if isinstance(e.data, dict) else None
        if isinstance(cb, dict) and (found is None or e.at >= found[0]):
            found = (e.at, cb)
    return found


def _within(at: datetime, start: datetime, end: datetime) -> bool:
    return start <= at < end


@dataclass(frozen=True, slots=True)
class SeatTicket:
    """One of the seat's tickets as the desk's lists, lights and figures read it: the columns
    shown and filtered on, and what its events say (its dispatches, the latest callback, how
    often it was reopened and chased) without the events themselves.  A cache of these for
    every ticket of the seat is a small part of one of full tickets with their events; the
    detail pane reads the ticket it opens in full."""

    id: str
    number: str
    created_at: datetime
    updated_at: datetime | None
    seat: str
    operator_id: str
    confidential: bool
    category_code: str
    category_name: str
    address: str
    district: str
    township: str
    lat: float | None
    lon: float | None
    urgency: str
    main_unit: str
    due_at: datetime | None
    status: str
    dispatches: tuple[_Dispatch, ...]
    callback: tuple[datetime, bool, Any] | None
    """The latest callback: when, resolved, satisfaction."""
    rehandled: int
    chases: int
    last_chase: datetime | None


def _event_facts(
    events: Sequence[TicketEvent], main_unit: str
) -> tuple[tuple[_Dispatch, ...], tuple[datetime, bool, Any] | None, int, int, datetime | None]:
    cb = _latest_callback(events)
    chased = [e.at for e in events if e.kind == "chase"]
    return (
        tuple(_dispatches(events, main_unit)),
        None if cb is None else (cb[0], bool(cb[1].get("resolved")), cb[1].get("satisfaction")),
        sum(1 for e in events if e.kind == "transition" and e.to_status == Status.REOPENED.value),
        len(chased),
        max(chased) if chased else None,
    )


def summarize(t: Ticket) -> SeatTicket:
    """The desk's summary of a full ticket (with its events)."""
    dispatches, callback, rehandled, chases, last_chase = _event_facts(t.events, t.main_unit)
    return SeatTicket(
        id=t.id,
        number=t.number,
        created_at=t.created_at,
        updated_at=t.updated_at,
        seat=t.seat,
        operator_id=t.operator_id,
        confidential=t.caller.confidential,
        category_code=t.category_code,
        category_name=t.category_name,
        address=t.place.address,
        district=t.place.district,
        township=t.place.township,
        lat=t.place.lat,
        lon=t.place.lon,
        urgency=t.urgency,
        main_unit=t.main_unit,
        due_at=t.due_at,
        status=t.status.value,
        dispatches=dispatches,
        callback=callback,
        rehandled=rehandled,
        chases=chases,
        last_chase=last_chase,
    )


def summaries(tickets: Iterable[Ticket | SeatTicket]) -> list[SeatTicket]:
    """``tickets`` as the desk's summaries (full tickets are summarized, summaries kept)."""
    return [t if isinstance(t, SeatTicket) else summarize(t) for t in tickets]


SUMMARY_CHUNK = 500
"""Tickets whose events are held at once while the seat's summaries are read."""


def seat_summaries(db: Database, *, chunk: int = SUMMARY_CHUNK) -> list[SeatTicket]:
    """Every ticket of the seat as the desk's summary (:class:`SeatTicket`): the columns and
    the events read ``chunk`` tickets at a time and let go once summarized, the repeated
    names (units, districts, categories, operators) held once."""
    from sqlalchemy import literal_column, select  # noqa: PLC0415 - the ORM on first use

    from agent_app.storage.models import TicketRow as T  # noqa: PLC0415
    from agent_app.storage.repository import events_of  # noqa: PLC0415

    query = select(
        T.id, T.number, T.created_at, T.updated_at, T.seat, T.operator_id, T.confidential,
        T.category_code, T.category_name, T.address, T.district, T.township, T.lat, T.lon,
        T.urgency, T.main_unit, T.due_at, T.status,
    )  # fmt: skip
    names: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        return names.setdefault(value, value)

    out: list[SeatTicket] = []
    with db.read() as s:
        # the ids in the table's order (what a read of every row gives), then the columns and
        # the events of ``chunk`` tickets at a time: no more than that many rows held at once
        ids = list(s.scalars(select(T.id).order_by(literal_column("rowid"))))
        for i in range(0, len(ids), chunk):
            part_ids = ids[i : i + chunk]
            by_id = {r.id: r for r in s.execute(query.where(T.id.in_(part_ids)))}
            part = [by_id[tid] for tid in part_ids if tid in by_id]
            events = events_of(s, part_ids)
            for r in part:
                unit = one(r.main_unit)
                dispatches, callback, rehandled, chases, last_chase = _event_facts(
                    events.pop(r.id, ()), unit
                )
                out.append(
                    SeatTicket(
                        id=r.id,
                        number=r.number,
                        created_at=r.created_at,
                        updated_at=r.updated_at,
                        seat=one(r.seat),
                        operator_id=one(r.operator_id),
                        confidential=bool(r.confidential),
                        category_code=one(r.category_code),
                        category_name=one(r.category_name),
                        address=r.address,
                        district=one(r.district),
                        township=one(r.township),
                        lat=r.lat,
                        lon=r.lon,
                        urgency=one(r.urgency),
                        main_unit=unit,
                        due_at=r.due_at,
                        status=one(Status(r.status).value),
                        dispatches=tuple(
                            _Dispatch(one(d.unit), d.at, d.signed_at, d.upheld) for d in dispatches
                        ),
                        callback=callback,
                        rehandled=rehandled,
                        chases=chases,
                        last_chase=last_chase,
                    )
                )
            del events, by_id, part
    return out


def seat_counts(
    tickets: Iterable[Ticket | SeatTicket], first: date, last: date, defs: RateDefinitions
) -> list[tuple[str, str, RateCounts, int]]:
    """(unit, district, counts, tickets first dispatched) as the centre's
    ``report_rate_counts`` gives them, from the seat's tickets."""
    p = period(first, last)
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 9)
    for t in summaries(tickets):
        district = t.district
        ds = t.dispatches
        for i, d in enumerate(ds):
            if not d.unit or not _within(d.at, p.start, p.end):
                continue
            row = acc[(d.unit, district)]
            if i == 0:
                row[0] += 1  # tickets newly dispatched to the unit
                row[8] += 1  # tickets first dispatched (the district's count)
            if d.upheld:
                row[3] += 1
                continue
            row[1] += 1
            if d.signed_at is not None and d.signed_at - d.at <= defs.response_window:
                row[2] += 1
        cb = t.callback
        if cb is not None and _within(cb[0], p.start, p.end) and t.main_unit:
            row = acc[(t.main_unit, district)]
            row[4] += 1
            row[5] += 1 if cb[1] else 0
            row[6] += 1 if cb[2] == "满意" else 0
            row[7] += 1 if cb[2] == "基本满意" else 0
    return [
        (unit, district, RateCounts(unit, "", *n[:8]), n[8]) for (unit, district), n in acc.items()
    ]


def _measure_hit(
    t: SeatTicket, measure: str, unit: str, p: figures.Period, defs: RateDefinitions
) -> bool:
    ds = [d for d in t.dispatches if not unit or d.unit == unit]
    in_p = [d for d in ds if _within(d.at, p.start, p.end)]
    if measure == "tickets":
        first = t.dispatches[:1]
        return bool(first) and first[0] in in_p
    if measure == "dispatches":
        return any(not d.upheld for d in in_p)
    if measure == "signed_in_time":
        return any(
            not d.upheld and d.signed_at is not None and d.signed_at - d.at <= defs.response_window
            for d in in_p
        )
    if measure == "upheld_objections":
        return any(d.upheld for d in in_p)
    cb = t.callback
    if cb is None or not _within(cb[0], p.start, p.end) or (unit and t.main_unit != unit):
        return False
    if measure == "callbacks":
        return True
    if measure == "resolved":
        return cb[1]
    return cb[2] in ("满意", "基本满意")  # satisfied


class SeatFigures:
    """The same figures over this seat's tickets only (demo, offline): partial."""

    partial = True

    def __init__(
        self,
        read: Callable[[], Sequence[Ticket | SeatTicket]],
        *,
        defs: RateDefinitions | None = None,
    ) -> None:
        self._source = read
        self.defs = defs or definitions()

    def _read(self) -> list[SeatTicket]:
        return summaries(self._source())

    @classmethod
    def of(cls, db: Database) -> SeatFigures:
        return cls(cached(lambda: seat_summaries(db)))

    def _raw(self, first: date, last: date) -> list[tuple[str, str, RateCounts, int]]:
        return seat_counts(self._read(), first, last, self.defs)

    def rates(self, first: date, last: date, by: str) -> list[RateRow]:
        return compute_rates(group_counts(self._raw(first, last), by, self.defs), self.defs)

    def rate_tickets(self, first: date, last: date, measure: str, unit: str) -> list[TicketRef]:
        if measure not in figures.MEASURES:
            raise UsageError(f"measure must be one of {', '.join(figures.MEASURES)}")
        p = period(first, last)
        out = []
        for t in self._read():
            if _measure_hit(t, measure, unit, p, self.defs):
                out.append(TicketRef(t.number, t.main_unit, t.district, t.created_at))
        out.sort(key=lambda r: (r.at, r.number))
        return out

    def rankings(self, month: date) -> list[RankingTable]:
        d = self.defs
        tickets = self._read()
        cur_p, prev_p = month_period(month), month_period(add_months(month, -1))

        def raw(p: figures.Period) -> list[tuple[str, str, RateCounts, int]]:
            return seat_counts(tickets, p.start.date(), (p.end - timedelta(days=1)).date(), d)

        def volume(p: figures.Period) -> dict[str, int]:
            return dict(
                Counter(
                    t.district
                    for t in tickets
                    if t.district and _within(t.created_at, p.start, p.end)
                )
            )

        cur_raw, prev_raw = raw(cur_p), raw(prev_p)
        population = district_population()
        out = []
        for table in ("township", "district", "department", "utility"):
            cur = compute_rates(group_counts(cur_raw, table, d), d)
            prev = compute_rates(group_counts(prev_raw, table, d), d)
            vol = prev_vol = None
            if table == "district":
                vol = {k: per_10k(n, population.get(k, 0)) for k, n in volume(cur_p).items()}
                prev_vol = {k: per_10k(n, population.get(k, 0)) for k, n in volume(prev_p).items()}
            rows: list[RankingRow] = classify(
                table, cur, prev, d, volume=vol, previous_volume=prev_vol
            )
            out.append(RankingTable(table, cur_p.label, prev_p.label, tuple(rows), tuple(cur)))
        return out

    def hotspots(self, month: date) -> HotspotReport:
        h = self.defs.hotspots
        k = h.baseline_months
        tickets = self._read()
        first = add_months(month, -k)
        cells: dict[tuple[str, str, str, str], Counter[date]] = defaultdict(Counter)
        cats: dict[str, Counter[date]] = defaultdict(Counter)
        names: dict[str, str] = {}
        samples: dict[str, list[str]] = defaultdict(list)
        for t in sorted(tickets, key=lambda x: x.created_at, reverse=True):
            if not t.category_code:
                continue
            at = t.created_at.astimezone(timeutil.SHANGHAI)
            m = date(at.year, at.month, 1)
            if not first <= m <= month:
                continue
            names[t.category_code] = t.category_name
            cats[t.category_code][m] += 1
            cells[(t.category_code, t.category_name, t.district, t.township)][m] += 1
            if m == month and len(samples[t.category_code]) < h.samples:
                samples[t.category_code].append(t.number)
        hot: list[Hotspot] = []
        for (code, name, district, township), by_m in cells.items():
            n = by_m.get(month, 0)
            if n < h.min_count:
                continue
            base = [by_m.get(add_months(month, i - k), 0) for i in range(k)]
            g = robust_growth(n, base)
            if g.z >= h.z_threshold:
                hot.append(
                    Hotspot(
                        code,
                        name,
                        district,
                        township,
                        n,
                        tuple(base),
                        g.median,
                        g.mad,
                        g.z,
                        g.growth,
                    )  # fmt: skip
                )
        hot.sort(key=lambda x: (-x.z, -x.tickets, x.category_code))
        scored = []
        for code, by_m in cats.items():
            n = by_m.get(month, 0)
            if n < h.min_count:
                continue
            g = robust_growth(n, [by_m.get(add_months(month, i - k), 0) for i in range(k)])
            scored.append((code, n, g))
        scored.sort(key=lambda s: (-(s[1] - s[2].median), -s[2].z, s[0]))
        hot_by_cat = Counter(x.category_code for x in hot)
        topics = past_topics()
        candidates = tuple(
            Candidate(
                rank=i,
                category_code=code,
                category_name=names.get(code, ""),
                tickets=n,
                median=g.median,
                excess=n - g.median,
                z=g.z,
                growth=g.growth,
                hot_places=hot_by_cat.get(code, 0),
                repeats=0,
                samples=tuple(samples.get(code, ())),
                past_topic=topics.get(names.get(code, "").rsplit("/", 1)[-1], ""),
            )
            for i, (code, n, g) in enumerate(scored[: h.candidates], start=1)
        )
        return HotspotReport(month.strftime("%Y-%m"), k, tuple(hot), (), candidates)

    def export(self, first: date, last: date, fmt: str, out: Path) -> dict[str, Any]:
        """The period's export from the seat's tickets, as the centre's export writes it."""
        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
        p = period(first, last)
        tickets = self._read()
        requests = [
            export_mod.ServiceRequest(
                service_request_id=t.number,
                status="closed" if t.status in export_mod.CLOSED else "open",
                service_name=t.category_name.rsplit("/", 1)[-1] if t.category_name else "",
                service_code=t.category_code,
                agency_responsible=t.main_unit,
                requested_datetime=t.created_at.isoformat(timespec="seconds"),
                updated_datetime=(t.updated_at or t.created_at).isoformat(timespec="seconds"),
                address=export_mod.building_address(t.address),
                lat=t.lat,
                long=t.lon,
            )
            for t in sorted(tickets, key=lambda x: x.created_at)
            if _within(t.created_at, p.start, p.end)
        ]
        rows = self.rates(first, last, "unit") if fmt == "xlsx" else []
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "open311-json":
                out.write_text(export_mod.open311_json(requests), encoding="utf-8")
            elif fmt == "open311-xml":
                out.write_bytes(export_mod.open311_xml(requests))
            elif fmt == "csv":
                export_mod.write_csv(out, requests)
            else:
                export_mod.write_xlsx(out, p.label, rows, requests, self.defs)
        except OSError as exc:
            raise KnownError(
                f"cannot write {out}: {exc.strerror or exc}; choose another file"
            ) from None
        return {"format": fmt, "file": str(out), "tickets": len(requests), "rate_rows": len(rows)}


# Overdue ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueCounts:
    """Open tickets by the light of their time limit (:func:`due_light`: red overdue, amber
    due within :data:`DUE_SOON_HOURS`)."""

    red: int = 0
    amber: int = 0
    green: int = 0
    partial: bool = True

    @property
    def open(self) -> int:
        return self.red + self.amber + self.green


_OPEN = frozenset(OPEN_STATUSES)


def overdue_counts(tickets: Iterable[Ticket | SeatTicket], now: datetime) -> OverdueCounts:
    """Count the open tickets with a time limit by :func:`due_light` (what the seat's
    review queue lists as overdue and due within :data:`DUE_SOON_HOURS`)."""
    return _lights(((Status(t.status).value, t.due_at) for t in tickets), now)


def _lights(limits: Iterable[tuple[str, datetime | None]], now: datetime) -> OverdueCounts:
    lights: Counter[str] = Counter()
    for status, due_at in limits:
        if status in _OPEN and due_at is not None:
            lights[due_light(due_at, now)] += 1
    return OverdueCounts(lights["red"], lights["amber"], lights["green"], partial=True)


def seat_overdue_counts(db: Database, now: datetime) -> OverdueCounts:
    """:func:`overdue_counts` of the seat's open tickets, reading only their status and
    time limit (no events, nothing kept)."""
    from sqlalchemy import select  # noqa: PLC0415 - the ORM on first use (worker thread)

    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    query = select(TicketRow.status, TicketRow.due_at).where(
        TicketRow.status.in_(OPEN_STATUSES), TicketRow.due_at.is_not(None)
    )
    with db.read() as s:
        limits = [(Status(st).value, due) for st, due in s.execute(query)]
    return _lights(limits, now)


def central_overdue_counts(source: CentralReview, now: datetime | None = None) -> OverdueCounts:
    """The centre's open tickets: overdue (red), due within :data:`DUE_SOON_HOURS` (amber),
    the rest; the same filters the 超时预警 list reads."""
    open_f = ReviewFilter(status=OPEN_STATUSES, sort="due")
    every = source.page(open_f, limit=1, after=None).total
    red = source.page(replace(open_f, overdue=True), limit=1, after=None).total
    soon = replace(open_f, due_within_hours=float(DUE_SOON_HOURS))
    amber = source.page(soon, limit=1, after=None).total
    return OverdueCounts(red, amber, max(every - red - amber, 0), partial=False)


# The seat's review queue -----------------------------------------------------------------------


def _late(t: SeatTicket, now: datetime) -> bool:
    return t.status in _OPEN and t.due_at is not None and due_light(t.due_at, now) == "red"


def _dissatisfied(t: SeatTicket) -> bool:
    return t.callback is not None and t.callback[2] == "不满意"


def _row(t: SeatTicket, now: datetime) -> ReviewRow:
    return ReviewRow(
        id=t.id,
        number=t.number,
        status=t.status,
        created_at=t.created_at.isoformat(),
        due_at=t.due_at.isoformat() if t.due_at else None,
        category_code=t.category_code,
        category=t.category_name,
        district=t.district,
        township=t.township,
        unit=t.main_unit,
        operator=t.operator_id,
        seat=t.seat,
        urgency=t.urgency,
        confidential=t.confidential,
        overdue=_late(t, now),
        rehandled=t.rehandled,
        dissatisfied=_dissatisfied(t),
        qa_score=None,
        chases=t.chases,
        last_chase=t.last_chase.isoformat() if t.last_chase is not None else None,
    )


def _matches(t: SeatTicket, flt: ReviewFilter, now: datetime) -> bool:
    """Whether the ticket's row is one of the filter's (what :func:`_row` shows, matched on
    the summary, so that only a page's rows are built)."""
    if flt.status and t.status not in flt.status:
        return False
    for want, have in (
        (flt.district, t.district),
        (flt.township, t.township),
        (flt.unit, t.main_unit),
        (flt.operator, t.operator_id),
        (flt.seat, t.seat),
        (flt.category, t.category_code),
    ):
        if want and want != have:
            return False
    if flt.created_from is not None and t.created_at < flt.created_from:
        return False
    if flt.created_to is not None and t.created_at >= flt.created_to:
        return False
    if flt.overdue and not _late(t, now):
        return False
    if flt.due_within_hours is not None:
        if t.status not in _OPEN or t.due_at is None:
            return False
        if due_light(t.due_at, now, flt.due_within_hours) != "amber":
            return False
    if flt.dissatisfied and not _dissatisfied(t):
        return False
    if flt.rehandled and not t.rehandled:
        return False
    if flt.confidential and not t.confidential:
        return False
    if flt.qa:  # the seat holds no quality checks
        return False
    return not (flt.sort == "due" and t.due_at is None)


class SeatReview:
    """The review queue over this seat's tickets (demo, offline): partial; the cursor is the
    offset of the next page."""

    partial = True

    def __init__(
        self,
        read: Callable[[], Sequence[Ticket | SeatTicket]],
        clock: Callable[[], datetime] = timeutil.now,
    ) -> None:
        self._source = read
        self._clock = clock

    def _read(self) -> list[SeatTicket]:
        return summaries(self._source())

    @classmethod
    def of(cls, db: Database) -> SeatReview:
        return cls(cached(lambda: seat_summaries(db)))

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        flt = flt.check()
        now = self._clock()
        try:
            offset = int(after or 0)
        except ValueError:
            raise UsageError("the cursor is not one of this list's; start again") from None
        hits = [t for t in self._read() if _matches(t, flt, now)]
        if flt.sort == "due":
            hits.sort(key=lambda t: (t.due_at or now, t.id))
        else:
            hits.sort(key=lambda t: (t.created_at, t.id), reverse=flt.sort == "created")
        chunk = hits[offset : offset + limit]
        nxt = str(offset + limit) if offset + limit < len(hits) else None
        return ReviewPage(tuple(_row(t, now) for t in chunk), nxt, len(hits))


class CentralQuality(CentralSource):
    """Quality checks at the centre (:mod:`agent_app.services.quality`): the lead scores and
    returns a ticket; the operator lists what came back and resubmits it."""

    def _connect(self) -> Any:
        """A connection for one call: the link's (given back after it; nothing is sent
        twice) or a new one."""
        from agent_app.storage.central.connect import connect  # noqa: PLC0415 - psycopg

        if self.link is not None:
            return self.link.connection()
        kw: dict[str, Any] = {}
        if self.password_lookup is not None:
            kw["password_lookup"] = self.password_lookup
        return connect(self.target, **kw)

    def record(
        self,
        number: str,
        marks: dict[str, float],
        *,
        comment: str = "",
        return_to_operator: bool = False,
        moments: dict[str, float] | None = None,
    ) -> dict[str, Any]:
        from agent_app.services import quality  # noqa: PLC0415 - psycopg at the centre only

        with self._connect() as conn:
            return quality.record_check(
                conn,
                number,
                marks,
                comment=comment,
                return_to_operator=return_to_operator,
                moments=moments,
            )

    def returned(self) -> list[dict[str, Any]]:
        from agent_app.services import quality  # noqa: PLC0415

        with self._connect() as conn:
            return quality.returned_to_me(conn)

    def returned_count(self) -> int:
        """How many checks :meth:`returned` lists (a count at the centre)."""
        from agent_app.services import quality  # noqa: PLC0415

        with self._connect() as conn:
            return quality.returned_count(conn)

    def resubmit(self, check_id: int) -> dict[str, Any]:
        from agent_app.services import quality  # noqa: PLC0415

        with self._connect() as conn:
            return quality.resubmit(conn, check_id)
