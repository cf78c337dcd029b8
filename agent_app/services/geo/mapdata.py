"""District polygons (WGS-84) for the map pane, and which district a point lies in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agent_app.errors import ConfigError

Ring = list[tuple[float, float]]  # (lon, lat)


@dataclass(frozen=True)
class DistrictShape:
    code: str
    name: str
    polygons: list[list[Ring]]  # each polygon: outer ring, then holes

    def contains(self, lat: float, lon: float) -> bool:
        for poly in self.polygons:
            if _in_ring(poly[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in poly[1:]):
                return True
        return False


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@dataclass
class DistrictMap:
    shapes: list[DistrictShape]
    crs: str

    @classmethod
    def load(cls, path: Path | None = None) -> DistrictMap:
        if path is None:
            from agent_app.paths import resources_dir  # noqa: PLC0415

            path = resources_dir() / "map" / "beijing_districts_wgs84.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"The district map {path} cannot be read ({exc}); reinstall the app or restore resources/map."
            ) from exc
        shapes = [
            DistrictShape(
                d["code"],
                d["name"],
                [
                    [[(float(p[0]), float(p[1])) for p in ring] for ring in poly]
                    for poly in d["polygons"]
                ],
            )
            for d in data["districts"]
        ]
        return cls(shapes, data.get("crs", ""))

    def district_at(self, lat: float, lon: float) -> DistrictShape | None:
        for shape in self.shapes:
            if shape.contains(lat, lon):
                return shape
        return None

    def bounds(self) -> tuple[float, float, float, float]:
        """``(min_lon, min_lat, max_lon, max_lat)`` of all districts."""
        xs = [p[0] for s in self.shapes for poly in s.polygons for p in poly[0]]
        ys = [p[1] for s in self.shapes for poly in s.polygons for p in poly[0]]
        return min(xs), min(ys), max(xs), max(ys)
