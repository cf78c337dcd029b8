"""Background work for the UI: ``run_query`` for reads and I/O, ``run_mutation`` for writes.

Reads run on a small thread pool; database writes run one at a time on a single-thread pool
(SQLite has one writer).  Results and errors always come back on the GUI thread.  After a
mutation succeeds, ``changes`` is emitted with its :class:`Change` so that views refresh.

A :class:`Task` can be cancelled: a task not started yet then skips its work, and its result
is dropped.  A task's ``owner`` (the widget or presenter the result is for; by default the
object of a bound-method callback) ties the result to its lifetime: once the owner's C++
object is destroyed, the result is dropped, so it never reaches an object that is gone.

:class:`Latest` is the "newest request wins" helper: debounced requests of one kind (a search
as the operator types, the place of the address being typed) where only the answer to the
newest request matters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

from agent_app.errors import KnownError

log = logging.getLogger("agent_app.ui")

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Change(StrEnum):
    """Kinds of data a mutation changed (what ``TaskRunner.changes`` carries)."""

    TICKETS = "tickets"
    DRAFTS = "drafts"
    AUDIT = "audit"
    KB_FLAGS = "kb_flags"


class Task:
    """Handle of one background operation."""

    def __init__(self) -> None:
        self.cancelled = False
        self.finished = False

    def cancel(self) -> None:
        self.cancelled = True


class _Relay(QObject):
    """Lives on the GUI thread (a child of the runner); its signal carries each outcome back
    there with the task's number."""

    done = Signal(int, object, object)


class _Skipped:
    """The task was cancelled before its work started."""


_SKIPPED = _Skipped()


