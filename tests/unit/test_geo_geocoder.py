"""geopy front-ends, the Nominatim fallback and nearby tickets."""

from __future__ import annotations

from typing import Any

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location

from agent_app.errors import ConfigError
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.geo.geocoder import CompositeGeocoder, GazetteerGeocoder, make_nominatim
from agent_app.services.geo.nearby import nearby


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
    with pytest.raises(ConfigError, match="Nominatim URL"):
        make_nominatim("not a url")
    nom = make_nominatim("http://127.0.0.1:8080/nominatim/", timeout=1.5)
    assert nom.domain == "127.0.0.1:8080/nominatim"
    assert nom.scheme == "http"


def test_nearby_filters_radius_and_category() -> None:
    tickets = [
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
