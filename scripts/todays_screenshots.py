"""Screenshots of 今日工单 on a big day for docs/: the operator's window (offscreen, CJK font)
on a throwaway seat holding ``--rows`` tickets of today (the demo week copied, as
``benchmarks/bench_todays_tickets.py`` fills it), the side tab showing them; a sort by a column
in progress, long enough to say so ("正在排序…" in place of the row count), then the rows
sorted and filtered with one selected.  Writes
``docs/screenshot-todays-{busy,filtered}-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/todays_screenshots.py [--lang zh|en] [--out docs] [--rows 30000]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, Qt

from agent_app.services.seeding import seed_demo
from agent_app.ui.models import todays_table
from benchmarks.bench_operator_actions import wait_until
from benchmarks.bench_todays_tickets import fill_today
from scripts._shots import SIZES, application, arguments, operator_window, out_dir, save

SORTED_WHILE_SHOWN = (8, 0)  # 来电人, 工单号: a column not sorted before, one per size


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()
    out = out_dir(args)
    app = application(args.lang)
    # Slices of 1 ms and small pieces: a sort lasts past the hint's delay on any machine.
    todays_table.SLICE_MS = 1
    todays_table.CHUNK = 50
    with operator_window("todays-shots-") as (window, _panes, tmp):
        ws = window.ctx.workstation
        seed_demo(ws.db, extra_tickets=300)
        fill_today(ws.paths.database, args.rows)  # copies taken by this operator (op001)
        today = window.today
        window.load_tickets()
        wait_until(lambda: today.model.total() >= args.rows, "today's rows", 120)
        wait_until(lambda: not today.model.busy, "today's rows sorted", 60)
        window.side.setCurrentWidget(today)
        hint = QCoreApplication.translate("TodaysTickets", "正在排序…")
        for (width, height), column in zip(SIZES, SORTED_WHILE_SHOWN, strict=True):
            size = f"{width}x{height}"
            today.set_filter("")
            wait_until(lambda: not today.model.busy, "the filter cleared", 60)
            window.resize(width, height)
            app.processEvents()
            today.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            wait_until(lambda: today.count_label.text() == hint, "the hint", 60)
            grab = window.grab()
            target = out / f"screenshot-todays-busy-{args.lang}-{size}.png"
            if not grab.save(str(target), "PNG"):
                raise SystemExit(f"could not write {target}")
            print(target)  # noqa: T201
            wait_until(lambda: not today.model.busy, "the sort", 60)
            today.set_filter("朝阳 噪声")
            wait_until(lambda: not today.model.busy, "the filter", 60)
            today.view.selectRow(2)
            save(window, out / f"screenshot-todays-filtered-{args.lang}-{size}.png")
    print(f"{tmp}: done")  # noqa: T201


if __name__ == "__main__":
    main()
