"""``agent-app geocode`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_app.cli import main


def test_geocode_text_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "北京市朝阳区望京西园三区", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["district"] == "朝阳区"
    assert rec["township"] == "望京街道"
    assert rec["jurisdiction_unit"] == "望京街道办事处"


def test_geocode_text_human(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "八里庄"]) == 0
    out = capsys.readouterr().out
    assert "place: unknown" in out
    assert "candidate: 海淀区 八里庄街道" in out


def test_geocode_batch_one_line_per_input_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.txt"
    src.write_text("崇外\n\n天通苑\n宣武区牛街\n", encoding="utf-8")
    assert main(["geocode", "--batch", str(src), "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["input"] for r in lines] == ["崇外", "", "天通苑", "宣武区牛街"]
    assert set(lines[0]) == {"input", "district", "township", "lat", "lon", "confidence"}
    assert lines[0]["township"] == "崇文门外街道"
    assert lines[1]["district"] is None
    assert lines[1]["lat"] is None
    assert lines[2]["district"] == "昌平区"
    assert lines[2]["township"] is None
    assert lines[3]["district"] == "西城区"


def test_geocode_bad_file_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["geocode", "--batch", str(tmp_path / "missing.txt"), "--json"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "missing.txt" in err


def test_geocode_needs_text_or_batch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode"]) != 0
    assert "either an address" in capsys.readouterr().err


def test_geocode_with_a_self_hosted_nominatim(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.unit.test_geo_geocoder import TIANTONGYUAN, FakeNominatim, closed_port  # noqa: PLC0415

    server = FakeNominatim()
    try:
        assert main(["geocode", "天通苑东三区", "--json", "--nominatim", server.url]) == 0
    finally:
        server.close()
    rec = json.loads(capsys.readouterr().out)
    assert (rec["lat"], rec["lon"]) == TIANTONGYUAN
    assert rec["point_source"] == "nominatim"
    assert rec["district"] == "昌平区"
    url = f"http://127.0.0.1:{closed_port()}"
    assert main(["geocode", "天通苑东三区", "--json", "--nominatim", url, "--timeout", "1"]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert offline["district"] == "昌平区"
    assert offline["point_source"] != "nominatim"
    assert main(["geocode", "天通苑", "--nominatim", "nowhere"]) == 2
    assert "地理编码服务" in capsys.readouterr().err
