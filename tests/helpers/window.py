"""Build the main window for GUI tests the way the composition root does, on a temp dir."""

from __future__ import annotations

from pathlib import Path

from agent_app.domain.roles import Role
from agent_app.messages import MessageBridge
from agent_app.paths import DataPaths
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui.compose import Workbench, compose
from agent_app.ui.main_window import MainWindow, WindowContext
from agent_app.ui.panes import build_side_panes, build_transcript
from agent_app.workers.tasks import TaskRunner


def make_context(
    tmp_path: Path, *, role: Role = Role.OPERATOR, demo: bool = False
) -> WindowContext:
    paths = DataPaths(tmp_path / "seat").ensure()
    settings = Settings(paths.settings_file)
    settings.autosave_ms = 100
    runner = TaskRunner()
    bridge = MessageBridge()
    ws = Workstation(paths, seat=settings.seat, operator_id=settings.operator_id, demo=demo)
    return WindowContext(
        settings=settings,
        runner=runner,
        bridge=bridge,
        workstation=ws,
        role=role,
        demo=demo,
        side_panes=build_side_panes(settings=settings, runner=runner, bridge=bridge, demo=demo),
        transcript=build_transcript(settings=settings, bridge=bridge),
    )


def close_window(window: MainWindow) -> None:
    window.ctx.runner.wait_idle()
    window.close()  # saves the draft in a worker: let it finish and deliver its result
    window.ctx.runner.drain()  # and whatever refresh the saved draft's change started
    window.ctx.workstation.close()


def open_workbench(
    tmp_path: Path,
    *,
    role: Role = Role.OPERATOR,
    demo: bool = False,
    central: str | None = None,
    seat: str = "",
) -> Workbench:
    """The window with every pane and its wiring, built by the app's composition function
    (panes built at once, background work started by the test)."""
    paths = DataPaths(tmp_path / "seat").ensure()
    if demo:  # as prepare_data_dir marks a demo data directory
        paths.demo_marker.write_text("demo\n", encoding="utf-8")
    settings = Settings(paths.settings_file)
    settings.autosave_ms = 100
    if seat:
        settings.seat = seat
    return compose(
        paths, settings, role=role, demo=demo, central=central, defer=False,
        start_after_paint=False,
    )  # fmt: skip


def close_workbench(bench: Workbench) -> None:
    bench.runner.wait_idle()
    bench.wiring.shutdown()
    bench.window.close()
    bench.runner.drain()
    bench.workstation.close()
