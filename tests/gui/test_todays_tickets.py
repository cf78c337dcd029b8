"""Today's tickets ("今日工单"): every row of the day, every column sorts in its natural
order, a filter line, columns that fit the side pane at 1366x820.  A big day is sorted and
filtered in slices between events (``ui/models/todays_table.py``): the rows shown are the same
as a plain sort and filter of the day gives, the selection follows its tickets, and only the
newest request is shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.services.seeding import seed_demo
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from agent_app.ui.main_window import MainWindow
from agent_app.ui.models.ticket_table import SORT_ROLE, TicketTableModel, filter_texts
from agent_app.ui.models.todays_table import TodaysTableModel
from agent_app.ui.todays_tickets import MIN_SECTION, TodaysTickets
from tests.helpers.window import close_window, make_context

pytestmark = pytest.mark.gui

NOW = datetime(2026, 12, 31, 18, 0, tzinfo=timeutil.SHANGHAI)
COLUMN = {name: i for i, name in enumerate(TicketTableModel.COLUMNS)}


def _row(n: int, **fields: object) -> TicketSummary:
    base = TicketSummary(
        id=f"t{n}", number=f"20261231-S01-{n}", created_at=NOW - timedelta(minutes=n),
        status="DISPATCHED", request_type="help", category_name="城市管理/市政设施/井盖缺失",
        district="海淀区", township="中关村街道", main_unit="海淀区城市管理委员会",
        urgency="normal", due_at=NOW + timedelta(days=7), caller_phone="+8613812345678",
        caller_name="张三", confidential=False, description="井盖缺失", synced=False,
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


ROWS = [
    _row(9, status="CLOSED", request_type="complaint", due_at=None, district="朝阳区",
         township="望京街道", main_unit="朝阳区城市管理委员会", description="夜间施工噪声"),
    _row(10, status="INTAKE", request_type="consult", due_at=datetime(2027, 1, 2, 9, 0,
         tzinfo=timeutil.SHANGHAI), main_unit="北京市自来水集团有限责任公司"),
    _row(100, request_type=None, due_at=datetime(2026, 12, 31, 23, 0, tzinfo=timeutil.SHANGHAI),
         district="朝阳区", township="三里屯街道", description="商户噪声投诉"),
    _row(2, status="SIGNED", request_type="complaint", caller_name="欧阳娜娜",
         caller_phone="+8613900001111", created_at=NOW - timedelta(hours=3)),
    _row(11, status="NOT_ACCEPTED_INFORMED", caller_name="李四", main_unit="",
         created_at=NOW - timedelta(hours=5, minutes=1)),
]  # fmt: skip


@pytest.fixture
def tab(qtbot) -> TodaysTickets:  # type: ignore[no-untyped-def]
    widget = TodaysTickets()
    qtbot.addWidget(widget)
    widget.set_rows(ROWS, NOW)
    return widget


def _numbers(widget: TodaysTickets) -> list[str]:
    return [t.number.rsplit("-", 1)[1] for t in widget.shown_rows()]


def test_rows_come_newest_first_under_a_time_sort_indicator(tab: TodaysTickets) -> None:
    assert _numbers(tab) == ["9", "10", "100", "2", "11"]  # the order given (newest first)
    header = tab.view.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN["时间"]
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_narrow_pane_elides_column_titles_and_their_tooltips_give_them_whole(
    tab: TodaysTickets,
) -> None:
    header = tab.view.horizontalHeader()
    assert header.textElideMode() == Qt.TextElideMode.ElideRight
    model = tab.view.model()
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert title
        assert tip == title


def test_every_column_sorts_in_its_natural_order(tab: TodaysTickets) -> None:
    sort = tab.view.sortByColumn
    sort(COLUMN["工单号"], Qt.SortOrder.AscendingOrder)
    assert _numbers(tab) == ["2", "9", "10", "11", "100"]  # numbers, not "10" < "2"
    sort(COLUMN["时间"], Qt.SortOrder.AscendingOrder)
    assert _numbers(tab) == ["11", "2", "100", "10", "9"]
    # 时限 shows "01-02 09:00" for next year: it sorts as a time, not as that text; no limit last
    sort(COLUMN["时限"], Qt.SortOrder.AscendingOrder)
    assert _numbers(tab) == ["100", "10", "2", "11", "9"]
    sort(COLUMN["时限"], Qt.SortOrder.DescendingOrder)
    assert _numbers(tab)[0] == "9"
    sort(COLUMN["状态"], Qt.SortOrder.AscendingOrder)  # in lifecycle order
    statuses = [t.status for t in tab.shown_rows()]
    assert statuses == ["INTAKE", "NOT_ACCEPTED_INFORMED", "DISPATCHED", "SIGNED", "CLOSED"]
    sort(COLUMN["类型"], Qt.SortOrder.AscendingOrder)
    assert [t.request_type for t in tab.shown_rows()][0] == "consult"
    assert [t.request_type for t in tab.shown_rows()][-1] is None
    sort(COLUMN["承办单位"], Qt.SortOrder.AscendingOrder)
    units = [t.main_unit for t in tab.shown_rows()]
    assert units == sorted(units)


def test_the_sort_role_gives_qt_s_own_proxy_the_same_order(tab: TodaysTickets) -> None:
    """The model's one-pass sort and a QSortFilterProxyModel sorting by SORT_ROLE agree."""
    model = TicketTableModel()
    model.set_rows(ROWS, NOW)
    plain = QSortFilterProxyModel()
    plain.setSourceModel(model)
    plain.setSortRole(SORT_ROLE)
    for column in range(len(TicketTableModel.COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            plain.sort(-1)  # Qt's stable sort keeps ties in the proxy's last order
            plain.sort(column, order)
            tab.view.sortByColumn(column, order)
            qt_order = [
                model.row_at(plain.mapToSource(plain.index(r, 0)).row()).id
                for r in range(plain.rowCount())
            ]
            assert [t.id for t in tab.shown_rows()] == qt_order, (column, order)


def test_clicking_a_header_sorts_by_that_column(qtbot, tab: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    tab.resize(900, 400)
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.view.horizontalHeader()
    column = COLUMN["工单号"]
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == column
    numbers = _numbers(tab)
    assert numbers in (["2", "9", "10", "11", "100"], ["100", "11", "10", "9", "2"])


def test_sorting_does_not_ask_the_model_cell_by_cell() -> None:
    """Qt's own proxy sort asks the Python model for two keys per comparison: seconds on the
    GUI thread at 30,000 rows.  The model sorts by its own keys and reads no cell."""

    class Counting(TodaysTableModel):
        calls = 0

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            return super().data(index, role)

    model = Counting()
    model.set_rows([_row(n, created_at=NOW - timedelta(seconds=n)) for n in range(2000)], NOW)
    Counting.calls = 0
    for column in range(len(TicketTableModel.COLUMNS)):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    assert Counting.calls < 100
    assert model.row_at(0).caller_name == "张三"


def test_the_filter_line_keeps_rows_with_every_word(qtbot, tab: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    tab.set_filter("朝阳 噪声")  # place and text
    assert sorted(_numbers(tab)) == ["100", "9"]
    assert tab.count_label.text() == "显示 2 条，共 5 条"
    assert titles[-1] == tab.title() == "今日工单 (2/5)"
    tab.set_filter("自来水")  # unit
    assert _numbers(tab) == ["10"]
    tab.set_filter("已办结")  # status as shown
    assert _numbers(tab) == ["9"]
    tab.set_filter("S01-11")  # ticket number (case-insensitive)
    assert _numbers(tab) == ["11"]
    tab.set_filter("s01-10")
    assert _numbers(tab) == ["10", "100"]
    tab.set_filter("")
    assert len(_numbers(tab)) == 5
    assert tab.count_label.text() == "共 5 条"
    assert titles[-1] == "今日工单 (5)"
    tab.filter_line.setText("欧")  # typing filters once the operator pauses
    qtbot.waitUntil(lambda: _numbers(tab) == ["2"], timeout=2000)


def test_the_filter_does_not_see_masked_personal_data(tab: TodaysTickets) -> None:
    tab.set_filter("13812345678")  # the full number is masked in the table
    assert _numbers(tab) == []
    tab.set_filter("张三")
    assert _numbers(tab) == []
    tab.set_filter("5678")  # the digits that are shown
    assert len(_numbers(tab)) == 4


def test_filter_texts_made_in_the_worker_are_used(tab: TodaysTickets) -> None:
    texts = filter_texts(ROWS)
    assert texts[0] == "\n".join(
        ("20261231-s01-9", "已办结", "投诉", "城市管理/市政设施/井盖缺失", "朝阳区",
         "望京街道", "朝阳区城市管理委员会", "夜间施工噪声", "张* 138****5678")
    )  # fmt: skip
    marked = [*texts[:-1], texts[-1] + "\nworker-made"]
    tab.set_rows(ROWS, NOW, marked)
    assert tab.model.has_filter_texts()  # the GUI thread has nothing to build
    tab.set_filter("worker-made")
    assert _numbers(tab) == ["11"]


def test_sort_and_filter_survive_new_rows(tab: TodaysTickets) -> None:
    tab.view.sortByColumn(COLUMN["工单号"], Qt.SortOrder.DescendingOrder)
    tab.set_filter("海淀")
    assert _numbers(tab) == ["100", "11", "10", "2"]
    tab.set_rows([*ROWS, _row(50, created_at=NOW)], NOW)
    assert _numbers(tab) == ["100", "50", "11", "10", "2"]
    assert tab.title() == "今日工单 (5/6)"


def test_cells_elide_and_tooltips_show_the_full_value(tab: TodaysTickets) -> None:
    assert tab.view.textElideMode() == Qt.TextElideMode.ElideRight
    assert not tab.view.wordWrap()
    model = tab.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).number.endswith("-10"))
    unit = model.index(row, COLUMN["承办单位"]).data(Qt.ItemDataRole.ToolTipRole)
    assert unit.splitlines()[0] == "北京市自来水集团有限责任公司"
    category = model.index(row, COLUMN["分类"])
    assert category.data() == "井盖缺失"
    assert category.data(Qt.ItemDataRole.ToolTipRole).splitlines() == [
        "城市管理/市政设施/井盖缺失",
        "井盖缺失",
    ]


@pytest.mark.parametrize("width", [460, 560, 760, 1000])
def test_every_column_stays_in_sight_at_any_pane_width(
    qtbot, tab: TodaysTickets, width: int
) -> None:  # type: ignore[no-untyped-def]
    tab.resize(width, 400)
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.view.horizontalHeader()
    for column in range(header.count()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= tab.view.viewport().width(), (width, column)
    assert tab.view.horizontalScrollBar().maximum() == 0
    if width >= 760:  # room for all: the fixed columns show their content whole
        assert tab.view.columnWidth(COLUMN["工单号"]) >= tab.view.sizeHintForColumn(0)


def test_columns_follow_the_pane_resized_after_the_first_show(qtbot, tab: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    """The viewport is watched from the tab's first show (asking for it before the window's
    first paint cost the start-up ~15 ms): a pane narrowed after that still fits every column."""
    tab.resize(1000, 400)
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.view.horizontalHeader()
    tab.resize(460, 400)

    def fitted() -> bool:
        width = tab.view.viewport().width()
        return width < 460 and all(
            header.sectionViewportPosition(c) + header.sectionSize(c) <= width
            for c in range(header.count())
        )

    qtbot.waitUntil(fitted)
    assert tab.view.horizontalScrollBar().maximum() == 0


def test_models_pass_the_qt_model_tester(qtmodeltester, tab: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(tab.model)
    tab.view.sortByColumn(COLUMN["来电人"], Qt.SortOrder.AscendingOrder)
    tab.set_filter("海淀")
    qtmodeltester.check(tab.model)
    tab.set_rows(ROWS[:2], NOW)
    qtmodeltester.check(tab.model)
    tab.set_filter("")
    tab.set_rows([], NOW)
    qtmodeltester.check(tab.model)


# --- in the window -----------------------------------------------------------------------


@pytest.fixture
def window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=True)
    seed_demo(ctx.workstation.db, extra_tickets=3)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    yield win
    close_window(win)


def _load(qtbot, window: MainWindow) -> int:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.tickets_loaded, timeout=20_000) as blocker:
        window.load_tickets()
    return int(blocker.args[0])


def _clone_todays_ticket(database: Path, copies: int) -> None:
    """``copies`` more tickets of today: the one ticket in the table, new id and number."""
    conn = cipher.connect(database)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(tickets)")]
    changed = {"id": "t.id || '-' || n.i", "number": "t.number || '-' || n.i"}
    select = ", ".join(changed.get(c, f"t.{c}") for c in columns)
    conn.execute(
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies}) "
        f"INSERT INTO tickets ({', '.join(columns)}) SELECT {select} FROM n, tickets t"
    )
    conn.commit()
    conn.close()


def test_a_busy_day_is_shown_whole(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No silent cap: 2,500 tickets of today are 2,500 rows and the tab says so."""
    ctx = make_context(tmp_path, role=Role.OPERATOR)
    ws = ctx.workstation
    at = timeutil.now() - timedelta(seconds=1)
    ticket = Ticket(
        id=Ticket.new_id(), number="20261122-S01-0001", created_at=at, updated_at=at,
        seat=ws.seat, operator_id=ws.operator_id, caller=Caller(phones=("+8613912345678",)),
        description="小区暖气不热",
        events=(TicketEvent(at=at, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    with ws.db.write() as s:
        repo.save_ticket(s, ticket, outbox=False)
    ws.close()
    _clone_todays_ticket(ws.paths.database, 2499)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        assert _load(qtbot, win) == 2500
        qtbot.waitUntil(lambda: not win.today.model.busy)  # a day this big is sorted in slices
        assert win.tickets.rowCount() == 2500
        assert win.side.tabText(win.side.indexOf(win.today)) == "今日工单 (2500)"
        assert win.today.count_label.text() == "共 2500 条"
        assert win.tickets.has_filter_texts()  # made in the worker, with the rows
    finally:
        close_window(win)


def test_every_column_is_in_the_side_pane_at_1366x820(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 820)
    window.show()
    qtbot.waitExposed(window)
    rows = _load(qtbot, window)
    assert rows > 0
    window.side.setCurrentWidget(window.today)
    qtbot.waitUntil(window.today.isVisible)
    view: QTableView = window.ticket_view
    header = view.horizontalHeader()
    width = view.viewport().width()
    for column in range(header.count()):
        left = header.sectionViewportPosition(column)
        assert left >= 0, column
        assert left + header.sectionSize(column) <= width, column
        assert header.sectionSize(column) >= MIN_SECTION, column
    assert view.horizontalScrollBar().maximum() == 0
    # the double-clicked row (after sorting and filtering) is the ticket shown
    view.sortByColumn(COLUMN["工单号"], Qt.SortOrder.AscendingOrder)
    first = window.today.shown_rows()[0]
    window.today.set_filter(first.number)
    point = view.visualRect(window.today.model.index(0, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    detail = window.detail_window  # the double-clicked ticket opens in the detail window
    assert detail is not None
    assert detail.presenter.state.ticket_id == first.id
    qtbot.waitUntil(lambda: detail.presenter.state.detail is not None, timeout=10_000)
    assert first.number in detail.view.title.text()
    detail.close()
