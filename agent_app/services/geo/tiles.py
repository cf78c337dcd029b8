"""Slippy-map (XYZ) tile arithmetic for the map pane's optional base layer (no Qt, no I/O).

Tiles are Web-Mercator squares addressed ``z/x/y`` with ``y`` counted from the north, as
served by OpenStreetMap-style tile servers (``http://host/{z}/{x}/{y}.png``).  What the
pixels are drawn in depends on the provider: OSM-based servers use WGS-84 positions, Chinese
web maps (Amap, Tencent, Baidu's tiles after its own extra shift) draw GCJ-02 positions.  The
map pane draws in WGS-84, so :func:`tile_bounds` shifts the corners of a GCJ-02 tile back to
WGS-84 (the offset is almost constant over a tile in Beijing: a few hundred metres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from agent_app.errors import ConfigError
from agent_app.services.geo.coords import gcj02_to_wgs84, wgs84_to_gcj02

TILE_CRS = ("wgs84", "gcj02")
MAX_LAT = 85.05112878  # Web-Mercator's edge
MIN_ZOOM = 0
MAX_ZOOM = 19
TILE_PX = 256


@dataclass(frozen=True, order=True)
class TileKey:
    z: int
    x: int
    y: int


@dataclass(frozen=True)
class TileBounds:
    """A tile's WGS-84 extent in degrees."""

    west: float
    south: float
    east: float
    north: float


def check_template(template: str) -> str:
    """The tile URL template, stripped; raises :class:`ConfigError` when it cannot work."""
    url = template.strip()
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        raise ConfigError(
            f"地图瓦片地址 {url!r} 缺少 {'、'.join(missing)}：请按 http://主机:端口/{{z}}/{{x}}/{{y}}.png "
            "的格式填写设置“地图瓦片地址”，或留空不用底图。"
        )
    if "://" not in url or url.split("://", 1)[0].lower() not in ("http", "https", "file"):
        raise ConfigError(
            f"地图瓦片地址 {url!r} 不是 http(s) 地址：请填写如 http://127.0.0.1:8080/{{z}}/{{x}}/{{y}}.png，"
            "或留空不用底图。"
        )
    return url


def check_crs(crs: str) -> str:
    value = (crs or "wgs84").strip().lower().replace("-", "")
    if value not in TILE_CRS:
        raise ConfigError(
            f"地图瓦片坐标系 {crs!r} 无效：OpenStreetMap 类底图填 wgs84，高德/腾讯等国内底图填 gcj02。"
        )
    return value


def tile_url(template: str, key: TileKey) -> str:
    return template.replace("{z}", str(key.z)).replace("{x}", str(key.x)).replace("{y}", str(key.y))


def _clamp_lat(lat: float) -> float:
    return max(-MAX_LAT, min(MAX_LAT, lat))


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional tile coordinates of a point at zoom ``z`` (Web Mercator)."""
    n = 2**z
    rad = math.radians(_clamp_lat(lat))
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n
    return x, y


def tile_to_lonlat(x: float, y: float, z: int) -> tuple[float, float]:
    """The point at fractional tile coordinates ``(x, y)`` (inverse of :func:`lonlat_to_tile`)."""
    n = 2**z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / n))))
    return lon, lat


def tile_bounds(key: TileKey, crs: str = "wgs84") -> TileBounds:
    """Where the tile's pixels belong on a WGS-84 map.

    For GCJ-02 tiles the tile's nominal corners are GCJ-02 positions; they are converted to
    WGS-84 so that the tile lines up with the (WGS-84) district boundaries and pins.
    """
    west, north = tile_to_lonlat(key.x, key.y, key.z)
    east, south = tile_to_lonlat(key.x + 1, key.y + 1, key.z)
    if crs == "gcj02":
        west, north = gcj02_to_wgs84(west, north)
        east, south = gcj02_to_wgs84(east, south)
    return TileBounds(west, south, east, north)


def zoom_for(pixels_per_degree_lon: float) -> int:
    """The tile zoom whose 256-pixel tiles come closest to the map's on-screen scale."""
    if pixels_per_degree_lon <= 0:
        return MIN_ZOOM
    z = math.log2(pixels_per_degree_lon * 360.0 / TILE_PX)
    return max(MIN_ZOOM, min(MAX_ZOOM, round(z)))


def tiles_for_view(
    west: float,
    south: float,
    east: float,
    north: float,
    z: int,
    crs: str = "wgs84",
    *,
    limit: int = 64,
) -> list[TileKey]:
    """The tiles covering a WGS-84 box at zoom ``z``, from the centre outwards.

    For GCJ-02 tiles the box is shifted into GCJ-02 first.  At most ``limit`` tiles (the
    nearest to the centre) are returned, so a huge viewport never floods the server.
    """
    if crs == "gcj02":
        west, south = wgs84_to_gcj02(west, south)
        east, north = wgs84_to_gcj02(east, north)
    n = 2**z
    x0, y0 = lonlat_to_tile(west, north, z)
    x1, y1 = lonlat_to_tile(east, south, z)
    xs = range(max(0, math.floor(x0)), min(n - 1, math.floor(x1)) + 1)
    ys = range(max(0, math.floor(y0)), min(n - 1, math.floor(y1)) + 1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    keys = [TileKey(z, x, y) for x in xs for y in ys]
    keys.sort(key=lambda k: (k.x + 0.5 - cx) ** 2 + (k.y + 0.5 - cy) ** 2)
    return keys[:limit]
