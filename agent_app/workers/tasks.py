"""Background work for the UI: ``run_query`` for reads and I/O, ``run_mutation`` for writes.

Reads run on a small thread pool; database writes run one at a time on a single-thread pool
(SQLite has one writer).  Results and errors always come back on the GUI thread.  After a
mutation succeeds, ``changes`` is emitted so that views refresh.  A :class:`Task` can be
cancelled: its result is then dropped (the operation itself may check ``task.cancelled``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from agent_app.errors import KnownError

log = logging.getLogger("agent_app.ui")

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Task:
    """Handle of one background operation."""

    def __init__(self) -> None:
        self.cancelled = False
        self.finished = False

    def cancel(self) -> None:
        self.cancelled = True


class _Relay(QObject):
    """Lives on the GUI thread; its signal carries the outcome back there."""

    done = Signal(object, object)


class _Job(QRunnable):
    def __init__(self, op: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except BaseException as exc:  # noqa: BLE001 - every error is routed to the GUI thread
            self._relay.done.emit(None, exc)
        else:
            self._relay.done.emit(result, None)


class TaskRunner(QObject):
    """Runs operations in worker threads.

    Signals:
        changes(str): a mutation of this kind of data finished ("tickets", "drafts", ...).
        failed(str): a known error the user should see (message bridge wiring).
        bug(object): an unexpected exception (crash handler wiring).
    """

    changes = Signal(str)
    failed = Signal(str)
    bug = Signal(object)

    def __init__(self, parent: QObject | None = None, *, query_threads: int = 2) -> None:
        super().__init__(parent)
        self._queries = QThreadPool(self)
        self._queries.setMaxThreadCount(query_threads)
        self._mutations = QThreadPool(self)
        self._mutations.setMaxThreadCount(1)
        self._pending: set[_Relay] = set()

    def run_query(
        self,
        op: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: ErrorCallback | None = None,
    ) -> Task:
        return self._start(self._queries, op, on_success, on_failure, change=None)

    def run_mutation(
        self,
        op: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: ErrorCallback | None = None,
        *,
        change: str = "tickets",
    ) -> Task:
        return self._start(self._mutations, op, on_success, on_failure, change=change)

    def _start(
        self,
        pool: QThreadPool,
        op: Callable[[], Any],
        on_success: Callback | None,
        on_failure: ErrorCallback | None,
        *,
        change: str | None,
    ) -> Task:
        task = Task()
        relay = _Relay()
        self._pending.add(relay)

        def finish(result: Any, error: BaseException | None) -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            task.finished = True
            if error is None and change is not None:
                self.changes.emit(change)
            if task.cancelled:
                return
            try:
                if error is None:
                    if on_success is not None:
                        on_success(result)
                    return
                self._route_error(error, on_failure)
            except RuntimeError as exc:
                # The widget the result was for is gone (its window closed while the work
                # ran): the result has no one to go to.  Any other RuntimeError is a bug.
                if "deleted" not in str(exc):
                    raise
                log.debug("a background result arrived after its widget was deleted")

        relay.done.connect(finish)
        pool.start(_Job(op, relay))
        return task

    def _route_error(self, error: BaseException, on_failure: ErrorCallback | None) -> None:
        if on_failure is not None:
            on_failure(error)
            return
        if isinstance(error, KnownError):
            self.failed.emit(str(error))
            return
        log.error("background operation failed", exc_info=error)
        self.bug.emit(error)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until all started operations ran (shutdown, tests)."""
        return self._queries.waitForDone(msecs) and self._mutations.waitForDone(msecs)
