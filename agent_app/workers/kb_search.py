"""Knowledge-base searches off the GUI thread: debounced, newest request wins.

:class:`KbSearchWorker` takes requests from the UI (``request(text)``), waits until the text
has been still for ``debounce_ms``, then runs the search on its own one-thread runner through
the shared :class:`~agent_app.workers.tasks.Latest` helper: an older request is skipped if it
has not started and its result dropped if it has, so the UI only ever sees the answer to the
latest text.  The article look-ups after a search stop early once a newer request came in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from agent_app.workers.tasks import Latest, TaskRunner

log = logging.getLogger("agent_app.ui")

SearchCallable = Callable[[str, int], Sequence[Any]]
LookupCallable = Callable[[str], Any]


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
        self._runner = TaskRunner(self, query_threads=1)
        self._latest = Latest(self._runner, self, delay_ms=debounce_ms)
        self._latest.busy_changed.connect(self.busy_changed)
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def busy(self) -> bool:
        """A search is waiting for the typing pause or running."""
        return self._latest.busy

    def _bump(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    def _current(self) -> int:
        with self._lock:
            return self._generation

    @Slot(str)
    def request(self, text: str) -> None:
        """Search ``text`` once it has been still for the debounce interval."""
        self._submit(text, now=False)

    @Slot(str)
    def request_now(self, text: str) -> None:
        """Search ``text`` at once (an explicit search: Enter in the search box)."""
        self._submit(text, now=True)

    @Slot()
    def cancel(self) -> None:
        """Drop every pending and running request."""
        self._bump()
        self._latest.cancel()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Wait for the running search to finish (for shutdown and tests)."""
        return self._runner.wait_idle(msecs)

    def _submit(self, text: str, *, now: bool) -> None:
        generation = self._bump()
        if not text.strip():
            self._latest.cancel()
            self.results_ready.emit(text, ([], {}))
            return
        search, lookup, k, current = self._search, self._lookup, self._k, self._current

        def op() -> tuple[list[Any], dict[str, Any]]:
            hits = list(search(text, k))
            details: dict[str, Any] = {}
            if lookup is not None:
                for hit in hits:
                    if generation != current():
                        break  # a newer request came in: its answer is the one wanted
                    ident = getattr(hit, "article_id", None)
                    if ident is not None:
                        details[ident] = lookup(ident)
            return hits, details

        def done(result: tuple[list[Any], dict[str, Any]]) -> None:
            if generation == self._current():
                self.results_ready.emit(text, result)

        def failed(error: BaseException) -> None:
            if generation == self._current():
                log.warning("knowledge-base search failed: %s", type(error).__name__)
                self.failed.emit(str(error))

        self._latest.request(op, done, failed, now=now)
