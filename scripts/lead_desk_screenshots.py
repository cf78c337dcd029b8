"""Screenshots of the shift lead's desk for docs/: a throwaway centre seeded with
'agent-app central seed', read as a lead login (needs PostgreSQL on 127.0.0.1:5432).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/lead_desk_screenshots.py [--tickets N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from agent_app.i18n import install
from agent_app.services.central_seed import seed_centre
from scripts import _shots
from scripts._shots import DOCS, SIZES, centre_window
from tests.helpers.pg import throwaway_centre

UNTIL = "2026-11-30T20:00+08:00"


def wait(app: QApplication, cond: Callable[[], object], seconds: float = 300) -> None:
    _shots.wait(app, cond, seconds)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=40000)
    ap.add_argument("--lang", nargs="+", default=["zh", "en"], choices=("zh", "en"))
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(["shots"])
    with throwaway_centre() as db:
        t0 = time.monotonic()
        seed_centre(
            db.admin_target(),
            tickets=args.tickets,
            months=7,
            seed=7,
            until=datetime.fromisoformat(UNTIL),
            password_lookup=None,
        )
        sys.stderr.write(f"seeded {args.tickets} tickets in {time.monotonic() - t0:.0f} s\n")
        lead = db.add_login("shot_lead", "lead")
        url = db.url(lead)
        for lang in sorted(args.lang, key=lambda x: x != "zh"):  # Chinese first, then English
            if lang != "zh":
                install(app, lang)  # type: ignore[arg-type]
            for w, h in SIZES:
                shoot(app, url, lang, w, h)


def shoot(app: QApplication, url: str, lang: str, w: int, h: int) -> None:
    bench = centre_window(url, w, h)
    win = bench.window
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    suffix = "" if (w, h) == (1366, 820) else f"-{w}"
    name = lambda part: DOCS / f"screenshot-lead-{part}-{lang}{suffix}.png"  # noqa: E731
    t0 = time.monotonic()
    wait(app, lambda: desk.review.state.rows and desk.overdue.counts is not None)
    sys.stderr.write(
        f"{lang} {w}x{h}: first queue page and the lights in {time.monotonic() - t0:.2f} s\n"
    )
    rv = desk.review_view
    rv.kind.setCurrentIndex(1)  # 在办
    rv.sort.setCurrentIndex(2)  # by due time
    rv.district.setText("朝阳区")
    rv.district.editingFinished.emit()
    wait(app, lambda: not desk.review.state.loading and desk.review.state.rows, 20)
    rv.table.selectRow(0)
    wait(app, lambda: desk.detail.state.detail is not None, 20)
    desk.build_map()
    wait(app, lambda: desk.map is not None, 20)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(name("queue")))
    desk.tabs.setCurrentWidget(desk.conflicts_view)
    wait(app, lambda: desk.conflicts.state.rows and not desk.conflicts.state.loading, 30)
    desk.conflicts_view.table.selectRow(0)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(name("conflicts")))
    fig = desk.figures
    desk.tabs.setCurrentWidget(desk.figures_view)
    view = desk.figures_view
    fig.set_month(date(2026, 11, 1))
    fig.set_month_period(date(2026, 11, 1))
    t0 = time.monotonic()
    wait(
        app,
        lambda: (
            fig.state.rankings and fig.state.rates and fig.state.hotspots and not fig.state.loading
        ),
    )
    sys.stderr.write(f"  rates, rankings, hotspots of a month in {time.monotonic() - t0:.2f} s\n")
    wait(app, lambda: desk.choropleth is not None)
    assert desk.map is not None
    desk.map.center_on(39.93, 116.40, 60000)
    fig.load_rates()
    wait(app, lambda: not fig.state.loading)
    view.rates_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # the busiest first
    busiest = view.rates_proxy.row_at(0)
    fig.show_tickets(busiest.name, "signed_in_time")  # as a double-click on its 响应率
    wait(app, lambda: fig.state.tickets and not fig.state.loading)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(name("rates")))
    view.tabs.setCurrentIndex(1)
    app.processEvents()
    win.grab().save(str(name("rankings")))
    view.tabs.setCurrentIndex(2)
    wait(app, lambda: fig.state.trend is not None and "trend" not in fig.state.loading)
    for _ in range(20):
        app.processEvents()
    win.grab().save(str(name("trend")))
    view.tabs.setCurrentIndex(3)
    app.processEvents()
    win.grab().save(str(name("hotspots")))
    desk.shutdown()
    bench.runner.wait_idle()
    win.close()
    bench.runner.wait_idle()
    bench.workstation.close()


if __name__ == "__main__":
    main()
