"""Tickets near a point (same category within a radius), by geodesic distance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def nearby(
    tickets: Iterable[Mapping[str, Any]],
    lat: float,
    lon: float,
    radius_m: float,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Tickets (plain dicts with ``lat``, ``lon`` and optionally ``category``) within
    ``radius_m`` metres of the point, nearest first, each with ``distance_m`` added.
    Tickets without a point are skipped; ``category=None`` keeps every category."""
    from geopy.distance import geodesic  # noqa: PLC0415 - geographiclib loads lazily

    out = []
    for t in tickets:
        tlat, tlon = t.get("lat"), t.get("lon")
        if tlat is None or tlon is None:
            continue
        if category is not None and t.get("category") != category:
            continue
        # a cheap box test first: one degree of latitude is ~111 km
        if abs(float(tlat) - lat) * 111_000 > radius_m:
            continue
        dist = geodesic((lat, lon), (float(tlat), float(tlon))).meters
        if dist <= radius_m:
            out.append({**t, "distance_m": round(dist, 1)})
    out.sort(key=lambda t: t["distance_m"])
    return out
