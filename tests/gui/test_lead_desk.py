"""The shift lead's desk: what a lead relies on, driven through the presenters and views.

The figures and the queue are read from a constructed set of tickets through the seat's
source (the same arithmetic as the centre's, over plain tickets): two months of townships
with known signing and callbacks, open tickets with known time limits.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from agent_app.domain.lifecycle import Status
from agent_app.domain.rates import CLASSES
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.timeutil import SHANGHAI
from agent_app.paths import DataPaths
from agent_app.services import audit
from agent_app.services.conflicts import ConflictRefused
from agent_app.services.lead_desk import SeatFigures, SeatReview, overdue_counts
from agent_app.services.reports.figures import definitions
from agent_app.services.workstation import Workstation
from agent_app.ui.lead_desk.detail import DeskDetailPresenter
from agent_app.ui.lead_desk.presenters import (
    ConflictsPresenter,
    FiguresPresenter,
    OverduePresenter,
    ReviewPresenter,
)
from agent_app.ui.lead_desk.views import ConflictsView, FiguresView, OverdueBar, ReviewView
from agent_app.workers.tasks import TaskRunner
from tests.helpers.window import close_workbench, open_workbench

TOWNSHIPS = (
    "东华门街道办事处",
    "景山街道办事处",
    "交道口街道办事处",
    "安定门街道办事处",
    "北新桥街道办事处",
    "东四街道办事处",
    "朝阳门街道办事处",
    "建国门街道办事处",
)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
MONTH = date(2026, 11, 1)


def _ticket(
    n: int,
    unit: str,
    at: datetime,
    *,
    signed_min: int | None = 10,
    callback: tuple[bool, str] | None = None,
    status: Status = Status.CLOSED,
    due: datetime | None = None,
) -> Ticket:
    events = [TicketEvent(at, "transition", "operator", "op1", "INTAKE", "DISPATCHED", {})]
    if signed_min is not None:
        signed = at + timedelta(minutes=signed_min)
        events.append(TicketEvent(signed, "transition", "handler", "h", "DISPATCHED", "SIGNED"))
    if callback is not None:
        resolved, sat = callback
        data = {"callback": {"resolved": resolved, "satisfaction": sat}}
        events.append(
            TicketEvent(
                at + timedelta(days=2), "transition", "center", "c", "REVISIT", "CLOSED", data
            )
        )
    return Ticket(
        id=f"t{n:05d}",
        number=f"20261101-S01-{n:04d}",
        created_at=at,
        seat="S01",
        operator_id="op1",
        category_code="04.05.001",
        category_name="城市管理/路灯照明/路灯不亮",
        place=Place(address="东城区某街1号", district="东城区", township=unit[:3]),
        main_unit=unit,
        due_at=due,
        status=status,
        events=tuple(events),
    )


def _month_set(month: date, quality: dict[str, float], start: int) -> list[Ticket]:
    """Ten tickets per township; ``quality`` is the share signed in time, resolved, satisfied."""
    out = []
    n = start
    for unit, q in quality.items():
        for i in range(10):
            good = i < round(q * 10)
            at = datetime(month.year, month.month, 3 + i, 9, 0, tzinfo=SHANGHAI)
            out.append(
                _ticket(
                    n,
                    unit,
                    at,
                    signed_min=10 if good else 300,
                    callback=(good, "满意" if good else "不满意"),
                )
            )
            n += 1
    return out


@pytest.fixture(scope="module")
def tickets() -> list[Ticket]:
    previous = {
        u: q for u, q in zip(TOWNSHIPS, (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2), strict=True)
    }
    current = {
        u: q for u, q in zip(TOWNSHIPS, (1.0, 0.9, 0.7, 0.8, 0.5, 0.4, 0.3, 0.1), strict=True)
    }
    out = _month_set(date(2026, 10, 1), previous, 1) + _month_set(MONTH, current, 1000)
    # Open tickets: two overdue, one due within the last quarter of its limit, three in time.
    base = NOW - timedelta(days=6)
    for n, due in enumerate(
        (NOW - timedelta(hours=5), NOW - timedelta(minutes=1), NOW + timedelta(hours=20),
         NOW + timedelta(days=3), NOW + timedelta(days=4), NOW + timedelta(days=5)),
        start=5000,
    ):  # fmt: skip
        out.append(_ticket(n, TOWNSHIPS[0], base, status=Status.SIGNED, due=due))
    return out


def _defs():  # type: ignore[no-untyped-def]
    d = definitions()
    sizes = {t: dict(v) for t, v in d.class_sizes.items()}
    sizes["township"] = dict.fromkeys(CLASSES, 2)
    return replace(d, class_sizes=sizes)


@pytest.fixture
def runner(qtbot: QtBot) -> TaskRunner:
    r = TaskRunner()
    yield r  # type: ignore[misc]
    r.wait_idle()
    QApplication.processEvents()


def _figures(qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]) -> FiguresView:
    source = SeatFigures(lambda: tickets, defs=_defs())
    presenter = FiguresPresenter(runner, source, today=date(2026, 11, 30))
    view = FiguresView(presenter)
    presenter.setParent(view)
    qtbot.addWidget(view)
    return view


def test_a_ranking_shows_the_four_classes_with_last_month_beside(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]
) -> None:
    view = _figures(qtbot, runner, tickets)
    p = view.presenter
    p.set_month(MONTH)
    qtbot.waitUntil(lambda: bool(p.state.rankings) and "rankings" not in p.state.loading)
    model = view.rankings_model
    rows = [model.row_at(i) for i in range(model.rowCount())]
    assert {r.cls for r in rows} == set(CLASSES)
    best = [r.row.name for r in rows if r.cls == "先进类"]
    assert best[0] == "东华门街道办事处"  # every dispatch signed, resolved and satisfied
    assert "朝阳门街道办事处" not in best
    bottom = {r.row.name for r in rows if r.cls == "整改类"}
    assert "建国门街道办事处" in bottom
    gainer = {r.row.name for r in rows if r.cls == "进步类"}
    assert "安定门街道办事处" in gainer  # 0.6 → 0.8: the largest gain
    # Last month's figures are shown beside this month's.
    a = next(r for r in rows if r.row.name == "安定门街道办事处")
    assert a.previous is not None
    assert a.gain is not None
    assert a.gain > 0
    assert "2026-10" in view.rankings_caption.text()


def test_a_figure_shows_its_counts_and_a_double_click_lists_its_tickets(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]
) -> None:
    view = _figures(qtbot, runner, tickets)
    p = view.presenter
    p.set_by("township")
    qtbot.waitUntil(lambda: bool(p.state.rates) and "rates" not in p.state.loading)
    view.rates_filter.setText("景山")
    assert view.rates_proxy.rowCount() == 1
    col = next(i for i, c in enumerate(view.rates_model.columns) if c.measure == "signed_in_time")
    index = view.rates_proxy.index(0, col)
    assert index.data() == "90.0% (9/10)"  # numerator and denominator beside the rate
    view.rates_table.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: "tickets" not in p.state.loading and bool(p.state.tickets))
    numbers = [view.tickets_model.row_at(i).number for i in range(view.tickets_model.rowCount())]
    assert len(numbers) == 9
    assert all(view.tickets_model.row_at(i).unit == "景山街道办事处" for i in range(9))
    assert "9 张" in view.tickets_title.text()
    # Opening one of them asks for that ticket.
    with qtbot.waitSignal(view.open_number) as opened:
        view.tickets_table.doubleClicked.emit(view.tickets_proxy.index(0, 0))
    assert opened.args == [view.tickets_proxy.row_at(0).number]


def test_an_export_writes_a_file_that_opens_and_is_audited(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket], tmp_path: Path
) -> None:
    view = _figures(qtbot, runner, tickets)
    p = view.presenter
    audited: list[str] = []
    p.audit = audited.append
    out = tmp_path / "figures.xlsx"
    view.save_dialog = lambda fmt, suggested: str(out)
    p.set_period(date(2026, 11, 1), date(2026, 11, 30))
    with qtbot.waitSignal(p.exported, timeout=10_000):
        view.export_buttons["xlsx"].click()
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) >= 2
    assert any("定义" in name or "efinition" in name for name in book.sheetnames)
    assert len(audited) == 1
    assert audited[0].startswith("xlsx 2026-11-01..2026-11-30")
    assert "已导出" in view.status.text()


def test_the_overdue_lights_count_the_open_tickets_by_their_time_limit(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]
) -> None:
    bar = OverdueBar()
    qtbot.addWidget(bar)
    presenter = OverduePresenter(runner, lambda: overdue_counts(tickets, NOW), bar)
    presenter.changed.connect(bar.show_counts)
    presenter.start()
    qtbot.waitUntil(lambda: presenter.counts is not None)
    c = presenter.counts
    assert c is not None
    assert (c.red, c.amber, c.green) == (2, 1, 3)
    assert bar.count("red").endswith(" 2")
    assert bar.count("amber").endswith(" 1")
    presenter.timer.stop()


def test_the_review_queue_pages_filters_and_opens_a_row(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]
) -> None:
    presenter = ReviewPresenter(runner, SeatReview(lambda: tickets, clock=lambda: NOW), page=50)
    view = ReviewView(presenter)
    presenter.setParent(view)
    qtbot.addWidget(view)
    presenter.refresh()
    qtbot.waitUntil(lambda: not presenter.state.loading and bool(presenter.state.rows))
    assert presenter.state.total == len(tickets)
    assert len(presenter.state.rows) == 50
    assert view.more_button.isEnabled()
    presenter.more()
    qtbot.waitUntil(lambda: not presenter.state.loading and len(presenter.state.rows) == 100)
    assert len({r.id for r in presenter.state.rows}) == 100  # no row twice across pages
    view.kind.setCurrentIndex(2)  # 已超时
    qtbot.waitUntil(lambda: not presenter.state.loading and presenter.state.total == 2)
    assert all(r.overdue for r in presenter.state.rows)
    assert view.count.text().endswith("2")
    with qtbot.waitSignal(presenter.open_requested) as opened:
        view.table.selectRow(0)
    assert opened.args == [view.proxy.row_at(0).id]


def test_a_lead_gets_the_desk_and_one_key_takes_a_call(qtbot: QtBot, tmp_path: Path) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD)  # no central URL: the seat's copy
    window = bench.window
    qtbot.addWidget(window)  # deleted after the test
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        assert handle.stack.currentWidget() is desk
        titles = [desk.tabs.tabText(i) for i in range(desk.tabs.count())]
        assert titles[0] == "审核队列"
        assert any(t.startswith("异议与延期") for t in titles)
        assert "三率与排名" in titles
        assert desk.source_label.text() == "本席数据（不完整）"
        assert handle.switch_action.shortcut().toString() == "F2"
        handle.switch_action.trigger()
        assert handle.stack.currentWidget() is handle.intake
        handle.switch_action.trigger()
        assert handle.stack.currentWidget() is desk
        window.new_call_requested.emit()  # Ctrl+N: straight to the intake form
        assert handle.stack.currentWidget() is handle.intake
        qtbot.waitUntil(lambda: desk.overdue.counts is not None, timeout=15_000)
        assert desk.lights.count("red").startswith("● 已超时")
        # A ticket saved at the seat reaches the queue at once (no stale copy is kept).
        handle.show_desk()
        qtbot.waitUntil(lambda: not desk.review.state.loading, timeout=15_000)
        before = desk.review.state.total
        saved = replace(_ticket(9001, TOWNSHIPS[0], NOW), id=str(uuid.uuid4()), seat="S01")
        bench.workstation.save_ticket(saved)
        desk.data_changed("tickets")
        qtbot.waitUntil(lambda: desk.review.state.total == before + 1, timeout=15_000)
    finally:
        desk.shutdown()
        close_workbench(bench)


def test_the_trend_draws_each_township_score_month_by_month(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket]
) -> None:
    view = _figures(qtbot, runner, tickets)
    p = view.presenter
    p.set_month(date(2026, 10, 1))
    assert view.month.currentText() == "2026-10"  # the picker follows the chosen month
    p.set_month(MONTH)
    assert view.month.currentText() == "2026-11"
    view.tabs.setCurrentWidget(view.trend_page)  # the chart is built when first shown
    qtbot.waitUntil(lambda: p.state.trend is not None and "trend" not in p.state.loading)
    trend = p.state.trend
    assert trend is not None
    assert trend.months[-2:] == ("2026-10", "2026-11")
    # 安定门: 0.6 of everything in October (score 60), 0.8 in November (score 80).
    assert trend.series["安定门街道办事处"][-2:] == (60.0, 80.0)
    assert view.chart is not None
    assert view.chart.series_count() == 6
    assert set(view.chart.names) <= set(trend.series)  # the busiest townships


class _Conflicts:
    """The centre's conflicts as the lead sees them; a second resolution is refused."""

    def __init__(self) -> None:
        self.rows = [
            {
                "id": 7,
                "number": "20261101-S01-0007",
                "ticket_id": "t7",
                "detected_at": "2026-11-20T10:00:00+08:00",
                "seat": "S02",
                "login": "op2",
                "fields": ["description"],
                "sides": [{"field": "description", "local": "路灯不亮", "remote": "路灯闪烁"}],
                "resolved_at": None,
                "resolved_by": None,
                "resolution": None,
            }
        ]
        self.calls: list[tuple[int, str, object]] = []

    def list(self, include_resolved: bool = False) -> list[dict[str, object]]:
        return [dict(r) for r in self.rows]

    def resolve(self, conflict_id: int, keep: str, value: object = None) -> dict[str, object]:
        self.calls.append((conflict_id, keep, value))
        row = self.rows[0]
        if row["resolved_at"]:
            raise ConflictRefused("The centre refused: conflict 7 is already resolved.")
        row.update(resolved_at="2026-11-20T11:00:00+08:00", resolved_by="lead1", resolution=keep)
        return {"id": conflict_id}


