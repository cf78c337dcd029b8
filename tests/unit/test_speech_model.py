"""Model directory resolution and loading errors (no real model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.errors import ConfigError
from agent_app.services.speech.model import (
    ENV_MODEL,
    check_model_dir,
    load_model,
    resolve_model_path,
    rss_bytes,
    supports_phrase_lists,
)


def make_model_dir(root: Path, *, lookahead: bool = True) -> Path:
    (root / "am").mkdir(parents=True)
    (root / "am" / "final.mdl").write_bytes(b"x")
    (root / "conf").mkdir()
    (root / "graph").mkdir()
    if lookahead:
        (root / "graph" / "HCLr.fst").write_bytes(b"x")
        (root / "graph" / "Gr.fst").write_bytes(b"x")
    else:
        (root / "graph" / "HCLG.fst").write_bytes(b"x")
    return root


def test_explicit_path_wins_over_environment_and_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_MODEL, str(tmp_path / "env"))
    assert resolve_model_path(tmp_path / "flag", setting=tmp_path / "set") == tmp_path / "flag"
    assert resolve_model_path(None, setting=tmp_path / "set") == tmp_path / "env"
    monkeypatch.delenv(ENV_MODEL)
    assert resolve_model_path(None, setting=str(tmp_path / "set")) == tmp_path / "set"


def test_no_model_configured_says_how_to_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MODEL, raising=False)
    with pytest.raises(ConfigError, match=ENV_MODEL):
        resolve_model_path(None, setting="")


def test_missing_directory_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "vosk-model-small-cn-0.22"
    with pytest.raises(ConfigError, match="does not exist") as err:
        check_model_dir(missing)
    assert str(missing) in str(err.value)


def test_a_file_or_a_non_model_directory_is_refused(tmp_path: Path) -> None:
    afile = tmp_path / "model.zip"
    afile.write_bytes(b"PK")
    with pytest.raises(ConfigError, match="not a directory"):
        check_model_dir(afile)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="is not a Vosk model") as err:
        check_model_dir(tmp_path / "empty")
    assert str(tmp_path / "empty") in str(err.value)


def test_model_layout_is_accepted_and_grammar_support_detected(tmp_path: Path) -> None:
    small = make_model_dir(tmp_path / "small")
    big = make_model_dir(tmp_path / "big", lookahead=False)
    assert check_model_dir(small) == small.resolve()
    assert supports_phrase_lists(small)
    assert not supports_phrase_lists(big)


def test_a_damaged_model_gives_a_clear_error_with_progress(tmp_path: Path) -> None:
    fake = make_model_dir(tmp_path / "damaged")
    seen: list[int] = []
    with pytest.raises(ConfigError, match="could not be loaded") as err:
        load_model(fake, seen.append)
    assert str(fake.resolve()) in str(err.value)
    assert seen[0] == 0
    assert seen == sorted(seen)
    assert 100 not in seen  # never claims to be ready


def test_resident_memory_is_readable() -> None:
    assert rss_bytes() > 1_000_000
