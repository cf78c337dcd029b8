"""Today's tickets on a big day: sorting and filtering run in slices between events
(``ui/models/todays_table.py``).  The rows shown are those a plain sort and filter of the day
give (ties in the order the rows came, both orders, every column), the selected tickets stay
selected across sorts, filters and refreshes, and only the newest request is ever shown.

The slices are made small here (a few rows) so that a few hundred rows take many turns of the
event loop, as 30,000 do in the window."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from PySide6.QtCore import QItemSelectionModel, Qt

from agent_app.domain import timeutil
from agent_app.domain.summary import TicketSummary
from agent_app.ui.models import todays_table
from agent_app.ui.models.ticket_table import TicketTableModel, filter_texts
from agent_app.ui.models.todays_table import TodaysTableModel, sorted_in_blocks
from agent_app.ui.todays_tickets import TodaysTickets

pytestmark = pytest.mark.gui

NOW = datetime(2026, 12, 31, 18, 0, tzinfo=timeutil.SHANGHAI)
ORDERS = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)
COLUMNS = range(len(TicketTableModel.COLUMNS))

STATUSES = ("DISPATCHED", "SIGNED", "CLOSED", "INTAKE", "NOT_ACCEPTED_INFORMED")
PLACES = (
    ("朝阳区", "望京街道"),
    ("海淀区", "中关村街道"),
    ("朝阳区", "三里屯街道"),
    ("东城区", ""),
)
UNITS = ("朝阳区城市管理委员会", "北京市自来水集团有限责任公司", "", "海淀区城市管理委员会")
TEXTS = ("夜间施工噪声", "井盖缺失", "小区暖气不热", "商户噪声投诉")


def day(count: int, seed: int = 1) -> list[TicketSummary]:
    """``count`` rows with many ties in every column (few distinct values, equal times)."""
    pick = random.Random(seed)
    rows = []
    for n in range(count):
        district, township = pick.choice(PLACES)
        rows.append(
            TicketSummary(
                id=f"t{n}",
                number=f"20261231-S01-{pick.randrange(count // 3 + 1)}",
                created_at=NOW - timedelta(minutes=pick.randrange(40)),
                status=pick.choice(STATUSES),
                request_type=pick.choice(("help", "complaint", "consult", None)),
                category_name=pick.choice(("城市管理/市政设施/井盖缺失", "住房/供暖/暖气不热")),
                district=district,
                township=township,
                main_unit=pick.choice(UNITS),
                urgency="normal",
                due_at=pick.choice((None, NOW + timedelta(days=pick.randrange(3)))),
                caller_phone=pick.choice(("+8613812345678", "+8613900001111", "")),
                caller_name=pick.choice(("张三", "欧阳娜娜", "")),
                confidential=False,
                description=pick.choice(TEXTS),
                synced=False,
            )  # fmt: skip
        )
    return rows


def reference(
    rows: list[TicketSummary], column: int, order: Qt.SortOrder, text: str = ""
) -> list[str]:
    """The ids a plain, stable sort and filter of ``rows`` give."""
    keys = TicketTableModel()  # the same sort keys as the table's
    terms = text.casefold().split()
    kept = [t for t, h in zip(rows, filter_texts(rows), strict=True) if all(w in h for w in terms)]
    if column >= 0:
        descending = order == Qt.SortOrder.DescendingOrder
        kept = sorted(kept, key=lambda t: keys.sort_key(t, column), reverse=descending)
    return [t.id for t in kept]


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices of a few rows: a few hundred rows take many turns, blocks are merged."""
    monkeypatch.setattr(todays_table, "CHUNK", 7)
    monkeypatch.setattr(todays_table, "SORT_BLOCK", 16)
    monkeypatch.setattr(todays_table, "SLICE_MS", 0)


@pytest.fixture
def big(qtbot, small_slices: None) -> TodaysTickets:  # type: ignore[no-untyped-def]
    """The tab arranging in slices whatever its size (as 30,000 rows are)."""
    widget = TodaysTickets(sync_rows=0)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def settled(qtbot, widget: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not widget.model.busy)


