"""geopy front-ends, the Nominatim fallback (a fake Nominatim on 127.0.0.1) and nearby tickets."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location

from agent_app.errors import ConfigError
from agent_app.services.geo import geocoder as geo
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.geocoder import CompositeGeocoder, GazetteerGeocoder, make_nominatim
from agent_app.services.geo.nearby import nearby
from agent_app.services.intake import IntakeService


@pytest.fixture(scope="module")
def local() -> GazetteerGeocoder:
    return GazetteerGeocoder(Gazetteer.default())


class FakeRemote:
    def __init__(self, result: Location | None = None, exc: Exception | None = None) -> None:
        self.result, self.exc, self.calls = result, exc, 0

    def geocode(self, query: str, exactly_one: bool = True, timeout: Any = None) -> Location | None:
        self.calls += 1
        if self.exc:
            raise self.exc
        return self.result


def test_geopy_interface_returns_location_with_raw_fields(local: GazetteerGeocoder) -> None:
    loc = local.geocode("朝阳区望京西园")
    assert isinstance(loc, Location)
    assert loc.raw["township"] == "望京街道"
    assert loc.raw["township_code"] == "110105026"
    assert loc.raw["district_code"] == "110105"
    assert loc.raw["matched_spans"]
    assert 39.9 < loc.latitude < 40.1
    assert local.geocode("八里庄") is None
    assert local.geocode("八里庄", exactly_one=False) == []
    hinted = local.geocode("八里庄", district_hint="海淀区")
    assert isinstance(hinted, Location)
    assert hinted.raw["district"] == "海淀区"


def test_ambiguous_candidates_are_in_raw(local: GazetteerGeocoder) -> None:
    loc = local.geocode("天通苑")
    assert isinstance(loc, Location)
    assert loc.raw["township"] is None
    assert {c["township"] for c in loc.raw["ambiguous"]} == {"天通苑北街道", "天通苑南街道"}


@pytest.mark.parametrize("exc", [GeocoderTimedOut("slow"), GeocoderServiceError("500")])
def test_remote_failure_falls_back_to_gazetteer(local: GazetteerGeocoder, exc: Exception) -> None:
    remote = FakeRemote(exc=exc)
    loc = CompositeGeocoder(local, remote).geocode("天通苑东三区")
    assert remote.calls == 1
    assert loc is not None
    assert loc.raw["district"] == "昌平区"
    assert "remote_lat" not in loc.raw


def test_remote_refines_point_but_not_the_township(local: GazetteerGeocoder) -> None:
    remote = FakeRemote(Location("天通苑", (40.07, 116.41), {}))
    loc = CompositeGeocoder(local, remote).geocode("天通苑东三区")
    assert loc is not None
    assert (loc.latitude, loc.longitude) == (40.07, 116.41)
    assert loc.raw["township"] is None
    assert loc.raw["remote_lat"] == 40.07


def test_remote_not_asked_when_gazetteer_is_sure(local: GazetteerGeocoder) -> None:
    remote = FakeRemote(Location("x", (0.0, 0.0), {}))
    loc = CompositeGeocoder(local, remote).geocode("朝阳区望京街道")
    assert remote.calls == 0
    assert loc is not None
    assert loc.raw["township"] == "望京街道"


def test_make_nominatim_validates_url() -> None:
    with pytest.raises(ConfigError, match="Nominatim URL.*不是 http"):
        make_nominatim("not a url")
    nom = make_nominatim("http://127.0.0.1:8080/nominatim/", timeout=1.5)
    assert nom.domain == "127.0.0.1:8080/nominatim"
    assert nom.scheme == "http"


def test_nearby_filters_radius_and_category() -> None:
    tickets: list[dict[str, Any]] = [
        {"id": 1, "lat": 39.9950, "lon": 116.4700, "category": "噪音"},
        {"id": 2, "lat": 39.9990, "lon": 116.4740, "category": "噪音"},  # ~550 m
        {"id": 3, "lat": 39.9955, "lon": 116.4705, "category": "供暖"},
        {"id": 4, "lat": 40.0500, "lon": 116.4700, "category": "噪音"},  # ~6 km
        {"id": 5, "lat": None, "lon": None, "category": "噪音"},
    ]
    found = nearby(tickets, 39.9950, 116.4700, 1000, "噪音")
    assert [t["id"] for t in found] == [1, 2]
    assert 400 < found[1]["distance_m"] < 700
    assert {t["id"] for t in nearby(tickets, 39.995, 116.47, 1000)} == {1, 2, 3}


# --- intake through a self-hosted Nominatim ---------------------------------------------

TIANTONGYUAN = (40.0712, 116.4182)  # in 昌平区
TIANANMEN = (39.9087, 116.3975)  # in 东城区


class FakeNominatim:
    """Answers ``/search?q=…&format=json`` like Nominatim, with one fixed point (or errors)."""

    def __init__(self, point: tuple[float, float] = TIANTONGYUAN) -> None:
        self.point = point
        self.delay_s = 0.0
        self.status = 200
        self.queries: list[dict[str, list[str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server API
                parts = urlsplit(self.path)
                server.queries.append(parse_qs(parts.query))
                if server.delay_s:
                    time.sleep(server.delay_s)
                if parts.path != "/search" or server.status != 200:
                    self.send_error(server.status if server.status != 200 else 404)
                    return
                lat, lon = server.point
                body = json.dumps(
                    [
                        {
                            "place_id": 1,
                            "lat": str(lat),
                            "lon": str(lon),
                            "display_name": "测试地点, 北京市",
                        }
                    ]
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    server = FakeNominatim()
    yield server
    server.close()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def resolve_place(composite: geo.CompositeGeocoder, address: str) -> dict[str, Any]:
    """``IntakeService.resolve_place`` as the form's worker calls it (without the catalogue)."""
    stub: Any = SimpleNamespace(geocoder=lambda: composite)
    return IntakeService.resolve_place(stub, address)


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def test_intake_is_offline_unless_a_nominatim_is_configured(gaz: Gazetteer) -> None:
    composite = geo.intake_geocoder(gaz)
    assert composite.remote is None
    place = resolve_place(composite, "天通苑东三区")
    offline = gaz.resolve("天通苑东三区")
    assert (place["district"], place["lat"], place["lon"]) == ("昌平区", offline.lat, offline.lon)


