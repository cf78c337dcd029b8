"""The lead's desk's 质检 tab: draw a shift's sample (each row says why it was drawn), open a
row (its ticket in the detail, the 质检评分 tab shown), score it, and see the row checked and
the operator's score in the scores table; on the seat's copy, the sample without checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.services import qa_shifts
from agent_app.services.central_seed import seed_centre
from agent_app.services.qa_desk import Sample, SampleRow, Scores, shift_seed
from agent_app.ui.lead_desk.quality_presenter import QualityPresenter, current_shift
from agent_app.ui.lead_desk.quality_view import QualityView
from agent_app.workers.tasks import TaskRunner
from tests.helpers.pg import CentralDb, require_server
from tests.helpers.window import close_workbench, open_workbench
from tests.integration.test_qa_desk import UNTIL
from tests.unit.test_qa_desk import START, _shift
from tests.unit.test_qa_shifts import NIGHT_ROSTER


def _texts(view: QualityView, column: int) -> list[str]:
    m = view.sample_proxy
    return [str(m.index(r, column).data()) for r in range(m.rowCount())]


def _idle(bench: Any, view: QualityView, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=15_000)
    bench.runner.wait_idle()
    QApplication.processEvents()


def test_on_the_seats_copy_the_sample_has_reasons_and_no_checks(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD)  # no centre: the seat's copy
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        _shift(bench.workstation.db)
        view = desk.quality_view
        titles = [desk.tabs.tabText(i) for i in range(desk.tabs.count())]
        assert titles[-1] == "质检"
        desk.tabs.setCurrentWidget(view)
        _idle(bench, view, qtbot)
        assert "连接中心" in view.scores_caption.text()
        assert not view.scores_split.isVisibleTo(view)  # no empty table and chart
        assert view.chart is None
        assert not view.period.isEnabled()
        view.day.setDate(QDate(START.year, START.month, START.day))
        view.shift.setCurrentIndex(view.shift.findData("day"))
        view.operators.setText("op1")
        view.draw_button.click()
        _idle(bench, view, qtbot)
        reasons = dict(zip(_texts(view, 0), _texts(view, 3), strict=True))
        assert reasons["20261130-S01-0001"] == "描述过短"
        assert reasons["20261130-S01-0004"] == "异议成立"
        assert sum(1 for r in reasons.values() if r == "随机") == 2
        assert set(_texts(view, 4)) == {"—"}
        assert view.counts.text().startswith("抽样 6 张 / 本班 9 张（1 名话务员）；本席数据")
    finally:
        desk.shutdown()
        close_workbench(bench)


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=300, months=1, seed=9, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("qt_lead", "lead")
        with db.admin() as conn:
            op, day = conn.execute(  # the operator's busiest day: several tickets to draw
                "SELECT operator_id, (created_at AT TIME ZONE 'Asia/Shanghai')::date "
                "FROM central.tickets GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
            ).fetchone()
        yield {"db": db, "url": db.url(lead), "op": op, "day": day}
    finally:
        db.drop()


@pytest.mark.postgres
def test_draw_open_score_and_the_operators_score_appears(
    qtbot: QtBot, tmp_path: Path, centre: dict[str, Any]
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD, central=centre["url"])
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    op = centre["op"]
    try:
        view = desk.quality_view
        desk.tabs.setCurrentWidget(view)  # first show: the current shift, the scores
        _idle(bench, view, qtbot)
        assert view.chart is not None
        before = next((s.checks for s in view.presenter.state.scores.rows if s.operator == op), 0)
        day = centre["day"]
        view.day.setDate(QDate(day.year, day.month, day.day))
        view.shift.setCurrentIndex(view.shift.findData("all"))
        view.operators.setText(op)
        view.draw_button.click()
        _idle(bench, view, qtbot)
        rows = view.presenter.state.rows
        assert rows
        assert {r.operator for r in rows} == {op}
        assert "随机" in _texts(view, 3)
        status = _texts(view, 4)
        at = status.index("未质检")
        checked = view.presenter.counts()[2]
        assert f"已质检 {checked}，待质检 {len(rows) - checked}" in view.counts.text()
        number = _texts(view, 0)[at]
        view.sample_table.selectRow(at)  # opens the ticket with the scorecard ready
        card = desk.scorecard
        assert card is not None
        qtbot.waitUntil(lambda: card.state.number == number, timeout=15_000)
        assert desk.bottom.currentWidget() is desk.scorecard_view
        card.set_mark("address", 0.0)
        card.set_mark("privacy", 0.5)
        assert card.state.score == 75
        desk.scorecard_view.save.click()
        qtbot.waitUntil(lambda: not card.state.busy, timeout=15_000)
        assert card.state.saved, card.state.message
        qtbot.waitUntil(lambda: "已质检（75 分，不合格）" in _texts(view, 4), timeout=15_000)
        _idle(bench, view, qtbot)
        assert f"已质检 {checked + 1}，" in view.counts.text()
        scores = {
            view.scores_proxy.index(r, 0).data(): (
                int(view.scores_proxy.index(r, 1).data()),
                int(view.scores_proxy.index(r, 3).data()),
            )
            for r in range(view.scores_proxy.rowCount())
        }
        assert scores[op][0] == before + 1
        assert scores[op][1] >= 1  # the failed check counts
        assert view.chart.names[0] == op or op in view.chart.names
    finally:
        desk.shutdown()
        close_workbench(bench)


class _FakeQA:
    """A source that records what it was asked."""

    partial = False
    has_scores = True

    def __init__(self) -> None:
        self.asked: list[tuple[Any, ...]] = []

    def sample(self, ops: Any, start: Any, end: Any, *, seed: int | None = None) -> Any:
        self.asked.append(("sample", tuple(ops), start, end, seed))
        row = SampleRow("t1", "N1", "op1", start.isoformat(), ("random",), checked=False)
        return Sample(start, end, (row,), ("op1",), 5)

    def scores(self, first: Any, last: Any, by: str) -> Any:
        self.asked.append(("scores", first, last, by))
        return Scores(first, last, by)


def test_the_presenter_draws_the_chosen_shift_with_a_stable_seed(qtbot: QtBot) -> None:
    runner = TaskRunner()
    source = _FakeQA()
    now = datetime(2026, 12, 6, 17, 30, tzinfo=timeutil.SHANGHAI)
    p = QualityPresenter(runner, source, now=now)
    try:
        assert (p.state.day, p.state.shift) == (date(2026, 12, 6), "evening")
        p.set_shift(date(2026, 11, 30), "night")
        p.set_operators("op1， op2,op1")
        assert p.state.operators == ("op1", "op2")
        p.draw()
        qtbot.waitUntil(lambda: p.state.sample is not None, timeout=5_000)
        _kind, ops, start, end, seed = source.asked[-1]
        assert ops == ("op1", "op2")
        assert (start.hour, end.hour, start.date()) == (0, 8, date(2026, 11, 30))
        assert seed == shift_seed(start)
        assert p.counts() == (1, 5, 0)
        with qtbot.waitSignal(p.open_requested) as opened:
            p.select("t1")
        assert opened.args == ["t1"]
        # A check saved in the scorecard: the sample and the scores are read again.
        asked = len(source.asked)
        p.scorecard_changed(SimpleNamespace(busy=True, saved=False))
        p.scorecard_changed(SimpleNamespace(busy=False, saved=True))
        qtbot.waitUntil(lambda: not p.state.loading, timeout=5_000)
        again = source.asked[asked:]  # on two workers: in either order
        assert sorted(a[0] for a in again) == ["sample", "scores"]
        assert next(a for a in again if a[0] == "sample")[4] == seed  # the same draw
        p.set_period("14d")
        qtbot.waitUntil(lambda: not p.state.loading, timeout=5_000)
        assert source.asked[-1][1:] == (date(2026, 11, 23), date(2026, 12, 6), "day")
    finally:
        runner.wait_idle()
        QApplication.processEvents()


def test_a_night_shift_past_midnight_is_the_running_one_and_is_drawn_whole(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "shifts.toml"
    path.write_text(NIGHT_ROSTER, encoding="utf-8")
    roster = qa_shifts.load_roster(path)
    at_two = datetime(2026, 12, 7, 2, tzinfo=timeutil.SHANGHAI)
    assert current_shift(at_two, roster) == (date(2026, 12, 6), "night")
    evening = datetime(2026, 12, 6, 21, 59, tzinfo=timeutil.SHANGHAI)
    assert current_shift(evening, roster) == (date(2026, 12, 6), "late")
    runner = TaskRunner()
    source = _FakeQA()
    p = QualityPresenter(runner, source, now=at_two, roster=roster)
    view = QualityView(p)
    qtbot.addWidget(view)
    try:
        assert (p.state.day, p.state.shift) == (date(2026, 12, 6), "night")
        labels = [view.shift.itemText(i) for i in range(view.shift.count())]
        assert labels == ["早班 06:00–14:00", "晚班 14:00–22:00", "夜班 22:00–次日06:00", "全天"]
        assert view.shift.currentData() == "night"
        assert view.day.date() == QDate(2026, 12, 6)
        view.draw_button.click()
        qtbot.waitUntil(lambda: p.state.sample is not None, timeout=5_000)
        _kind, _ops, start, end, _seed = source.asked[-1]
        assert (start, end) == (
            datetime(2026, 12, 6, 22, tzinfo=timeutil.SHANGHAI),
            datetime(2026, 12, 7, 6, tzinfo=timeutil.SHANGHAI),
        )
    finally:
        runner.wait_idle()
        QApplication.processEvents()


def test_a_wrong_shifts_file_leaves_the_whole_day_and_says_what_is_wrong(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = tmp_path / "kb"
    (kb / "qa").mkdir(parents=True)
    wrong = kb / "qa" / "shifts.toml"
    wrong.write_text(NIGHT_ROSTER.replace('end = "22:00"', 'end = "23:00"'), encoding="utf-8")
    monkeypatch.setenv("AGENT_APP_KB_DIR", str(kb))
    runner = TaskRunner()
    p = QualityPresenter(runner, _FakeQA(), now=datetime(2026, 12, 7, 2, tzinfo=timeutil.SHANGHAI))
    view = QualityView(p)
    qtbot.addWidget(view)
    try:
        assert [view.shift.itemData(i) for i in range(view.shift.count())] == ["all"]
        assert p.state.shift == "all"
        text = view.message.text()
        assert text.startswith(f"{wrong}: ")
        assert "overlap" in text
        view.draw_button.click()  # the whole day still draws; the problem stays in sight
        qtbot.waitUntil(lambda: p.state.sample is not None, timeout=5_000)
        assert "overlap" in view.message.text()
    finally:
        runner.wait_idle()
        QApplication.processEvents()
