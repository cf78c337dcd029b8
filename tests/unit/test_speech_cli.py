"""``agent-app transcribe`` failures: one line naming the path, non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.cli import main
from agent_app.services.speech.model import ENV_MODEL


def test_missing_model_names_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"")
    code = main(["transcribe", str(wav), "--model", str(tmp_path / "no-model")])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1
    assert str(tmp_path / "no-model") in err
    assert "Traceback" not in err


def test_no_model_at_all_says_how_to_configure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_MODEL, raising=False)
    code = main(["transcribe", str(tmp_path / "call.wav")])
    err = capsys.readouterr().err
    assert code != 0
    assert "--model" in err
    assert err.count("\n") == 1


def test_unreadable_file_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "model"
    for sub in ("am", "conf", "graph"):
        (model / sub).mkdir(parents=True)
    (model / "am" / "final.mdl").write_bytes(b"x")
    monkeypatch.setenv(ENV_MODEL, str(model))
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    for path in (notes, tmp_path / "missing.wav"):
        code = main(["transcribe", str(path)])
        err = capsys.readouterr().err
        assert code != 0
        assert str(path) in err
        assert err.count("\n") == 1
