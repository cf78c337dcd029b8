"""Find any of the seat's tickets: by number, caller phone, text, address, status, unit,
category and date range; newest first, a page at a time, with the total that matched.

Plain SQL on a read-only keyed connection (:mod:`agent_app.storage.readmodel`), like the
window's other tables.  Every filter is combined with AND; an empty query finds every ticket.
Nothing is capped silently: a :class:`SearchResult` always carries the number of tickets that
matched (``total``) beside the page it holds, and the next page is asked for with ``offset``.

The caller's number is matched on the number the seat stores (E.164, the caller's key): the
number typed is normalised first (``138 1234 5678``, ``010-6512 3456``, ``+86…`` all find the
same caller); a partial number finds nothing, so a search cannot list callers by a few digits.
The rows hold the numbers unmasked; whoever shows them masks them (the tables do by default).

Indexes (migration ``0004_search_indexes``): ``created_at`` (order, date range), ``number``
(unique), ``caller_phone``, ``status``, ``main_unit``, ``merged_into`` and ``category_code``
with ``created_at``; the text filters (description, address) read every row that the other
filters leave (``benchmarks/bench_ticket_search.py``: docs/PERFORMANCE.md).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from agent_app.domain.lifecycle import STATUS_NAMES, Status
from agent_app.domain.phones import check_phone
from agent_app.domain.privacy import mask_phone
from agent_app.domain.summary import TicketSummary
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import UsageError
from agent_app.storage import cipher, readmodel

DEFAULT_LIMIT = 200
MAX_LIMIT = 10_000
CACHE_MB = 96  # the page cache of the window's search connection (filled as searches read)
_NUMBER = re.compile(r"^\d{8}-.+-\d{4,}$")
_BY_NAME = {name: status for status, name in STATUS_NAMES.items()}


@dataclass(frozen=True)
class SearchQuery:
    """What to look for; empty fields do not filter.

    ``number``: a whole ticket number, or a part of one (``S01-0012``, ``0012``).
    ``phone``: the caller's number in any usual form (normalised, then matched exactly).
    ``text``: words that must all appear in the description or notes.
    ``address``: words that must all appear in the address, district or township.
    ``statuses``: status codes (any of them).  ``unit``: part of the main unit's name.
    ``category``: a category code, or part of the category path.
    ``since`` / ``until``: the days (Beijing time, both included) the ticket was created on.
    """

    number: str = ""
    phone: str = ""
    text: str = ""
    address: str = ""
    statuses: tuple[str, ...] = ()
    unit: str = ""
    category: str = ""
    since: date | None = None
    until: date | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def next_page(self) -> SearchQuery:
        return replace(self, offset=self.offset + self.limit)


@dataclass(frozen=True)
class SearchResult:
    """One page of the tickets that matched (newest first) and how many matched in all."""

    query: SearchQuery
    rows: tuple[TicketSummary, ...] = field(default=())
    total: int = 0

    @property
    def shown(self) -> int:
        """Rows up to the end of this page (the first ``shown`` of ``total``)."""
        return self.query.offset + len(self.rows)

    @property
    def more(self) -> bool:
        return self.shown < self.total


def parse_statuses(text: str) -> tuple[str, ...]:
    """``"DISPATCHED,signed"`` or ``"已派单"`` → status codes; a word that is not a status
    is a :class:`UsageError` naming the codes."""
    codes: list[str] = []
    for word in re.split(r"[,，\s]+", text.strip()):
        if not word:
            continue
        status = _BY_NAME.get(word)
        if status is None:
            try:
                status = Status(word.upper())
            except ValueError:
                known = ", ".join(s.value for s in Status)
                raise UsageError(f"unknown status {word!r}; one of: {known}") from None
        codes.append(status.value)
    return tuple(dict.fromkeys(codes))


def normalise_phone(text: str) -> str:
    """The E.164 form the seat stores; :class:`UsageError` (the number masked) when ``text``
    is not a whole valid number."""
    check = check_phone(text)
    if not check.ok:
        raise UsageError(
            f"not a whole phone number: {mask_phone(text) or '(empty)'}; "
            "type the caller's full mobile or landline number"
        )
    return check.e164


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_start(day: date) -> str:
    return readmodel.to_db(datetime.combine(day, time(0), SHANGHAI))


def where_clause(query: SearchQuery) -> tuple[str, list[object]]:
    """The SQL condition (``""`` for none) and its parameters."""
    terms: list[str] = []
    params: list[object] = []
    number = query.number.strip()
    if number:
        if _NUMBER.match(number):
            terms.append("number = ?")
            params.append(number)
        else:
            terms.append("number LIKE ? ESCAPE '\\'")
            params.append(_like(number))
    if query.phone.strip():
        terms.append("caller_phone = ?")
        params.append(normalise_phone(query.phone))
    for word in query.text.split():
        terms.append("(description LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\')")
        params += [_like(word)] * 2
    for word in query.address.split():
        terms.append(
            "(address LIKE ? ESCAPE '\\' OR district LIKE ? ESCAPE '\\' "
            "OR township LIKE ? ESCAPE '\\')"
        )
        params += [_like(word)] * 3
    if query.statuses:
        terms.append(f"status IN ({', '.join('?' * len(query.statuses))})")
        params += list(query.statuses)
    unit = query.unit.strip()
    if unit:
        terms.append("main_unit LIKE ? ESCAPE '\\'")
        params.append(_like(unit))
    category = query.category.strip()
    if category:
        terms.append("(category_code = ? OR category_name LIKE ? ESCAPE '\\')")
        params += [category, _like(category)]
    if query.since is not None:
        terms.append("created_at >= ?")
        params.append(_day_start(query.since))
    if query.until is not None:
        terms.append("created_at < ?")
        params.append(_day_start(query.until + timedelta(days=1)))
    return " AND ".join(terms), params


def _check(query: SearchQuery) -> None:
    if not 1 <= query.limit <= MAX_LIMIT:
        raise UsageError(f"the limit must be between 1 and {MAX_LIMIT}")
    if query.offset < 0:
        raise UsageError("the offset cannot be negative")
    if query.since and query.until and query.since > query.until:
        raise UsageError("the date range ends before it starts")


def run_query(conn: Any, query: SearchQuery) -> SearchResult:
    """``query`` on an open read connection (rows by name): one pass over the matching
    tickets in creation order gives their count and the page's ids; then the page is read."""
    _check(query)
    condition, params = where_clause(query)
    where = f" WHERE {condition}" if condition else ""
    ids = [
        r[0]
        for r in conn.execute(
            f"SELECT rowid FROM tickets{where} ORDER BY created_at DESC, number DESC", params
        )
    ]
    page = ids[query.offset : query.offset + query.limit]
    rows: dict[int, TicketSummary] = {}
    for start in range(0, len(page), 500):  # SQLite's parameter limit
        chunk = page[start : start + 500]
        for r in conn.execute(
            f"{readmodel.SUMMARY_SELECT.replace('SELECT ', 'SELECT rowid AS rid, ', 1)} "
            f"WHERE rowid IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            rows[r["rid"]] = readmodel.summary(r)
    return SearchResult(query, tuple(rows[i] for i in page if i in rows), len(ids))


class TicketSearcher:
    """Searches one seat database on one long-lived read-only connection.

    The text filters read every ticket the other filters leave; the seat is encrypted, so
    reading the tickets table from the file costs about 200 ms at 100,000 tickets (page
    decryption), and about 40 ms once its decrypted pages are in the connection's cache
    (:data:`CACHE_MB`, filled by the first search; SQLite drops the pages other connections
    changed).  Thread-safe: searches take turns on the connection.
    """

    def __init__(self, database: Path, *, cache_mb: int = CACHE_MB) -> None:
        self.database = database
        self._cache_kib = cache_mb * 1024
        self._conn: Any = None
        self._lock = threading.Lock()

    def search(self, query: SearchQuery) -> SearchResult:
        with self._lock:
            if self._conn is None:
                conn = cipher.connect(
                    self.database, readonly=True, timeout=10, check_same_thread=False
                )
                conn.row_factory = cipher.dbapi().Row
                conn.execute(f"PRAGMA cache_size=-{self._cache_kib}")
                self._conn = conn
            return run_query(self._conn, query)

    def warm(self) -> None:
        """Read the tickets table once (into the cache), so the first search is fast too."""
        self.search(SearchQuery(text="\uffff", limit=1))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def search(database: Path, query: SearchQuery) -> SearchResult:
    """``query`` on a connection of its own (a command's one search)."""
    _check(query)
    where_clause(query)  # bad input is told before the database is opened
    with readmodel.connect(database) as conn:
        return run_query(conn, query)
