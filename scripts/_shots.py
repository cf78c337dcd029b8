"""What the screenshot scripts (``scripts/*_screenshots.py``) share: the arguments and the
language, the operator's window on a throwaway seat (``benchmarks.bench_operator_actions.build``:
offscreen, the CJK font) grabbed at the seats' sizes, and the lead's or operator's window
composed against a throwaway centre (``tests.helpers.pg``), waited on and closed.

The scripts put the repository on ``sys.path`` before they import this.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from agent_app import i18n
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.settings import Settings
from agent_app.ui.compose import Workbench, compose
from agent_app.ui.main_window import MainWindow
from agent_app.ui.panes import Panes

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
SIZES = ((1366, 820), (1920, 1080))
"""The sizes operators' seats run at."""


# The operator's window on a throwaway seat ----------------------------------------------------


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """``--out`` (the PNGs' directory, docs/ by default) and ``--lang``; the docstring's first
    line describes the script."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", default=str(DOCS), help="directory for the PNGs")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def out_dir(args: argparse.Namespace) -> Path:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out


_translators: list[object] = []  # alive as long as the script runs


def application(lang: str) -> QApplication:
    """The application, translated to ``lang`` (``zh``: Chinese, the source language)."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    _translators.extend(i18n.install(app, "en" if lang == "en" else "zh_CN"))
    return app


@contextmanager
def operator_window(prefix: str) -> Iterator[tuple[MainWindow, Panes, Path]]:
    """The operator's window on a throwaway seat (in a temporary directory, also yielded),
    shut down and closed afterwards."""
    from benchmarks.bench_operator_actions import build  # noqa: PLC0415 - sys.path first

    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
        _app, window, panes, wiring = build(Path(tmp) / "seat")
        try:
            yield window, panes, Path(tmp)
        finally:
            wiring.shutdown()
            window.ctx.runner.wait_idle()
            window.close()
            window.ctx.workstation.close()
            QCoreApplication.processEvents()


def grab_sizes(window: QWidget, out: Path, name: str) -> bool:
    """The window grabbed at each of :data:`SIZES` into ``out / name`` (``{size}`` in it:
    ``1366x820``); False when a PNG cannot be written."""
    for width, height in SIZES:
        window.resize(width, height)
        QApplication.processEvents()
        QTest.qWait(400)
        target = out / name.format(size=f"{width}x{height}")
        if not window.grab().save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)  # noqa: T201
            return False
        print(target)  # noqa: T201
    return True


def save(widget: QWidget, target: Path) -> None:
    """The widget grabbed (once events and paints have settled) into ``target``."""
    QApplication.processEvents()
    QTest.qWait(400)
    if not widget.grab().save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")
    print(target)  # noqa: T201


def seat_key(directory: Path) -> None:
    """Seats' databases are encrypted: without ``AGENT_APP_DB_KEY_FILE`` (as kiosks and CI
    set it), a throwaway key file in ``directory``."""
    if not os.environ.get("AGENT_APP_DB_KEY_FILE"):
        key_file = directory / "seat.key"
        key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        key_file.chmod(0o600)
        os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)


# Windows at a throwaway centre -----------------------------------------------------------------


def wait(app: QApplication, cond: Callable[[], object], seconds: float = 60) -> None:
    """Events processed until ``cond()`` holds (at most ``seconds``)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not cond():
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication) -> None:
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)


def every_shot(app: QCoreApplication) -> Iterator[tuple[str, int, int]]:
    """Chinese at each of :data:`SIZES`, then English (the app switched to it first)."""
    for lang in ("zh", "en"):
        if lang != "zh":
            i18n.install(app, lang)
        for w, h in SIZES:
            yield lang, w, h


def centre_window(url: str, w: int, h: int, *, role: Role = Role.LEAD, seat: str = "") -> Workbench:
    """The window of a login at the centre ``url`` (a throwaway seat of its own, ``seat`` its
    id when given), composed as the app composes it, shown at ``w`` x ``h``."""
    paths = DataPaths(Path(tempfile.mkdtemp()) / "seat").ensure()
    settings = Settings(paths.settings_file)
    if seat:
        settings.seat = seat
    bench = compose(
        paths, settings, role=role, demo=False, central=url, defer=False, start_after_paint=False
    )
    bench.window.resize(w, h)
    bench.window.show()
    return bench


def close_window(app: QApplication, bench: Workbench) -> None:
    """The lead's desk (if any) and the window shut down and closed."""
    if bench.lead_desk is not None:
        bench.lead_desk.desk.shutdown()
    bench.shutdown()
    bench.window.close()
    bench.window.deleteLater()
    settle(app)
