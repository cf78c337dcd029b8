"""The three rates from the seat's own copy (SQLite), for when the centre is unreachable.

A seat holds the tickets it created and those it pulled (a lead's seat pulls every ticket),
with their events, as of its last sync: the figures use the same definitions and the same
facts as the centre (:func:`agent_app.domain.rates.ticket_facts`), but they are **partial**
(whatever the seat has not pulled is missing) and every row says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from agent_app.domain.rates import (
    CallbackFact,
    DispatchFact,
    RateDefinitions,
    RateRow,
    compute_rates,
    count_facts,
    ticket_facts,
)
from agent_app.errors import StorageError
from agent_app.services.reports.figures import definitions, group_counts, period
from agent_app.storage import readmodel


def _at(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def seat_facts(database: Path) -> list[tuple[str, list[DispatchFact], CallbackFact | None]]:
    """(place district, dispatches, latest callback) of every real ticket on the seat."""
    if not database.exists():
        raise StorageError(f"no seat database at {database}; pass the seat's --data-dir")
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with readmodel.connect(database) as conn:
        tickets = {
            r["id"]: (r["main_unit"] or "", r["district"] or "")
            for r in conn.execute("SELECT id, main_unit, district FROM tickets WHERE NOT is_demo")
        }
        for r in conn.execute(
            "SELECT ticket_id, seq, at, kind, actor_role, to_status, data FROM ticket_events "
            "WHERE kind = 'transition'"
        ):
            data = r["data"]
            events[r["ticket_id"]].append(
                {
                    "seq": r["seq"],
                    "at": _at(r["at"]),
                    "kind": r["kind"],
                    "actor_role": r["actor_role"],
                    "to_status": r["to_status"],
                    "data": json.loads(data) if isinstance(data, str) and data else data or {},
                }
            )
    out = []
    for tid, (main_unit, district) in tickets.items():
        dispatches, callback = ticket_facts(events.get(tid, []), main_unit)
        out.append((district, dispatches, callback))
    return out


def seat_rates(
    database: Path,
    first: date,
    last: date,
    by: str = "unit",
    *,
    defs: RateDefinitions | None = None,
) -> list[RateRow]:
    """:func:`~agent_app.services.reports.rates` from the seat's copy (partial figures)."""
    d = defs or definitions()
    p = period(first, last)
    raw = count_facts(seat_facts(database), p.start, p.end, d)
    return compute_rates(group_counts(raw, by, d), d)
