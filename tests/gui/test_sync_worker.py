"""The sync worker keeps the GUI thread free while ~1,000 tickets drain to the centre."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QTimer

from agent_app.services.sync.engine import SyncEngine
from agent_app.storage.central.connect import parse_url
from agent_app.workers.sync import SyncController
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


def test_gui_thread_never_stalls_while_syncing(qtbot: Any, tmp_path: Path) -> None:
    central = CentralDb(require_server()).create()
    db = new_seat(tmp_path / "seat")
    try:
        login = central.add_login("gui", "operator")
        add_tickets(db, "GW", 1000, operator=login)
        engine = SyncEngine(
            db, central.target(login), seat="GW", batch_size=200, password_lookup=None
        )
        controller = SyncController(engine, interval_ms=60_000)
        states: list[dict[str, Any]] = []
        controller.state_changed.connect(states.append)
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        timer.start()
        controller.start()
        qtbot.waitUntil(
            lambda: any(
                s.get("last_sync") and s["queue"] == 0 and not s["syncing"] for s in states
            ),
            timeout=60_000,
        )
        timer.stop()
        assert controller.stop()
        assert states[0]["queue"] == 1000  # the status bar shows the queue before the first cycle
        assert any(s["syncing"] for s in states)
        final = states[-1]
        assert final["online"] is True
        assert final["pushed"] == 1000
        assert central.scalar("SELECT count(*) FROM central.tickets") == 1000
        assert max(gaps) < 0.1, f"GUI thread stalled {max(gaps) * 1000:.0f} ms"
    finally:
        db.dispose()
        central.drop()


def test_offline_state_and_cooperative_stop(qtbot: Any, tmp_path: Path) -> None:
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "GO", 3)
        down = parse_url("postgresql://nobody@127.0.0.1:9/none", connect_timeout=1)
        controller = SyncController(
            SyncEngine(db, down, seat="GO", password_lookup=None), interval_ms=60_000
        )
        with qtbot.waitSignal(
            controller.state_changed, timeout=10_000, check_params_cb=lambda s: s["online"] is False
        ):
            controller.start()
        assert controller.state["queue"] == 3
        assert controller.state["last_error"]
        controller.sync_now()
        assert controller.stop(10_000)
    finally:
        db.dispose()