class _Job(QRunnable):
    """One operation on a pool thread.  It lets go of the operation before reporting, so the
    last reference to whatever the operation's closure holds (a presenter, a window) is
    dropped on the GUI thread, never here: a QObject destroyed on a pool thread would stop
    its timers from the wrong thread."""

    def __init__(self, number: int, op: Callable[[], Any], relay: _Relay, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._number = number
        self._op: Callable[[], Any] | None = op
        self._relay = relay
        self._task = task

    def run(self) -> None:
        op, self._op = self._op, None
        if op is None or self._task.cancelled:
            del op
            self._deliver(_SKIPPED, None)
            return
        try:
            result = op()
        except BaseException as exc:  # noqa: BLE001 - every error is routed to the GUI thread
            del op
            self._deliver(None, exc)
        else:
            del op
            self._deliver(result, None)

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        if isValid(self._relay):  # gone only when the application itself is shutting down
            self._relay.done.emit(self._number, result, error)


def _owner_of(callback: Callable[..., Any] | None) -> QObject | None:
    """The QObject a bound-method callback belongs to (its result's owner), if any."""
    target = getattr(callback, "__self__", None)
    return target if isinstance(target, QObject) else None


class TaskRunner(QObject):
    """Runs operations in worker threads.

    Signals:
        changes(str): a mutation of this :class:`Change` finished.
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
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._pending: dict[int, tuple[Callable[[Any, BaseException | None], None], object]] = {}
        self._numbers = 0

    def run_query(
        self,
        op: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> Task:
        """Run ``op`` on a worker; ``on_success(result)`` or ``on_failure(error)`` on the GUI
        thread unless the task was cancelled or ``owner`` (default: the object of a bound
        method ``on_success``) was destroyed meanwhile."""
        return self._start(self._queries, op, on_success, on_failure, None, owner)

    def run_mutation(
        self,
        op: Callable[[], Any],
        on_success: Callback | None = None,
        on_failure: ErrorCallback | None = None,
        *,
        change: Change,
        owner: QObject | None = None,
    ) -> Task:
        """Like :meth:`run_query`, on the single writer; ``changes(change)`` after success
        (also when the owner is gone: the data did change)."""
        return self._start(self._mutations, op, on_success, on_failure, change, owner)

    def _start(
        self,
        pool: QThreadPool,
        op: Callable[[], Any],
        on_success: Callback | None,
        on_failure: ErrorCallback | None,
        change: Change | None,
        owner: QObject | None,
    ) -> Task:
        task = Task()
        owner = owner if owner is not None else _owner_of(on_success)

        def finish(result: Any, error: BaseException | None) -> None:
            task.finished = True
            if result is _SKIPPED:
                return
            if error is None and change is not None:
                self.changes.emit(change.value)
            if task.cancelled or (owner is not None and not isValid(owner)):
                return
            if error is None:
                if on_success is not None:
                    on_success(result)
                return
            self.route_error(error, on_failure)

        self._numbers += 1
        number = self._numbers
        self._pending[number] = (finish, op)  # the GUI thread keeps the operation alive
        pool.start(_Job(number, op, self._relay, task))
        return task

    def _finished(self, number: int, result: Any, error: BaseException | None) -> None:
        entry = self._pending.pop(number, None)
        if entry is not None:
            entry[0](result, error)

    def route_error(self, error: BaseException, on_failure: ErrorCallback | None = None) -> None:
        """``on_failure(error)``; else a known error to ``failed``, anything else to ``bug``."""
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

    def drain(self, rounds: int = 20) -> bool:
        """Until nothing runs and no delivered result started more work (shutdown, tests).

        A finished mutation emits ``changes``, whose listeners may start a refresh; one
        ``wait_idle`` does not see those.  True when the runner settled within ``rounds``.
        """
        for _ in range(rounds):
            self.wait_idle()
            QCoreApplication.processEvents()
            busy = self._queries.activeThreadCount() + self._mutations.activeThreadCount()
            if not busy and not self._pending:
                return True
        return False


class Latest(QObject):
    """Requests of one kind where only the newest answer matters.

    ``request(op, done)`` waits ``delay_ms`` for more requests (debounce), then runs ``op`` on
    the runner; a newer request cancels the older one (skipped if not started, its result
    dropped if it was).  The owner is this object's parent: results stop when it goes.

    Signals:
        busy_changed(bool): a request is waiting or running (True) or none is (False).
    """

    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject, *, delay_ms: int = 0) -> None:
        super().__init__(parent)
        self._runner = runner
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._run_pending)
        self._pending: tuple[Callable[[], Any], Callback, ErrorCallback | None] | None = None
        self._task: Task | None = None
        self._busy = False

    @property
    def busy(self) -> bool:
        """A request is waiting for its delay or running."""
        return self._busy

    def request(
        self,
        op: Callable[[], Any],
        on_success: Callback,
        on_failure: ErrorCallback | None = None,
        *,
        now: bool = False,
    ) -> None:
        """The newest request: replaces any older one; runs after the delay (or ``now``)."""
        self._cancel_running()
        self._pending = (op, on_success, on_failure)
        self._set_busy(True)
        if now or self._timer.interval() <= 0:
            self._timer.stop()
            self._run_pending()
        else:
            self._timer.start()

    def flush(self) -> None:
        """Run a request still waiting for its delay now."""
        if self._timer.isActive():
            self._timer.stop()
            self._run_pending()

    def cancel(self) -> None:
        """Forget the waiting and the running request."""
        self._timer.stop()
        self._pending = None
        self._cancel_running()
        self._set_busy(False)

    def _cancel_running(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _run_pending(self) -> None:
        if self._pending is None:
            return
        op, on_success, on_failure = self._pending
        self._pending = None
        task: Task | None = None

        def done(result: Any) -> None:
            if task is self._task:
                self._task = None
                self._set_busy(False)
            on_success(result)

        def failed(error: BaseException) -> None:
            if task is self._task:
                self._task = None
                self._set_busy(False)
            if on_failure is not None:
                on_failure(error)
            else:
                self._runner.route_error(error)

        task = self._runner.run_query(op, done, failed, owner=self)
        self._task = task

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
