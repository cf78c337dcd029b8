"""The PyInstaller one-folder bundle builds and starts (renders the demo window, runs the CLI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.required import missing

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        missing("PyInstaller is not installed (pip install -e '.[dev]')")
    work = tmp_path_factory.mktemp("pyi")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(work / "build"),
            "--distpath",
            str(work / "dist"),
            str(REPO / "build_installer.spec"),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=600,
    )
    exe = work / "dist" / "agent-app" / ("agent-app.exe" if os.name == "nt" else "agent-app")
    assert exe.exists()
    return exe


def test_bundle_renders_the_demo_window(bundle: Path, tmp_path: Path) -> None:
    shot = tmp_path / "bundle.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [str(bundle), "--demo", "--data-dir", str(tmp_path / "demo"), "--screenshot", str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 20_000
    database = tmp_path / "demo" / "agent.sqlite3"
    assert database.stat().st_size > 0
    assert not database.read_bytes().startswith(b"SQLite format 3")  # SQLCipher, in the bundle


def test_bundle_has_qts_chinese_translations(bundle: Path) -> None:
    # agent_app/i18n.py loads it from QLibraryInfo's TranslationsPath (OK/Cancel, context menus)
    found = [p for p in bundle.parent.rglob("qtbase_zh_CN.qm") if p.parent.name == "translations"]
    assert found, "PyInstaller's QtCore hook no longer collects Qt's translations"


def test_bundle_cli_computes_a_deadline_over_the_national_day(bundle: Path) -> None:
    done = subprocess.run(
        [str(bundle), "deadline", "--from", "2026-09-30T10:00:00+08:00", "--working-days", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-10-13T10:00:00+08:00"
