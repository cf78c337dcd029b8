"""A background result for a widget that was closed meanwhile is dropped, not a crash;
any other error in a result handler still surfaces."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agent_app.workers.tasks import TaskRunner


class Owner(QObject):
    ping = Signal(object)


def test_result_for_a_deleted_widget_is_dropped(qtbot):
    runner = TaskRunner()
    owner = Owner()
    delivered: list[object] = []
    owner.ping.connect(delivered.append)
    runner.run_query(lambda: 42, owner.ping.emit)
    runner.wait_idle()
    import shiboken6  # noqa: PLC0415

    shiboken6.delete(owner)  # the window went away while the work ran
    qtbot.wait(50)  # the result is delivered now: no exception reaches the event loop
    assert delivered == []


def test_other_runtime_errors_in_handlers_still_surface(qtbot):
    runner = TaskRunner()

    def broken(_result: object) -> None:
        raise RuntimeError("a real bug")

    with qtbot.captureExceptions() as caught:
        runner.run_query(lambda: 1, broken)
        runner.wait_idle()
        qtbot.wait(50)
    assert caught
    assert "a real bug" in str(caught[0][1])
