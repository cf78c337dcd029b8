"""Memory of a seat's window: RSS with every pane loaded, and whether it stays flat while the
large lists page through their rows again and again (DESIGN.md: <= 350 MB RSS, no speech
model; flat while lists page through).

A throwaway seat is seeded (in a child process, so that the seeding's memory is not counted)
with the demo week plus copies until ``--tickets`` tickets were created today.  This process
then builds the window as the application does (``ui/compose.py``; map and transcript strip
deferred to after the first paint, no speech model, no centre), offscreen, as the operator
(``--role operator``, the default) or the lead (``--role lead``: the desk too, which without a
centre reads the seat's tickets), and prints RSS (VmRSS of /proc/self/status):

* after the start (window painted with today's tickets, background work done);
* after each pane and tab: the form in a call, the knowledge base (a search), the map (an
  address located), 今日工单, 工单查询 (a search), the ticket detail, and for the lead every
  tab of the desk (审核队列, 异议与延期, 回访, 退回工单, 超时预警, 同步冲突, 三率与排名, 质检, ...);
* after each paging round: 今日工单 read again and scrolled through, 工单查询 for every ticket
  paged with 加载更多 (``--pages`` pages of 200) and scrolled, five tickets opened in the
  detail, the lead's review queue paged with "more", then the search cleared.  Python's
  allocated blocks are printed beside RSS: flat blocks with rising RSS is the C side (SQLite's
  page caches, the allocator), not Python objects; ``--trim`` also prints RSS after
  ``malloc_trim(0)`` (what the allocator kept but did not use).

The slope over the rounds (least squares, MB per round, the first round left out as the
warm-up of caches) and over the last half of the rounds (a cache that fills to its bound rises,
then stays) say whether memory grows; flat means < 1 MB per round over the last half.

    .venv/bin/python benchmarks/bench_memory.py [--tickets 3000] [--rounds 10] [--pages 25]
        [--role operator|lead] [--trim] [--json]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_MB = 350.0
FLAT_MB_PER_ROUND = 1.0
WAIT_S = 120.0


def rss_mb() -> float:
    """Resident set size of this process (VmRSS), in MB (10^6 bytes)."""
    return _status_kb("VmRSS") * 1024 / 1e6


def peak_mb() -> float:
    return _status_kb("VmHWM") * 1024 / 1e6


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def slope(values: list[float]) -> float:
    """Least-squares slope of ``values`` over their index (per round)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(values)
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


# Seeding (child process) -------------------------------------------------------------------


