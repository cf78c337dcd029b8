"""The sync worker drains ~1,000 tickets to the centre and reports its state; it stops when
asked, also offline.  How free the GUI thread stays meanwhile is measured by
``benchmarks/bench_gui_responsiveness.py --only sync``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent_app.services.sync.engine import SyncEngine
from agent_app.storage.central.connect import parse_url
from agent_app.workers.sync import SyncController
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


def test_sync_worker_drains_the_queue_and_reports_its_state(qtbot: Any, tmp_path: Path) -> None:
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
        controller.start()
        qtbot.waitUntil(
            lambda: any(
                s.get("last_sync") and s["queue"] == 0 and not s["syncing"] for s in states
            ),
            timeout=60_000,
        )
        assert controller.stop()
        assert states[0]["queue"] == 1000  # the status bar shows the queue before the first cycle
        assert any(s["syncing"] for s in states)
        final = states[-1]
        assert final["online"] is True
        assert final["pushed"] == 1000
        assert central.scalar("SELECT count(*) FROM central.tickets") == 1000
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
