"""Today's tickets on a busy seat: reading, holding, sorting and filtering N rows of one day.

A throwaway seat is seeded with the demo week plus a few hundred tickets, whose rows are then
copied in SQL until the seat holds ``--rows`` tickets created today (varied content, like a
lead's seat at the end of a busy day).  Measured:

* in the worker thread, what the window runs there: the query (``Workstation.today_tickets``,
  median of three runs) and the rows' filter texts (``read_day``); the memory the returned
  ``TicketSummary`` list holds, and the texts (tracemalloc);
* on the GUI thread, with the real tab widget (``ui/todays_tickets.py``, offscreen): filling
  the table (model reset, default sort, column fit, first paint), sorting by every column
  (ascending and descending), and filtering (one word, two words, cleared);
* for comparison, Qt's own proxy sort asking the Python model for the sort role
  (``--qt-sort``): what the table would cost if the proxy sorted by itself.

    .venv/bin/python benchmarks/bench_todays_tickets.py [--rows 30000] [--qt-sort] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
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

from PySide6.QtCore import QSortFilterProxyModel, Qt
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--qt-sort", action="store_true", help="also time Qt's own proxy sort")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    figures: dict[str, float | int] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
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
        ws.close()

    widget = TodaysTickets()
    widget.resize(740, 600)
    widget.show()
    now = timeutil.now()
    figures["fill_ms"] = timed(lambda: widget.set_rows(rows, now, texts), runs=3)
    sorts = []
    for column in range(len(TicketTableModel.COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            sorts.append(timed(lambda c=column, o=order: widget.view.sortByColumn(c, o)))
    figures["sort_median_ms"] = statistics.median(sorts)
    figures["sort_max_ms"] = max(sorts)
    widget.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    figures["filter_one_word_ms"] = timed(lambda: widget.set_filter("朝阳"))
    figures["filter_shown"] = widget.proxy.rowCount()
    figures["filter_two_words_ms"] = timed(lambda: widget.set_filter("朝阳 已派单"), runs=3)
    figures["filter_clear_ms"] = timed(lambda: widget.set_filter(""), runs=1)
    widget.set_filter("朝阳")
    figures["sort_filtered_ms"] = timed(
        lambda: widget.view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    )
    widget.set_filter("")

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
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        print(f"{key:>24}: {text}")


if __name__ == "__main__":
    main()
