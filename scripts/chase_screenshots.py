"""Screenshots of 催办 from the lead's 超时预警 tab for docs/: a throwaway centre seeded up
to now (so tickets are overdue), read and chased as a lead login (needs PostgreSQL on
127.0.0.1:5432).  One unit's overdue tickets chased with the template note, one of them
closed at the centre meanwhile (未送达 with the centre's reason); and the note dialog.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/chase_screenshots.py
"""

from __future__ import annotations

import faulthandler
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.services.central_seed import seed_centre
from agent_app.ui.lead_desk.chase import ChaseDialog
from scripts._shots import DOCS, centre_window, every_shot, seat_key, settle, wait
from tests.helpers.pg import CentralDb, throwaway_centre


def main() -> None:
    faulthandler.dump_traceback_later(240, exit=True)  # a hang shows where it is
    app = QApplication.instance() or QApplication(["shots"])
    seat_key(Path(tempfile.mkdtemp()))
    with throwaway_centre() as db:
        until = timeutil.now().replace(minute=0, second=0, microsecond=0)
        seed_centre(
            db.admin_target(), tickets=3000, months=2, seed=7, until=until, password_lookup=None
        )
        lead = db.add_login("shot_lead", "lead")
        # Per screenshot, six open tickets with one street, past their time limit (the seed
        # ends now, so only a handful are overdue, each with its own unit): what the lead
        # chases there.
        units = ["东华门街道办事处", "景山街道办事处", "交道口街道办事处", "安定门街道办事处"]
        with db.admin() as conn:
            numbers = [
                r[0]
                for r in conn.execute(
                    "SELECT number FROM central.tickets WHERE status IN ('SIGNED', "
                    "'CONTACTED', 'IN_PROGRESS') ORDER BY number LIMIT %s",
                    (6 * len(units),),
                ).fetchall()
            ]
            for i, number in enumerate(numbers):
                unit, k = units[i // 6], i % 6
                due = until - timedelta(hours=2 + 7 * k, minutes=13 * k)
                conn.execute(
                    "UPDATE central.tickets SET main_unit = %s, data = data || "
                    "jsonb_build_object('due_at', %s::text, 'main_unit', %s::text), "
                    "version = nextval('central.ticket_version_seq') WHERE number = %s",
                    (unit, due.isoformat(), unit, number),
                )
        for (lang, w, h), unit in zip(every_shot(app), units, strict=True):
            shoot(app, db, db.url(lead), unit, lang, w, h)


def shoot(app: QApplication, db: CentralDb, url: str, unit: str, lang: str, w: int, h: int) -> None:
    bench = centre_window(url, w, h, seat=f"LEAD{w}{lang}".upper())  # the lead's own seat id
    win = bench.window
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    view = desk.overdue_view
    desk.tabs.setCurrentWidget(view)
    wait(app, lambda: view.presenter.state.rows and desk.overdue.counts is not None)
    view.unit_filter.setText(unit)
    view.unit_filter.editingFinished.emit()
    wait(app, lambda: not view.presenter.state.loading and view.presenter.state.rows)
    rows = view.presenter.state.rows
    st = view.presenter.state
    sys.stderr.write(f"{lang} {w}: {len(rows)} rows of {unit}, total {st.total}, {st.error!r}\n")
    view.table.selectRow(0)
    view.select_same_unit()
    ids = view.selected_ids()
    numbers = [r.number for r in view.chaser.rows_of(ids)]
    template = view.chaser.template(ids)
    # The dialog over the window, as the lead sees it before pressing 催办.
    dialog = ChaseDialog(numbers, template, win)
    dialog.show()
    settle(app)
    shot = win.grab()
    painter = QPainter(shot)
    painter.drawPixmap(QPoint((w - dialog.width()) // 2, (h - dialog.height()) // 3), dialog.grab())
    painter.end()
    suffix = f"{lang}-{w}x{h}"
    shot.save(str(DOCS / f"screenshot-lead-chase-dialog-{suffix}.png"))
    dialog.close()
    dialog.deleteLater()
    # One of them closed at the centre meanwhile: the centre refuses its chase.
    with db.admin() as conn:
        conn.execute(
            "UPDATE central.tickets SET status = 'CLOSED', "
            'data = data || \'{"status": "CLOSED"}\', '
            "version = nextval('central.ticket_version_seq') WHERE number = %s",
            (rows[-1].number,),
        )
    view.ask_note = lambda _parent, _numbers, text: text
    view.chase_selected()
    wait(app, lambda: not view.chaser.state.busy and view.chaser.state.outcomes)
    view.table.selectRow(0)
    wait(app, lambda: desk.detail.state.detail is not None)
    settle(app)
    win.grab().save(str(DOCS / f"screenshot-lead-chase-{suffix}.png"))
    sys.stderr.write(f"{suffix}: {view.chaser.state.message}\n")
    desk.shutdown()
    bench.runner.wait_idle()
    bench.wiring.shutdown()
    win.close()
    bench.runner.wait_idle()
    bench.workstation.close()


if __name__ == "__main__":
    main()
