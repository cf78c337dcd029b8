"""geopy front-ends: the offline gazetteer as a geopy ``Geocoder``, and a composite that may
ask a self-hosted Nominatim for a better point.

Nothing here opens a socket unless a Nominatim URL is configured (demo mode never does).  A
remote call can block for its timeout, so callers in the GUI run :meth:`CompositeGeocoder.geocode`
on a worker thread; :meth:`GazetteerGeocoder.geocode` is local and takes well under 5 ms.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from agent_app.errors import ConfigError
from agent_app.services.geo.gazetteer import Gazetteer, PlaceResult

log = logging.getLogger(__name__)

DEFAULT_REMOTE_TIMEOUT_S = 3.0


def place_to_location(place: PlaceResult) -> Location | None:
    """A geopy ``Location`` whose ``raw`` holds every field of the place, or ``None``."""
    if place.district is None or place.lat is None or place.lon is None:
        return None
    parts = ["北京市", place.district, place.township or "", place.community or ""]
    raw: dict[str, Any] = place.as_dict()
    raw["ambiguous"] = place.candidates if place.ambiguous else []
    raw["matched_spans"] = raw.pop("evidence")
    return Location("".join(parts), (place.lat, place.lon), raw)


class GazetteerGeocoder(Geocoder):
    """geopy's ``Geocoder`` interface over the offline gazetteer (no network, ever)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        super().__init__(timeout=1, user_agent="agent-app-gazetteer")
        self.gazetteer = gazetteer

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        district_hint: str | None = None,
    ) -> Location | list[Location] | None:
        place = self.gazetteer.resolve(query, district_hint=district_hint)
        loc = place_to_location(place)
        if exactly_one:
            return loc
        return [loc] if loc else []

    def resolve(self, text: str, district_hint: str | None = None) -> PlaceResult:
        return self.gazetteer.resolve(text, district_hint=district_hint)


def make_nominatim(url: str, *, user_agent: str = "agent-app", timeout: float = 3.0) -> Geocoder:
    """A geopy ``Nominatim`` pointed at a self-hosted server such as ``http://host:8080``."""
    from geopy.geocoders import Nominatim  # noqa: PLC0415 - only when configured

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"The Nominatim URL {url!r} is not an http(s) URL; set it like http://host:8080 or leave it empty."
        )
    domain = parts.netloc + parts.path.rstrip("/")
    return Nominatim(domain=domain, scheme=parts.scheme, user_agent=user_agent, timeout=timeout)


class CompositeGeocoder:
    """The gazetteer first; a remote geopy geocoder (if any) only to refine the point.

    The district and township always come from the gazetteer (unknown beats wrong); a remote
    answer adds ``remote_lat``/``remote_lon``/``remote_address``.  Remote failures (timeouts,
    HTTP errors, rate limits) are logged without the address and ignored.
    """

    def __init__(
        self,
        local: GazetteerGeocoder,
        remote: Geocoder | None = None,
        *,
        remote_below: float = 0.9,
        timeout: float = DEFAULT_REMOTE_TIMEOUT_S,
    ) -> None:
        self.local = local
        self.remote = remote
        self.remote_below = remote_below
        self.timeout = timeout

    def geocode(self, query: str, district_hint: str | None = None) -> Location | None:
        place = self.local.resolve(query, district_hint=district_hint)
        loc = place_to_location(place)
        if self.remote is None or place.confidence >= self.remote_below:
            return loc
        try:
            remote = self.remote.geocode(f"北京市{query}", exactly_one=True, timeout=self.timeout)
        except GeopyError as exc:
            log.warning("remote geocoder failed: %s", type(exc).__name__)
            return loc
        except OSError as exc:  # sockets refused before geopy wraps them
            log.warning("remote geocoder unreachable: %s", type(exc).__name__)
            return loc
        if remote is None:
            return loc
        raw = place.as_dict() if loc is None else dict(loc.raw)
        raw.update(
            remote_lat=remote.latitude, remote_lon=remote.longitude, remote_address=remote.address
        )
        return Location(
            loc.address if loc else remote.address, (remote.latitude, remote.longitude), raw
        )
