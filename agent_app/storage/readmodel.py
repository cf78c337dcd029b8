"""Read-only queries for tables, with plain SQL on a keyed SQLCipher connection.

The window's first data ("my tickets today") must be on screen before SQLAlchemy's 0.3–0.5 s
import has finished, so table reads use plain SQL on a read-only connection.  Writes always go
through the ORM repositories; the column list here is checked against the models by a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_app.domain.lifecycle import TERMINAL
from agent_app.domain.summary import TicketSummary
from agent_app.domain.timeutil import SHANGHAI
from agent_app.storage import cipher

SUMMARY_COLUMNS = (
    "id",
    "number",
    "created_at",
    "status",
    "request_type",
    "category_name",
    "district",
    "township",
    "main_unit",
    "urgency",
    "due_at",
    "caller_phone",
    "caller_name",
    "confidential",
    "description",
    "server_version",
)
_SELECT = f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM tickets"
SUMMARY_SELECT = _SELECT
"""``SELECT <the summary columns> FROM tickets``: add a WHERE clause, read rows with
:func:`summary`."""
_TERMINAL = {s.value for s in TERMINAL}


def _to_db(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _from_db(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(SHANGHAI)


def from_db(value: str | None) -> datetime | None:
    """A time as the seat stores it, aware (Shanghai)."""
    return _from_db(value)


def to_db(value: datetime) -> str:
    """An aware time as the seat stores it (UTC, no offset), for comparisons in SQL."""
    return _to_db(value)


def summary(row: Any) -> TicketSummary:
    """A ``Row`` of :data:`SUMMARY_SELECT` as a :class:`TicketSummary`."""
    return _summary(row)


def _summary(row: Any) -> TicketSummary:
    created = _from_db(row["created_at"])
    assert created is not None
    return TicketSummary(
        id=row["id"],
        number=row["number"],
        created_at=created,
        status=row["status"],
        request_type=row["request_type"],
        category_name=row["category_name"],
        district=row["district"],
        township=row["township"],
        main_unit=row["main_unit"],
        urgency=row["urgency"],
        due_at=_from_db(row["due_at"]),
        caller_phone=row["caller_phone"],
        caller_name=row["caller_name"],
        confidential=bool(row["confidential"]),
        description=(row["description"] or "")[:200],
        synced=row["server_version"] is not None,
    )


@contextmanager
def connect(path: Path) -> Iterator[Any]:
    """A read-only keyed connection whose rows are ``Row`` objects (by name and index)."""
    conn = cipher.connect(path, readonly=True, timeout=10)
    conn.row_factory = cipher.dbapi().Row
    try:
        yield conn
    finally:
        conn.close()


def tickets_between(
    path: Path,
    start: datetime,
    end: datetime,
    *,
    operator_id: str | None = None,
    limit: int | None = None,
) -> list[TicketSummary]:
    """Tickets created in [start, end), newest first; all of them unless ``limit`` is given
    (a day of a busy seat is tens of thousands of rows: ``benchmarks/bench_todays_tickets.py``)."""
    sql = f"{_SELECT} WHERE created_at >= ? AND created_at < ?"
    params: list[object] = [_to_db(start), _to_db(end)]
    if operator_id is not None:
        sql += " AND operator_id = ?"
        params.append(operator_id)
    sql += " ORDER BY created_at DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    with connect(path) as conn:
        return [_summary(r) for r in conn.execute(sql, params)]


def caller_history(path: Path, phone: str, limit: int = 50) -> list[TicketSummary]:
    """This caller's tickets, open ones first, then newest first."""
    with connect(path) as conn:
        rows = [
            _summary(r)
            for r in conn.execute(
                f"{_SELECT} WHERE caller_phone = ? ORDER BY created_at DESC LIMIT ?", (phone, limit)
            )
        ]
    return sorted(rows, key=lambda s: s.status in _TERMINAL)


SEEDED_KEY = "demo_seeded_on"  # sync_state key written once the demo week is in


def state_value(path: Path, key: str) -> str | None:
    with connect(path) as conn:
        row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def pending_outbox(path: Path) -> int:
    """As :func:`agent_app.storage.repository.pending_outbox_count` (an undelivered call
    transcript holds no change of its ticket back)."""
    with connect(path) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND undelivered_at IS NULL "
                "AND ticket_id NOT IN (SELECT ticket_id FROM outbox WHERE sent_at IS NULL "
                "AND undelivered_at IS NOT NULL AND op <> 'transcript')"
            ).fetchone()[0]
        )


def undelivered_count(path: Path) -> int:
    """Tickets with a change the centre refused or the seat could not send."""
    with connect(path) as conn:
        return int(
            conn.execute(
                "SELECT count(DISTINCT ticket_id) FROM outbox "
                "WHERE sent_at IS NULL AND undelivered_at IS NOT NULL"
            ).fetchone()[0]
        )
