"""The shift lead's review queue over the centre (``agent-app review list``; the lead's desk).

One page of ``central.tickets`` matching a :class:`ReviewFilter`, newest first (or by due
time, or oldest first), with keyset pagination: the cursor is the last row's sort key, so
the next page is an index range scan however deep the lead pages, and a ticket created
meanwhile never shifts a page.  ``total`` counts every match.  Each filter has an index that
ends in the sort order (``c0005_lead_desk``); the SQL below writes the indexed expressions
exactly as the indexes do.

It reads as the login in the target; the centre's row-level security decides what it sees
(a lead sees every ticket), and :func:`open_review` refuses a login that is not a lead's.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agent_app.domain.lifecycle import Status
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import ConfigError, UsageError
from agent_app.storage.central.connect import CentralTarget, PasswordLookup, connect, keyring_lookup

_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE (psycopg is imported only at the centre)

# Statuses in which a time limit runs (as c0005's partial indexes list them).
OPEN_STATUSES: tuple[str, ...] = (
    "PRE_DISPATCH_CONSULT",
    "DISPATCHED",
    "SIGNED",
    "DISPUTED",
    "DISPUTE_REVIEW",
    "CONTACTED",
    "IN_PROGRESS",
    "COORDINATING",
    "EXTENSION_REQUESTED",
    "REOPENED",
)
SORTS = ("created", "oldest", "due")
QA_STATES = ("checked", "failed", "returned")
MAX_LIMIT = 500
# A sort key in a cursor: PostgreSQL's text of a timestamptz (or infinity for no due time).
_KEY = re.compile(r"^(infinity|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?)$")
_OPEN_SQL = "t.status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
_DUE = "t.due_at"
_DUE_KEY = "coalesce(t.due_at, 'infinity'::timestamptz)"  # tickets without a limit last
_DISTRICT = "t.district"
_TOWNSHIP = "t.township"
_CATEGORY = "t.category_code"
_CONFIDENTIAL = "t.confidential"
_REHANDLED = "t.rehandled > 0"
_DISSATISFIED = "t.dissatisfied"
# Checked tickets are a sample: a semi-join the planner can hash (or probe), by ticket id.
_QA = {
    "checked": "t.id IN (SELECT q.ticket_id FROM central.qa_results q)",
    "failed": "t.id IN (SELECT q.ticket_id FROM central.qa_results q WHERE NOT q.passed)",
    "returned": "t.id IN (SELECT q.ticket_id FROM central.qa_results q "
    "WHERE NOT q.passed AND q.returned AND q.resubmitted_at IS NULL)",
}


@dataclass(frozen=True)
class ReviewFilter:
    """What the lead narrows the queue to; empty fields do not filter."""

    status: tuple[str, ...] = ()
    district: str = ""
    township: str = ""
    unit: str = ""
    operator: str = ""
    seat: str = ""
    category: str = ""  # a catalogue code
    created_from: datetime | None = None
    created_to: datetime | None = None  # exclusive
    overdue: bool = False
    due_within_hours: float | None = None  # due soon: not yet overdue, due within N hours
    dissatisfied: bool = False
    rehandled: bool = False
    confidential: bool = False
    qa: str = ""  # checked | failed | returned
    sort: str = "created"

    def check(self) -> ReviewFilter:
        """The filter, or a :class:`UsageError` naming the first bad value."""
        for s in self.status:
            if s not in Status.__members__:
                raise UsageError(
                    f"--status {s!r} is not a ticket status; use one of "
                    f"{', '.join(Status.__members__)}"
                )
        if self.sort not in SORTS:
            raise UsageError(f"--sort must be one of {', '.join(SORTS)}")
        if self.qa and self.qa not in QA_STATES:
            raise UsageError(f"--qa must be one of {', '.join(QA_STATES)}")
        if self.due_within_hours is not None and not 0 < self.due_within_hours <= 24 * 90:
            raise UsageError("--due-within must be a number of hours from 0 to 2160")
        if self.overdue and self.due_within_hours is not None:
            raise UsageError("--overdue and --due-within exclude each other; use one of them")
        for value in (self.created_from, self.created_to):
            if value is not None and value.tzinfo is None:
                raise UsageError("dates of --from and --to need a time zone")
        return self


@dataclass(frozen=True)
class ReviewRow:
    id: str
    number: str
    status: str
    created_at: str
    due_at: str | None
    category_code: str
    category: str
    district: str
    township: str
    unit: str
    operator: str
    seat: str
    urgency: str
    confidential: bool
    overdue: bool
    rehandled: int
    dissatisfied: bool
    qa_score: float | None
    chases: int = 0  # 催办 recorded on the ticket
    last_chase: str | None = None  # when the latest was recorded (ISO 8601)
    # The seat's outbox holds a change of this ticket the centre refused (未送达): its reason.
    # Set by the desk (services.chase.MarkUndelivered), never by the centre's queue.
    undelivered: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        if not out["undelivered"]:  # the queue's JSON keeps its documented fields
            del out["undelivered"]
        return out


@dataclass(frozen=True)
class ReviewPage:
    rows: tuple[ReviewRow, ...]
    next: str | None
    total: int
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def _encode_cursor(sort: str, key: Any, tid: str) -> str:
    raw = json.dumps([sort, key, tid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, key, tid = json.loads(raw)
        if kind != sort or not isinstance(tid, str):
            raise ValueError(kind)
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValueError(key)
    except (ValueError, TypeError):
        raise UsageError(
            "--after is not a cursor of this list (and sort); pass the 'next' value the "
            "previous page printed, with the same --sort"
        ) from None
    return key, tid


def where_clause(flt: ReviewFilter, now: datetime) -> tuple[str, list[Any]]:
    """The SQL condition on ``central.tickets t`` and its parameters."""
    parts: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        parts.append(sql)
        params.extend(values)

    if len(flt.status) == 1:
        add("t.status = %s", flt.status[0])
    elif flt.status:
        add("t.status = ANY(%s)", list(flt.status))
    if flt.district:
        add(f"{_DISTRICT} = %s", flt.district)
    if flt.township:
        add(f"{_TOWNSHIP} = %s", flt.township)
    if flt.unit:
        add("t.main_unit = %s", flt.unit)
    if flt.operator:
        add("t.operator_id = %s", flt.operator)
    if flt.seat:
        add("t.seat = %s", flt.seat)
    if flt.category:
        add(f"{_CATEGORY} = %s", flt.category)
    if flt.created_from is not None:
        add("t.created_at >= %s", flt.created_from)
    if flt.created_to is not None:
        add("t.created_at < %s", flt.created_to)
    if flt.overdue:
        add(f"{_OPEN_SQL} AND {_DUE} < %s", now)
    if flt.due_within_hours is not None:
        add(
            f"{_OPEN_SQL} AND {_DUE} >= %s AND {_DUE} < %s",
            now,
            now + timedelta(hours=flt.due_within_hours),
        )
    if flt.confidential:
        add(_CONFIDENTIAL)
    if flt.rehandled:
        add(_REHANDLED)
    if flt.dissatisfied:
        add(_DISSATISFIED)
    if flt.qa:
        add(_QA[flt.qa])
    return (" AND ".join(parts) or "true"), params


_ORDER = {
    "created": ("t.created_at", "DESC"),
    "oldest": ("t.created_at", "ASC"),
    "due": (_DUE_KEY, "ASC"),
}

# No app login reads central.tickets.data (the caller is in it; c0010): the page's rows take
# the few fields they show from it through central.tickets_masked (_DATA_SQL), by id.
_COLUMNS = f"""
    t.id, t.number, t.status, NULL, NULL,
    coalesce({_CATEGORY}, ''), NULL,
    coalesce({_DISTRICT}, ''), coalesce({_TOWNSHIP}, ''), t.main_unit, t.operator_id, t.seat,
    NULL, coalesce({_CONFIDENTIAL}, false),
    coalesce({_OPEN_SQL} AND {_DUE} < %s, false),
    t.rehandled, t.dissatisfied,
    (SELECT q.score FROM central.qa_results q WHERE q.ticket_id = t.id
      ORDER BY q.reviewed_at DESC LIMIT 1),
    t.created_at::text, {_DUE_KEY}::text,
    (SELECT count(*) FROM central.ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'chase'),
    (SELECT max(e.at) FROM central.ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'chase')