def test_intake_asks_the_configured_nominatim_for_the_point(
    gaz: Gazetteer, nominatim: FakeNominatim
) -> None:
    composite = geo.intake_geocoder(gaz, nominatim.url)
    place = resolve_place(composite, "天通苑东三区")
    assert (place["lat"], place["lon"]) == TIANTONGYUAN
    assert place["district"] == "昌平区"  # district and township still from the gazetteer
    assert place["township"] is None
    assert len(nominatim.queries) == 1
    query = nominatim.queries[0]
    assert query["q"] == ["北京市天通苑东三区"]
    assert query["format"] == ["json"]
    # the same address again comes from the cache; a sure township never asks
    resolve_place(composite, "天通苑东三区")
    sure = resolve_place(composite, "朝阳区望京街道")
    assert sure["township"] == "望京街道"
    assert len(nominatim.queries) == 1


def test_a_remote_point_in_another_district_is_ignored(
    gaz: Gazetteer, nominatim: FakeNominatim
) -> None:
    nominatim.point = TIANANMEN  # the server matched something else, in 东城区
    place = resolve_place(geo.intake_geocoder(gaz, nominatim.url), "天通苑东三区")
    offline = gaz.resolve("天通苑东三区")
    assert len(nominatim.queries) == 1
    assert (place["district"], place["lat"], place["lon"]) == ("昌平区", offline.lat, offline.lon)


def test_closed_port_keeps_the_offline_answer_and_rests(gaz: Gazetteer) -> None:
    composite = geo.intake_geocoder(gaz, f"http://127.0.0.1:{closed_port()}")
    began = time.monotonic()
    place = resolve_place(composite, "天通苑东三区")
    assert time.monotonic() - began < geo.DEFAULT_REMOTE_TIMEOUT_S
    offline = gaz.resolve("天通苑东三区")
    assert (place["district"], place["lat"], place["lon"]) == ("昌平区", offline.lat, offline.lon)
    assert composite.remote_failures == 1
    assert composite.remote_resting
    resolve_place(composite, "八里庄北里")  # not asked again while resting
    assert composite.remote_calls == 1


@pytest.mark.parametrize("problem", ["slow", "http 500"])
def test_slow_or_failing_nominatim_keeps_the_offline_answer(
    gaz: Gazetteer, nominatim: FakeNominatim, problem: str
) -> None:
    if problem == "slow":
        nominatim.delay_s = 2.0
    else:
        nominatim.status = 500
    composite = geo.intake_geocoder(gaz, nominatim.url, timeout=0.5)
    began = time.monotonic()
    place = resolve_place(composite, "天通苑东三区")
    assert time.monotonic() - began < 1.8
    assert nominatim.queries  # it was asked
    offline = gaz.resolve("天通苑东三区")
    assert (place["lat"], place["lon"]) == (offline.lat, offline.lon)
    assert composite.remote_failures == 1


def test_bad_nominatim_url_is_refused_in_chinese_and_keeps_the_setup(
    gaz: Gazetteer, nominatim: FakeNominatim
) -> None:
    with pytest.raises(ConfigError, match="地理编码服务地址"):
        geo.intake_geocoder(gaz, "127.0.0.1:8080")
    assert geo.intake_geocoder(gaz, nominatim.url).remote is not None
