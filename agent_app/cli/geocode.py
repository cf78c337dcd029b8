"""``agent-app geocode TEXT [--json]`` and ``agent-app geocode --batch FILE --json``.

Resolves addresses as callers say them with the offline gazetteer (no network unless
``--nominatim URL`` names a self-hosted Nominatim, asked for a better point only).  In batch mode
every input line gives one JSON line, in order:
``{"input", "district", "township", "lat", "lon", "confidence"}`` with ``null`` where unknown.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent_app.errors import UsageError

if TYPE_CHECKING:
    from agent_app.services.geo.gazetteer import PlaceResult


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "geocode", help="address → district, township, point (offline gazetteer)"
    )
    parser.add_argument("text", nargs="?", help="the address as the caller said it")
    parser.add_argument("--batch", metavar="FILE", help="one address per line (UTF-8)")
    parser.add_argument("--district", help="the district the caller said, if any (朝阳 / 110105)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--nominatim",
        metavar="URL",
        help="also ask this self-hosted Nominatim (http://host:port) for the point",
    )
    parser.add_argument(
        "--timeout", type=float, default=3.0, help="Nominatim timeout in seconds (default 3)"
    )
    parser.set_defaults(func=run)


def _record(text: str, place: PlaceResult) -> dict[str, object]:
    return {
        "input": text,
        "district": place.district,
        "township": place.township,
        "lat": place.lat,
        "lon": place.lon,
        "confidence": round(place.confidence, 3),
    }


def run(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.batch is None):
        raise UsageError("Give either an address TEXT or --batch FILE (not both, not neither).")
    if args.batch is not None and not args.json:
        raise UsageError("--batch writes JSON lines; add --json.")
    lines: list[str]
    if args.batch is not None:
        path = Path(args.batch)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UsageError(
                f"Cannot read the batch file {path} ({reason}); give a UTF-8 text file with one address per line."
            ) from exc
    else:
        lines = [args.text]

    from agent_app.services.geo.gazetteer import Gazetteer  # loads CSVs

    gazetteer = Gazetteer.default()
    resolve: Callable[..., PlaceResult] = gazetteer.resolve
    if args.nominatim:
        from agent_app.services.geo.geocoder import (
            CompositeGeocoder,
            GazetteerGeocoder,
            make_nominatim,
        )

        remote = make_nominatim(args.nominatim, timeout=args.timeout)
        resolve = CompositeGeocoder(
            GazetteerGeocoder(gazetteer), remote, timeout=args.timeout
        ).resolve
    out = sys.stdout
    for text in lines:
        place = resolve(text, district_hint=args.district)
        if args.json:
            rec = _record(text, place)
            if args.batch is None:
                rec.update(
                    district_code=place.district_code,
                    township_code=place.township_code,
                    community=place.community,
                    jurisdiction_unit=place.jurisdiction_unit,
                    point_source=place.point_source,
                    candidates=place.candidates,
                )
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            where = " ".join(x for x in (place.district, place.township, place.community) if x)
            print(f"place: {where or 'unknown'}")
            print(f"confidence: {place.confidence:.2f}")
            if place.lat is not None:
                print(f"point: {place.lat:.5f}, {place.lon:.5f} ({place.point_source}, WGS-84)")
            print(f"unit: {place.jurisdiction_unit or 'unknown (ask the caller for the district)'}")
            for cand in place.candidates:
                print(f"candidate: {cand['district']} {cand['township'] or ''}".rstrip())
    return 0