"""


_DATA_SQL = (
    "SELECT id, data ->> 'created_at', data ->> 'due_at', "
    "coalesce(data ->> 'category_name', ''), coalesce(data ->> 'urgency', '') "
    "FROM central.tickets_masked WHERE id = ANY(%s)"
)


def _narrow(flt: ReviewFilter) -> bool:
    """Whether a filter that keeps a small share of the tickets (a township, unit, operator,
    seat, category, dates or a QA result; not a status, a district or a flag, which keep
    several per cent) narrows the queue."""
    return any(
        (
            flt.township,
            flt.unit,
            flt.operator,
            flt.seat,
            flt.category,
            flt.created_from is not None,
            flt.created_to is not None,
            flt.qa,
        )
    )


def page_sql(
    flt: ReviewFilter, now: datetime, limit: int, after: str | None
) -> tuple[str, list[Any]]:
    """The page's SQL (``limit + 1`` rows, to know whether there is a next page)."""
    where, params = where_clause(flt, now)
    key, direction = _ORDER[flt.sort]
    if flt.sort == "due" and (flt.overdue or flt.due_within_hours is not None):
        key = _DUE  # open tickets with a limit: the partial index of open tickets by due time
    elif flt.sort == "due" and _narrow(flt):
        # A narrow filter's own index and a sort of what it finds beat walking every ticket
        # by due time; the same values, in an expression no index offers the planner.
        key = f"({_DUE_KEY} + interval '0 s')"
    op = "<" if direction == "DESC" else ">"
    if after:
        value, tid = _decode_cursor(after, flt.sort)
        where += f" AND ({key}, t.id) {op} (%s::timestamptz, %s)"
        params += [value, tid]
    sql = (
        f"SELECT {_COLUMNS} FROM central.tickets t WHERE {where} "
        f"ORDER BY {key} {direction}, t.id {direction} LIMIT %s"
    )
    return sql, [now, *params, limit + 1]


