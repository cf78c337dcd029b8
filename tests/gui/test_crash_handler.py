"""An unexpected error, on the GUI thread or in a worker, is logged and shown in the banner;
the window goes on and a hard crash would leave its stacks in the crash log."""

from __future__ import annotations

import faulthandler
import sys

from agent_app.app import _install_crash_handler
from agent_app.messages import MessageBridge
from agent_app.workers.tasks import TaskRunner


def test_worker_bug_and_gui_exception_reach_the_operator(qtbot, tmp_path):
    bridge, runner = MessageBridge(), TaskRunner()
    previous, was_enabled = sys.excepthook, faulthandler.is_enabled()
    crash = _install_crash_handler(bridge, runner, tmp_path / "crash.log", no_windows=False)
    try:
        assert crash is not None
        assert faulthandler.is_enabled()

        def broken() -> None:
            raise ZeroDivisionError("worker bug")

        with qtbot.waitSignal(bridge.error, timeout=5_000) as shown:
            runner.run_query(broken, lambda _r: None)
        assert "ZeroDivisionError" in shown.args[0]
        assert "日志" in shown.args[0]

        with qtbot.waitSignal(bridge.error, timeout=1_000) as shown:
            try:
                raise KeyError("slot bug")
            except KeyError:
                sys.excepthook(*sys.exc_info())
        assert "KeyError" in shown.args[0]
    finally:
        runner.wait_idle()
        sys.excepthook = previous
        faulthandler.disable()
        if crash is not None:
            crash.close()
        if was_enabled:  # pytest's own handler
            faulthandler.enable(file=sys.__stderr__)
    assert (tmp_path / "crash.log").exists()
