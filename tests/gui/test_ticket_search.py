"""工单查询 and the ticket detail: search from the side tab, open a ticket, see its timeline,
the unit's feedback, related tickets, the deadline's light and the allowed next steps."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Outcome, Ticket, TicketEvent
from agent_app.services.ticket_detail import RelatedTicket, Relation
from agent_app.services.ticket_search import SearchQuery, search
from agent_app.storage.models import AuditRow
from agent_app.ui.main_window import MainWindow
from agent_app.ui.models.ticket_table import TicketTableModel
from agent_app.ui.ticket_detail import RelatedModel, TimelineModel
from tests.helpers.window import close_window, make_context

pytestmark = pytest.mark.gui
PHONE = "+8613812345678"


def _tickets() -> list[Ticket]:
    now = timeutil.now()
    created = now - timedelta(days=2)
    first = Ticket(
        id=Ticket.new_id(), number=f"{created:%Y%m%d}-S01-0001", created_at=created,
        updated_at=created, seat="S01", operator_id="op1",
        caller=Caller(name="张三", phones=(PHONE,)), description="小区暖气不热，室温只有十五度",
        category_name="公共服务/供暖/室温不达标", main_unit="北京市热力集团有限责任公司",
        outcome=Outcome.DISPATCHED, due_at=now + timedelta(hours=3),
        events=(TicketEvent(at=created, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    first = first.transition(Status.DISPATCHED, Role.OPERATOR, "op1", created, main_unit="热力")
    first = replace(
        first,
        events=(
            *first.events,
            TicketEvent(
                at=created + timedelta(hours=5),
                kind="reply",
                actor_role="handler",
                actor_id="热力集团",
                data={"text": "已派维修人员入户排气，室温恢复到二十度。"},
            ),
        ),  # fmt: skip
    )
    again = Ticket(
        id=Ticket.new_id(), number=f"{created:%Y%m%d}-S01-0002",
        created_at=created + timedelta(hours=1), updated_at=created, seat="S01",
        operator_id="op1", caller=Caller(name="张三", phones=(PHONE,)),
        description="又反映暖气不热", outcome=Outcome.MERGED, merged_into=first.number,
        events=(TicketEvent(at=created, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    again = again.transition(Status.MERGED_DUPLICATE, Role.OPERATOR, "op1", created)
    return [first, again]


@pytest.fixture
def window(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    ctx = make_context(tmp_path, role=Role.LEAD)
    for ticket in _tickets():
        ctx.workstation.save_ticket(ticket)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    yield win
    close_window(win)


def test_search_open_a_ticket_and_see_its_timeline(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.search_tab
    window.side.setCurrentWidget(tab)
    tab.text.setText("暖气")
    with qtbot.waitSignal(tab.searched, timeout=10_000):
        tab.search()
    assert [t.number[-4:] for t in tab.shown_rows()] == ["0002", "0001"]
    assert tab.count_label.text() == "共 2 条"
    assert not tab.more_button.isVisible()
    caller = tab.model.index(0, TicketTableModel.COLUMNS.index("来电人")).data()
    assert caller == "张* 138****5678"  # masked

    row = next(r for r, t in enumerate(tab.shown_rows()) if t.number.endswith("0001"))
    tab.view.doubleClicked.emit(tab.proxy.index(row, 0))
    detail = window.detail_window
    assert detail is not None
    qtbot.waitUntil(lambda: detail.presenter.state.detail is not None, timeout=10_000)
    view = detail.view
    assert detail.isVisible()
    assert "0001" in view.title.text()
    events = [view.timeline.index(r, 2).data() for r in range(view.timeline.rowCount())]
    assert events == ["受理", "状态变更", "承办单位反馈"]
    assert "受理中 → 已派单" in view.timeline.index(1, 3).data()
    assert "排气" in view.feedback.text()
    assert view.related.index(0, 0).data() == "并入本单"
    assert view.fields["caller"].text() == "张* 138****5678"
    assert "即将到期" in view.fields["due"].text()  # 3 hours of a 2-day limit are left
    # a shift lead may not move a dispatched ticket; a handler's step: no buttons enabled
    buttons = view.findChildren(QPushButton)
    assert not any(b.isEnabled() for b in buttons if b.objectName().startswith("action_"))

    # 显示号码 shows the number and is audited
    view.unmask_button.click()
    qtbot.waitUntil(lambda: view.fields["caller"].text() == "张三 13812345678", timeout=5000)
    window.ctx.runner.wait_idle()
    with window.ctx.workstation.db.read() as s:
        actions = [a.action for a in s.scalars(select(AuditRow))]
    assert "unmask_phone" in actions

    # the related ticket opens in the same window; its merge target is listed
    view.related_view.doubleClicked.emit(view.related.index(0, 1))
    qtbot.waitUntil(
        lambda: (
            detail.presenter.state.detail is not None
            and detail.presenter.state.detail.ticket.number.endswith("0002")
        ),
        timeout=10_000,
    )
    assert view.related.index(0, 0).data() == "本单并入"
    assert view.fields["caller"].text() == "张* 138****5678"  # masked again
    detail.close()


def test_a_bad_phone_is_told_inline_and_pages_are_honest(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = window.search_tab
    tab.phone.setText("1381234")
    tab.search()
    qtbot.waitUntil(lambda: not tab.problem.isHidden(), timeout=10_000)
    assert "not a whole phone number" in tab.problem.text()
    assert "1381234" not in tab.problem.text()
    tab.clear()
    tab.status.setCurrentIndex(tab.status.findData("MERGED_DUPLICATE"))
    with qtbot.waitSignal(tab.searched, timeout=10_000):
        tab.search()
    assert [t.status for t in tab.shown_rows()] == ["MERGED_DUPLICATE"]


def test_the_tab_shortcut_reaches_the_search_tab(window) -> None:  # type: ignore[no-untyped-def]
    ctrl_4 = [a for a in window.actions() if a.shortcut() == QKeySequence("Ctrl+4")]
    assert len(ctrl_4) == 1
    assert any("Ctrl+4" in keys for keys, _ in MainWindow.SHORTCUTS)  # in the F1 list
    ctrl_4[0].trigger()
    assert window.side.currentWidget() is window.search_page
    assert window.search_tab.parent() is window.search_page  # built when first shown


def test_search_model_timeline_and_related_models(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    result = search(window.ctx.workstation.paths.database, SearchQuery())
    model = TicketTableModel()
    model.set_rows(list(result.rows), timeutil.now())
    qtmodeltester.check(model)
    timeline = TimelineModel()
    timeline.set_events(_tickets()[0].events)
    qtmodeltester.check(timeline)
    related = RelatedModel()
    related.set_rows([(Relation.SAME_CALLER, result.rows[0])])
    qtmodeltester.check(related)
    assert RelatedTicket(Relation.LINKED, result.rows[0]).relation is Relation.LINKED
    assert timeline.data(QModelIndex()) is None