def count_sql(flt: ReviewFilter, now: datetime) -> tuple[str, list[Any]]:
    """The total's SQL: a sum over ``central.review_counts`` when the filter is only status,
    district and whole days (Beijing), else a count of the matching rows."""
    summary = summary_sql(flt)
    if summary is not None:
        return summary
    where, params = where_clause(flt, now)
    return f"SELECT count(*) FROM central.tickets t WHERE {where}", params


def _whole_day(value: datetime | None) -> bool:
    if value is None:
        return True
    local = value.astimezone(SHANGHAI)
    return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)


def summary_sql(flt: ReviewFilter) -> tuple[str, list[Any]] | None:
    narrow = (
        flt.township,
        flt.unit,
        flt.operator,
        flt.seat,
        flt.category,
        flt.overdue,
        flt.due_within_hours is not None,
        flt.dissatisfied,
        flt.rehandled,
        flt.confidential,
        flt.qa,
    )
    if any(narrow) or not (_whole_day(flt.created_from) and _whole_day(flt.created_to)):
        return None
    parts: list[str] = ["true"]
    params: list[Any] = []
    if flt.status:
        parts.append("status = ANY(%s)")
        params.append(list(flt.status))
    if flt.district:
        parts.append("district = %s")
        params.append(flt.district)
    if flt.created_from is not None:
        parts.append("day >= %s")
        params.append(flt.created_from.astimezone(SHANGHAI).date())
    if flt.created_to is not None:
        parts.append("day < %s")
        params.append(flt.created_to.astimezone(SHANGHAI).date())
    sql = "SELECT coalesce(sum(n), 0) FROM central.review_counts WHERE " + " AND ".join(parts)
    return sql, params


