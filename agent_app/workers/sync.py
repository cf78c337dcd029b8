"""The sync worker: runs :class:`SyncEngine` cycles on its own QThread, never on the GUI thread.

:class:`SyncController` lives on the GUI thread and owns the thread; it re-emits the worker's
state as ``state_changed(dict)`` with the keys ``online`` (bool or None before the first
cycle), ``syncing``, ``queue``, ``last_sync`` (ISO text or None), ``last_error``, ``pushed``,
``pulled``, ``conflicts``, ``undelivered`` (tickets whose change did not reach the centre)
and ``undelivered_items`` (``number``/``reason`` of each, for a tooltip).  ``sync_now()`` asks for a cycle at once (e.g. after a save);
``stop()`` stops cooperatively (the engine checks between batches) and joins the thread.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from agent_app.services.sync.backoff import Backoff

if TYPE_CHECKING:
    from agent_app.services.sync.engine import SyncEngine

log = logging.getLogger("agent_app.sync")


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

    def stop(self, wait_ms: int = 30_000) -> bool:
        """Stop cooperatively and join the thread; True when it ended in time."""
        self._worker.request_stop()
        if not self._thread.isRunning():
            return True
        self._halt.emit()
        self._thread.quit()
        return bool(self._thread.wait(wait_ms))


def _typecheck(engine: SyncEngine) -> EngineLike:  # the real engine satisfies the protocol
    return engine