def seed(root: Path, tickets: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_todays_tickets import SEED_TICKETS, fill_today  # noqa: PLC0415

    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.services.seeding import seed_demo  # noqa: PLC0415
    from agent_app.services.workstation import Workstation  # noqa: PLC0415

    paths = DataPaths(root).ensure()
    ws = Workstation(paths, seat="S01", operator_id="op001", demo=True)
    seed_demo(ws.db, extra_tickets=SEED_TICKETS)
    ws.close()
    fill_today(paths.database, tickets)


# The window --------------------------------------------------------------------------------


class Session:
    """The window on the seeded seat, and the steps an operator and a lead take in it."""

    def __init__(self, root: Path, role: str) -> None:
        from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415
        from PySide6.QtGui import QFont  # noqa: PLC0415
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        from agent_app.app import CJK_FONTS  # noqa: PLC0415
        from agent_app.domain.roles import Role  # noqa: PLC0415
        from agent_app.paths import DataPaths, resources_dir  # noqa: PLC0415
        from agent_app.settings import Settings  # noqa: PLC0415
        from agent_app.ui.compose import compose  # noqa: PLC0415
        from agent_app.workers.gc_thread import MainThreadCollector  # noqa: PLC0415

        def quiet(_kind: object, _context: object, text: str) -> None:
            if "propagateSizeHints" not in text:  # the offscreen platform's, per window
                sys.stderr.write(text + "\n")

        qInstallMessageHandler(quiet)
        gc.disable()  # as app.run_gui: the collector below collects on the GUI thread
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.collector = MainThreadCollector(self.app)
        font = QFont()
        font.setFamilies(CJK_FONTS)
        font.setPointSize(10)
        self.app.setFont(font)
        paths = DataPaths(root)
        settings = Settings(paths.settings_file)
        settings.seat = "S01"
        self.bench = compose(paths, settings, role=Role(role), demo=False, operator_id="op001")
        self.window = self.bench.window
        self.app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
        self.loaded = 0
        self.window.tickets_loaded.connect(self._loaded)
        self.window.show()
        self.window.load_tickets()
        self.wait(lambda: self.loaded > 0, "today's tickets")
        self.wait(lambda: self.bench.panes.kb_ready, "the knowledge-base index")
        self.wait(lambda: self.window.intake is not None, "the intake service")
        self.settle()

    def _loaded(self, _rows: int) -> None:
        self.loaded += 1

    def pump(self, ms: int) -> None:
        from PySide6.QtCore import QCoreApplication  # noqa: PLC0415

        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.002)

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        from PySide6.QtCore import QCoreApplication  # noqa: PLC0415

        deadline = time.monotonic() + WAIT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {WAIT_S:.0f} s for {what}")
            QCoreApplication.processEvents()
            time.sleep(0.002)

    def settle(self, ms: int = 300) -> None:
        """Let the workers finish and their results arrive, then the event loop run a bit
        (paints, deferred deletes, the GUI-thread collector)."""
        self.bench.runner.drain()
        self.pump(ms)
        self.bench.runner.drain()

    # Panes ---------------------------------------------------------------------------------

    def show_side(self, name: str) -> None:
        side = self.window.side
        for i in range(side.count()):
            widget = side.widget(i)
            if widget is not None and widget.objectName() == name:
                side.setCurrentIndex(i)
                return
        titles = [side.tabText(i) for i in range(side.count())]
        raise LookupError(f"no side tab {name!r} among {titles}")

    def show_intake(self) -> None:
        handle = self.bench.lead_desk
        if handle is not None:
            handle.show_intake()

    def show_desk(self) -> None:
        handle = self.bench.lead_desk
        if handle is not None:
            handle.show_desk()

    def form(self) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtTest import QTest  # noqa: PLC0415

        self.show_intake()
        window = self.window
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        form = window.form
        form.phone.setText("13812345678")
        form.description.setPlainText("家里暖气不热，室内只有十五度，已经三天了，希望尽快维修。")
        self.wait(lambda: len(form.chips.buttons) >= 2, "the form's suggestions")
        self.settle()

    def kb(self) -> None:
        from agent_app.ui.panes import KB_TAB  # noqa: PLC0415

        pane = self.bench.panes.kb_pane
        assert pane is not None
        self.window.side.setCurrentWidget(self.bench.panes.side[KB_TAB])
        pane.search_box.setText("暖气不热")
        self.pump(400)  # the search box's debounce
        self.wait(lambda: not pane.worker.busy, "the knowledge-base search")
        self.settle()

    def map(self) -> None:
        from agent_app.ui.panes import MAP_TAB  # noqa: PLC0415

        self.window.side.setCurrentWidget(self.bench.panes.side[MAP_TAB])
        form = self.window.form
        form.address.setText("朝阳区望京街道望京西园三区")
        self.wait(lambda: form.place.get("township") == "望京街道", "the address")
        self.settle(600)

    def today(self) -> None:
        self.window.side.setCurrentWidget(self.window.today)
        self.scroll(self.window.today.view)
        self.settle()

    def search(self) -> None:
        self.window.side.setCurrentWidget(self.window.search_page)
        tab = self.window.search_tab
        self.search_all(pages=1)
        assert tab.result() is not None

    def detail(self) -> None:
        rows = self.window.today.model
        for r in range(min(rows.rowCount(), 3)):
            self.open_detail(rows.row_at(r).id)

    def open_detail(self, ticket_id: str) -> None:
        window = self.window.open_ticket(ticket_id)
        self.settle(150)
        window.hide()

    def desk_tabs(self) -> list[tuple[str, Callable[[], None]]]:
        handle = self.bench.lead_desk
        if handle is None:
            return []
        desk = handle.desk
        steps: list[tuple[str, Callable[[], None]]] = []
        for i in range(desk.tabs.count()):

            def show(index: int = i) -> None:
                self.show_desk()
                desk.tabs.setCurrentIndex(index)
                self.settle(400)

            steps.append((f"desk: {desk.tabs.tabText(i)}", show))
        for i in range(desk.bottom.count()):

            def show_bottom(index: int = i) -> None:
                self.show_desk()
                desk.bottom.setCurrentIndex(index)
                self.settle(400)

            steps.append((f"desk: {desk.bottom.tabText(i)}", show_bottom))
        return steps

    # Paging --------------------------------------------------------------------------------

    def scroll(self, view: Any, steps: int = 40) -> None:
        """Through the whole list, top to bottom, in ``steps`` jumps (each painted)."""
        bar = view.verticalScrollBar()
        top, bottom = bar.minimum(), bar.maximum()
        for k in range(steps + 1):
            bar.setValue(top + (bottom - top) * k // steps)
            view.viewport().repaint()
        bar.setValue(top)

    def search_all(self, pages: int) -> int:
        """工单查询 with no condition (every ticket), ``pages`` pages; rows shown."""
        tab = self.window.search_tab
        done: list[object] = []
        tab.searched.connect(done.append)
        try:
            tab.clear()
            tab.search()
            self.wait(lambda: len(done) == 1, "the search")
            for page in range(1, pages):
                result = tab.result()
                if result is None or not result.more:
                    break
                tab.load_more()
                self.wait(lambda p=page: len(done) == p + 1, "the next page")
        finally:
            tab.searched.disconnect(done.append)
        self.scroll(tab.view)
        return int(tab.model.rowCount())

    def review_pages(self, pages: int) -> int:
        handle = self.bench.lead_desk
        if handle is None:
            return 0
        review = handle.desk.review
        review.refresh()
        self.wait(lambda: not review.state.loading, "the review queue")
        for _ in range(1, pages):
            if review.state.next is None:
                break
            review.more()
            self.wait(lambda: not review.state.loading, "the review queue's next page")
        handle.desk.tabs.setCurrentWidget(handle.desk.review_view)
        self.settle(100)
        return len(review.state.rows)

    def paging_round(self, pages: int) -> dict[str, int]:
        self.show_intake()
        self.window.side.setCurrentWidget(self.window.today)
        before = self.loaded
        self.window.load_tickets()
        self.wait(lambda: self.loaded > before, "today's tickets")
        self.scroll(self.window.today.view)
        today_rows = int(self.window.today.model.rowCount())
        self.window.side.setCurrentWidget(self.window.search_page)
        found = self.search_all(pages)
        model = self.window.today.model
        for r in range(0, today_rows, max(today_rows // 5, 1)):
            self.open_detail(model.row_at(r).id)
        self.show_desk()
        review = self.review_pages(pages)
        self.show_intake()
        self.window.search_tab.clear()
        self.settle()
        return {"today_rows": today_rows, "search_rows": found, "review_rows": review}

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent  # noqa: PLC0415

        self.bench.runner.wait_idle()
        self.bench.wiring.shutdown()
        self.window.close()
        self.bench.runner.drain()
        self.bench.shutdown()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def malloc_trim() -> bool:
    """Give the C allocator's free pages back to the system (glibc); False elsewhere."""
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def measure(
    root: Path, rounds: int, pages: int, *, role: str, quiet: bool, trim: bool = False
) -> dict[str, Any]:
    def say(text: str) -> None:
        if not quiet:
            print(text, flush=True)

    figures: dict[str, Any] = {"interpreter_mb": round(rss_mb(), 1)}
    began = time.perf_counter()
    session = Session(root, role)
    figures["start_s"] = round(time.perf_counter() - began, 1)
    figures["start_mb"] = round(rss_mb(), 1)
    say(f"{'interpreter':>28}: {figures['interpreter_mb']:7.1f} MB")
    say(f"{'start (painted, background)':>28}: {figures['start_mb']:7.1f} MB")
    panes: dict[str, float] = {}
    steps: list[tuple[str, Callable[[], None]]] = [
        ("form (a call)", session.form),
        ("knowledge base", session.kb),
        ("map (address located)", session.map),
        ("今日工单", session.today),
        ("工单查询", session.search),
        ("ticket detail", session.detail),
        *session.desk_tabs(),
    ]
    for name, step in steps:
        step()
        panes[name] = round(rss_mb(), 1)
        say(f"{name:>28}: {panes[name]:7.1f} MB")
    figures["panes_mb"] = panes
    figures["all_panes_mb"] = round(rss_mb(), 1)
    series: list[float] = []
    blocks: list[int] = []
    trimmed: list[float] = []
    for n in range(1, rounds + 1):
        t0 = time.perf_counter()
        rows = session.paging_round(pages)
        series.append(round(rss_mb(), 1))
        blocks.append(sys.getallocatedblocks())
        extra = ""
        if trim:
            malloc_trim()
            trimmed.append(round(rss_mb(), 1))
            extra = f", {trimmed[-1]:.1f} MB after malloc_trim"
        say(
            f"{'round ' + str(n):>28}: {series[-1]:7.1f} MB  ({time.perf_counter() - t0:.1f} s; "
            f"today {rows['today_rows']:,}, search {rows['search_rows']:,}, "
            f"review {rows['review_rows']:,} rows; {blocks[-1]:,} Python blocks{extra})"
        )
        figures["rows"] = rows
    session.close()
    figures["rounds_mb"] = series
    figures["rounds_python_blocks"] = blocks
    figures["python_blocks_per_round"] = round(slope(blocks[1:] if len(blocks) > 2 else blocks))
    if trim:
        figures["rounds_trimmed_mb"] = trimmed
    steady = series[1:] if len(series) > 2 else series
    figures["slope_mb_per_round"] = round(slope(steady), 2)
    # a cache that fills up to its bound (SQLite's page caches) rises, then stays: the last
    # half of the rounds says whether the growth goes on
    figures["slope_last_half_mb_per_round"] = round(slope(series[len(series) // 2 :]), 2)
    figures["peak_mb"] = round(peak_mb(), 1)
    figures["max_mb"] = max([figures["all_panes_mb"], *series])
    figures["within_budget"] = figures["peak_mb"] <= BUDGET_MB
    figures["flat"] = figures["slope_last_half_mb_per_round"] < FLAT_MB_PER_ROUND
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=3_000, help="tickets created today")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--role",
        choices=("operator", "lead"),
        default="operator",
        help="lead: also the lead's desk (without a centre: on the seat's tickets)",
    )
    parser.add_argument("--pages", type=int, default=25, help="search/review pages per round")
    parser.add_argument(
        "--trim",
        action="store_true",
        help="diagnosis: after each round also malloc_trim(0) and print RSS again",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)  # the child's work
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get("AGENT_APP_DB_KEY_FILE"):
            # the seat database is encrypted; without an OS keyring the key comes from a file
            key_file = Path(tmp) / "seat.key"
            key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            key_file.chmod(0o600)
            os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
        if args.seed_into is not None:
            seed(args.seed_into, args.tickets)
            return 0
        root = Path(tmp) / "seat"
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--seed-into", str(root), "--tickets", str(args.tickets)],
            check=True,
            cwd=ROOT,
        )
        seeded_s = time.perf_counter() - t0
        if not args.json:
            print(f"seeded {args.tickets:,} tickets of today in {seeded_s:.0f} s (not counted)")
        figures = measure(
            root, args.rounds, args.pages, role=args.role, quiet=args.json, trim=args.trim
        )
    figures = {
        "role": args.role,
        "tickets": args.tickets,
        "rounds": args.rounds,
        "pages": args.pages,
        **figures,
    }
    figures["load_average"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    print(
        f"peak {figures['peak_mb']:.0f} MB (budget {BUDGET_MB:.0f} MB: "
        f"{'OK' if figures['within_budget'] else 'OVER'}); rounds "
        f"{min(figures['rounds_mb']):.0f}-{max(figures['rounds_mb']):.0f} MB, slope "
        f"{figures['slope_mb_per_round']:+.2f} MB/round over rounds 2-{args.rounds}, "
        f"{figures['slope_last_half_mb_per_round']:+.2f} over the last half "
        f"({'flat' if figures['flat'] else 'GROWS'}); load average {figures['load_average']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
