"""Screenshots of 催办 from the lead's 超时预警 tab for docs/: a throwaway centre seeded up
to now (so tickets are overdue), read and chased as a lead login (needs PostgreSQL on
127.0.0.1:5432).  One unit's overdue tickets chased with the template note, one of them
closed at the centre meanwhile (未送达 with the centre's reason); and the note dialog.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/chase_screenshots.py
"""

from __future__ import annotations

import faulthandler
import os
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agent_app.domain import timeutil  # noqa: E402
from agent_app.domain.roles import Role  # noqa: E402
from agent_app.i18n import install  # noqa: E402
from agent_app.paths import DataPaths  # noqa: E402
from agent_app.services.central_seed import seed_centre  # noqa: E402
from agent_app.settings import Settings  # noqa: E402
from agent_app.ui.compose import compose  # noqa: E402
from agent_app.ui.lead_desk.chase import ChaseDialog  # noqa: E402
from tests.helpers.pg import CentralDb, require_server  # noqa: E402


def wait(app: QApplication, cond: object, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not cond():  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication) -> None:
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    faulthandler.dump_traceback_later(240, exit=True)  # a hang shows where it is
    app = QApplication.instance() or QApplication(["shots"])
    if not os.environ.get("AGENT_APP_DB_KEY_FILE"):  # the seats' key, as kiosks and CI do
        key_file = Path(tempfile.mkdtemp()) / "seat.key"
        key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        key_file.chmod(0o600)
        os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
    db = CentralDb(require_server()).create()
    try:
        until = timeutil.now().replace(minute=0, second=0, microsecond=0)
        seed_centre(
            db.admin_target(), tickets=3000, months=2, seed=7, until=until, password_lookup=None
        )
        lead = db.add_login("shot_lead", "lead")
        # Per screenshot, six open tickets with one street, past their time limit (the seed
        # ends now, so only a handful are overdue, each with its own unit): what the lead
        # chases there.
        shots = [(lang, w, h) for lang in ("zh", "en") for w, h in ((1366, 820), (1920, 1080))]
        units = ["东华门街道办事处", "景山街道办事处", "交道口街道办事处", "安定门街道办事处"]
        with db.admin() as conn:
            numbers = [
                r[0]
                for r in conn.execute(
                    "SELECT number FROM central.tickets WHERE status IN ('SIGNED', "
                    "'CONTACTED', 'IN_PROGRESS') ORDER BY number LIMIT %s",
                    (6 * len(shots),),
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
        for (lang, w, h), unit in zip(shots, units, strict=True):
            if lang != "zh" and app.property("lang") != lang:
                install(app, lang)
                app.setProperty("lang", lang)
            shoot(app, db, db.url(lead), unit, lang, w, h)
    finally:
        db.drop()


def shoot(app: QApplication, db: CentralDb, url: str, unit: str, lang: str, w: int, h: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    paths = DataPaths(tmp / "seat").ensure()
    settings = Settings(paths.settings_file)
    settings.seat = f"LEAD{w}{lang}".upper()  # the lead's own seat id at the centre
    bench = compose(paths, settings, role=Role.LEAD, demo=False, central=url, defer=False,
                    start_after_paint=False)  # fmt: skip
    win = bench.window
    win.resize(w, h)
    win.show()
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
    shot.save(str(ROOT / "docs" / f"screenshot-lead-chase-dialog-{suffix}.png"))
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
    win.grab().save(str(ROOT / "docs" / f"screenshot-lead-chase-{suffix}.png"))
    sys.stderr.write(f"{suffix}: {view.chaser.state.message}\n")
    desk.shutdown()
    bench.runner.wait_idle()
    bench.wiring.shutdown()
    win.close()
    bench.runner.wait_idle()
    bench.workstation.close()


if __name__ == "__main__":
    main()
