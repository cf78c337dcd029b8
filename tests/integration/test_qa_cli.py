"""``agent-app qa sample|scores``: a shift's sample from a seat's copy and from the centre,
the scores per operator at the centre, one-line errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_app.cli import main
from agent_app.paths import DataPaths, knowledge_base_dir
from agent_app.services.central_seed import seed_centre
from agent_app.services.qa_desk import shift_seed
from agent_app.storage.seat import open_database
from tests.helpers.pg import CentralDb, require_server
from tests.integration.test_qa_desk import UNTIL
from tests.unit.test_qa_desk import END, START, _shift
from tests.unit.test_qa_shifts import NIGHT_ROSTER


@pytest.fixture(autouse=True)
def _no_central_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENT_APP_CENTRAL_URL", raising=False)


@pytest.fixture
def seat(tmp_path: Path) -> Path:
    root = tmp_path / "seat"
    db = open_database(DataPaths(root))
    try:
        _shift(db)
    finally:
        db.dispose()
    return root


def test_sample_from_a_seat_prints_the_rows_with_their_reasons(
    seat: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["qa", "sample", "--data-dir", str(seat), "--operator", "op1", "--seed", "3"]
    times = ["--shift-start", START.isoformat(), "--shift-end", END.isoformat()]
    assert main([*args, *times, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["partial"] is True
    assert out["tickets"] == 9
    reasons = {r["number"]: r["reasons"] for r in out["rows"]}
    assert reasons["20261130-S01-0001"] == ["short_description"]
    assert sum(1 for r in reasons.values() if r == ["random"]) == 2
    # Without --seed: the shift's own seed, the draw the desk's 质检 tab shows.
    assert main([*args[:-2], *times, "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    seed = str(shift_seed(START))
    assert main([*args[:-2], "--seed", seed, *times, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == default["rows"]
    assert main([*args, *times]) == 0  # text: one line per row, then the counts
    text = capsys.readouterr().out.splitlines()
    assert text[-1] == "6 sampled of 9 tickets of 1 operator(s) (this seat's tickets only)"
    assert any("20261130-S01-0001" in line and "short_description" in line for line in text)


def test_a_shift_by_its_key_is_the_same_sample_as_by_its_times(
    seat: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["qa", "sample", "--data-dir", str(seat), "--operator", "op1", "--json"]
    times = ["--shift-start", START.isoformat(), "--shift-end", END.isoformat()]
    assert main([*base, *times]) == 0
    by_times = json.loads(capsys.readouterr().out)
    assert main([*base, "--shift", "day", "--day", "2026-11-30"]) == 0
    assert json.loads(capsys.readouterr().out) == by_times  # the same keys, times and seed
    # A centre whose night shift runs from 22:00 to 06:00: the night of the 29th ends on the
    # morning of the 30th; op1's ticket at 06:00 is the early shift's, not the night's.
    kb = tmp_path / "kb"
    (kb / "qa").mkdir(parents=True)
    shutil.copy(knowledge_base_dir() / "qa" / "scorecard.toml", kb / "qa")
    (kb / "qa" / "shifts.toml").write_text(NIGHT_ROSTER, encoding="utf-8")
    monkeypatch.setenv("AGENT_APP_KB_DIR", str(kb))
    assert main([*base, "--shift", "night", "--day", "2026-11-29"]) == 0
    night = json.loads(capsys.readouterr().out)
    assert (night["start"], night["end"]) == (
        "2026-11-29T22:00:00+08:00",
        "2026-11-30T06:00:00+08:00",
    )
    assert (night["tickets"], night["rows"]) == (0, [])
    assert main([*base, "--shift", "early", "--day", "2026-11-30"]) == 0
    early = json.loads(capsys.readouterr().out)
    assert early["tickets"] == 10
    assert early["start"] == "2026-11-30T06:00:00+08:00"
    assert any(r["number"] == "20261130-S01-0030" for r in early["rows"])


def test_errors_are_one_line_and_non_zero(
    seat: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["qa", "sample", "--data-dir", str(seat)]
    assert main([*base, "--shift-start", "yesterday", "--shift-end", END.isoformat()]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--shift-start 'yesterday' is not a time" in err
    assert main([*base, "--shift-start", END.isoformat(), "--shift-end", START.isoformat()]) != 0
    assert "ends before it starts" in capsys.readouterr().err
    for wrong, says in (
        (["--shift", "brunch"], "unknown shift 'brunch'; use one of day, evening, night, all"),
        (["--shift", "day", "--shift-start", START.isoformat()], "not both"),
        (["--shift-start", START.isoformat()], "give --shift-start and --shift-end, or --shift"),
        (["--shift", "day", "--day", "30 Nov"], "--day '30 Nov' is not a date"),
    ):
        assert main([*base, *wrong]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert says in err
    empty = ["qa", "sample", "--data-dir", str(tmp_path / "none")]
    assert main([*empty, "--shift-start", "2026-11-30", "--shift-end", "2026-12-01"]) != 0
    assert "no seat database" in capsys.readouterr().err
    assert main(["qa", "scores", "--data-dir", str(seat)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "kept at the centre" in err
    url = "postgresql://nobody@127.0.0.1:1/none"
    assert main(["qa", "scores", "--url", url]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot reach" in err


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=300, months=1, seed=3, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("qc_lead", "lead")
        yield {"db": db, "url": db.url(lead)}
    finally:
        db.drop()


@pytest.mark.postgres
def test_sample_and_scores_at_the_centre(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    start, end = (UNTIL - timedelta(days=10)).isoformat(), UNTIL.isoformat()
    url = centre["url"]
    times = ["--shift-start", start, "--shift-end", end]
    assert main(["qa", "sample", "--url", url, *times, "--seed", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["partial"] is False
    assert len(out["operators"]) >= 2
    assert out["sampled"] == len(out["rows"]) >= 2 * len(out["operators"])
    assert all(r["reasons"] and r["checked"] in (True, False) for r in out["rows"])
    first = (UNTIL - timedelta(days=40)).date().isoformat()
    to = UNTIL.date().isoformat()
    assert main(["qa", "scores", "--url", url, "--from", first, "--to", to, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["by"] == "week"
    assert scores["operators"]
    row = scores["operators"][0]
    assert set(row) == {"operator", "checks", "mean", "failed", "returned"}
    assert 0 <= row["mean"] <= 100
    assert set(scores["series"]) == {r["operator"] for r in scores["operators"]}
    assert main(["qa", "scores", "--url", url, "--from", to, "--to", first]) != 0
    assert "before" in capsys.readouterr().err