def ids(widget: TodaysTickets) -> list[str]:
    return [t.id for t in widget.shown_rows()]


def selected_ids(widget: TodaysTickets) -> set[str]:
    rows = widget.view.selectionModel().selectedRows()
    return {widget.model.row_at(i.row()).id for i in rows}


def test_blocks_merged_give_the_plain_sort_with_ties_in_index_order(small_slices: None) -> None:
    pick = random.Random(7)
    for n in (0, 1, 15, 16, 17, 100, 333):
        keys = [pick.randrange(5) for _ in range(n)]
        for descending in (False, True):
            job = sorted_in_blocks(keys, descending)
            try:
                while True:
                    next(job)
            except StopIteration as done:
                order = done.value
            plain = sorted(range(n), key=keys.__getitem__, reverse=descending)
            assert order == plain, (n, descending)


@pytest.mark.parametrize("sync_rows", [10_000, 0], ids=["at-once", "in-slices"])
def test_every_sort_and_filter_shows_the_plain_sort_and_filter(
    qtbot, small_slices: None, sync_rows: int
) -> None:  # type: ignore[no-untyped-def]
    rows = day(300)
    widget = TodaysTickets(sync_rows=sync_rows)
    qtbot.addWidget(widget)
    widget.set_rows(rows, NOW)
    settled(qtbot, widget)
    assert ids(widget) == reference(rows, 1, Qt.SortOrder.DescendingOrder)  # "时间 ↓"
    for text in ("", "朝阳", "朝阳 噪声", "s01-1"):
        widget.set_filter(text)
        for column in COLUMNS:
            for order in ORDERS:
                widget.view.sortByColumn(column, order)
                settled(qtbot, widget)
                assert ids(widget) == reference(rows, column, order, text), (text, column, order)
    widget.model.sort(-1)  # the order the rows came in
    settled(qtbot, widget)
    assert ids(widget) == reference(rows, -1, ORDERS[0], "s01-1")


