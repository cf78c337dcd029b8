"""From the operator's save to the ticket at the centre, through the window's own path
(DESIGN.md: "a save reaches the centre in <= 2 s when online").

A throwaway central database is created and migrated (``tests/helpers/pg.py``: what ``agent-app
central upgrade`` runs) with an operator login; a seat's window is built as the application
builds it (``ui/compose.py``, offscreen, operator role, the centre configured, the seat id set)
and its sync worker started by the wiring.  Each save is a call typed into the form (Ctrl+N,
caller's number, description, reply in the notes) and ended with 直接答复 (Ctrl+D): the
presenter saves in the writer thread, the runner's ``changes("tickets")`` makes the wiring
ask the sync worker for a cycle at once (``SyncController.sync_now``).  A thread polls the
centre (its own connection, every ``--poll-ms``) for the ticket's row.  Measured per save:

* ``saved``: Ctrl+D to the window's ``ticket_finished`` (the local commit reported);
* ``centre``: Ctrl+D to the row being visible in ``central.tickets``.

Between saves the operator pauses a random 0.2-1.5 s (the sync worker's 5 s timer and the
saves do not line up).  Needs a PostgreSQL server (127.0.0.1:5432, trust auth).

    .venv/bin/python benchmarks/bench_save_to_centre.py [--saves 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

BUDGET_S = 2.0
WAIT_S = 60.0
SEAT = "BS01"


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.001)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.001)


class CentreWatch:
    """A thread that polls the centre for ticket ids and notes when each first appears."""

    def __init__(self, server: Any, dbname: str, poll_ms: int) -> None:
        self._conn = server.connect(dbname)
        self._poll = poll_ms / 1000
        self._wanted: dict[str, None] = {}
        self.seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="centre-watch", daemon=True)
        self._thread.start()

    def want(self, ticket_id: str) -> None:
        with self._lock:
            self._wanted[ticket_id] = None

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                ids = list(self._wanted)
            if ids:
                rows = self._conn.execute(
                    "SELECT id FROM central.tickets WHERE id = ANY(%s)", (ids,)
                ).fetchall()
                now = time.perf_counter()
                with self._lock:
                    for (ticket_id,) in rows:
                        if ticket_id in self._wanted:
                            del self._wanted[ticket_id]
                            self.seen[ticket_id] = now
            self._stop.wait(self._poll)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(saves: int, poll_ms: int, pause: tuple[float, float]) -> dict[str, Any]:
    from agent_app.domain.roles import Role  # noqa: PLC0415
    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.settings import Settings  # noqa: PLC0415
    from agent_app.ui.compose import compose  # noqa: PLC0415
    from tests.helpers.pg import CentralDb, server  # noqa: PLC0415

    found = server()
    if found is None:
        return {"skipped": "no PostgreSQL server available"}
    app = QApplication.instance() or QApplication(sys.argv[:1])
    central = CentralDb(found).create()
    states: list[dict[str, Any]] = []
    try:
        login = central.add_login("save", "operator")
        with tempfile.TemporaryDirectory() as tmp:
            paths = DataPaths(Path(tmp) / "seat").ensure()
            settings = Settings(paths.settings_file)
            settings.seat = SEAT
            bench = compose(
                paths,
                settings,
                role=Role.OPERATOR,
                demo=False,
                central=central.url(login),
                operator_id=login,
            )
            window = bench.window
            window.show()
            window.load_tickets()
            wiring = bench.wiring
            wait_until(lambda: wiring.sync_controller is not None, "the sync worker")
            controller = wiring.sync_controller
            assert controller is not None
            controller.state_changed.connect(states.append)
            wait_until(lambda: window.intake is not None, "the intake service")
            wait_until(lambda: bool(controller.state.get("last_sync")), "the first sync cycle")
            pump(2.0)  # the start-up's background work (index, points) settles
            watch = CentreWatch(found, central.name, poll_ms)
            finished: list[Any] = []
            window.ticket_finished.connect(finished.append)
            rng = random.Random(12345)
            saved_s: list[float] = []
            centre_s: list[float] = []
            try:
                for i in range(saves):
                    pump(rng.uniform(*pause))
                    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                    form = window.form
                    form.phone.setText(f"1381234{i:04d}")
                    form.description.setPlainText(
                        f"咨询第{i}号：小区供暖什么时候开始，暖气费如何缴纳，谢谢。"
                    )
                    form.notes.setPlainText("已告知供暖开始时间和缴费方式。")
                    pump(0.05)
                    count = len(finished)
                    t0 = time.perf_counter()
                    window.answer_action.trigger()  # Ctrl+D: 直接答复办结
                    wait_until(lambda c=count: len(finished) > c, "the save")
                    t_saved = time.perf_counter()
                    ticket = finished[-1]
                    watch.want(ticket.id)
                    wait_until(lambda t=ticket.id: t in watch.seen, "the ticket at the centre")
                    saved_s.append(t_saved - t0)
                    centre_s.append(watch.seen[ticket.id] - t0)
            finally:
                watch.close()
                bench.runner.wait_idle()
                bench.wiring.shutdown()
                window.close()
                bench.runner.drain()
                bench.shutdown()
        count = central.scalar("SELECT count(*) FROM central.tickets")
    finally:
        central.drop()
    del app
    cycles = [s for s in states if not s.get("syncing") and s.get("last_sync")]
    return {
        "saves": saves,
        "at_centre": count,
        "poll_ms": poll_ms,
        "saved_p50_ms": round(statistics.median(saved_s) * 1000),
        "saved_p95_ms": round(quantile(saved_s, 0.95) * 1000),
        "centre_p50_ms": round(statistics.median(centre_s) * 1000),
        "centre_p95_ms": round(quantile(centre_s, 0.95) * 1000),
        "centre_max_ms": round(max(centre_s) * 1000),
        "sync_cycles": len(cycles),
        "budget_ms": round(BUDGET_S * 1000),
        "within_budget": quantile(centre_s, 0.95) <= BUDGET_S,
        "load_average": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--poll-ms", type=int, default=10, help="how often the centre is read")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as keys:
        if not os.environ.get("AGENT_APP_DB_KEY_FILE"):
            # the seat database is encrypted; without an OS keyring the key comes from a file
            key_file = Path(keys) / "seat.key"
            key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            key_file.chmod(0o600)
            os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
        figures = run(args.saves, args.poll_ms, (0.2, 1.5))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    if "skipped" in figures:
        print(f"skipped: {figures['skipped']}")
        return 0
    print(
        f"{figures['saves']} saves (直接答复, Ctrl+D) on an online seat; the centre polled every "
        f"{figures['poll_ms']} ms; {figures['at_centre']} tickets at the centre"
    )
    print(
        f"local save reported: p50 {figures['saved_p50_ms']} ms, p95 {figures['saved_p95_ms']} ms"
    )
    print(
        f"save -> row at the centre: p50 {figures['centre_p50_ms']} ms, "
        f"p95 {figures['centre_p95_ms']} ms, max {figures['centre_max_ms']} ms "
        f"(budget {figures['budget_ms']} ms: {'OK' if figures['within_budget'] else 'OVER'})"
    )
    print(f"sync cycles: {figures['sync_cycles']}; load average {figures['load_average']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
