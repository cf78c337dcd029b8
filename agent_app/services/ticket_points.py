"""Where recent tickets happened, for the map pane's heat layer and "tickets nearby" (Qt-free).

Plain SQL on a read-only connection (the read model's way), so the map can fill without the
ORM.  Only places and categories leave this module: no caller data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent_app.services.geo.nearby import nearby
from agent_app.storage import readmodel

DEFAULT_DAYS = 30
NEARBY_RADIUS_M = 1500.0


def recent_points(
    database: Path, *, days: int = DEFAULT_DAYS, now: datetime | None = None, limit: int = 20_000
) -> list[dict[str, Any]]:
    """Tickets with a point created in the last ``days`` days, newest first.

    Each is ``{"number", "lat", "lon", "category", "category_code", "label", "created_at"}``
    (``category`` is the catalogue path, ``label`` the township or district).  An absent
    database gives an empty list.
    """
    if not database.exists():
        return []
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    sql = (
        "SELECT number, lat, lon, category_name, category_code, township, district, created_at "
        "FROM tickets WHERE lat IS NOT NULL AND lon IS NOT NULL AND created_at >= ? "
        "ORDER BY created_at DESC LIMIT ?"
    )
    stamp = since.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with readmodel.connect(database) as conn:
        rows = conn.execute(sql, (stamp, limit)).fetchall()
    return [
        {
            "number": r["number"],
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            "category": r["category_name"] or "",
            "category_code": r["category_code"] or "",
            "label": r["township"] or r["district"] or "",
            "created_at": r["created_at"],
        }
        for r in rows
    ]


def same_category(point: Mapping[str, Any], category: str) -> bool:
    """Whether a point's category is ``category`` (a code, a full path or a leaf name)."""
    wanted = category.strip()
    if not wanted:
        return True
    path = str(point.get("category", ""))
    return wanted in (path, str(point.get("category_code", "")), path.rsplit("/", 1)[-1])


def tickets_nearby(
    points: Iterable[Mapping[str, Any]],
    lat: float,
    lon: float,
    *,
    category: str = "",
    radius_m: float = NEARBY_RADIUS_M,
    exclude: str = "",
) -> list[dict[str, Any]]:
    """Points of the same category within ``radius_m`` of the place, nearest first."""
    chosen = [p for p in points if same_category(p, category) and p.get("number") != exclude]
    return nearby(chosen, lat, lon, radius_m)
