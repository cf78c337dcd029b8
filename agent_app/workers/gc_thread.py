"""Python's cycle collector on the GUI thread only.

Left automatic, the collector runs in whichever thread allocates when a threshold is passed,
often a worker; a reference cycle holding a QObject (a widget, a timer) is then destroyed
there, and Qt warns "Timers cannot be stopped from another thread" or worse.  So automatic
collection is switched off and the GUI thread collects, by the same thresholds, on a timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadCollector(QObject):
    """Collects garbage on this object's (the GUI) thread every ``interval_ms``."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as gc would)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for gen in range(3):
            if counts[gen] > thresholds[gen]:
                generation = gen
        return gc.collect(generation) if generation >= 0 else 0
