"""Who handled this seat's recent tickets, per category and district (Qt-free, plain SQL).

The intake service uses the counts to confirm the dispatch rule's main unit or to propose the
unit that usually takes such tickets as a co-unit (with the count as the reason shown).
Merged, transferred and not-accepted tickets handled nothing and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent_app.storage import readmodel

DEFAULT_DAYS = 90
NOT_HANDLED = ("MERGED_DUPLICATE", "TRANSFERRED_EMERGENCY", "NOT_ACCEPTED_INFORMED", "ANSWERED")


def handled_counts(
    database: Path, *, days: int = DEFAULT_DAYS, now: datetime | None = None
) -> dict[tuple[str, str], dict[str, int]]:
    """``{(category_code, district): {main_unit: tickets}}`` for the last ``days`` days."""
    if not database.exists():
        return {}
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    marks = ", ".join("?" for _ in NOT_HANDLED)
    sql = (
        "SELECT category_code, district, main_unit, count(*) AS n FROM tickets "
        "WHERE created_at >= ? AND category_code != '' AND main_unit != '' "
        f"AND status NOT IN ({marks}) GROUP BY category_code, district, main_unit"
    )
    stamp = since.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    with readmodel.connect(database) as conn:
        for row in conn.execute(sql, (stamp, *NOT_HANDLED)):
            counts[(row["category_code"], row["district"] or "")][row["main_unit"]] = row["n"]
    return dict(counts)
