"""The status bar says how many tickets did not reach the centre (未送达) and why."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from agent_app.ui.sync_status import COLOURS, SyncStatus
from agent_app.workers.sync import SyncController

pytestmark = pytest.mark.gui


def test_undelivered_tickets_are_counted_with_their_reasons(qtbot: Any) -> None:
    status = SyncStatus("live")
    qtbot.addWidget(status)
    status.set_state({"online": True, "queue": 0, "last_sync": None})
    assert "未送达" not in status.text()
    status.set_state(
        {
            "online": True,
            "queue": 3,
            "last_sync": None,
            "undelivered": 2,
            "undelivered_items": [
                {"number": "20261201-S01-0007", "reason": "bad_date:created_at"},
                {"number": "20261201-S01-0009", "reason": "number_taken"},
            ],
        }
    )
    assert "未送达 2" in status.text()
    assert "待同步 3 条" in status.text()
    tip = status.toolTip()
    assert "20261201-S01-0007: bad_date:created_at" in tip
    assert "20261201-S01-0009: number_taken" in tip
    assert COLOURS["offline"] in status.dot.styleSheet()


class _Report:
    online, ok, pushed, pulled, conflicts, queue = True, True, 5, 0, 0, 0
    last_sync, error, undelivered = "2026-12-01T10:00:00+08:00", "", 1


class _Engine:
    def sync_once(self, stop: threading.Event | None = None) -> _Report:
        return _Report()

    def status(self) -> dict[str, Any]:
        return {
            "queue": 0,
            "undelivered": 1,
            "undelivered_items": [{"number": "N1", "reason": "invalid:status"}],
        }


def test_the_sync_worker_reports_undelivered_tickets(qtbot: Any) -> None:
    controller = SyncController(_Engine(), interval_ms=60_000)
    states: list[dict[str, Any]] = []
    controller.state_changed.connect(states.append)
    controller.start()
    try:
        qtbot.waitUntil(lambda: any(s.get("last_sync") for s in states), timeout=10_000)
    finally:
        assert controller.stop()
    final = [s for s in states if s.get("last_sync")][-1]
    assert final["undelivered"] == 1
    assert final["undelivered_items"] == [{"number": "N1", "reason": "invalid:status"}]
