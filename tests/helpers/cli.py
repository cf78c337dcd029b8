"""The command line as the integration tests drive it: ``agent-app`` commands run in-process
(their exit code, stdout and stderr checked), a seat's data directory with its seat id, and
``sync --once --json`` against a centre."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent_app.cli import main


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str, ok: bool = True) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        if ok:
            assert code == 0, (argv, err)
        else:
            assert code != 0, (argv, out)
            assert len(err.strip().splitlines()) == 1, err
        return code, out, err

    def json_lines(self, *argv: str) -> list[dict[str, Any]]:
        _, out, _ = self(*argv)
        return [json.loads(line) for line in out.strip().splitlines() if line.strip()]

    def sync(
        self, seat_dir: Path, url: str, *more: str, ok: bool = True
    ) -> tuple[dict[str, Any], str]:
        """``sync --once --json`` of the seat against the centre at ``url``: the report (the
        output's last line) and stderr."""
        _code, out, err = self(*sync_argv(seat_dir, url, *more), ok=ok)
        return json.loads(out.strip().splitlines()[-1]), err

    def clean_sync(self, seat_dir: Path, url: str, *more: str) -> dict[str, Any]:
        """``sync --once --json``: one report, nothing rejected, in conflict or undelivered."""
        (report,) = self.json_lines(*sync_argv(seat_dir, url, *more))
        assert report["rejected"] == report["conflicts"] == report["undelivered"] == 0, report
        return report

    def show(self, seat_dir: Path, number: str) -> dict[str, Any]:
        """``ticket show --json`` at the seat: the one ticket."""
        (ticket,) = self.json_lines("ticket", "show", number, "--data-dir", str(seat_dir), "--json")
        return ticket


def sync_argv(seat_dir: Path, url: str, *more: str) -> tuple[str, ...]:
    return ("sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", url, *more)


def seat_root(root: Path, seat: str) -> Path:
    """A seat's data directory (``root``, made) whose settings give it the seat id ``seat``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "settings.ini").write_text(f"[options]\nseat={seat}\n", encoding="utf-8")
    return root
