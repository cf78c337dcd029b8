"""geopy front-ends: the offline gazetteer as a geopy ``Geocoder``, and a composite that may
ask a self-hosted Nominatim for a better point.

Nothing here opens a socket unless a Nominatim URL is configured (demo mode never does).  A
remote call can block for its timeout, so callers in the GUI run :meth:`CompositeGeocoder.geocode`
and :meth:`CompositeGeocoder.resolve` on a worker thread; :meth:`GazetteerGeocoder.geocode` is
local and takes well under 5 ms.

The seat's geocoder for intake is built by :func:`intake_geocoder` from the gazetteer and the
setting *地理编码服务地址* (empty = offline only), which the composition root hands to the intake
service; the service keeps the one composite (and its cache) for the seat.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from agent_app.errors import ConfigError
from agent_app.services.geo.gazetteer import Gazetteer, PlaceResult
from agent_app.services.geo.remote import DEFAULT_REMOTE_TIMEOUT_S, check_remote_url

if TYPE_CHECKING:
    from agent_app.services.geo.mapdata import DistrictMap

log = logging.getLogger(__name__)

REMOTE_RETRY_AFTER_S = 60.0
"""After a remote failure (refused, timed out, HTTP error) the remote is not asked again for
this long, so an unreachable server costs one timeout per minute, not one per keystroke."""
REMOTE_CACHE_SIZE = 512


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

    text = check_remote_url(url)
    if not text:
        raise ConfigError("没有配置地理编码服务地址（Nominatim URL）。")
    parts = urlsplit(text)
    domain = parts.netloc + parts.path.rstrip("/")
    return Nominatim(domain=domain, scheme=parts.scheme, user_agent=user_agent, timeout=timeout)


class CompositeGeocoder:
    """The gazetteer first; a remote geopy geocoder (if any) only to refine the point.

    The district and township always come from the gazetteer (unknown beats wrong); a remote
    answer adds ``remote_lat``/``remote_lon``/``remote_address`` (:meth:`geocode`) or replaces
    the approximate point (:meth:`resolve`).  A remote point outside the district the gazetteer
    found (or outside Beijing) is ignored: the server matched some other place.  Remote
    failures (timeouts, refused connections, HTTP errors) are logged without the address and
    the offline answer is kept; the remote then rests for ``retry_after_s``.  Thread-safe.
    """

    def __init__(
        self,
        local: GazetteerGeocoder,
        remote: Geocoder | None = None,
        *,
        remote_below: float = 0.9,
        timeout: float = DEFAULT_REMOTE_TIMEOUT_S,
        retry_after_s: float = REMOTE_RETRY_AFTER_S,
        district_map: DistrictMap | None = None,
    ) -> None:
        self.local = local
        self.remote = remote
        self.remote_below = remote_below
        self.timeout = timeout
        self.retry_after_s = retry_after_s
        self._district_map = district_map
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._cache: OrderedDict[str, Location | None] = OrderedDict()
        self.remote_calls = 0
        self.remote_failures = 0

    @property
    def remote_resting(self) -> bool:
        """True while the remote is skipped after a failure."""
        return time.monotonic() < self._down_until

    def geocode(self, query: str, district_hint: str | None = None) -> Location | None:
        place = self.local.resolve(query, district_hint=district_hint)
        loc = place_to_location(place)
        remote = self._remote(query, place)
        if remote is None:
            return loc
        raw = place.as_dict() if loc is None else dict(loc.raw)
        raw.update(
            remote_lat=remote.latitude, remote_lon=remote.longitude, remote_address=remote.address
        )
        return Location(
            loc.address if loc else remote.address, (remote.latitude, remote.longitude), raw
        )

    def resolve(self, query: str, district_hint: str | None = None) -> PlaceResult:
        """The gazetteer's place, with the remote's point when it has a consistent one."""
        place = self.local.resolve(query, district_hint=district_hint)
        remote = self._remote(query, place)
        if remote is None:
            return place
        return replace(place, lat=remote.latitude, lon=remote.longitude, point_source="nominatim")

    def _remote(self, query: str, place: PlaceResult) -> Location | None:
        if self.remote is None or place.confidence >= self.remote_below or not query.strip():
            return None
        key = query.strip()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._consistent(self._cache[key], place)
            if time.monotonic() < self._down_until:
                return None
            self.remote_calls += 1
        try:
            found = self.remote.geocode(f"北京市{key}", exactly_one=True, timeout=self.timeout)
        except (GeopyError, OSError) as exc:  # OSError: sockets refused before geopy wraps them
            with self._lock:
                self.remote_failures += 1
                self._down_until = time.monotonic() + self.retry_after_s
            log.warning("remote geocoder failed: %s; offline answer kept", type(exc).__name__)
            return None
        location = found if isinstance(found, Location) else None
        with self._lock:
            self._cache[key] = location
            while len(self._cache) > REMOTE_CACHE_SIZE:
                self._cache.popitem(last=False)
        return self._consistent(location, place)

    def _consistent(self, remote: Location | None, place: PlaceResult) -> Location | None:
        if remote is None:
            return None
        districts = self._districts()
        if districts is None:
            return remote
        shape = districts.district_at(remote.latitude, remote.longitude)
        if shape is None or (place.district_code and shape.code != place.district_code):
            log.info("remote point outside the resolved district; ignored")
            return None
        return remote

    def _districts(self) -> DistrictMap | None:
        if self._district_map is None:
            from agent_app.services.geo.mapdata import DistrictMap  # noqa: PLC0415

            try:
                self._district_map = DistrictMap.load()
            except ConfigError:
                return None
        return self._district_map


def intake_geocoder(
    gazetteer: Gazetteer, url: str = "", *, timeout: float = DEFAULT_REMOTE_TIMEOUT_S
) -> CompositeGeocoder:
    """The composite over ``gazetteer`` with the Nominatim at ``url`` ("" = offline only)."""
    remote = make_nominatim(url, timeout=timeout) if url.strip() else None
    return CompositeGeocoder(GazetteerGeocoder(gazetteer), remote, timeout=timeout)
