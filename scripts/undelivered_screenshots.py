"""Screenshots of the 未送达 list for docs/: an operator's window after a sync cycle at a
throwaway centre that refused four of the seat's changes (a number clash, a number of another
seat, a damaged change, a 催办 on a ticket closed meanwhile), the list opened from the status
bar's "未送达 N", one row resent (delivered) and one that still breaks a rule (needs
PostgreSQL on 127.0.0.1:5432).  Writes
``docs/screenshot-undelivered-{zh,en}-{1366x820,1920x1080}.png``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/undelivered_screenshots.py
"""

from __future__ import annotations

import faulthandler
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication

from agent_app.domain.followup import FollowupKind
from agent_app.domain.roles import Role
from agent_app.services import followup
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.ui import undelivered as ui
from scripts._shots import DOCS, centre_window, close_window, every_shot, seat_key, settle, wait
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

TITLE = 26  # the title bar drawn over the dialog's grab (offscreen windows have no frame)
FRAME = QColor("#3b5998")
VCENTER = int(Qt.AlignmentFlag.AlignVCenter)


def main() -> None:
    faulthandler.dump_traceback_later(600, exit=True)  # a hang shows where it is
    app = QApplication.instance() or QApplication(["shots"])
    seat_key(Path(tempfile.mkdtemp()))
    with throwaway_centre() as db:
        op = db.add_login("shot_op", "operator")
        other = db.add_login("shot_other", "operator")
        for lang, w, h in every_shot(app):
            shoot(app, db, op, other, lang, w, h)


def _synced_elsewhere(db: CentralDb, login: str, seat: str, n: int, seed: int) -> list[str]:
    """``n`` tickets of ``seat`` at the centre (sent from a seat database of their own)."""
    root = Path(tempfile.mkdtemp()) / "seat"
    seat_db = new_seat(root)
    try:
        ids = add_tickets(seat_db, seat, n, operator=login, seed=seed)
        engine = SyncEngine(seat_db, db.target(login), seat=seat, password_lookup=None)
        assert engine.sync_once().complete
    finally:
        seat_db.dispose()
    with db.admin() as conn:
        return [
            conn.execute("SELECT number FROM central.tickets WHERE id = %s", (i,)).fetchone()[0]
            for i in ids
        ]


def shoot(app: QApplication, db: CentralDb, op: str, other: str, lang: str, w: int, h: int) -> None:
    seat = f"S{w}{lang}".upper()
    # The seat was set up again on a fresh database: its first number is at the centre already.
    _synced_elsewhere(db, op, seat, 1, seed=w)
    # A ticket another seat took, closed meanwhile: a 催办 on it is refused.
    (closed,) = _synced_elsewhere(db, other, f"X{w}{lang}".upper(), 1, seed=w + 1)
    with db.admin() as conn:
        conn.execute(
            "UPDATE central.tickets SET status = 'CLOSED', data = data || "
            "'{\"status\": \"CLOSED\"}', version = nextval('central.ticket_version_seq') "
            "WHERE number = %s",
            (closed,),
        )
    bench = centre_window(db.url(op), w, h, role=Role.OPERATOR, seat=seat)
    win, ws, wiring = bench.window, bench.workstation, bench.wiring
    status = wiring.sync_status
    clash, foreign, broken, damaged = add_tickets(ws.db, seat, 4, operator=op, seed=w + 2)
    followup.record_follow_up(
        ws.db, closed, FollowupKind.CHASE, text="来电人再次催促：路灯仍不亮，请尽快处理。",
        role=Role.OPERATOR, actor_id=op,
    )  # fmt: skip
    con = cipher.connect(ws.paths.database)
    for tid in (foreign, broken):  # sent with another seat's number: refused by the centre
        con.execute(
            "UPDATE outbox SET payload = json_set(payload, '$.number', "
            "replace(json_extract(payload, '$.number'), ?, 'S99')) WHERE ticket_id = ?",
            (seat, tid),
        )
    con.execute(  # a damaged change: not valid here, never sent
        "UPDATE outbox SET payload = json_set(payload, '$.created_at', '2026-13-45T99:00') "
        "WHERE ticket_id = ?",
        (damaged,),
    )
    con.execute(  # and this ticket itself breaks a rule now
        "UPDATE tickets SET description = ? WHERE id = ?", ("情况说明" * 1001, broken)
    )
    con.commit()
    con.close()
    wait(app, lambda: wiring.sync_controller is not None)
    assert wiring.sync_controller is not None
    wiring.sync_controller.sync_now()
    wait(app, lambda: status.undelivered_link.text().endswith(" 5"))
    status.undelivered_link.click()
    dialog = status.dialog
    assert dialog is not None
    presenter = dialog.presenter
    wait(app, lambda: presenter.state.loaded and not presenter.state.loading)
    presenter.resend(damaged)  # the ticket is fine: delivered at the next sync
    wait(app, lambda: _outcome(presenter, damaged) == ui.DELIVERED)
    presenter.resend(broken)  # still too long: not sent, the row says what to fix
    wait(app, lambda: _outcome(presenter, broken) == ui.INVALID)
    wait(app, lambda: presenter.state.loaded and not presenter.state.loading)
    settle(app)
    shot = win.grab()
    painter = QPainter(shot)  # the dialog over the window, under a plain title bar
    x, y = (w - dialog.width()) // 2, (h - dialog.height()) // 3
    painter.fillRect(x - 1, y - TITLE - 1, dialog.width() + 2, dialog.height() + TITLE + 2, FRAME)
    painter.setPen(QColor("white"))
    painter.drawText(x + 10, y - TITLE, dialog.width() - 20, TITLE, VCENTER, dialog.windowTitle())
    painter.drawPixmap(QPoint(x, y), dialog.grab())
    painter.end()
    target = DOCS / f"screenshot-undelivered-{lang}-{w}x{h}.png"
    if not shot.save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")
    print(target)  # noqa: T201
    dialog.close()
    close_window(app, bench)


def _outcome(presenter: ui.UndeliveredPresenter, key: str) -> str:
    row = presenter.row(key)
    return row.outcome if row is not None else ""


if __name__ == "__main__":
    main()
