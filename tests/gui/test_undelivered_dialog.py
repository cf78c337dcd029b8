"""未送达 in the window: the status bar's "未送达 N" opens the undelivered list, where each
ticket's change the centre refused is listed with its kind, time and reason in words, and
opened, resent or renumbered; the row keeps the result and the next sync tells whether it
arrived.  The presenter, the model and the reasons are tested without a window; the whole
way (a real centre refusing, the operator fixing and resending) with the window."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.paths import DataPaths
from agent_app.services.sync.identity import store_identity
from agent_app.services.workstation import Workstation
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow, TicketRow
from agent_app.ui import undelivered as ui
from agent_app.ui import undelivered_fix as fix
from agent_app.ui.sync_status import SyncStatus
from agent_app.ui.undelivered_reasons import kind_name, reason_text
from agent_app.workers.tasks import TaskRunner
from tests.helpers.pg import add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.gui
WAIT = 20_000


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.drain()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workstation]:
    w = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="op1", demo=False
    )
    yield w
    w.close()


def _refuse(ws: Workstation, key: str, reason: str) -> None:
    with ws.db.write() as s:
        keys = list(
            s.scalars(
                select(OutboxRow.idempotency_key).where(
                    OutboxRow.ticket_id == key, OutboxRow.sent_at.is_(None)
                )
            )
        )
        repo.mark_undelivered(s, {k: reason for k in keys}, timeutil.now())


def _deliver(ws: Workstation, key: str) -> None:
    with ws.db.write() as s:
        s.execute(
            update(OutboxRow)
            .where(OutboxRow.ticket_id == key, OutboxRow.sent_at.is_(None))
            .values(sent_at=timeutil.now())
        )


def _loaded(qtbot: Any, presenter: ui.UndeliveredPresenter) -> None:
    qtbot.waitUntil(lambda: presenter.state.loaded and not presenter.state.loading, timeout=WAIT)


def _outcome(presenter: ui.UndeliveredPresenter, key: str) -> str:
    row = presenter.row(key)
    return row.outcome if row is not None else ""


def _cell(dialog: ui.UndeliveredDialog, key: str, column: int) -> str:
    """The text the dialog shows in ``column`` of the row filed under ``key``."""
    at = next(r for r in range(dialog.proxy.rowCount()) if dialog.proxy.row_at(r).key == key)
    return str(dialog.proxy.index(at, column).data())


# Reasons in words ------------------------------------------------------------------------------


def test_reasons_are_sentences_an_operator_acts_on(qtbot: Any) -> None:
    assert "编号冲突" in reason_text("number_taken")
    assert "重新编号" in reason_text("seat_mismatch")
    assert reason_text("too_long:description") == "“诉求内容”太长，请删减"
    assert reason_text("missing:place.address") == "缺少“事发地址”"
    assert "本机的日期和时钟" in reason_text("future_date:created_at")
    assert reason_text("transition_not_allowed:DISPATCHED>CLOSED") == (
        "工单状态不能从“已派单”直接变为“已办结”"
    )
    assert "班长" in reason_text("actor_role_forbidden:lead")
    assert reason_text("ticket is CLOSED: no unit works on it now") == (
        "工单已是“已办结”，没有承办单位在办理"
    )
    assert reason_text("merged into 20261201-S02-0001: record it there") == (
        "工单已并入 20261201-S02-0001：请在那张工单上记录"
    )
    assert reason_text("no handling unit: a chase cannot reach one") == (
        "工单还没有承办单位，催办送不到单位"
    )
    assert reason_text("text too long (at most 2000 characters)") == "内容太长（最多 2000 个字）"
    assert reason_text("too_many:transcript") == "“通话记录”的条目太多"
    assert reason_text("something_new") == "中心拒收：something_new"  # shown as given
    assert reason_text("") == "中心拒收，未说明原因"
    assert [kind_name(k) for k in ("ticket", "chase", "transcript", "progress_call")] == [
        "工单",
        "催办",
        "通话记录",
        "告知进展",
    ]


# The presenter, without a window -----------------------------------------------------------------


def test_the_presenter_lists_resends_and_follows_a_row_to_delivered(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    clash, broken, fine = add_tickets(ws.db, "S01", 3, operator="op1")
    _refuse(ws, clash, "number_taken")
    _refuse(ws, broken, "number_not_yours")
    _refuse(ws, fine, "earlier_change_rejected")
    with ws.db.write() as s:  # the ticket itself breaks a rule now
        s.execute(update(TicketRow).where(TicketRow.id == broken).values(description="长" * 4001))
    presenter = ui.UndeliveredPresenter(runner, ws)
    opened: list[str] = []
    presenter.open_requested.connect(opened.append)
    changes: list[str] = []
    runner.changes.connect(changes.append)
    presenter.reload()
    _loaded(qtbot, presenter)
    rows = {r.key: r for r in presenter.state.rows}
    assert [r.key for r in presenter.state.rows] == [clash, broken, fine]
    assert presenter.state.waiting == 3
    assert rows[clash].can_renumber
    assert rows[broken].can_renumber
    assert not rows[fine].can_renumber  # not a number clash
    assert all(r.can_resend and r.can_open and not r.outcome for r in rows.values())
    presenter.open(clash)
    assert opened == [clash]

    presenter.resend(broken)  # still breaks a rule: nothing sent, the row says what to fix
    assert presenter.row(broken).busy  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: _outcome(presenter, broken) == ui.INVALID, timeout=WAIT)
    row = presenter.row(broken)
    assert row is not None
    assert row.detail == "too_long:description"
    assert row.undelivered
    assert ui.result_text(row) == "未发送：“诉求内容”太长，请删减。请点“更正”改正后保存"

    presenter.resend(fine)
    qtbot.waitUntil(lambda: _outcome(presenter, fine) == ui.QUEUED, timeout=WAIT)
    _loaded(qtbot, presenter)
    row = presenter.row(fine)
    assert row is not None
    assert not row.undelivered
    assert not row.can_resend
    assert ui.result_text(row) == "已重新排队，等待同步"
    assert changes == ["tickets"]  # the window syncs at once; the failed resend changed nothing

    presenter.renumber(clash)
    qtbot.waitUntil(lambda: _outcome(presenter, clash) == ui.RENUMBERED, timeout=WAIT)
    _loaded(qtbot, presenter)
    row = presenter.row(clash)
    assert row is not None
    assert row.number.endswith("-0004")
    assert ui.result_text(row) == f"已重新编号为 {row.number}，等待同步"
    assert presenter.state.waiting == 1  # only the broken one

    # The next sync: one delivered, the other refused again with a new reason.
    _deliver(ws, fine)
    _refuse(ws, clash, "seat_mismatch")
    presenter.active = True
    presenter.sync_state({"syncing": True})  # a cycle starting: nothing read
    presenter.sync_state({"syncing": False, "online": True})
    qtbot.waitUntil(lambda: _outcome(presenter, fine) == ui.DELIVERED, timeout=WAIT)
    _loaded(qtbot, presenter)
    assert ui.result_text(presenter.row(fine)) == "已送达中心"  # type: ignore[arg-type]
    row = presenter.row(clash)
    assert row is not None
    assert row.outcome == ui.REFUSED_AGAIN
    assert row.undelivered
    assert row.reason == "seat_mismatch"
    assert row.can_renumber
    assert ui.result_text(row).startswith("仍被中心拒收：工单的席位号与本席位不符")
    runner.drain()


def test_a_read_that_started_before_an_action_ended_is_not_shown(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, operator="op1")
    _refuse(ws, tid, "earlier_change_rejected")
    presenter = ui.UndeliveredPresenter(runner, ws)
    presenter.reload()
    _loaded(qtbot, presenter)
    item = ws.undelivered_items()[0][0]
    presenter.resend(tid)
    qtbot.waitUntil(lambda: _outcome(presenter, tid) == ui.QUEUED, timeout=WAIT)
    # what a read started before the resend found: the row as still undelivered
    presenter._loaded(presenter._generation - 1, ([item], {}))  # noqa: SLF001
    _loaded(qtbot, presenter)
    row = presenter.row(tid)
    assert row is not None
    assert row.outcome == ui.QUEUED
    assert not row.undelivered
    runner.drain()


# The model and the dialog, without the window ---------------------------------------------------


def _row(key: str, number: str, minutes: int, reason: str, **kw: Any) -> ui.UndeliveredRow:
    return ui.UndeliveredRow(
        key=key,
        number=number,
        kind=kw.pop("kind", "ticket"),
        since=timeutil.now() - timedelta(minutes=minutes),
        reason=reason,
        changes=1,
        ticket_id=kw.pop("ticket_id", key),
        renumberable=kw.pop("renumberable", False),
        **kw,
    )


def test_the_model_is_plain_rows_sorted_by_each_column(qtbot: Any) -> None:
    model = ui.UndeliveredModel()
    rows = [
        _row("a", "20261206-S01-0003", 5, "number_taken", renumberable=True),
        _row("b", "20261206-S01-0001", 30, "earlier_change_rejected"),
        _row(
            "c", "20261206-S09-0002", 10, "ticket is CLOSED: no unit works on it now", kind="chase"
        ),
    ]
    model.set_rows(rows)
    proxy = ui.PlainRowsFilter(model)
    assert model.columnCount() == len(ui.COLUMNS)
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers == ["工单编号", "类型", "拒收时间", "原因", "处理结果", "操作"]
    assert model.index(2, 1).data() == "催办"
    assert model.index(2, 3).data() == "工单已是“已办结”，没有承办单位在办理"
    assert "ticket is CLOSED" in model.index(2, 3).data(Qt.ItemDataRole.ToolTipRole)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)  # refused first → last
    assert [proxy.row_at(i).key for i in range(3)] == ["b", "c", "a"]
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.row_at(i).key for i in range(3)] == ["b", "a", "c"]
    # the same rows updated in place (no reset: the row's buttons stay), others reset
    assert model.update_rows([replace(rows[0], outcome=ui.QUEUED), *rows[1:]])
    assert model.index(0, 4).data() == "已重新排队，等待同步"
    assert not model.update_rows(rows[:2])
    assert model.rowCount() == 2


def test_the_dialog_shows_a_friendly_line_when_nothing_is_undelivered(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    dialog = ui.UndeliveredDialog(runner, ws)
    qtbot.addWidget(dialog)
    dialog.open_list()
    _loaded(qtbot, dialog.presenter)
    assert dialog.stack.currentWidget() is dialog.empty
    assert "没有未送达的工单" in dialog.empty.text()
    assert dialog.summary.text() == ""
    dialog.close()
    assert not dialog.presenter.active
    runner.drain()


def test_the_dialog_gives_each_row_its_actions(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    clash, other = add_tickets(ws.db, "S01", 2, operator="op1")
    _refuse(ws, clash, "number_taken")
    _refuse(ws, other, "earlier_change_rejected")
    with ws.db.write() as s:
        repo.queue_follow_up(
            s,
            {"number": "20261205-S09-0003", "kind": "chase", "text": "催", "at": None},
            timeutil.now(),
        )
    _refuse(ws, "20261205-S09-0003", "ticket is CLOSED: no unit works on it now")
    opened: list[str] = []
    dialog = ui.UndeliveredDialog(runner, ws, open_ticket=opened.append)
    qtbot.addWidget(dialog)
    dialog.open_list()
    _loaded(qtbot, dialog.presenter)
    assert dialog.stack.currentWidget() is dialog.table
    assert "3 张工单的修改未送达中心" in dialog.summary.text()
    buttons = {key: dialog.actions_for(key) for key in (clash, other, "20261205-S09-0003")}
    assert all(b is not None for b in buttons.values())
    chase = buttons["20261205-S09-0003"]
    assert chase is not None
    assert not chase.open_button.isEnabled()
    assert "其他席位" in chase.open_button.toolTip()
    assert not chase.renumber_button.isEnabled()
    assert chase.resend_button.isEnabled()
    mine = buttons[clash]
    assert mine is not None
    assert mine.renumber_button.isEnabled()
    assert buttons[other] is not None
    assert not buttons[other].renumber_button.isEnabled()
    mine.open_button.click()
    assert opened == [clash]
    dialog.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the buttons follow their rows
    for r in range(dialog.proxy.rowCount()):
        key = dialog.proxy.row_at(r).key
        assert dialog.table.indexWidget(dialog.proxy.index(r, ui.ACTIONS_COLUMN)) is (
            dialog.actions_for(key)
        )
    buttons[other].resend_button.click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: _outcome(dialog.presenter, other) == ui.QUEUED, timeout=WAIT)
    _loaded(qtbot, dialog.presenter)
    other_buttons = dialog.actions_for(other)
    assert other_buttons is not None
    assert not other_buttons.resend_button.isEnabled()
    assert _cell(dialog, other, ui.RESULT_COLUMN) == "已重新排队，等待同步"
    assert "2 张工单" in dialog.summary.text()
    dialog.close()
    runner.drain()


def test_the_status_bar_link_opens_the_list_and_loads_its_module_on_first_use(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    status = SyncStatus("live")
    qtbot.addWidget(status)
    opened: list[str] = []
    status.attach_undelivered(runner, ws, opened.append)
    status.set_state({"online": True, "queue": 0, "last_sync": None})
    assert status.undelivered_link.isHidden()
    status.set_state(
        {
            "online": True,
            "queue": 0,
            "last_sync": None,
            "undelivered": 1,
            "undelivered_items": [{"number": "N1", "reason": "number_taken"}],
        }
    )
    assert not status.undelivered_link.isHidden()
    assert status.undelivered_link.text() == "未送达 1"
    assert "未送达 1" in status.text()
    assert "N1: number_taken" in status.undelivered_link.toolTip()
    syncs: list[bool] = []
    status.sync_requested.connect(lambda: syncs.append(True))
    qtbot.mouseClick(status.undelivered_link, Qt.MouseButton.LeftButton)
    assert syncs == []  # the link opens the list; it does not ask for a sync
    dialog = status.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert "agent_app.ui.undelivered" in sys.modules
    _loaded(qtbot, dialog.presenter)
    assert status.show_undelivered() is dialog  # one dialog, reused
    dialog.close()
    runner.drain()
    QApplication.processEvents()


# 更正: the correction view ---------------------------------------------------------------------


def _too_long(ws: Workstation, key: str) -> None:
    with ws.db.write() as s:  # the ticket breaks a rule now; its change was refused for it
        s.execute(update(TicketRow).where(TicketRow.id == key).values(description="长" * 4001))
    _refuse(ws, key, "too_long:description")


def _correction(qtbot: Any, dialog: ui.UndeliveredDialog, key: str) -> fix.CorrectionDialog:
    buttons = dialog.actions_for(key)
    assert buttons is not None
    assert buttons.correct_button.isEnabled()
    buttons.correct_button.click()
    view = dialog.correction
    assert view is not None
    assert view.isVisible()
    qtbot.waitUntil(
        lambda: view.presenter.state.correction is not None and not view.presenter.state.loading,
        timeout=WAIT,
    )
    return view


def _highlighted(view: fix.CorrectionDialog, name: str) -> bool:
    return "border" in view.widgets[name].styleSheet()


def test_a_ticket_refused_for_its_content_is_corrected_in_the_correction_view(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    long, clash = add_tickets(ws.db, "S01", 2, operator="op1")
    store_identity(ws.db, {"login": "op1", "group": "operator"})  # as the first sync left it
    _too_long(ws, long)
    _refuse(ws, clash, "number_taken")
    dialog = ui.UndeliveredDialog(runner, ws)
    qtbot.addWidget(dialog)
    dialog.open_list()
    _loaded(qtbot, dialog.presenter)
    clash_buttons = dialog.actions_for(clash)
    assert clash_buttons is not None
    assert not clash_buttons.correct_button.isEnabled()  # not about the content
    assert "无需更正" in clash_buttons.correct_button.toolTip()
    with ws.db.read() as s:
        before = list(s.scalars(select(OutboxRow.idempotency_key)))
    events_before = len(ws.ticket(long).events)  # type: ignore[union-attr]

    view = _correction(qtbot, dialog, long)
    assert view.banner.text() == "未送达的原因：“诉求内容”太长，请删减"
    assert _highlighted(view, "description")
    assert not _highlighted(view, "place.address")
    assert view.focusWidget() is view.description
    assert (
        view.messages["description"].text()
        == "“诉求内容”太长：最多 4000 个字，现在 4001 个字，请删减"
    )
    assert not view.caller_name.isEnabled()  # not what the refusal is about: masked
    assert "*" in view.caller_phones.text() or not view.caller_phones.text()
    assert view.windowTitle() == f"更正工单 {dialog.presenter.row(long).number}"  # type: ignore[union-attr]

    # Still too long, and an address that is too long too: both marked, nothing lost or saved.
    typed = "楼道灯不亮" * 801  # 4005
    view.description.setPlainText(typed)
    view.address.setText("望京" * 130)
    view.category.search.selectAll()
    view.category.search.insert("路灯不亮")  # typed, not picked from the catalogue
    view.save_button.click()
    assert view.presenter.state.problems == {
        "description": "too_long:description",
        "place.address": "too_long:place.address",
        "category_name": fix.UNPICKED,
    }
    assert view.category.search.text() == "路灯不亮"
    assert "请从列表中选定一个分类" in view.messages["category_name"].text()
    assert "border" in view.category.search.styleSheet()
    assert view.description.toPlainText() == typed
    assert view.address.text() == "望京" * 130
    assert "现在 4005 个字" in view.messages["description"].text()
    assert view.messages["place.address"].text().startswith("“事发地址”太长：最多 256 个字")
    assert _highlighted(view, "place.address")
    assert view.focusWidget() is view.description
    runner.wait_idle()
    with ws.db.read() as s:
        assert list(s.scalars(select(OutboxRow.idempotency_key))) == before
    assert len(ws.ticket(long).events) == events_before  # type: ignore[union-attr]

    # Shortened: saved, the row says 已更正，待发送, one change waits for the sync.
    outcomes: list[str] = []
    dialog.presenter.changed.connect(
        lambda state: outcomes.extend(r.outcome for r in state.rows if r.key == long)
    )
    view.description.setPlainText("楼道灯不亮，请尽快维修。")
    view.address.setText("朝阳区望京街道望京西园三区")
    qtbot.keyClick(view.category.search, Qt.Key.Key_Return)  # picks the first hit (a worker)
    qtbot.waitUntil(lambda: view.category.code == "04.05.001", timeout=WAIT)
    view.save_button.click()
    qtbot.waitUntil(lambda: view.presenter.state.saved, timeout=WAIT)
    assert ui.CORRECTED in outcomes
    _loaded(qtbot, dialog.presenter)
    row = dialog.presenter.row(long)
    assert row is not None
    assert not row.undelivered
    assert _cell(dialog, long, ui.RESULT_COLUMN) == "已更正，待发送"
    assert not view.save_button.isEnabled()
    assert "已更正，待发送" in view.hint.text()
    ticket = ws.ticket(long)
    assert ticket is not None
    assert ticket.description == "楼道灯不亮，请尽快维修。"
    assert ticket.place.address == "朝阳区望京街道望京西园三区"
    assert ticket.events[-1].kind == "field_change"
    assert ticket.events[-1].actor_id == "op1"
    assert (ticket.category_code, ticket.category_name) == (
        "04.05.001",
        "城市管理/路灯照明/路灯不亮",
    )
    assert ticket.events[-1].data == {
        "fields": ["description", "place.address", "category_code", "category_name"]
    }
    with ws.db.read() as s:
        waiting = list(
            s.scalars(
                select(OutboxRow).where(OutboxRow.ticket_id == long, OutboxRow.sent_at.is_(None))
            )
        )
    assert [(w.undelivered_at, w.payload["description"]) for w in waiting] == [
        (None, "楼道灯不亮，请尽快维修。")
    ]
    view.close()
    dialog.close()
    runner.drain()


def test_a_ticket_the_centre_accepted_cannot_be_corrected_there(
    qtbot: Any, runner: TaskRunner, ws: Workstation
) -> None:
    (held,) = add_tickets(ws.db, "S01", 1, operator="op1")
    store_identity(ws.db, {"login": "op1", "group": "operator"})
    with ws.db.write() as s:
        repo.mark_synced(s, held, 3)  # the centre holds it; a later change was refused
    _too_long(ws, held)
    dialog = ui.UndeliveredDialog(runner, ws)
    qtbot.addWidget(dialog)
    dialog.open_list()
    _loaded(qtbot, dialog.presenter)
    buttons = dialog.actions_for(held)
    assert buttons is not None
    assert not buttons.correct_button.isEnabled()
    assert "中心已受理过这张工单" in buttons.correct_button.toolTip()
    dialog.presenter.correct(held)  # refused by the presenter too
    assert dialog.correction is None
    # Opened anyway (as after the centre accepted it meanwhile): read-only, and it says why.
    view = dialog.open_correction(held)
    assert view is not None
    qtbot.waitUntil(lambda: view.presenter.state.correction is not None, timeout=WAIT)
    assert "中心已受理过工单" in view.banner.text()
    assert "不能再更正" in view.banner.text()
    assert not view.save_button.isEnabled()
    assert not any(w.isEnabled() for w in view.widgets.values())
    view.presenter.save({"description": "短"})
    runner.wait_idle()
    assert ws.ticket(held).description == "长" * 4001  # type: ignore[union-attr]
    view.close()
    dialog.close()
    runner.drain()


# The whole way, with the window and a real centre ------------------------------------------------


def _centre_rows(central: Any, seat: str) -> dict[str, str]:
    with central.admin() as conn:
        return dict(
            conn.execute(
                "SELECT id, number FROM central.tickets WHERE seat = %s", (seat,)
            ).fetchall()
        )


@pytest.mark.postgres
def test_a_refused_ticket_is_fixed_resent_and_renumbered_from_the_window(
    qtbot: Any, tmp_path: Path
) -> None:
    from tests.helpers.window import open_workbench  # noqa: PLC0415 - builds the whole window

    with throwaway_centre() as central:
        login = central.add_login("undel", "operator")
        # The seat was set up again on a fresh database: its first number is at the centre.
        earlier = new_seat(tmp_path / "earlier")
        try:
            add_tickets(earlier, "UD", 1, operator=login, seed=11)
            from agent_app.services.sync.engine import SyncEngine  # noqa: PLC0415

            engine = SyncEngine(earlier, central.target(login), seat="UD", password_lookup=None)
            assert engine.sync_once().complete
        finally:
            earlier.dispose()
        bench = open_workbench(tmp_path, central=central.url(login), seat="UD")
        qtbot.addWidget(bench.window)
        try:
            wiring, ws, status = bench.wiring, bench.workstation, bench.wiring.sync_status
            db = ws.db
            clash, broken, fine = add_tickets(db, "UD", 3, operator=login, seed=12)
            # broken: its description is too long (in the ticket and in its queued change, as
            # a seat of an older version saved it): refused with the centre's rule
            con = cipher.connect(ws.paths.database)
            con.execute(
                "UPDATE outbox SET payload = json_set(payload, '$.description', ?) "
                "WHERE ticket_id = ?",
                ("长" * 4001, broken),
            )
            con.execute("UPDATE tickets SET description = ? WHERE id = ?", ("长" * 4001, broken))
            con.commit()
            con.close()
            qtbot.waitUntil(lambda: wiring.sync_controller is not None, timeout=WAIT)
            assert wiring.sync_controller is not None
            wiring.sync_controller.sync_now()
            qtbot.waitUntil(lambda: not status.undelivered_link.isHidden(), timeout=WAIT)
            qtbot.waitUntil(lambda: status.undelivered_link.text() == "未送达 2", timeout=WAIT)
            assert fine in _centre_rows(central, "UD")
            assert "未送达 2" in bench.window.sync_label.text()

            qtbot.mouseClick(status.undelivered_link, Qt.MouseButton.LeftButton)
            dialog = status.dialog
            assert dialog is not None
            assert dialog.isVisible()
            presenter = dialog.presenter
            _loaded(qtbot, presenter)
            rows = {r.key: r for r in presenter.state.rows}
            assert set(rows) == {clash, broken}
            assert (rows[clash].kind, rows[clash].reason) == ("ticket", "number_taken")
            assert rows[broken].reason == "too_long:description"
            assert "“诉求内容”太长" in _cell(dialog, broken, ui.REASON_COLUMN)
            assert rows[clash].since is not None
            assert _cell(dialog, clash, 1) == "工单"
            assert "编号冲突" in _cell(dialog, clash, ui.REASON_COLUMN)

            # 打开工单: the ticket in the window's detail view
            dialog.actions_for(broken).open_button.click()  # type: ignore[union-attr]
            detail = bench.window.detail_window
            assert detail is not None
            assert detail.isVisible()
            qtbot.waitUntil(lambda: detail.presenter.state.detail is not None, timeout=WAIT)
            assert detail.presenter.state.detail.ticket.id == broken  # type: ignore[union-attr]
            detail.close()

            # 重新发送 while the ticket still breaks a rule: not sent, the row says what to fix
            dialog.actions_for(broken).resend_button.click()  # type: ignore[union-attr]
            qtbot.waitUntil(lambda: _outcome(presenter, broken) == ui.INVALID, timeout=WAIT)
            text = _cell(dialog, broken, ui.RESULT_COLUMN)
            assert "“诉求内容”太长" in text
            assert "更正" in text
            # 更正: the description highlighted with the reason and focused; corrected, saved,
            # 已更正，待发送; the sync the save starts delivers it.
            outcomes: list[str] = []
            presenter.changed.connect(
                lambda state: outcomes.extend(r.outcome for r in state.rows if r.key == broken)
            )
            view = _correction(qtbot, dialog, broken)
            assert "“诉求内容”太长" in view.banner.text()
            assert _highlighted(view, "description")
            assert view.focusWidget() is view.description
            view.description.setPlainText(view.description.toPlainText()[:4000] + "长")
            view.save_button.click()  # still too long: says so, keeps the text, saves nothing
            assert "现在 4001 个字" in view.messages["description"].text()
            assert len(view.description.toPlainText()) == 4001
            corrected = "楼道灯不亮，请尽快维修。"
            view.description.setPlainText(corrected)
            view.save_button.click()
            qtbot.waitUntil(lambda: view.presenter.state.saved, timeout=WAIT)
            assert ui.CORRECTED in outcomes
            qtbot.waitUntil(lambda: _outcome(presenter, broken) == ui.DELIVERED, timeout=WAIT)
            assert _cell(dialog, broken, ui.RESULT_COLUMN) == "已送达中心"
            view.close()
            centre = _centre_rows(central, "UD")
            with db.read() as s:
                number = s.scalar(select(TicketRow.number).where(TicketRow.id == broken))
            assert centre[broken] == number
            with central.admin() as conn:
                held = conn.execute(
                    "SELECT data ->> 'description' FROM central.tickets WHERE id = %s", (broken,)
                ).fetchall()
                edits = conn.execute(
                    "SELECT actor_id, data FROM central.ticket_events "
                    "WHERE ticket_id = %s AND kind = 'field_change'",
                    (broken,),
                ).fetchall()
                applied = conn.execute(
                    "SELECT count(*) FROM central.applied_ops WHERE ticket_id = %s", (broken,)
                ).fetchone()[0]
            assert held == [(corrected,)]  # the corrected text, once
            assert edits == [(login, {"fields": ["description"]})]
            assert applied == 1  # one change reached the centre

            # 重新发送 a clash as it is: the centre refuses it again, with its reason
            dialog.actions_for(clash).resend_button.click()  # type: ignore[union-attr]
            qtbot.waitUntil(lambda: _outcome(presenter, clash) == ui.REFUSED_AGAIN, timeout=WAIT)
            assert "仍被中心拒收" in _cell(dialog, clash, ui.RESULT_COLUMN)
            # 重新编号: a new number of this seat; delivered with it
            buttons = dialog.actions_for(clash)
            assert buttons is not None
            assert buttons.renumber_button.isEnabled()
            buttons.renumber_button.click()
            qtbot.waitUntil(lambda: _outcome(presenter, clash) == ui.DELIVERED, timeout=WAIT)
            row = presenter.row(clash)
            assert row is not None
            assert row.number.endswith("-0004")
            assert _centre_rows(central, "UD")[clash] == row.number
            assert presenter.state.waiting == 0
            # The status bar's count follows the sync.
            qtbot.waitUntil(lambda: status.undelivered_link.isHidden(), timeout=WAIT)
            assert "未送达" not in status.text()
            dialog.close()
        finally:
            bench.runner.wait_idle()
            wiring.shutdown()
            bench.window.close()
            bench.runner.drain()
            bench.workstation.close()