def test_a_newer_request_drops_the_older_answer(qtbot, big: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    rows = day(300)
    big.set_rows(rows, NOW)
    settled(qtbot, big)
    shown: list[list[str]] = []
    big.model.arranged.connect(lambda _new: shown.append(ids(big)))
    big.set_filter("朝阳")
    assert big.model.busy  # still being worked out ...
    big.set_filter("海淀")  # ... when the operator typed again
    big.view.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    settled(qtbot, big)
    assert shown == [reference(rows, 6, Qt.SortOrder.AscendingOrder, "海淀")]  # only the newest
    assert big.count_label.text().startswith("显示 ")
    assert big.model.filter_terms() == ("海淀",)


def test_new_rows_in_progress_are_dropped_for_newer_rows(qtbot, big: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    big.set_rows(day(200, seed=1), NOW)
    newer = day(250, seed=2)
    big.set_rows(newer, NOW)
    settled(qtbot, big)
    assert ids(big) == reference(newer, 1, Qt.SortOrder.DescendingOrder)
    assert big.title() == "今日工单 (250)"


def test_the_selection_follows_its_tickets(qtbot, big: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    rows = day(300)
    big.set_rows(rows, NOW)
    settled(qtbot, big)
    view = big.view
    view.setCurrentIndex(big.model.index(5, 0))
    view.selectionModel().select(
        big.model.index(9, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = selected_ids(big)
    current = big.model.row_at(view.currentIndex().row()).id
    assert len(chosen) == 2
    for column in (0, 8, 6):  # re-sorts
        view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        settled(qtbot, big)
        assert selected_ids(big) == chosen
        assert big.model.row_at(view.currentIndex().row()).id == current
    # a refresh: the same tickets read again (new objects), one more of them
    again = [replace(t) for t in rows] + [replace(rows[0], id="t-new", number="20261231-S01-9")]
    big.set_rows(again, NOW)
    settled(qtbot, big)
    assert selected_ids(big) == chosen
    assert big.model.row_at(view.currentIndex().row()).id == current
    assert big.title() == "今日工单 (301)"
    # a filter that hides one of them keeps the other
    kept = next(t for t in again if t.id in chosen)
    big.set_filter(kept.number)
    settled(qtbot, big)
    assert kept.id in ids(big)
    assert selected_ids(big) == {i for i in chosen if i in ids(big)}


def test_keyboard_moves_through_the_new_order(qtbot, big: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    big.set_rows(day(300), NOW)
    settled(qtbot, big)
    view = big.view
    view.setFocus()
    view.setCurrentIndex(big.model.index(3, 0))
    ticket = big.model.row_at(3).id
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settled(qtbot, big)
    row = view.currentIndex().row()
    assert big.model.row_at(row).id == ticket
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == row + 1
    assert selected_ids(big) == {big.model.row_at(row + 1).id}


def test_a_long_step_says_so_and_a_small_day_never_does(qtbot, small_slices: None) -> None:  # type: ignore[no-untyped-def]
    big = TodaysTickets(sync_rows=0, busy_hint_ms=0)  # "long" at once: the delay is not tested
    qtbot.addWidget(big)
    big.set_rows(day(300), NOW)
    settled(qtbot, big)
    label = big.count_label
    said: list[str] = []
    set_text = label.setText
    label.setText = lambda text: (said.append(text), set_text(text))  # type: ignore[method-assign]
    big.view.sortByColumn(8, Qt.SortOrder.AscendingOrder)
    settled(qtbot, big)
    assert said[0] == "正在排序…"
    assert said[-1] == label.text() == "共 300 条"
    said.clear()
    big.set_filter("朝阳")
    settled(qtbot, big)
    assert said[0] == "正在筛选…"
    assert said[-1].startswith("显示 ")
    assert label.text() == said[-1]

    small = TodaysTickets(busy_hint_ms=0)  # an operator's day: at once, never busy, no hint
    qtbot.addWidget(small)
    busy: list[bool] = []
    small.model.busy_changed.connect(busy.append)
    small.set_rows(day(300), NOW)
    small.view.sortByColumn(8, Qt.SortOrder.AscendingOrder)
    small.set_filter("朝阳")
    qtbot.wait(20)
    assert busy == []
    assert not small.model.busy
    assert small.count_label.text().startswith("显示 ")


def test_the_model_passes_the_qt_model_tester_in_slices(
    qtbot, qtmodeltester, big: TodaysTickets
) -> None:  # type: ignore[no-untyped-def]
    rows = day(120)
    big.set_rows(rows, NOW)
    settled(qtbot, big)
    qtmodeltester.check(big.model)
    big.view.selectRow(4)
    for step in (
        lambda: big.view.sortByColumn(8, Qt.SortOrder.AscendingOrder),
        lambda: big.set_filter("海淀"),
        lambda: big.set_rows(rows[:50], NOW),
        lambda: big.set_filter(""),
        lambda: big.set_rows([], NOW),
        lambda: big.set_rows(rows, NOW),
    ):
        step()
        settled(qtbot, big)
        qtmodeltester.check(big.model)


def test_the_sort_keys_are_those_of_the_tables_sort_role() -> None:
    model = TodaysTableModel()
    rows = day(50)
    model.set_rows(rows, NOW)
    for column in COLUMNS:
        model.sort(column, Qt.SortOrder.AscendingOrder)
        keys = [model.index(r, column).data(todays_table.SORT_ROLE) for r in range(len(rows))]
        assert keys == sorted(keys), column


def test_a_big_days_columns_fit_the_pane(qtbot, big: TodaysTickets) -> None:  # type: ignore[no-untyped-def]
    big.resize(560, 400)
    big.set_rows(day(300), NOW)
    settled(qtbot, big)
    view = big.view
    header = view.horizontalHeader()

    def fitted() -> bool:
        width = view.viewport().width()
        return all(
            header.sectionViewportPosition(c) + header.sectionSize(c) <= width
            for c in range(header.count())
        )

    # in the turns after the rows were shown (the vertical scroll bar narrows the viewport)
    qtbot.waitUntil(lambda: fitted() and view.horizontalScrollBar().maximum() == 0)
    number = TicketTableModel.COLUMNS.index("工单号")
    assert header.sectionSize(number) > header.sectionSizeHint(number)  # sized to the numbers
