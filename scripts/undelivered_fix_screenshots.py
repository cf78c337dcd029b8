"""Screenshots of the correction view (更正) for docs/: an operator's window after a sync cycle
in which the seat refused to send a ticket whose description is too long (the centre's rule),
the undelivered list opened from the status bar's "未送达 N", and 更正 opened on that row:
the reason at the top, the description highlighted and focused (needs PostgreSQL on
127.0.0.1:5432).  Writes ``docs/screenshot-undelivered-fix-{zh,en}-{1366x820,1920x1080}.png``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/undelivered_fix_screenshots.py
"""

from __future__ import annotations

import faulthandler
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from agent_app.domain.roles import Role
from agent_app.storage import cipher
from scripts._shots import DOCS, centre_window, close_window, every_shot, seat_key, settle, wait
from tests.helpers.pg import CentralDb, add_tickets, throwaway_centre

TITLE = 26  # the title bar drawn over a dialog's grab (offscreen windows have no frame)
FRAME = QColor("#3b5998")
VCENTER = int(Qt.AlignmentFlag.AlignVCenter)
LONG = (
    "来电人反映：朝阳区望京西园三区5号楼2单元楼道灯不亮已一周，夜间上下楼不便，"
    "有老人摔倒，物业称需等街道审批。来电人要求尽快修复并告知进展。"
) * 70


def main() -> None:
    faulthandler.dump_traceback_later(600, exit=True)  # a hang shows where it is
    app = QApplication.instance() or QApplication(["shots"])
    seat_key(Path(tempfile.mkdtemp()))
    with throwaway_centre() as db:
        op = db.add_login("fix_op", "operator")
        for lang, w, h in every_shot(app):
            shoot(app, db, op, lang, w, h)


def _framed(painter: QPainter, dialog: QWidget, x: int, y: int) -> None:
    """``dialog`` drawn at (x, y) under a plain title bar."""
    painter.fillRect(x - 1, y - TITLE - 1, dialog.width() + 2, dialog.height() + TITLE + 2, FRAME)
    painter.setPen(QColor("white"))
    painter.drawText(x + 10, y - TITLE, dialog.width() - 20, TITLE, VCENTER, dialog.windowTitle())
    painter.drawPixmap(QPoint(x, y), dialog.grab())


def shoot(app: QApplication, db: CentralDb, op: str, lang: str, w: int, h: int) -> None:
    seat = f"F{w}{lang}".upper()
    bench = centre_window(db.url(op), w, h, role=Role.OPERATOR, seat=seat)
    win, ws, wiring = bench.window, bench.workstation, bench.wiring
    status = wiring.sync_status
    _fine, long = add_tickets(ws.db, seat, 2, operator=op, seed=w + 7)
    con = cipher.connect(ws.paths.database)  # saved by an older seat: longer than the rule
    text = LONG[:4090]
    con.execute("UPDATE tickets SET description = ? WHERE id = ?", (text, long))
    con.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.description', ?) WHERE ticket_id = ?",
        (text, long),
    )
    con.commit()
    con.close()
    wait(app, lambda: wiring.sync_controller is not None)
    assert wiring.sync_controller is not None
    wiring.sync_controller.sync_now()
    wait(app, lambda: status.undelivered_link.text().endswith(" 1"))
    status.undelivered_link.click()
    dialog = status.dialog
    assert dialog is not None
    presenter = dialog.presenter
    wait(app, lambda: presenter.state.loaded and not presenter.state.loading)
    buttons = dialog.actions_for(long)
    assert buttons is not None
    buttons.correct_button.click()
    view = dialog.correction
    assert view is not None
    wait(app, lambda: view.presenter.state.correction is not None)
    settle(app)
    shot: QPixmap = win.grab()
    painter = QPainter(shot)
    x, y = (w - dialog.width()) // 2, (h - dialog.height()) // 3
    _framed(painter, dialog, x, y)
    vx, vy = (w - view.width()) // 2, max(TITLE + 4, (h - view.height()) // 2)
    _framed(painter, view, vx, vy)
    painter.end()
    target = DOCS / f"screenshot-undelivered-fix-{lang}-{w}x{h}.png"
    if not shot.save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")
    print(target)  # noqa: T201
    view.close()
    dialog.close()
    close_window(app, bench)


if __name__ == "__main__":
    main()
