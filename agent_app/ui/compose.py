"""The composition function: every service of a seat's window built once, in one place.

:func:`compose` is what the application's entry point (``agent_app.app``) runs after the
data directory, settings and role are settled, and what the GUI tests and benchmarks run to
get the same window: the task runner, the message bridge, the seat's data access, the side
panes and transcript strip, the call-session presenter, the window, and the wiring between
them.  Nothing here is global: the returned :class:`Workbench` owns it all; ``shutdown()``
stops it in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent_app import deferred
from agent_app.domain.roles import Role
from agent_app.messages import MessageBridge
from agent_app.paths import DataPaths
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui.call_session import CallSession
from agent_app.ui.import_sources import drop_import_sources
from agent_app.ui.main_window import MainWindow, WindowContext
from agent_app.ui.panes import Panes, build_panes
from agent_app.ui.wiring import Wiring, connect_panes
from agent_app.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from agent_app.ui.lead_desk import LeadDeskHandle
    from agent_app.ui.training import Training
    from agent_app.ui.unit_sim_driver import UnitSimDriver
    from agent_app.ui.worklists import Worklists


@dataclass
class Workbench:
    """What :func:`compose` built (keep it for the window's life)."""

    settings: Settings
    runner: TaskRunner
    bridge: MessageBridge
    workstation: Workstation
    panes: Panes
    session: CallSession
    window: MainWindow
    wiring: Wiring
    training: Training | None = None  # trainer mode (demo data only)
    """Trainer mode (demo windows only): the 培训 tab, the watermark, scored calls."""
    unit_sim: UnitSimDriver | None = None
    """The simulated handling units (demo windows only)."""
    worklists: Worklists | None = None
    """The lead's 异议与延期 and 回访 tabs (roles the lifecycle lets rule and call back)."""
    lead_desk: LeadDeskHandle | None = None
    """The shift lead's desk in front of the intake view (F2 switches)."""

    def shutdown(self) -> None:
        """Stop the wiring's timers and workers, wait for the runner, close the database."""
        if self.unit_sim is not None:
            self.unit_sim.stop()
        if self.worklists is not None:
            self.worklists.stop()
        if self.lead_desk is not None:
            self.lead_desk.desk.shutdown()  # its timer; the centre's connections it holds
        self.wiring.shutdown()
        self.runner.wait_idle()
        self.workstation.close()


def compose(
    paths: DataPaths,
    settings: Settings,
    *,
    role: Role,
    demo: bool,
    model: str | None = None,
    central: str | None = None,
    nominatim_url: str = "",
    operator_id: str | None = None,
    defer: bool = True,
    start_after_paint: bool = True,
    runner: TaskRunner | None = None,
    bridge: MessageBridge | None = None,
) -> Workbench:
    """Build the seat's window and everything it uses.

    ``defer``: the map pane and transcript strip are built after the first paint (the app's
    start; tests pass False).  ``start_after_paint``: the background work (index, points,
    flags) starts once the first tickets are shown; otherwise call
    ``workbench.wiring.start_background()``.  ``operator_id``: the person's central login
    (default: the seat's setting).
    """
    drop_import_sources()  # PySide6's import hook keeps every module's source otherwise
    runner = runner if runner is not None else TaskRunner()
    bridge = bridge if bridge is not None else MessageBridge()
    workstation = Workstation(
        paths,
        seat=settings.seat,
        operator_id=operator_id or settings.operator_id,
        demo=demo,
        nominatim_url=nominatim_url,
    )
    panes = build_panes(
        settings=settings,
        runner=runner,
        bridge=bridge,
        demo=demo,
        paths=paths,
        role=role,
        model=model,
        defer_map=defer,
        defer_transcript=defer,
    )
    session = CallSession(runner, workstation, role=role, demo=demo)
    ctx = WindowContext(
        settings=settings,
        runner=runner,
        bridge=bridge,
        workstation=workstation,
        role=role,
        demo=demo,
        side_panes=panes.side,
        transcript=panes.transcript,
        session=session,
    )
    window = MainWindow(ctx)
    session.setParent(window)
    wiring = connect_panes(window, panes, central=central, start_after_paint=start_after_paint)
    bench = Workbench(settings, runner, bridge, workstation, panes, session, window, wiring)
    if window.followup.rules or window.followup.calls_back:  # loaded only for such roles
        from agent_app.ui.worklists import attach_worklists  # noqa: PLC0415 - the lead's tabs

        bench.worklists = attach_worklists(bench)
    if demo:  # trainer mode exists only on demo data; its module loads only there
        from agent_app.ui.training import attach_training  # noqa: PLC0415 - demo only

        bench.training = attach_training(bench)
        from agent_app.ui.unit_sim_driver import UnitSimDriver  # noqa: PLC0415 - demo only

        if paths.is_demo:  # the simulator refuses a seat without the demo marker
            bench.unit_sim = UnitSimDriver(
                runner, workstation, speed=settings.unit_sim_speed, parent=window
            )
            wiring._timers.append(bench.unit_sim.timer)  # noqa: SLF001 - stopped with the wiring
    if role is Role.OPERATOR:  # 退回给我: quality checks returned by a lead (at the centre)
        deferred.load("agent_app.ui.returned_to_me").attach_returned_to_me(
            bench, central=None if demo else central
        )
    if role is Role.LEAD:  # the lead's own desk; its module loads only for leads
        from agent_app.ui.lead_desk import attach_lead_desk  # noqa: PLC0415 - leads only

        bench.lead_desk = attach_lead_desk(bench, central=central)
    return bench
