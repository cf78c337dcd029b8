"""Screenshots of the 退回给我（N） count for docs/: an operator's window after a sync cycle
at a throwaway centre where a lead returned two of the operator's tickets — the count on the
tab's title and the notice in the status bar (needs PostgreSQL on 127.0.0.1:5432).

    AGENT_APP_DB_KEY_FILE=<0600 key file> QT_QPA_PLATFORM=offscreen \\
        .venv/bin/python scripts/returned_count_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from PySide6.QtWidgets import QApplication

from agent_app.domain.roles import Role
from agent_app.services import quality
from agent_app.services.central_seed import seed_centre
from agent_app.ui.returned_to_me import ReturnedToMe
from scripts._shots import DOCS, centre_window, close_window, every_shot, seat_key, settle, wait
from tests.helpers.pg import throwaway_centre

UNTIL = "2026-11-30T20:00+08:00"


def main() -> None:
    seat_key(Path(tempfile.mkdtemp()))
    app = QApplication.instance() or QApplication(["shots"])
    with throwaway_centre() as db:
        seed_centre(
            db.admin_target(),
            tickets=120,
            months=1,
            seed=7,
            until=datetime.fromisoformat(UNTIL),
            password_lookup=None,
        )
        lead = db.add_login("shot_lead", "lead")
        op = db.add_login("shot_op", "operator")
        with db.admin() as conn:
            numbers = [
                r[0]
                for r in conn.execute(
                    "SELECT number FROM central.tickets ORDER BY created_at LIMIT 3"
                ).fetchall()
            ]
            conn.execute(
                "UPDATE central.tickets SET created_by = %s WHERE number = ANY(%s)", (op, numbers)
            )
        with psycopg.connect(db.url(lead), autocommit=True) as conn:
            full = {i.key: 1.0 for i in quality.load_scorecard().items}
            quality.record_check(
                conn,
                numbers[0],
                full | {"address": 0.0},
                comment="地址缺少门牌号，请与市民核实后补全",
                return_to_operator=True,
            )
            quality.record_check(
                conn,
                numbers[1],
                full | {"units": 0.0},
                comment="派单单位应为属地街道，请改派",
                return_to_operator=True,
            )
        for lang, w, h in every_shot(app):
            shot(app, db.url(op), lang, w, h)


def shot(app: QApplication, url: str, lang: str, w: int, h: int) -> None:
    # A seat with its id: the sync runs against the centre, and its first cycle counts.
    bench = centre_window(url, w, h, role=Role.OPERATOR, seat="S01")
    tab = bench.window.side.findChild(ReturnedToMe)
    assert tab is not None
    wait(app, lambda: tab.count == 2 and not tab.notice.isHidden())
    if tab.count != 2:
        raise SystemExit("the count did not come (is the centre reachable?)")
    bench.runner.wait_idle()
    settle(app)
    target = DOCS / f"screenshot-returned-count-{lang}-{w}x{h}.png"
    if not bench.window.grab().save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")
    print(target)  # noqa: T201
    close_window(app, bench)


if __name__ == "__main__":
    main()