def test_a_conflict_shows_both_sides_and_is_settled_once(qtbot: QtBot, runner: TaskRunner) -> None:
    source = _Conflicts()
    presenter = ConflictsPresenter(runner, source)
    view = ConflictsView(presenter)
    presenter.setParent(view)
    qtbot.addWidget(view)
    with qtbot.waitSignal(presenter.count_changed) as counted:
        presenter.refresh()
    assert counted.args == [1]
    with qtbot.waitSignal(presenter.open_requested) as opened:  # its ticket in the detail
        view.table.selectRow(0)
    assert opened.args == ["t7"]
    assert presenter.state.selected == 7
    side = view.sides_model.row_at(0)
    assert (side["local"], side["remote"]) == ("路灯不亮", "路灯闪烁")
    assert view.keep_local.isEnabled()
    with qtbot.waitSignal(presenter.count_changed) as counted:
        view.keep_remote.click()
    assert counted.args == [0]
    assert source.calls == [(7, "remote", None)]
    assert "已处理" in view.message.text()
    assert not view.keep_local.isEnabled()  # settled: once
    presenter.resolve("local")
    assert source.calls == [(7, "remote", None)]
    assert "不能再次处理" in view.message.text()


def test_a_ticket_only_the_centre_holds_opens_in_the_detail_audited(
    qtbot: QtBot, runner: TaskRunner, tickets: list[Ticket], tmp_path: Path
) -> None:
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S01", operator_id="lead1", demo=False)
    wanted = tickets[3]
    asked: list[str] = []

    def central(ticket_id: str) -> Ticket | None:
        asked.append(ticket_id)
        return wanted if ticket_id == wanted.id else None

    try:
        presenter = DeskDetailPresenter(runner, ws, central=central)
        presenter.open(wanted.id)
        qtbot.waitUntil(lambda: not presenter.state.loading, timeout=10_000)
        assert presenter.state.detail is not None
        assert presenter.state.detail.ticket.number == wanted.number
        assert presenter.from_centre
        assert asked == [wanted.id]
        trail = audit.entries(ws.db)
        assert [(e.action, e.ticket_id) for e in trail] == [("view_ticket", wanted.id)]
        presenter.open("no-such-ticket")
        qtbot.waitUntil(lambda: not presenter.state.loading, timeout=10_000)
        assert presenter.state.detail is None
        assert presenter.state.error  # one line: not at this seat (nor at the centre)
        runner.wait_idle()
        presenter.deleteLater()
    finally:
        runner.wait_idle()
        ws.close()


