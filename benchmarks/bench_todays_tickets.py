"""Today's tickets on a busy seat: reading, holding, sorting and filtering N rows of one day.

A throwaway seat is seeded with the demo week plus a few hundred tickets, whose rows are then
copied in SQL until the seat holds ``--rows`` tickets created today (varied content, like a
lead's seat at the end of a busy day).  Measured:

* in the worker thread, what the window runs there: the query (``Workstation.today_tickets``,
  median of three runs) and the rows' filter texts (``read_day``); the memory the returned
  ``TicketSummary`` list holds, and the texts (tracemalloc);
* on the GUI thread, with the real tab widget (``ui/todays_tickets.py``, shown offscreen),
  each step started from the event loop as a click or a pause in typing starts it: filling
  the table (rows, default sort, column fit, first paint), sorting by every column (ascending
  and descending), filtering (one word, two words, cleared), sorting the filtered rows, and a
  refresh (the same day read again, a row selected).  For each step: ``*_ms``, the time until
  the rows are shown and painted, and ``*_stall_ms``, the longest gap between the ticks of a
  1 ms GUI timer while the step ran: the longest time the GUI thread could not answer the
  operator (the budget: 50 ms);
* for comparison, Qt's own proxy sort asking the Python model for the sort role
  (``--qt-sort``): what the table would cost if a proxy sorted by itself.

    .venv/bin/python benchmarks/bench_todays_tickets.py [--rows 30000] [--qt-sort] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.paths import DataPaths
from agent_app.services.seeding import seed_demo
from agent_app.services.workstation import Workstation
from agent_app.storage import cipher
from agent_app.ui.models.ticket_table import SORT_ROLE, TicketTableModel
from agent_app.ui.todays_tickets import TodaysTickets, read_day

SEED_TICKETS = 300


def fill_today(database: Path, rows: int) -> None:
    """Add copies of the seeded tickets (new ids, numbers and times of today) until ``rows``
    tickets were created today."""
    now = timeutil.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    span = max(int((now - midnight).total_seconds()) - 1, 1)
    base = midnight.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn = cipher.connect(database)
    today = conn.execute("SELECT count(*) FROM tickets WHERE created_at >= ?", (base,)).fetchone()
    missing = rows - int(today[0])
    columns = [r[1] for r in conn.execute("PRAGMA table_info(tickets)")]
    source = [r[0] for r in conn.execute("SELECT rowid FROM tickets ORDER BY rowid")]
    expressions = {
        "id": "printf('%s-%d', t.id, n.i)",
        "number": f"printf('{midnight:%Y%m%d}-S09-%d', n.i + 1)",
        "created_at": f"datetime('{base}', printf('+%d seconds', (n.i * {span}) / {rows}))",
        "operator_id": "'op001'",
    }
    select = ", ".join(expressions.get(c, f"t.{c}") for c in columns)
    conn.execute("CREATE TEMP TABLE seq(i INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO seq VALUES (?)", ((i,) for i in range(max(missing, 0))))
    conn.execute("CREATE TEMP TABLE src(k INTEGER PRIMARY KEY, rid INTEGER)")
    conn.executemany("INSERT INTO src VALUES (?, ?)", enumerate(source))
    conn.execute(
        f"INSERT INTO tickets ({', '.join(columns)}) SELECT {select} FROM seq n "
        f"JOIN src s ON s.k = n.i % {len(source)} JOIN tickets t ON t.rowid = s.rid"
    )
    conn.commit()
    conn.close()


def timed(fn: Callable[[], object], runs: int = 1) -> float:
    """Median wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        QApplication.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


HEARTBEAT_MS = 1
SETTLE_MS = 60  # after the rows are shown: the repaint they asked for, and any late work
STEP_TIMEOUT_S = 60


def busy(widget: TodaysTickets) -> bool:
    """Work of the widget still to come (a sort or filter being prepared)."""
    return bool(getattr(widget.model, "busy", False))


Step = tuple[float, float, float]


def step(widget: TodaysTickets, action: Callable[[], object]) -> Step:
    """Run ``action`` from the event loop (as a click or the filter's timer does) and keep the
    loop running until the widget has nothing left to do and has painted.  Returns (ms) the
    time until then, the longest gap between two ticks of a 1 ms GUI timer (the longest the
    GUI thread was not free to answer the operator), and the most CPU time the GUI thread
    spent within one gap (the same without the time other processes took the core: on a
    shared machine a gap can be long while the thread did little)."""
    loop = QEventLoop()
    clock = QElapsedTimer()
    gaps: list[float] = []
    cpu_gaps: list[float] = []
    state = {"last": 0.0, "cpu": time.thread_time(), "done_at": -1.0, "started": False}

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        cpu = time.thread_time()
        gaps.append(now - state["last"])
        cpu_gaps.append((cpu - state["cpu"]) * 1000)
        state["last"], state["cpu"] = now, cpu
        if not state["started"]:
            return
        if state["done_at"] < 0 and not busy(widget):
            state["done_at"] = now
        if state["done_at"] >= 0 and now - state["done_at"] >= SETTLE_MS:
            loop.quit()
        elif now > STEP_TIMEOUT_S * 1000:
            raise TimeoutError("the step did not finish")

    def start() -> None:
        state["started"] = True
        action()

    heartbeat = QTimer(interval=HEARTBEAT_MS)
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(tick)
    QApplication.processEvents()  # nothing left over from the step before
    clock.start()
    state["cpu"] = time.thread_time()
    heartbeat.start()
    QTimer.singleShot(0, start)
    loop.exec()
    heartbeat.stop()
    # the time until the step's rows were shown (the settling tail is not part of it)
    return state["done_at"], max(gaps, default=0.0), max(cpu_gaps, default=0.0)


