"""Is the call being taken a ticket the seat already has?  (Qt-free; runs in a worker.)

The open tickets of the last days are read with plain SQL (the read model's way) and compared
with the form's draft by :func:`agent_app.services.suggest.related.find_related`: the problem
text with place names left out, adjusted by the category, the place and the caller.  The form
shows the probable duplicates with "merge into" and "link"; the operator decides.  Callers
are compared by an opaque key (a hash of the number), never by the number itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent_app.domain.lifecycle import TERMINAL
from agent_app.services.suggest.related import DEFAULT_DAYS, TicketRecord, find_related
from agent_app.storage import readmodel

MIN_TEXT_CHARS = 8
"""Shorter descriptions say too little to compare."""
MAX_SHOWN = 3


@dataclass(frozen=True)
class DuplicateHint:
    """One probable duplicate, for the warning in the form."""

    number: str
    status: str
    category_name: str
    place: str
    created_at: datetime
    description: str
    score: float
    reasons: tuple[str, ...]


def caller_key(phone_e164: str) -> str | None:
    """An opaque key of the caller's number ("" → None)."""
    phone = phone_e164.strip()
    return hashlib.sha256(phone.encode()).hexdigest()[:16] if phone else None


def _from_db(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def open_tickets(
    database: Path,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
    limit: int = 2000,
    exclude_id: str = "",
) -> list[tuple[TicketRecord, dict[str, str]]]:
    """Tickets created in the last ``days`` days that are still open, newest first (at most
    ``limit``: about 0.1 s of comparisons per 1,000 in the worker), each with the fields the
    warning shows."""
    if not database.exists():
        return []
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    closed = sorted(s.value for s in TERMINAL)
    marks = ", ".join("?" for _ in closed)
    sql = (
        "SELECT id, number, created_at, status, caller_phone, category_code, category_name, "
        "district, township, lat, lon, description FROM tickets "
        f"WHERE created_at >= ? AND status NOT IN ({marks}) AND id != ? "
        "ORDER BY created_at DESC LIMIT ?"
    )
    stamp = since.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    out: list[tuple[TicketRecord, dict[str, str]]] = []
    with readmodel.connect(database) as conn:
        for r in conn.execute(sql, (stamp, *closed, exclude_id, limit)):
            record = TicketRecord(
                ticket_id=r["id"],
                text=r["description"] or "",
                created_at=_from_db(r["created_at"]),
                caller_key=caller_key(r["caller_phone"] or ""),
                category=r["category_code"] or None,
                lat=r["lat"],
                lon=r["lon"],
                district=r["district"] or None,
                township=r["township"] or None,
            )
            shown = {
                "number": r["number"],
                "status": r["status"],
                "category_name": r["category_name"] or "",
                "place": f"{r['district'] or ''}{r['township'] or ''}",
                "description": (r["description"] or "")[:120],
            }
            out.append((record, shown))
    return out


def probable_duplicates(
    draft: TicketRecord, candidates: list[tuple[TicketRecord, dict[str, str]]]
) -> list[DuplicateHint]:
    """The candidates :func:`find_related` calls probable duplicates of ``draft``, best first."""
    if len(draft.text.strip()) < MIN_TEXT_CHARS or not candidates:
        return []
    shown = {record.ticket_id: fields for record, fields in candidates}
    related = find_related(draft, [record for record, _ in candidates])
    hints: list[DuplicateHint] = []
    created = {record.ticket_id: record.created_at for record, _ in candidates}
    for rel in sorted(
        (r for r in related if r.is_duplicate), key=lambda r: r.duplicate_score, reverse=True
    )[:MAX_SHOWN]:
        fields = shown[rel.ticket_id]
        hints.append(
            DuplicateHint(
                number=fields["number"],
                status=fields["status"],
                category_name=fields["category_name"],
                place=fields["place"],
                created_at=created[rel.ticket_id],
                description=fields["description"],
                score=rel.duplicate_score,
                reasons=tuple(rel.reasons),
            )
        )
    return hints
