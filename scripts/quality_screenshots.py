"""Screenshots of the quality checks for docs/: the lead's scorecard linked to a transcript
line, and the operator's 退回给我 list, over a throwaway centre seeded with
'agent-app central seed' (needs PostgreSQL on 127.0.0.1:5432).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/quality_screenshots.py
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.roles import Role
from agent_app.services import quality
from agent_app.services.central_seed import seed_centre
from agent_app.storage import repository as repo
from agent_app.ui.returned_to_me import ReturnedToMe
from scripts._shots import DOCS, centre_window, close_window, every_shot, settle, wait
from tests.gui.test_lead_desk import NOW, _ticket
from tests.helpers.pg import throwaway_centre

UNTIL = "2026-11-30T20:00+08:00"
LINES = [
    TranscriptLine(0, 4000, "您好，12345市民服务热线，请讲"),
    TranscriptLine(5000, 11000, "我家楼下的路灯坏了好几天了，晚上特别黑"),
    TranscriptLine(12000, 16000, "请问具体在什么位置"),
    TranscriptLine(17000, 24000, "东城区东华门街道，南池子大街那边"),
    TranscriptLine(25000, 29000, "好的，我们会转给相关单位处理"),
]


def main() -> None:
    app = QApplication.instance() or QApplication(["shots"])
    with throwaway_centre() as db:
        seed_centre(
            db.admin_target(),
            tickets=300,
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
                moments={"address": 17},
            )
            quality.record_check(
                conn,
                numbers[1],
                full | {"phrases": 0.5, "units": 0.0},
                comment="派单单位应为属地街道，请改派",
                return_to_operator=True,
            )
        for lang, w, h in every_shot(app):
            scorecard(app, db.url(lead), lang, w, h)
            returned(app, db.url(op), lang, w, h)


def scorecard(app: QApplication, url: str, lang: str, w: int, h: int) -> None:
    bench = centre_window(url, w, h)
    win = bench.window
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    ticket = replace(_ticket(9101, "东华门街道办事处", NOW), id=str(uuid.uuid4()), seat="S01")
    bench.workstation.save_ticket(ticket)
    with bench.workstation.db.write() as s:
        repo.save_transcript(s, ticket.id, LINES)
    wait(app, lambda: desk.review.state.rows)
    desk.detail.open(ticket.id)
    wait(app, lambda: desk.detail.state.detail is not None)
    box = desk.detail_view.transcript
    wait(app, lambda: box.document().blockCount() == len(LINES))
    bench.runner.wait_idle()
    assert desk.scorecard is not None
    box.setTextCursor(QTextCursor(box.document().findBlockByNumber(3)))
    desk.scorecard.set_moment("address", desk.selected_second())
    desk.scorecard.set_mark("address", 0.5)
    desk.scorecard.set_comment("地址缺少门牌号，请与市民核实后补全")
    desk.bottom.setCurrentWidget(desk.scorecard_view)
    desk.scorecard_view.show_state(desk.scorecard.state)
    box.setTextCursor(QTextCursor(box.document().findBlockByNumber(0)))
    desk.scorecard_view.moments["address"].click()
    settle(app)
    win.grab().save(str(DOCS / f"screenshot-lead-scorecard-{lang}-{w}x{h}.png"))
    close_window(app, bench)


def returned(app: QApplication, url: str, lang: str, w: int, h: int) -> None:
    bench = centre_window(url, w, h, role=Role.OPERATOR)
    win = bench.window
    tab = win.side.findChild(ReturnedToMe)
    assert tab is not None
    win.side.setCurrentWidget(tab.page)
    assert tab.presenter is not None
    assert tab.view is not None
    presenter = tab.presenter
    wait(app, lambda: presenter.state.rows and not presenter.state.loading)
    tab.view.table.selectRow(0)
    settle(app)
    win.grab().save(str(DOCS / f"screenshot-returned-to-me-{lang}-{w}x{h}.png"))
    close_window(app, bench)


if __name__ == "__main__":
    main()
