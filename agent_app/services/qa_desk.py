"""What the lead's 质检 tab and ``agent-app qa`` read: a shift's sample per operator (why each
ticket was drawn, whether it was checked yet) and the QA scores per operator over time.

Two sources behind one interface, as the desk's other lists (:mod:`.lead_desk`):

* :class:`CentralQA`: the centre, as the lead's login, over
  :func:`agent_app.services.quality.sample_shift` (the scorecard's rules in SQL, ``random``
  others per operator per shift), the checks of ``central.qa_results`` and
  :func:`agent_app.services.quality.scores_by_operator`;
* :class:`SeatQA`: the seat's own tickets (demo, an offline seat): the same rules over the
  seat's copy and the same random draw (a seed gives the same sample as the centre's on the
  same tickets), always ``partial``; checks are kept only at the centre, so a row's checked
  status is unknown and there are no scores.

No Qt here: the desk calls these on its task runner's workers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from agent_app.domain import timeutil
from agent_app.errors import UsageError
from agent_app.services import quality
from agent_app.services.central_source import CentralSource
from agent_app.services.qa_shifts import Roster, load_roster

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket
    from agent_app.storage.db import Database

T = TypeVar("T")

BY = ("week", "day")
NOT_AT_SEAT = "quality checks are kept at the centre; connect to it (--url) for the scores"


def shift_range(day: date, shift: str, roster: Roster | None = None) -> tuple[datetime, datetime]:
    """[start, end) of ``shift`` (a key of ``roster``, default the shipped
    ``knowledge_base/qa/shifts.toml``) starting on ``day``, Shanghai time; a shift that ends
    after midnight ends on the next day."""
    return (roster or load_roster()).range(day, shift)


def shift_seed(start: datetime) -> int:
    """The random draw's seed of the shift starting at ``start``: the same shift, the same
    random tickets (the desk's 质检 tab and ``agent-app qa sample`` without ``--seed``)."""
    return int(start.timestamp()) // 60


def check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        raise UsageError("the shift ends before it starts; give --shift-end after --shift-start")
    if end - start > timedelta(days=31):
        raise UsageError("a shift's sample covers at most 31 days; give a shorter range")


@dataclass(frozen=True)
class SampleRow:
    """One ticket to check: whose, when, why (the rules' names or ``random``), and the
    latest check of it (None: unknown, the seat's copy)."""

    ticket_id: str
    number: str
    operator: str
    created_at: str  # ISO, with offset
    reasons: tuple[str, ...]
    checked: bool | None = None
    score: float | None = None
    passed: bool | None = None
    returned: bool = False

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        return out


@dataclass(frozen=True)
class Sample:
    start: datetime
    end: datetime
    rows: tuple[SampleRow, ...] = ()
    operators: tuple[str, ...] = ()  # the operators sampled (with tickets in the shift)
    tickets: int = 0  # their tickets in the shift
    partial: bool = False

    @property
    def checked(self) -> int:
        return sum(1 for r in self.rows if r.checked)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "operators": list(self.operators),
            "tickets": self.tickets,
            "sampled": len(self.rows),
            "checked": self.checked if not self.partial else None,
            "partial": self.partial,
            "rows": [r.as_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class OperatorScore:
    operator: str
    checks: int
    mean: float
    failed: int
    returned: int


@dataclass(frozen=True)
class Scores:
    """Per operator over [first, last]: the totals, and the mean score of each period (a
    week's Monday or a day; None: no check then)."""

    first: date
    last: date
    by: str
    periods: tuple[str, ...] = ()
    rows: tuple[OperatorScore, ...] = ()
    series: dict[str, tuple[float | None, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "by": self.by,
            "periods": list(self.periods),
            "operators": [asdict(r) for r in self.rows],
            "series": {k: list(v) for k, v in self.series.items()},
        }


def periods(first: date, last: date, by: str) -> list[date]:
    """Every week's Monday (``week``) or every day (``day``) from ``first`` to ``last``."""
    if by not in BY:
        raise UsageError(f"--by {by!r}: use week or day")
    at = first - timedelta(days=first.weekday()) if by == "week" else first
    step = timedelta(days=7 if by == "week" else 1)
    out = []
    while at <= last:
        out.append(at)
        at += step
    return out


def summarise(rows: Iterable[dict[str, Any]], first: date, last: date, by: str) -> Scores:
    """:class:`Scores` from :func:`quality.scores_by_operator`'s rows (one per operator and
    period, with the scores' ``total``): means are of the checks, not of the periods."""
    labels = [p.isoformat() for p in periods(first, last, by)]
    acc: dict[str, list[float]] = {}
    per: dict[str, dict[str, float]] = {}
    for r in rows:
        a = acc.setdefault(r["operator"], [0, 0.0, 0, 0])
        a[0] += r["checks"]
        a[1] += float(r["total"])
        a[2] += r["failed"]
        a[3] += r["returned"]
        per.setdefault(r["operator"], {})[r["period"]] = float(r["average"])
    out = tuple(
        OperatorScore(op, int(a[0]), round(a[1] / a[0], 1), int(a[2]), int(a[3]))
        for op, a in sorted(acc.items())
        if a[0]
    )
    series = {op: tuple(per[op].get(p) for p in labels) for op in sorted(per)}
    return Scores(first, last, by, tuple(labels), out, series)


# The centre -----------------------------------------------------------------------------------


class _Source:
    """What both sources share: :meth:`sample` checks the range and loads the scorecard
    (none given) before the source draws the sample (:meth:`_draw`)."""

    def sample(
        self,
        operators: Sequence[str],
        start: datetime,
        end: datetime,
        *,
        seed: int | None = None,
        card: quality.Scorecard | None = None,
    ) -> Sample:
        check_range(start, end)
        return self._draw(operators, start, end, seed, card or quality.load_scorecard())

    def _draw(
        self, operators: Sequence[str], start: datetime, end: datetime, seed: int | None,
        card: quality.Scorecard,
    ) -> Sample:  # fmt: skip
        raise NotImplementedError


class CentralQA(_Source, CentralSource):
    """The shift's sample and the scores at the centre (the lead's login)."""

    partial = False
    has_scores = True

    def _read(self, read: Callable[[Any], T]) -> T:
        from agent_app.services.reports.figures import centre_read  # noqa: PLC0415 - psycopg

        return centre_read(self.target, self.password_lookup, read, link=self.link)

    def _draw(
        self, operators: Sequence[str], start: datetime, end: datetime, seed: int | None,
        card: quality.Scorecard,
    ) -> Sample:  # fmt: skip
        return self._read(
            lambda conn: centre_sample(conn, operators, start, end, seed=seed, card=card)
        )

    def scores(self, first: date, last: date, by: str = "week") -> Scores:
        if last < first:
            raise UsageError("--to is before --from")
        periods(first, last, by)  # checks ``by``
        since = datetime.combine(first, time(), timeutil.SHANGHAI)
        until = datetime.combine(last + timedelta(days=1), time(), timeutil.SHANGHAI)
        rows = self._read(lambda conn: quality.scores_by_operator(conn, since, until, by=by))
        return summarise(rows, first, last, by)


def centre_sample(
    conn: Any,
    operators: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    seed: int | None = None,
    card: quality.Scorecard | None = None,
) -> Sample:
    """Every operator's sample of the shift (``operators`` empty: each operator with tickets
    in it), with each ticket's latest check."""
    card = card or quality.load_scorecard()
    counts = dict(
        conn.execute(
            "SELECT operator_id, count(*) FROM central.tickets "
            "WHERE created_at >= %s AND created_at < %s GROUP BY 1",
            (start, end),
        ).fetchall()
    )
    wanted = [o for o in dict.fromkeys(operators) if o] or sorted(counts)
    picked: list[tuple[str, dict[str, Any]]] = []
    for op in wanted:
        for p in quality.sample_shift(conn, op, start, end, card=card, seed=seed):
            picked.append((op, p))
    ids = [str(p["ticket_id"]) for _op, p in picked]
    created = dict(
        conn.execute(
            "SELECT id, created_at FROM central.tickets WHERE id = ANY(%s)", (ids,)
        ).fetchall()
    )
    checks = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT DISTINCT ON (ticket_id) ticket_id, score, passed, returned "
            "FROM central.qa_results WHERE ticket_id = ANY(%s) "
            "ORDER BY ticket_id, reviewed_at DESC, id DESC",
            (ids,),
        ).fetchall()
    }
    rows = []
    for op, p in picked:
        tid = str(p["ticket_id"])
        check = checks.get(tid)
        at = created.get(tid)
        rows.append(
            SampleRow(
                ticket_id=tid,
                number=str(p["number"]),
                operator=op,
                created_at=at.isoformat() if at is not None else "",
                reasons=tuple(p["reasons"]),
                checked=check is not None,
                score=float(check[0]) if check else None,
                passed=bool(check[1]) if check else None,
                returned=bool(check[2]) if check else False,
            )
        )
    return Sample(
        start,
        end,
        tuple(rows),
        tuple(wanted),
        sum(int(counts.get(o, 0)) for o in wanted),
        partial=False,
    )


# The seat's copy ------------------------------------------------------------------------------


def seat_flags(ticket: Ticket, description: str, card: quality.Scorecard) -> list[str]:
    """The scorecard's rules that flag ``ticket`` (as :func:`quality._rule_sql` does at the
    centre), from the seat's copy of it and its events."""
    events = ticket.events
    dispatched = [e.at for e in events if e.to_status == "DISPATCHED"]
    first_dispatch = min(dispatched) if dispatched else None
    after_call = timedelta(minutes=card.after_call_minutes)

    def category_edit(e: Any) -> bool:
        fields = e.data.get("fields") if isinstance(e.data, dict) else None
        names = set(fields) if isinstance(fields, (list, dict)) else set()
        return bool(
            e.kind == "field_change"
            and names & {"category_code", "category_name"}
            and first_dispatch is not None
            and e.at > first_dispatch
        )

    hits = {
        "short_description": len(description or "") < card.min_description,
        "long_after_call": any(
            e.kind == "transition"
            and e.from_status == "INTAKE"
            and e.at - ticket.created_at > after_call
            for e in events
        ),
        "category_changed": any(category_edit(e) for e in events),
        "unmasked_number": any(e.kind == "unmask" for e in events),
        "transfer_without_reason": ticket.status.value == "TRANSFERRED_EMERGENCY"
        and not any(
            e.to_status == "TRANSFERRED_EMERGENCY" and str(e.data.get("line") or "") for e in events
        ),
        "objection_upheld": any(e.data.get("ruling") == "upheld" for e in events),
    }
    return [r for r in card.rules if hits.get(r)]


class SeatQA(_Source):
    """The sample over the seat's own tickets (partial); no checks, no scores."""

    partial = True
    has_scores = False

    def __init__(self, db: Database) -> None:
        self.db = db

    def _tickets(self, start: datetime, end: datetime) -> list[tuple[Ticket, str]]:
        """The shift's tickets (what the rules read: status, events, the description's
        length) with their descriptions; no caller is read."""
        from sqlalchemy import select  # noqa: PLC0415 - the ORM on first use (worker thread)

        from agent_app.domain.lifecycle import Status  # noqa: PLC0415
        from agent_app.domain.ticket import Ticket  # noqa: PLC0415
        from agent_app.storage.models import TicketRow  # noqa: PLC0415
        from agent_app.storage.repository import events_of  # noqa: PLC0415

        cols = (
            TicketRow.id,
            TicketRow.number,
            TicketRow.created_at,
            TicketRow.seat,
            TicketRow.operator_id,
            TicketRow.status,
            TicketRow.description,
        )
        out: list[tuple[Ticket, str]] = []
        with self.db.read() as s:
            rows = list(
                s.execute(
                    select(*cols)
                    .where(TicketRow.created_at >= start, TicketRow.created_at < end)
                    .order_by(TicketRow.created_at, TicketRow.id)
                )
            )
            events = events_of(s, [r[0] for r in rows])
        for tid, number, created, seat, op, status, description in rows:
            ticket = Ticket(
                id=tid,
                number=number,
                created_at=created,
                seat=seat,
                operator_id=op,
                status=Status(status),
                events=tuple(events.get(tid, ())),
            )
            out.append((ticket, description or ""))
        return out

    def _draw(
        self, operators: Sequence[str], start: datetime, end: datetime, seed: int | None,
        card: quality.Scorecard,
    ) -> Sample:  # fmt: skip
        tickets = self._tickets(start, end)
        counts: dict[str, int] = {}
        for t, _d in tickets:
            counts[t.operator_id] = counts.get(t.operator_id, 0) + 1
        wanted = [o for o in dict.fromkeys(operators) if o] or sorted(counts)
        rows: list[SampleRow] = []
        for op in wanted:
            picked: list[SampleRow] = []
            rest: list[Ticket] = []
            for t, description in tickets:
                if t.operator_id != op:
                    continue
                reasons = seat_flags(t, description, card)
                if reasons:
                    picked.append(_seat_row(t, reasons))
                else:
                    rest.append(t)
            rng = random.Random(seed)
            for t in rng.sample(rest, min(card.random_per_shift, len(rest))):
                picked.append(_seat_row(t, ["random"]))
            rows.extend(picked)
        total = sum(counts.get(o, 0) for o in wanted)
        return Sample(start, end, tuple(rows), tuple(wanted), total, partial=True)

    def scores(self, first: date, last: date, by: str = "week") -> Scores:
        raise UsageError(NOT_AT_SEAT)


def _seat_row(t: Ticket, reasons: list[str]) -> SampleRow:
    return SampleRow(
        ticket_id=t.id,
        number=t.number,
        operator=t.operator_id,
        created_at=t.created_at.isoformat(),
        reasons=tuple(reasons),
        checked=None,
    )
