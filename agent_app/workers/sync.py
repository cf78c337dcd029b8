"""The sync worker: runs :class:`SyncEngine` cycles on its own QThread, never on the GUI thread.

:class:`SyncController` lives on the GUI thread and owns the thread; it re-emits the worker's
state as ``state_changed(dict)`` with the keys ``online`` (bool or None before the first
cycle), ``syncing``, ``queue``, ``last_sync`` (ISO text or None), ``last_error``, ``pushed``,
``pulled``, ``conflicts``, ``undelivered`` (tickets whose change did not reach the centre)
and ``undelivered_items`` (``number``/``reason`` of each, for a tooltip).  ``sync_now()`` asks for a cycle at once (e.g. after a save);
``stop()`` stops cooperatively (the engine checks between batches) and joins the thread; a
cycle still running after a short grace (a statement blocked at the centre) is cancelled
(``engine.cancel()``).  A thread that outlives ``stop()`` is never destroyed while it runs: it
is kept until it ends (``join()``, or at the latest when the process exits).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from agent_app.services.sync.backoff import Backoff

if TYPE_CHECKING:
    from agent_app.services.sync.engine import SyncEngine

log = logging.getLogger("agent_app.sync")

CANCEL_GRACE_MS = 1500  # stop() waits this long for the cycle before cancelling its statement
CANCEL_AGAIN_MS = 1000  # ... and cancels again this often (a cancel between statements is moot)

# Threads (with their workers) that outlived stop(): kept, never destroyed while running.
_LINGERING: list[tuple[QThread, QObject]] = []


def _linger(thread: QThread, worker: QObject) -> None:
    if not any(t is thread for t, _w in _LINGERING):
        _LINGERING.append((thread, worker))


def _release(thread: QThread) -> None:
    _LINGERING[:] = [(t, w) for t, w in _LINGERING if t is not thread]


def lingering() -> int:
    """How many sync threads outlived their ``stop()`` and still run (kept, see below)."""
    return sum(t.isRunning() for t, _w in _LINGERING)


@atexit.register
def wait_lingering() -> None:
    """Block until every sync thread that outlived its ``stop()`` has ended (at exit a
    QThread destroyed while running aborts the process)."""
    for thread, _worker in list(_LINGERING):
        if thread.isRunning():
            log.warning("sync: waiting for the sync thread to end before exiting")
            thread.wait()
        _release(thread)


class _Report(Protocol):
    @property
    def online(self) -> bool: ...
    @property
    def ok(self) -> bool: ...
    @property
    def pushed(self) -> int: ...
    @property
    def pulled(self) -> int: ...
    @property
    def conflicts(self) -> int: ...
    @property
    def queue(self) -> int: ...
    @property
    def last_sync(self) -> str | None: ...
    @property
    def error(self) -> str: ...


class EngineLike(Protocol):
    def sync_once(self, stop: threading.Event | None = None) -> _Report: ...

    def status(self) -> dict[str, Any]: ...


class SyncWorker(QObject):
    """Lives on the sync thread; a single-shot timer schedules the next cycle."""

    state_changed = Signal(dict)

    def __init__(self, engine: EngineLike, interval_ms: int, backoff: Backoff) -> None:
        super().__init__()
        self._engine = engine
        self._interval_ms = interval_ms
        self._backoff = backoff
        self._stop = threading.Event()
        self._timer: QTimer | None = None
        self._state: dict[str, Any] = {
            "online": None,
            "syncing": False,
            "queue": 0,
            "last_sync": None,
            "last_error": "",
            "pushed": 0,
            "pulled": 0,
            "conflicts": 0,
            "undelivered": 0,
            "undelivered_items": [],
        }

    @Slot()
    def begin(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_cycle)
        try:
            status = self._engine.status()
            self._state.update(
                queue=status.get("queue", 0),
                last_sync=status.get("last_sync"),
                last_error=status.get("last_error", ""),
            )
            self._undelivered(status)
        except Exception:  # the status is cosmetic; the cycle reports real errors
            log.exception("sync status unavailable")
        self.state_changed.emit(dict(self._state))
        self._timer.start(0)

    @Slot()
    def run_cycle(self) -> None:
        if self._stop.is_set():
            return
        self._state["syncing"] = True
        self.state_changed.emit(dict(self._state))
        try:
            report = self._engine.sync_once(self._stop)
        except Exception as exc:  # noqa: BLE001 - a config error must not kill the thread
            log.warning("sync cycle failed: %s", type(exc).__name__)
            self._state.update(syncing=False, online=False, last_error=str(exc)[:250])
            ok = False
        else:
            ok = report.ok
            self._state.update(
                syncing=False,
                online=report.online,
                queue=report.queue,
                last_sync=report.last_sync or self._state["last_sync"],
                last_error=report.error,
                pushed=report.pushed,
                pulled=report.pulled,
                conflicts=report.conflicts,
            )
            if getattr(report, "undelivered", 0) or self._state["undelivered"]:
                try:
                    self._undelivered(self._engine.status())
                except Exception:  # cosmetic, as above
                    log.exception("sync status unavailable")
        self.state_changed.emit(dict(self._state))
        if self._stop.is_set() or self._timer is None:
            return
        if ok:
            self._backoff.reset()
            self._timer.start(self._interval_ms)
        else:
            self._timer.start(int(self._backoff.next() * 1000))

    def _undelivered(self, status: dict[str, Any]) -> None:
        items = list(status.get("undelivered_items") or [])
        self._state.update(
            undelivered=int(status.get("undelivered", len(items)) or 0),
            undelivered_items=[
                {"number": str(i.get("number", "")), "reason": str(i.get("reason", ""))}
                for i in items[:20]
            ],
        )

    @Slot()
    def sync_now(self) -> None:
        if self._timer is not None and not self._stop.is_set():
            self._timer.start(0)

    @Slot()
    def halt(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def request_stop(self) -> None:
        """Thread-safe: the running cycle ends after its current batch."""
        self._stop.set()


class SyncController(QObject):
    """Owns the sync thread; use from the GUI thread."""

    state_changed = Signal(dict)
    _wake = Signal()
    _halt = Signal()

    def __init__(
        self,
        engine: EngineLike,
        *,
        interval_ms: int = 5000,
        backoff: Backoff | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._thread = QThread()
        self._thread.setObjectName("sync")
        self._worker = SyncWorker(engine, interval_ms, backoff or Backoff())
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.begin)
        self._worker.state_changed.connect(self._relay)
        self._wake.connect(self._worker.sync_now)
        self._halt.connect(self._worker.halt)
        self.state: dict[str, Any] = {}

    @Slot(dict)
    def _relay(self, state: dict[str, Any]) -> None:
        self.state = state
        self.state_changed.emit(state)

    def start(self) -> None:
        self._thread.start()

    @Slot()
    def sync_now(self) -> None:
        """Run a cycle as soon as the worker is free (after a save, or a button)."""
        self._wake.emit()

    def stop(self, wait_ms: int = 30_000, *, grace_ms: int = CANCEL_GRACE_MS) -> bool:
        """Stop and join the thread; True when it ended within ``wait_ms``.

        The running cycle gets ``grace_ms`` to end at its next check; then its statement is
        cancelled (``engine.cancel()``: the cycle ends as an offline one, nothing is half
        applied) and cancelled again every second until ``wait_ms`` is spent.  When False the
        thread still runs: it is kept alive until it ends (call :meth:`join` before closing
        what the engine uses), so it is never destroyed while running."""
        self._worker.request_stop()
        if not self._thread.isRunning():
            return True
        self._halt.emit()
        self._thread.quit()
        deadline = time.monotonic() + max(0, wait_ms) / 1000
        if self._thread.wait(max(0, min(grace_ms, wait_ms))):
            return True
        log.info("sync: the cycle did not end within %d ms of stop; cancelling it", grace_ms)
        while True:
            self._cancel()
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0:
                break
            if self._thread.wait(min(CANCEL_AGAIN_MS, left)):
                return True
        if self._thread.isFinished():
            return True
        _linger(self._thread, self._worker)
        return False

    def is_running(self) -> bool:
        """True while the sync thread runs (after a late :meth:`stop`, until :meth:`join`)."""
        return bool(self._thread.isRunning())

    def join(self) -> None:
        """Block until the thread has ended (after :meth:`stop` returned False), cancelling
        the cycle again now and then; a log line every ten seconds."""
        if self._thread.isRunning():
            self._worker.request_stop()
            self._thread.quit()
        started = time.monotonic()
        next_log = 10.0
        while not self._thread.wait(CANCEL_AGAIN_MS):
            self._cancel()
            waited = time.monotonic() - started
            if waited >= next_log:
                log.warning("sync: still waiting for the sync cycle to end (%d s)", waited)
                next_log += 10.0
        _release(self._thread)

    def _cancel(self) -> None:
        cancel = getattr(self._engine, "cancel", None)
        if cancel is None:
            return
        try:
            cancel()
        except Exception as exc:  # noqa: BLE001 - stopping must go on
            log.warning("sync: cancel failed (%s)", type(exc).__name__)


def _typecheck(engine: SyncEngine) -> EngineLike:  # the real engine satisfies the protocol
    return engine
