"""Composition root: builds the services and the window, and runs the event loop.

Everything that can fail for a reason the user can fix (an unwritable data dir, an
unreadable or newer database file) is checked before Qt starts, so the CLI reports it in one
line.  Heavy modules (SQLAlchemy's ORM, jieba, Vosk) are loaded by workers after the window is
painted.
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import logging
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from agent_app import log as applog
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths, data_paths, resources_dir
from agent_app.storage import cipher, schema
from agent_app.storage.seat import prepare as prepare_seat

logger = logging.getLogger("agent_app")

SCREENSHOT_SCENARIO = "night_construction_noise.json"
CJK_FONTS = [
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
]


def prepare_data_dir(args: argparse.Namespace, *, verify: bool = True) -> DataPaths:
    """Resolve, create and check the data dir and its database (no Qt yet).  With ``verify``
    False the caller runs :func:`schema.verify` itself before anything opens the database
    (a file that needs an upgrade is verified here all the same, before it is migrated)."""
    if args.demo and not args.data_dir:
        paths = DataPaths(Path(tempfile.mkdtemp(prefix="agent-app-demo-")))
    else:
        paths = data_paths(args.data_dir)
    if args.demo and paths.database.exists() and not paths.is_demo:
        from agent_app.errors import ConfigError

        raise ConfigError(
            f"{paths.root} holds a real seat's tickets: --demo would mix training tickets "
            "into them and stop the seat syncing; leave out --data-dir or name an empty directory"
        )
    paths.ensure()
    if args.demo:
        paths.demo_marker.write_text("demo and training data: never synced\n", encoding="utf-8")
    prepare_seat(paths)  # key (keyring, key file or demo key), encryption, 0600/0700
    state = schema.check(paths.database)
    if verify or state != "current":
        schema.verify(paths.database, paths.backups)  # a damaged file is refused, never opened
    if state != "current":
        schema.upgrade(paths.database, paths.backups)
    return paths


def check_settings_file(paths: DataPaths) -> Path | None:
    """Move an unreadable settings file aside before QSettings half-reads and rewrites it;
    say so in one line on stderr and in the log.  Returns where it went, or None."""
    from agent_app.settings_file import set_aside_if_unreadable

    moved = set_aside_if_unreadable(paths.settings_file)
    if moved is None:
        return None
    logger.warning("%s", moved.notice)
    sys.stderr.write(f"agent-app: warning: {moved.notice}\n")
    return moved.path


class _InBackground:
    """``fn(*args)`` in a thread; :meth:`wait` joins it and raises what it raised."""

    def __init__(self, fn: Callable[..., object], *args: object) -> None:
        self._error: BaseException | None = None

        def run() -> None:
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - raised again by wait()
                self._error = exc

        self._thread = threading.Thread(target=run, name="verify-database")
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def run_gui(args: argparse.Namespace) -> int:
    paths = prepare_data_dir(args, verify=False)
    # PRAGMA quick_check reads every page of the seat database, and SQLite runs it without the
    # GIL: it runs while Qt loads.  Nothing opens the database before it has found the file
    # sound (``verified.wait()`` below), so a damaged file is refused as before.
    verified = _InBackground(schema.verify, paths.database, paths.backups)
    applog.setup(paths.logs)
    demo = paths.is_demo
    logger.info("starting (demo=%s)", demo)
    cipher.self_test()  # logs the SQLCipher and SQLite versions
    settings_notice = check_settings_file(paths)

    # No automatic collection from here on: the collector made below collects on the GUI
    # thread once the event loop runs; during start-up it would only walk what the imports
    # create (about 30 collections, 5-9 ms before the first paint).
    gc.disable()
    from PySide6.QtCore import QTimer  # Qt only for the window
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from agent_app import i18n
    from agent_app.messages import MessageBridge
    from agent_app.services.sync.identity import desk_for
    from agent_app.settings import Settings
    from agent_app.ui.compose import compose
    from agent_app.ui.wiring import central_url
    from agent_app.workers.gc_thread import MainThreadCollector
    from agent_app.workers.tasks import Change, TaskRunner

    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if args.screenshot and headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _collector = MainThreadCollector(app)  # cycles are freed on this thread, never a worker's
    app.setApplicationName("agent-app")
    app.setApplicationDisplayName("12345 坐席工作台")
    font = QFont()
    font.setFamilies(CJK_FONTS)
    font.setPointSize(10)
    app.setFont(font)
    # The style sheet is applied once the window is built: with an application style sheet in
    # place, every widget added to a parent re-applies it to its whole subtree, which made
    # building the window about a fifth of the start-up.  Only the role dialog (shown before
    # the window) needs it earlier.
    style_sheet = (resources_dir() / "style.qss").read_text(encoding="utf-8")

    settings = Settings(paths.settings_file)
    if args.seat:
        settings.seat = args.seat
    language = args.lang or settings.language
    translators = i18n.install(app, language)  # noqa: F841 - kept alive for the app's life

    verified.wait()  # a damaged database is refused here, before anything reads it
    # The role comes from the person's central login (cached from the last sync); only demo
    # and training pick one freely (the dialog, or --role).
    desk = desk_for(
        paths.database,
        demo=demo,
        central_url=central_url(settings, getattr(args, "central", None)),
        operator_id=settings.operator_id,
        requested=Role(args.role) if args.role else None,
    )
    role = desk.role
    if role is None and not args.screenshot:
        app.setStyleSheet(style_sheet)
    if role is None:
        from agent_app.ui.role_dialog import RoleDialog  # only when the role is asked for

        role = Role.OPERATOR if args.screenshot else RoleDialog.ask(demo=demo)
        if role is None:
            return 0
    if demo and role is Role.OPERATOR and not args.role:
        role = Role.TRAINER

    bridge = MessageBridge()
    runner = TaskRunner()
    crash_file = _install_crash_handler(
        bridge,
        runner,
        paths.logs / "crash.log",
        no_windows=args.no_err_windows or bool(args.screenshot),
    )
    bench = compose(
        paths,
        settings,
        role=role,
        demo=demo,
        model=getattr(args, "model", None),
        central=getattr(args, "central", None),
        nominatim_url=_nominatim_url(settings.nominatim_url),
        operator_id=desk.operator_id,
        runner=runner,
        bridge=bridge,
    )
    window, panes, workstation = bench.window, bench.panes, bench.workstation
    if app.styleSheet() != style_sheet:
        app.setStyleSheet(style_sheet)

    if args.exit_when_painted:

        def painted(_rows: int) -> None:
            window.repaint()
            print(f"PAINTED {time.time():.6f} {time.process_time():.6f}", flush=True)  # noqa: T201 - benchmark protocol
            QTimer.singleShot(0, app.quit)

        window.tickets_loaded.connect(painted)

    if args.screenshot:
        target = Path(args.screenshot)
        window.resize(1366, 820)

        seeding = {"pending": demo, "staged": False}

        def save() -> None:
            QTimer.singleShot(300, lambda: _save_screenshot(window, target, app))

        def shoot(_rows: int) -> None:
            if seeding["pending"] or seeding["staged"]:
                return  # the demo seed is still being written, or the call is staged
            seeding["staged"] = True
            if demo:
                _stage_demo_call(panes, save)
            else:
                save()

        window.tickets_loaded.connect(shoot)
        QTimer.singleShot(60_000, lambda: app.exit(3))

    window.show()
    if settings_notice:
        QTimer.singleShot(
            0,
            lambda: bridge.warning.emit(
                "设置文件无法读取，已另存为 "
                f"{settings_notice.name}，现使用默认设置；请在设置中重新填写席位号和中心数据库连接。"
            ),
        )
    if demo:

        def seeded(_total: int) -> None:
            if args.screenshot:
                seeding["pending"] = False

        runner.run_mutation(workstation.seed_demo, seeded, change=Change.TICKETS)
    window.load_tickets()
    code = app.exec()
    bench.shutdown()
    settings.sync()
    if crash_file is not None:
        faulthandler.disable()
        crash_file.close()
    return int(code)


def _nominatim_url(setting: str) -> str:
    """The configured Nominatim, or "" when it is not an http(s) URL (the map says so)."""
    from agent_app.errors import ConfigError
    from agent_app.services.geo.remote import check_remote_url

    try:
        return check_remote_url(setting)
    except ConfigError:
        return ""


def _stage_demo_call(panes: object, done: Callable[[], None]) -> None:
    """Screenshot of the demo: a training call's transcript in the strip, its address
    accepted into the form, the knowledge base's suggestions shown; then ``done()``."""
    from PySide6.QtCore import QTimer

    from agent_app.services.speech.scenario import load_scenario
    from agent_app.ui.panes import Panes, build_extractor

    assert isinstance(panes, Panes)
    panes.build_map()  # the gazetteer comes with the map
    panes.build_strip()
    strip, kb_pane = panes.strip, panes.kb_pane
    if strip is None or kb_pane is None:
        done()
        return
    finished = {"done": False}

    def finish(*_args: object) -> None:
        if not finished["done"] and (kb_pane.model.rowCount() or not _args):
            finished["done"] = True
            done()

    kb_pane.worker.results_ready.connect(lambda *_a: QTimer.singleShot(0, lambda: finish(1)))
    QTimer.singleShot(20_000, finish)
    strip.set_extractor(build_extractor(panes.gazetteer))
    scenario = load_scenario(resources_dir() / "scenarios" / SCREENSHOT_SCENARIO)
    for segment in scenario.segments:
        strip.on_final(segment.as_dict())
    for chip in strip.chips():
        if chip.proposal.kind == "address":
            chip.accept_button.click()
            break
    words = scenario.segments[-1].text.split()
    strip.on_partial(" ".join(words[-6:]))


def _save_screenshot(window: object, target: Path, app: object) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(target), "PNG")
    QApplication.exit(0 if ok else 4)


def _install_crash_handler(
    bridge: object, runner: object, crash_log: Path, *, no_windows: bool
) -> IO[str] | None:
    """Unexpected exceptions, on the GUI thread or in a worker: logged with their traceback,
    shown non-modally, the app goes on.  A hard crash (segfault in a C library) leaves the
    Python stacks in ``crash_log``; returns that open file (close it at exit)."""
    from agent_app.messages import MessageBridge
    from agent_app.workers.tasks import TaskRunner

    def tell(kind: str) -> None:
        if not no_windows and isinstance(bridge, MessageBridge):
            bridge.error.emit(
                f"程序内部错误（{kind}），已记录到日志；请保存当前工单后继续，"
                "如反复出现请联系技术支持。"
            )

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logger.error(
            "unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb))
        )
        tell(exc_type.__name__)

    sys.excepthook = hook
    if isinstance(runner, TaskRunner):  # the runner logged the traceback already
        runner.bug.connect(lambda error: tell(type(error).__name__))
    try:
        handle = crash_log.open("a", encoding="utf-8")
    except OSError:
        return None
    faulthandler.enable(file=handle)
    return handle