def review_page(
    conn: Any,
    flt: ReviewFilter,
    *,
    limit: int = 50,
    after: str | None = None,
    now: datetime | None = None,
    with_total: bool = True,
) -> ReviewPage:
    """One page of the queue on an open connection (the lead's login)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be from 1 to {MAX_LIMIT}")
    flt = flt.check()
    moment = now or datetime.now().astimezone()
    started = time.perf_counter()
    total = -1
    count_s = 0.0
    # One transaction: settings that last only for it (PgBouncer's transaction pooling
    # hands the server connection to another client after COMMIT).  No JIT: compiling costs
    # more than these short queries; bitmaps of broad filters stay exact in 32 MB.
    # Already in one (the desk's CentralLink.read): the same, not a savepoint's round trips.
    tx = nullcontext() if conn.info.transaction_status != _IDLE else conn.transaction()
    with tx:
        conn.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)")
        sql, params = page_sql(flt, moment, limit, after)
        rows = conn.execute(sql, params).fetchall()
        fields = {
            r[0]: r[1:] for r in conn.execute(_DATA_SQL, ([r[0] for r in rows[:limit]],)).fetchall()
        }
        page_s = time.perf_counter() - started
        if with_total:
            t0 = time.perf_counter()
            sql, params = count_sql(flt, moment)
            found = conn.execute(sql, params).fetchone()
            total = int(found[0]) if found else 0
            count_s = time.perf_counter() - t0
    more = len(rows) > limit
    rows = rows[:limit]
    none: tuple[Any, ...] = (None, None, "", "")
    items = tuple(
        ReviewRow(
            id=r[0],
            number=r[1],
            status=r[2],
            created_at=fields.get(r[0], none)[0] or r[18],
            due_at=fields.get(r[0], none)[1],
            category_code=r[5],
            category=fields.get(r[0], none)[2],
            district=r[7],
            township=r[8],
            unit=r[9],
            operator=r[10],
            seat=r[11],
            urgency=fields.get(r[0], none)[3],
            confidential=bool(r[13]),
            overdue=bool(r[14]),
            rehandled=int(r[15]),
            dissatisfied=bool(r[16]),
            qa_score=float(r[17]) if r[17] is not None else None,
            chases=int(r[20] or 0),
            last_chase=r[21].isoformat() if r[21] is not None else None,
        )
        for r in rows
    )
    nxt = None
    if more and rows:
        last = rows[-1]
        key = last[18] if flt.sort in ("created", "oldest") else last[19]
        nxt = _encode_cursor(flt.sort, key, last[0])
    return ReviewPage(
        items,
        nxt,
        total,
        seconds=time.perf_counter() - started,
        timings={"page": page_s, "count": count_s},
    )


@contextmanager
def open_review(
    target: CentralTarget, *, password_lookup: PasswordLookup | None = keyring_lookup
) -> Iterator[Any]:
    """A connection for the queue, after checking the login is a shift lead's."""
    conn = connect(target, password_lookup=password_lookup)
    try:
        require_lead(target, whoami(conn))
        yield conn
    finally:
        conn.close()


def whoami(conn: Any) -> dict[str, Any]:
    """The login's ``central.whoami()`` (its group, unit, ...); ``{}`` when it has none."""
    row = conn.execute("SELECT central.whoami()").fetchone()
    return dict(row[0] or {}) if row else {}


def require_lead(target: CentralTarget, identity: dict[str, Any] | None) -> None:
    """A :class:`ConfigError` unless ``identity`` (:func:`whoami`) is a shift lead's."""
    group = (identity or {}).get("group")
    if group != "lead":
        raise ConfigError(
            f"The login {target.user} is not a shift lead's login at the centre "
            f"(group {group or 'none'}); run review list with a lead's login in --url."
        )


def review_list(
    target: CentralTarget,
    flt: ReviewFilter,
    *,
    limit: int = 50,
    after: str | None = None,
    now: datetime | None = None,
    password_lookup: PasswordLookup | None = keyring_lookup,
    with_total: bool = True,
) -> ReviewPage:
    """Connect as the lead in ``target`` and read one page (``with_total`` False: no count,
    ``total`` -1)."""
    with open_review(target, password_lookup=password_lookup) as conn:
        return review_page(conn, flt, limit=limit, after=after, now=now, with_total=with_total)


def statuses(values: Sequence[str]) -> tuple[str, ...]:
    """``--status`` values (repeatable, each may list several separated by commas)."""
    out: list[str] = []
    for v in values:
        out += [s.strip().upper() for s in v.split(",") if s.strip()]
    return tuple(out)
