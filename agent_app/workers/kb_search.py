"""Knowledge-base searches off the GUI thread: debounced, newest request wins.

:class:`KbSearchWorker` takes requests from the UI (``request(text)``), waits until the text
has been still for ``debounce_ms``, then runs the search on its own one-thread pool.  Every
request gets a generation number; a job whose generation is no longer the newest is skipped
before it starts, and a result that arrives after a newer request is dropped, so the UI only
ever sees the answer to the latest text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger("agent_app.ui")

SearchCallable = Callable[[str, int], Sequence[Any]]
LookupCallable = Callable[[str], Any]


class _Relay(QObject):
    done = Signal(int, str, object, object)


class _SearchJob(QRunnable):
    def __init__(
        self,
        generation: int,
        text: str,
        k: int,
        search: SearchCallable,
        lookup: LookupCallable | None,
        latest: Callable[[], int],
        relay: _Relay,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._generation = generation
        self._text = text
        self._k = k
        self._search = search
        self._lookup = lookup
        self._latest = latest
        self._relay = relay

    def run(self) -> None:
        if self._generation != self._latest():
            return  # a newer request came in while this one waited: skip the work
        try:
            hits = list(self._search(self._text, self._k))
            details = {}
            if self._lookup is not None:
                for hit in hits:
                    if self._generation != self._latest():
                        return
                    ident = getattr(hit, "article_id", None)
                    if ident is not None:
                        details[ident] = self._lookup(ident)
        except BaseException as exc:  # noqa: BLE001 - routed to the GUI thread
            self._relay.done.emit(self._generation, self._text, None, exc)
        else:
            self._relay.done.emit(self._generation, self._text, (hits, details), None)


class KbSearchWorker(QObject):
    """Debounced, cancellable knowledge-base search.

    Signals:
        results_ready(str, object): the text searched and ``(hits, articles_by_id)`` for the
            newest request only.
        failed(str): the search raised; the message is for the user.
        busy_changed(bool): a search is waiting or running (True) or all are done (False).
    """

    results_ready = Signal(str, object)
    """Results for the newest request: the text and ``(hits, articles_by_id)``."""
    failed = Signal(str)
    """A search failed; the argument is a one-line message."""
    busy_changed = Signal(bool)
    """True while a request is pending or running."""

    def __init__(
        self,
        search: SearchCallable,
        parent: QObject | None = None,
        *,
        lookup: LookupCallable | None = None,
        k: int = 5,
        debounce_ms: int = 250,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._lookup = lookup
        self._k = k
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._generation = 0
        self._pending_text = ""
        self._busy = False
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self._start)

    def _latest(self) -> int:
        with self._lock:
            return self._generation

    def _bump(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    @Slot(str)
    def request(self, text: str) -> None:
        """Search ``text`` once it has been still for the debounce interval."""
        self._bump()
        self._pending_text = text
        self._timer.start()
        self._set_busy(True)

    @Slot(str)
    def request_now(self, text: str) -> None:
        """Search ``text`` at once (an explicit search: Enter in the search box)."""
        self._timer.stop()
        self._bump()
        self._pending_text = text
        self._start()

    @Slot()
    def cancel(self) -> None:
        """Drop every pending and running request."""
        self._timer.stop()
        self._bump()
        self._set_busy(False)

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Wait for the pool to finish (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def _start(self) -> None:
        text = self._pending_text
        generation = self._latest()
        if not text.strip():
            self._set_busy(False)
            self.results_ready.emit(text, ([], {}))
            return
        self._set_busy(True)
        self._pool.start(
            _SearchJob(
                generation, text, self._k, self._search, self._lookup, self._latest, self._relay
            )
        )

    def _on_done(self, generation: int, text: str, result: Any, error: Any) -> None:
        if generation != self._latest():
            return  # obsolete: a newer request is pending or running
        self._set_busy(False)
        if error is not None:
            log.warning("knowledge-base search failed: %s", type(error).__name__)
            self.failed.emit(str(error))
            return
        self.results_ready.emit(text, result)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
