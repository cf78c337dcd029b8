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


def test_extractor_finds_the_expected_ticket_fields_in_each_scenario() -> None:
    extractor = Extractor(
        keywords={
            "噪音": "环境保护/噪声污染/施工噪声",
            "路灯": "城市管理/市政设施/路灯",
            "漏水": "住房保障/物业管理/房屋漏水",
        },
        places=places(),
        now=lambda: dt.datetime(2024, 5, 20, 15, 0),
    )
    for scenario in list_scenarios(SCENARIOS):
        found: dict[str, set[str]] = {}
        for segment in scenario.segments:
            for p in extractor.extract(segment.text, segment.start, segment.end).proposals:
                found.setdefault(p.kind, set()).add(p.value)
        expected = scenario.expected
        for kind in ("phone", "address", "category"):
            if expected.get(kind):
                assert expected[kind] in found.get(kind, set()), (scenario.id, kind, found)
            else:
                assert kind not in found, (scenario.id, kind, found)
        if expected.get("name"):
            assert any(expected["name"] in v for v in found.get("name", set())), scenario.id


def test_replay_grows_partials_and_ends_each_utterance() -> None:
    scenario = load_scenario(SCENARIOS / "streetlight_broken.json")
    partials: list[Partial] = []
    finals: list[Segment] = []
    stats = replay(scenario, on_partial=partials.append, on_final=finals.append, pace=None)
    assert [f.text for f in finals] == [s.text.replace(" ", "") for s in scenario.segments]
    assert partials[0].text == "你好"
    assert partials[1].text == "你好我"
    assert stats.audio_s == scenario.segments[-1].end


def test_replay_stops_when_asked() -> None:
    scenario = load_scenario(SCENARIOS / "noise_night_construction.json")
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
