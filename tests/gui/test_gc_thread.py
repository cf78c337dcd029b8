"""The cycle collector runs on the GUI thread only (agent_app/workers/gc_thread.py)."""

from __future__ import annotations

import gc
import threading

from agent_app.workers.gc_thread import MainThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_workers_never_collect_and_the_gui_thread_frees_cycles(qtbot) -> None:  # type: ignore[no-untyped-def]
    gc.enable()  # as at start-up
    collector = MainThreadCollector(interval_ms=10)
    try:
        assert not gc.isenabled()  # no collection in whichever thread allocates next
        freed: list[int] = []

        def make_garbage() -> None:  # a worker allocating far past gen 0's threshold
            for _ in range(gc.get_threshold()[0] * 3):
                _Node()

        worker = threading.Thread(target=make_garbage)
        worker.start()
        worker.join()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # nothing was collected there
        freed.append(collector.collect_due())
        assert freed[0] > 0  # the GUI thread freed the worker's cycles
        assert collector.collect_due() == 0  # below every threshold now: nothing to do
    finally:
        collector.deleteLater()
        gc.enable()
