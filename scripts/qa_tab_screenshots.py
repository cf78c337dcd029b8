"""Screenshots of the lead's desk's 质检 tab for docs/: a shift's sample (why each ticket was
drawn, checked or not) with one row opened under its scorecard, and the operators' QA scores
with the chart, over a throwaway centre seeded with 'agent-app central seed' (needs PostgreSQL
on 127.0.0.1:5432).

    QT_QPA_PLATFORM=offscreen AGENT_APP_DB_KEY_FILE=/path/to/0600-key \
        .venv/bin/python scripts/qa_tab_screenshots.py
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.services import qa_desk, quality
from agent_app.services.central_seed import seed_centre
from agent_app.services.qa_desk import shift_seed
from agent_app.storage.central.connect import parse_url
from scripts._shots import DOCS, centre_window, close_window, every_shot, settle, wait
from tests.helpers.pg import throwaway_centre


def main() -> None:
    app = QApplication.instance() or QApplication(["shots"])
    until = timeutil.now().astimezone(timeutil.SHANGHAI).replace(minute=0, second=0, microsecond=0)
    with throwaway_centre() as db:
        seed_centre(
            db.admin_target(),
            tickets=3000,
            months=2,
            seed=7,
            until=until,
            password_lookup=None,
        )
        lead = db.add_login("shot_qa_lead", "lead")
        with db.admin() as conn:
            day = conn.execute(  # the busiest recent day: a full sample
                "SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM central.tickets "
                "WHERE created_at >= %s GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
                (until - timedelta(days=7),),
            ).fetchone()[0]
        start, end = qa_desk.shift_range(day, "day")
        with db.admin() as conn:  # a few short descriptions: rows a rule drew
            conn.execute(
                "UPDATE central.tickets SET data = jsonb_set(data, '{description}', "
                "'\"路灯不亮\"') WHERE id IN (SELECT id FROM central.tickets "
                "WHERE created_at >= %s AND created_at < %s ORDER BY created_at, id LIMIT 4)",
                (start, end),
            )
        # A few of the shift's sampled tickets checked already: one passed, one returned.
        sample = qa_desk.CentralQA(parse_url(db.url(lead))).sample(
            [], start, end, seed=shift_seed(start)
        )
        full = {i.key: 1.0 for i in quality.load_scorecard().items}
        with psycopg.connect(db.url(lead), autocommit=True) as conn:
            for i, row in enumerate(sample.rows[:5]):
                marks = full if i % 2 == 0 else full | {"address": 0.0, "phrases": 0.5}
                quality.record_check(
                    conn,
                    row.number,
                    marks,
                    comment="" if i % 2 == 0 else "地址缺少门牌号，请补全",
                    return_to_operator=i % 2 == 1,
                )
        for lang, w, h in every_shot(app):
            shot(app, db.url(lead), day, lang, w, h)


def shot(app: QApplication, url: str, day: object, lang: str, w: int, h: int) -> None:
    bench = centre_window(url, w, h)
    win = bench.window
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    view = desk.quality_view
    desk.tabs.setCurrentWidget(view)
    wait(app, lambda: not view.presenter.state.loading)
    assert isinstance(day, datetime) or hasattr(day, "year")
    view.day.setDate(QDate(day.year, day.month, day.day))  # type: ignore[attr-defined]
    view.shift.setCurrentIndex(view.shift.findData("day"))
    view.draw()
    wait(app, lambda: not view.presenter.state.loading and view.presenter.state.rows)
    rows = view.presenter.state.rows
    open_rows = [i for i, r in enumerate(rows) if not r.checked]
    flagged = [i for i in open_rows if rows[i].reasons != ("random",)]
    at = (flagged or open_rows or [0])[0]
    view.sample_table.selectRow(at)
    card = desk.scorecard
    assert card is not None
    wait(app, lambda: card.state.number == rows[at].number)
    card.set_mark("description", 0.5)
    view.scores_table.selectRow(0)
    view.sample_table.scrollTo(view.sample_table.currentIndex())
    bench.runner.wait_idle()
    settle(app)
    win.grab().save(str(DOCS / f"screenshot-lead-qa-{lang}-{w}x{h}.png"))
    close_window(app, bench)


if __name__ == "__main__":
    main()
