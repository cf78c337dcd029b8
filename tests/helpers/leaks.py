"""What a GUI test may not leave behind: windows, threads, busy thread pools.

``snapshot()`` before the test and ``check(before)`` after it (tests/conftest.py does both
for every test marked ``gui``).  Objects that existed before the test (module-scoped
fixtures) are not the test's doing and are left alone.  ``check`` first delivers the deferred
deletes (``deleteLater``, pytest-qt's closing of ``qtbot.addWidget`` widgets), then reports:

* top-level widgets created by the test that still exist (visible or only hidden);
* Python threads started by the test that are still running;
* running ``QThread`` objects created by the test;
* thread pools (each ``QThreadPool``, including the global one) with work still running.

It then cleans up what it reported, so one leaking test does not fail the next one.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import getCppPointer, isValid

POOL_DRAIN_MS = 5000  # only after a leak was found: let the next test start clean


@dataclass
class Snapshot:
    widgets: set[int] = field(default_factory=set)
    threads: set[threading.Thread] = field(default_factory=set)
    qthreads: set[int] = field(default_factory=set)


def _ptr(obj: QObject) -> int:
    return int(getCppPointer(obj)[0])


def _python_threads() -> set[threading.Thread]:
    # _DummyThread: a thread Python did not start (Qt's pool workers running Python code);
    # it never leaves threading.enumerate() and the Qt checks cover it.
    return {
        t
        for t in threading.enumerate()
        if t is not threading.main_thread() and not isinstance(t, threading._DummyThread)  # noqa: SLF001 - no public name
    }


def _qt_objects() -> tuple[list[QThread], list[QThreadPool]]:
    threads: list[QThread] = []
    pools = {_ptr(QThreadPool.globalInstance()): QThreadPool.globalInstance()}
    for obj in gc.get_objects():
        if isinstance(obj, QThread) and isValid(obj):
            threads.append(obj)
        elif isinstance(obj, QThreadPool) and isValid(obj):
            pools.setdefault(_ptr(obj), obj)
    return threads, list(pools.values())


def _running_qthreads() -> list[QThread]:
    app = QCoreApplication.instance()
    main = app.thread() if app is not None else None
    return [t for t in _qt_objects()[0] if t is not main and t.isRunning()]


def _top_level_widgets() -> list[QWidget]:
    if QApplication.instance() is None:
        return []
    return [w for w in QApplication.topLevelWidgets() if isValid(w)]


def _deliver_deferred_deletes() -> None:
    if QCoreApplication.instance() is None:
        return
    for _ in range(5):  # a deletion may post more (children deleting later)
        before = len(QApplication.allWidgets())
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if len(QApplication.allWidgets()) == before:
            break


def snapshot() -> Snapshot:
    return Snapshot(
        widgets={_ptr(w) for w in _top_level_widgets()},
        threads=_python_threads(),
        qthreads={_ptr(t) for t in _running_qthreads()},
    )


def _describe(widget: QWidget) -> str:
    state = "visible" if widget.isVisible() else "hidden"
    name = widget.objectName() or widget.windowTitle()
    return f"{type(widget).__name__}{f' {name!r}' if name else ''} ({state}, not deleted)"


def _new_widgets(before: Snapshot) -> list[QWidget]:
    return [w for w in _top_level_widgets() if _ptr(w) not in before.widgets]


def check(before: Snapshot) -> list[str]:
    """What the test left behind (empty when nothing); cleans it up."""
    _deliver_deferred_deletes()
    widgets = _new_widgets(before)
    if widgets:  # wrappers in reference cycles hold their widgets until a collection
        gc.collect()
        _deliver_deferred_deletes()
        widgets = _new_widgets(before)
    problems = [f"window {_describe(w)}" for w in widgets]

    problems += [
        f"thread {t.name!r} still running"
        for t in sorted(_python_threads() - before.threads, key=lambda t: t.name)
        if t.is_alive()
    ]
    qthreads, pools = _qt_objects()
    app = QCoreApplication.instance()
    main = app.thread() if app is not None else None
    running = [
        t for t in qthreads if t is not main and t.isRunning() and _ptr(t) not in before.qthreads
    ]
    problems += [f"QThread {type(t).__name__} {t.objectName()!r} still running" for t in running]
    busy = [p for p in pools if p.activeThreadCount() > 0]
    for pool in busy:
        owner = pool.parent()
        where = "global" if pool is QThreadPool.globalInstance() else type(owner).__name__
        problems.append(f"thread pool ({where}) still running {pool.activeThreadCount()} task(s)")

    for widget in widgets:  # clean up for the next test
        widget.close()
        widget.deleteLater()
    for pool in busy:
        pool.waitForDone(POOL_DRAIN_MS)
    for thread in running:
        thread.quit()
        thread.wait(POOL_DRAIN_MS)
    _deliver_deferred_deletes()
    return problems
