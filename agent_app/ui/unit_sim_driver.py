"""Demo mode: a timer that lets the simulated handling units act (演示: 模拟承办单位).

Every few seconds the window asks :class:`~agent_app.services.unit_sim.UnitSimulator`
(through the task runner, off the GUI thread) whether a unit would act; only then it runs a
step as a mutation, whose ``tickets`` change refreshes today's tickets.  Built only for a demo
window: the simulator itself refuses a real seat.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from agent_app.services.unit_sim import UnitSimulator
from agent_app.workers.tasks import Change

if TYPE_CHECKING:
    from agent_app.services.workstation import Workstation
    from agent_app.workers.tasks import TaskRunner

log = logging.getLogger("agent_app.ui")

TICK_MS = 5_000
"""How often the simulated units look at their tickets."""


class UnitSimDriver(QObject):
    """Drives the units simulator from the window's event loop; ``stop()`` at shutdown."""

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        *,
        speed: float,
        parent: QObject,
        interval_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.simulator = UnitSimulator(workstation.paths, lambda: workstation.db, speed=speed)
        self._busy = False
        self.actions = 0
        """How many actions the units took since the window opened."""
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def tick(self) -> None:
        if self._busy or not self.running:
            return
        self._busy = True
        self._runner.run_query(self.simulator.anything_due, self._checked, self._failed)

    def _checked(self, due: Any) -> None:
        if not due or not self.running:
            self._busy = False
            return
        self._runner.run_mutation(
            self.simulator.step, self._stepped, self._failed, change=Change.TICKETS
        )

    def _stepped(self, report: Any) -> None:
        self._busy = False
        self.actions += len(report.acted)
        log.debug("demo units acted %d times", len(report.acted))

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        log.warning("units simulator step failed: %s", type(error).__name__)

    @property
    def timer(self) -> QTimer:
        return self._timer

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()