def test_the_detail_shows_the_whole_caller_row_beside_its_button_at_1366x820(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD)
    window = bench.window
    qtbot.addWidget(window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        window.resize(1366, 820)
        window.show()
        qtbot.waitExposed(window)
        ticket = replace(
            _ticket(9002, TOWNSHIPS[0], NOW, status=Status.SIGNED),
            id=str(uuid.uuid4()),
            seat="S01",
            caller=Caller(name="刘德华", phones=("+8613812343722",)),
        )
        bench.workstation.save_ticket(ticket)
        desk.detail.open(ticket.id)
        view = desk.detail_view
        qtbot.waitUntil(lambda: "138****3722" in view.fields["caller"].text(), timeout=15_000)
        QApplication.processEvents()
        caller, button = view.fields["caller"], view.unmask_button
        # The value is whole on one line and nothing below overlaps it; the button is shown
        # whole, in sight (the fields' pane is never narrower than they need).
        assert caller.height() >= caller.heightForWidth(caller.width())
        assert caller.width() >= caller.sizeHint().width()  # the whole "刘** 138****3722"
        scroll = view.fields_scroll
        assert scroll.horizontalScrollBar().maximum() == 0  # nothing out of sight sideways
        right = button.mapTo(scroll.viewport(), button.rect().topRight()).x()
        assert right <= scroll.viewport().width()
        bottom = caller.mapTo(view, caller.rect().bottomLeft()).y()
        below = view.fields["type"]
        assert below.mapTo(view, below.rect().topLeft()).y() > bottom
        assert button.isVisible()
        assert button.width() >= button.sizeHint().width()
        assert button.height() >= button.sizeHint().height()
    finally:
        desk.shutdown()
        close_workbench(bench)
