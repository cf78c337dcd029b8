"""The task runner: a result for an owner that is gone is dropped, not a crash; other errors
in a result handler still surface; ``Latest`` lets only the newest request answer."""

from __future__ import annotations

import threading

import pytest

import shiboken6
from PySide6.QtCore import QObject, Signal

from agent_app.workers.tasks import Change, Latest, Task, TaskRunner


class Owner(QObject):
    ping = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def take(self, value: object) -> None:
        self.got.append(value)


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    r.wait_idle()


@pytest.fixture
def started(runner, monkeypatch):
    """Every query task the runner starts: a test waits until each one came back."""
    tasks: list[Task] = []
    start = runner.run_query

    def run_query(*args, **kwargs):
        task = start(*args, **kwargs)
        tasks.append(task)
        return task

    monkeypatch.setattr(runner, "run_query", run_query)
    return tasks


def test_result_for_a_deleted_owner_is_dropped(qtbot, runner):
    owner = Owner()
    delivered: list[object] = []
    owner.ping.connect(delivered.append)
    release = threading.Event()
    task = runner.run_query(lambda: release.wait(5) and 42, owner.ping.emit, owner=owner)
    shiboken6.delete(owner)  # the window went away while the work ran
    release.set()
    qtbot.waitUntil(lambda: task.finished)
    assert delivered == []


def test_bound_method_callback_makes_its_object_the_owner(qtbot, runner):
    owner = Owner()
    release = threading.Event()
    task = runner.run_query(lambda: release.wait(5) and 1, owner.take)
    keep = owner  # the Python wrapper lives on; its C++ object does not
    shiboken6.delete(owner)
    release.set()
    qtbot.waitUntil(lambda: task.finished)
    assert keep.got == []


def test_other_runtime_errors_in_handlers_still_surface(qtbot, runner):
    def broken(_result: object) -> None:
        raise RuntimeError("a real bug")

    with qtbot.captureExceptions() as caught:
        task = runner.run_query(lambda: 1, broken)
        qtbot.waitUntil(lambda: task.finished)
    assert caught
    assert "a real bug" in str(caught[0][1])


def test_cancelled_task_skips_work_not_started(qtbot):
    runner = TaskRunner(query_threads=1)
    gate = threading.Event()
    ran: list[str] = []
    first = runner.run_query(lambda: gate.wait(5))
    second = runner.run_query(lambda: ran.append("second"))
    second.cancel()
    gate.set()
    qtbot.waitUntil(lambda: first.finished and second.finished)
    runner.wait_idle()
    assert ran == []


def test_mutation_announces_its_change_kind(qtbot, runner):
    with qtbot.waitSignal(runner.changes) as blocker:
        runner.run_mutation(lambda: None, change=Change.DRAFTS)
    assert blocker.args == ["drafts"]


def test_latest_only_the_newest_request_answers(qtbot, runner, started):
    owner = Owner()
    latest = Latest(runner, owner, delay_ms=0)
    gate = threading.Event()
    answers: list[str] = []
    latest.request(lambda: gate.wait(5) and "old", answers.append)
    latest.request(lambda: "new", answers.append)
    gate.set()
    qtbot.waitUntil(lambda: not latest.busy)
    assert len(started) == 2
    qtbot.waitUntil(lambda: all(task.finished for task in started))  # the old answer came back
    assert answers == ["new"]


def test_latest_debounces_and_flush_runs_now(qtbot, runner):
    owner = Owner()
    latest = Latest(runner, owner, delay_ms=60_000)
    calls: list[str] = []
    for text in ("a", "ab", "abc"):
        latest.request(lambda t=text: calls.append(t) or t, lambda _r: None)
    assert latest.busy
    assert calls == []  # still waiting for the typing pause
    with qtbot.waitSignal(latest.busy_changed) as blocker:
        latest.flush()
    assert blocker.args == [False]
    assert calls == ["abc"]


def test_latest_cancel_drops_the_answer(qtbot, runner, started):
    owner = Owner()
    latest = Latest(runner, owner, delay_ms=0)
    gate = threading.Event()
    answers: list[object] = []
    latest.request(lambda: gate.wait(5), answers.append)
    latest.cancel()
    gate.set()
    assert len(started) == 1
    qtbot.waitUntil(lambda: started[0].finished)  # its answer came back, and was dropped
    assert answers == []
    assert not latest.busy
