"""Slippy-map tile arithmetic for the map pane's base layer."""

from __future__ import annotations

import pytest

from agent_app.errors import ConfigError
from agent_app.services.geo import tiles as xyz
from agent_app.services.geo.coords import wgs84_to_gcj02


def test_tile_of_a_point_and_back() -> None:
    # Tiananmen at zoom 10 lies in tile 843/388 (x from 180°W, y from the north).
    x, y = xyz.lonlat_to_tile(116.3912, 39.9075, 10)
    assert (int(x), int(y)) == (843, 388)
    lon, lat = xyz.tile_to_lonlat(x, y, 10)
    assert lon == pytest.approx(116.3912, abs=1e-9)
    assert lat == pytest.approx(39.9075, abs=1e-9)


def test_tile_bounds_of_whole_world_quarters() -> None:
    b = xyz.tile_bounds(xyz.TileKey(1, 1, 0))
    assert (b.west, b.east) == (0.0, 180.0)
    assert b.south == pytest.approx(0.0, abs=1e-9)
    assert b.north == pytest.approx(xyz.MAX_LAT, abs=1e-6)


def test_gcj02_tiles_are_shifted_back_to_wgs84() -> None:
    key = xyz.TileKey(14, 13492, 6203)  # central Beijing
    wgs = xyz.tile_bounds(key, "wgs84")
    gcj = xyz.tile_bounds(key, "gcj02")
    # Drawn on a WGS-84 map, a GCJ-02 tile belongs a few hundred metres south-west.
    assert -0.008 < gcj.west - wgs.west < -0.004
    assert -0.003 < gcj.north - wgs.north < 0.0
    # and the shifted corner maps back onto the tile's nominal GCJ-02 corner
    lon, lat = wgs84_to_gcj02(gcj.west, gcj.north)
    assert lon == pytest.approx(wgs.west, abs=1e-6)
    assert lat == pytest.approx(wgs.north, abs=1e-6)


def test_tiles_for_view_cover_the_box_centre_first() -> None:
    west, south, east, north = 116.35, 39.88, 116.45, 39.94
    keys = xyz.tiles_for_view(west, south, east, north, 13)
    xs = {k.x for k in keys}
    ys = {k.y for k in keys}
    x0, y0 = xyz.lonlat_to_tile(west, north, 13)
    x1, y1 = xyz.lonlat_to_tile(east, south, 13)
    assert xs == set(range(int(x0), int(x1) + 1))
    assert ys == set(range(int(y0), int(y1) + 1))
    cx, cy = xyz.lonlat_to_tile((west + east) / 2, (south + north) / 2, 13)
    assert (keys[0].x, keys[0].y) == (int(cx), int(cy))
    assert len(xyz.tiles_for_view(100, 20, 130, 50, 12, limit=10)) == 10


def test_zoom_matches_the_screen_scale() -> None:
    # 256 px per tile: at zoom z a degree of longitude is 256 * 2**z / 360 pixels.
    for z in (9, 12, 16):
        assert xyz.zoom_for(256 * 2**z / 360) == z
    assert xyz.zoom_for(256 * 2**12 / 360 * 1.3) == 12
    assert xyz.zoom_for(1e12) == xyz.MAX_ZOOM
    assert xyz.zoom_for(0) == xyz.MIN_ZOOM


def test_template_and_crs_are_checked_with_chinese_messages() -> None:
    url = "http://127.0.0.1:8080/{z}/{x}/{y}.png"
    assert xyz.check_template(f"  {url} ") == url
    assert xyz.tile_url(url, xyz.TileKey(3, 6, 2)) == "http://127.0.0.1:8080/3/6/2.png"
    with pytest.raises(ConfigError, match="缺少 {y}"):
        xyz.check_template("http://127.0.0.1:8080/{z}/{x}.png")
    with pytest.raises(ConfigError, match="不是 http"):
        xyz.check_template("127.0.0.1:8080/{z}/{x}/{y}.png")
    assert xyz.check_crs("GCJ-02") == "gcj02"
    assert xyz.check_crs("") == "wgs84"
    with pytest.raises(ConfigError, match="gcj02"):
        xyz.check_crs("bd09")