def steps(figures: dict[str, float | int], name: str, results: list[Step]) -> None:
    walls = [r[0] for r in results]
    stalls = [r[1] for r in results]
    cpus = [r[2] for r in results]
    if len(results) == 1:
        figures[f"{name}_ms"] = walls[0]
        figures[f"{name}_stall_ms"] = stalls[0]
        figures[f"{name}_stall_cpu_ms"] = cpus[0]
        return
    figures[f"{name}_median_ms"] = statistics.median(walls)
    figures[f"{name}_max_ms"] = max(walls)
    figures[f"{name}_stall_median_ms"] = statistics.median(stalls)
    figures[f"{name}_stall_max_ms"] = max(stalls)
    figures[f"{name}_stall_cpu_max_ms"] = max(cpus)


class Collections:
    """The garbage collector's pauses (a full collection walks every row object)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.longest = max(self.longest, (time.perf_counter() - self._start) * 1000)


def key_file(tmp: str) -> None:
    """Seat databases are encrypted: a throwaway seat takes its key from a file of its own."""
    if os.environ.get("AGENT_APP_DB_KEY_FILE"):
        return
    path = Path(tmp) / "seat.key"
    path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    path.chmod(0o600)
    os.environ["AGENT_APP_DB_KEY_FILE"] = str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--qt-sort", action="store_true", help="also time Qt's own proxy sort")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    figures: dict[str, float | int] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        key_file(tmp)
        paths = DataPaths(Path(tmp) / "seat").ensure()
        ws = Workstation(paths, seat="S01", operator_id="op001", demo=True)
        seed_demo(ws.db, extra_tickets=SEED_TICKETS)
        ws.close()
        fill_today(paths.database, args.rows)

        rows = ws.today_tickets(mine=False)
        figures["rows_read"] = len(rows)
        figures["query_ms"] = timed(lambda: ws.today_tickets(mine=False), runs=3)
        figures["texts_ms"] = timed(lambda: read_day(rows), runs=3)
        del rows
        tracemalloc.start()
        rows = ws.today_tickets(mine=False)
        figures["rows_mb"] = tracemalloc.get_traced_memory()[0] / 1e6
        _, texts = read_day(rows)
        figures["texts_mb"] = tracemalloc.get_traced_memory()[0] / 1e6 - figures["rows_mb"]
        tracemalloc.stop()
        again = ws.today_tickets(mine=False)  # a refresh: the same day read again
        _, again_texts = read_day(again)
        ws.close()

    widget = TodaysTickets()
    widget.resize(740, 600)
    widget.show()
    QApplication.processEvents()
    now = timeutil.now()
    view = widget.view
    collections = Collections()
    gc.callbacks.append(collections)
    steps(figures, "fill", [step(widget, lambda: widget.set_rows(rows, now, texts))])
    results = []
    for column in range(len(TicketTableModel.COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            results.append(step(widget, lambda c=column, o=order: view.sortByColumn(c, o)))
    steps(figures, "sort", results)
    step(widget, lambda: view.sortByColumn(1, Qt.SortOrder.DescendingOrder))
    steps(figures, "filter_one_word", [step(widget, lambda: widget.set_filter("朝阳"))])
    figures["filter_shown"] = view.model().rowCount()
    steps(figures, "filter_two_words", [step(widget, lambda: widget.set_filter("朝阳 已派单"))])
    steps(figures, "filter_clear", [step(widget, lambda: widget.set_filter(""))])
    step(widget, lambda: widget.set_filter("朝阳"))
    steps(
        figures,
        "sort_filtered",
        [step(widget, lambda: view.sortByColumn(6, Qt.SortOrder.AscendingOrder))],
    )
    step(widget, lambda: widget.set_filter(""))
    view.selectRow(10)
    steps(figures, "refresh", [step(widget, lambda: widget.set_rows(again, now, again_texts))])

    gc.callbacks.remove(collections)
    figures["gc_pause_max_ms"] = collections.longest

    if args.qt_sort:
        model = TicketTableModel(time_format="%H:%M")
        model.set_rows(rows, now)
        proxy = QSortFilterProxyModel()
        proxy.setSortRole(SORT_ROLE)
        proxy.setSourceModel(model)
        figures["qt_proxy_sort_time_ms"] = timed(lambda: proxy.sort(1))
        figures["qt_proxy_sort_unit_ms"] = timed(lambda: proxy.sort(6))

    widget.close()
    app.processEvents()
    figures["load_average_1min"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        print(f"{key:>28}: {text}")


if __name__ == "__main__":
    main()
