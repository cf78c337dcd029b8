"""Typed settings over the seat's settings.ini: defaults, types, what a deployer wrote."""

from __future__ import annotations

from pathlib import Path

from agent_app.settings import Settings


def test_defaults_types_and_round_trip(tmp_path: Path):
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    assert settings.autosave_ms == 3000
    assert isinstance(settings.autosave_ms, int)
    assert not settings.is_set("seat")
    settings.seat = "S17"
    settings.autosave_ms = 1500
    settings.sync()
    again = Settings(path)
    assert again.seat == "S17"
    assert again.autosave_ms == 1500
    assert again.is_set("seat")


def test_a_hand_edited_file_is_read_and_a_bad_number_falls_back(tmp_path: Path):
    path = tmp_path / "settings.ini"
    path.write_text(
        "[options]\nseat=S042\nautosave_ms=soon\ncentral_url=postgresql://op7@central/hotline\n",
        encoding="utf-8",
    )
    settings = Settings(path)
    assert settings.seat == "S042"
    assert settings.autosave_ms == 3000  # unreadable: the default, not a crash
    assert settings.central_url == "postgresql://op7@central/hotline"
    assert settings.is_set("central_url")
