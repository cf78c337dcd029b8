"""Training scenarios: loading, replay, and the extractor finding what the ticket needs."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pytest

from agent_app.errors import ConfigError
from agent_app.services.speech.extract import Extractor
from agent_app.services.speech.recognizer import Partial, Segment
from agent_app.services.speech.scenario import list_scenarios, load_scenario, replay

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "resources" / "scenarios"


def places() -> list[str]:
    with open(ROOT / "knowledge_base" / "divisions.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["district_name"] for r in rows] + [r["township_name"] for r in rows]


def test_every_shipped_scenario_loads_with_ordered_segments() -> None:
    scenarios = list_scenarios(SCENARIOS)
    assert len(scenarios) >= 3
    for scenario in scenarios:
        assert scenario.title
        starts = [s.start for s in scenario.segments]
        assert starts == sorted(starts)
        assert all(s.end > s.start for s in scenario.segments)
        assert scenario.audio is None or scenario.audio.stat().st_size < 500_000


def test_extractor_finds_the_callers_address_in_each_scenario() -> None:
    """The caller's words give the extractor an address in the expected district (a caller
    who names the wrong district is the point of the ``wrong_address`` scenarios)."""
    import json  # noqa: PLC0415

    extractor = Extractor(keywords={}, places=places(), now=lambda: dt.datetime(2024, 5, 20, 15, 0))
    checked = 0
    for scenario in list_scenarios(SCENARIOS):
        data = json.loads((SCENARIOS / f"{scenario.id}.json").read_text(encoding="utf-8"))
        district = data["expected"].get("district")
        if not district or "wrong_address" in data.get("tags", ()):
            continue
        found: set[str] = set()
        for segment in scenario.segments:
            for p in extractor.extract(segment.text, segment.start, segment.end).proposals:
                if p.kind == "address":
                    found.add(p.value)
        assert any(v.startswith(district) for v in found), (scenario.id, found)
        checked += 1
    assert checked >= 20


def test_replay_grows_partials_and_ends_each_utterance() -> None:
    scenario = load_scenario(SCENARIOS / "streetlight_out.json")
    partials: list[Partial] = []
    finals: list[Segment] = []
    stats = replay(scenario, on_partial=partials.append, on_final=finals.append, pace=None)
    assert [f.text for f in finals] == [s.text.replace(" ", "") for s in scenario.segments]
    assert partials[0].text == "你好"
    assert partials[1].text == "你好我"
    assert stats.audio_s == scenario.segments[-1].end


def test_replay_stops_when_asked() -> None:
    scenario = load_scenario(SCENARIOS / "night_construction_noise.json")
    stop = threading.Event()
    finals: list[Segment] = []

    def on_final(segment: Segment) -> None:
        finals.append(segment)
        stop.set()

    stats = replay(scenario, on_final=on_final, stop=stop, pace=100.0)
    assert stats.stopped
    assert len(finals) == 1


def test_bad_scenario_files_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"segments": [{"text": "缺少时间"}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid scenario") as err:
        load_scenario(broken)
    assert str(broken) in str(err.value)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_scenario(tmp_path / "missing.json")
