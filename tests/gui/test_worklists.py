"""The lead's worklists in the window: objections and extension requests (异议与延期) ruled
on, callbacks (回访) recorded with the caller's number revealed only after the audit row is
written, counts on the tabs and notices in the status bar, the ticket detail's action
buttons, and the demo units simulator moving the lists."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from agent_app import i18n
from agent_app.domain import followup, timeutil
from agent_app.domain.lifecycle import Status, UnitAction
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.unit_act import unit_act
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services.sync.identity import store_identity
from agent_app.services.unit_sim import plan
from agent_app.services.worklists import extension_preview
from agent_app.settings import Settings
from agent_app.storage.models import AuditRow
from agent_app.ui.compose import Workbench
from agent_app.ui.worklists import CALLBACK_TAB, LEAD_TAB, enclosing_tabs, tab_text
from agent_app.ui.worklists_actions import one_line
from agent_app.ui.worklists_forms import CallbackForm, RedispatchForm
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.gui
WAIT = 10_000
UNIT = "呼家楼街道办事处"
PHONE = "+8613812345678"
_serial = iter(range(1, 10_000))


def _dispatched(*, demo: bool = False, tid: str | None = None) -> Ticket:
    now = timeutil.now() - timedelta(hours=2)
    n = next(_serial)
    return Ticket(
        id=tid or Ticket.new_id(), number=f"{now:%Y%m%d}-S01-{7000 + n:04d}", created_at=now,
        updated_at=now, seat="S01", operator_id="op1",
        caller=Caller(name="王芳", phones=(PHONE,)), description="小区门口垃圾三天没人清运",
        category_code="04.01.002", category_name="城市管理/市容环境卫生/垃圾清运不及时",
        place=Place(
            address="朝阳区呼家楼街道呼家楼北街5号", district="朝阳区", district_code="110105",
            township="呼家楼街道", township_code="110105003",
        ),
        main_unit=UNIT, due_at=now + timedelta(days=3), is_demo=demo,
        events=(TicketEvent(at=now, kind="created", actor_role="operator", actor_id="op1"),),
    ).transition(Status.DISPATCHED, Role.OPERATOR, "op1", now)  # fmt: skip


def _act(t: Ticket, *steps: tuple[UnitAction, dict[str, object]]) -> Ticket:
    at = timeutil.now() - timedelta(hours=1)
    for action, args in steps:
        at += timedelta(minutes=5)
        t = unit_act(t, action, actor_id="unit-login", now=at, **args)
    return t


def objected() -> Ticket:
    return _act(
        _dispatched(), (UnitAction.OBJECT, {"reason_code": "wrong_place", "reason": "不在本辖区"})
    )


def extension_asked() -> Ticket:
    return _act(
        _dispatched(),
        (UnitAction.SIGN, {}),
        (UnitAction.CONTACT, {"text": "已联系"}),
        (UnitAction.EXTEND, {"days": 5, "reason": "需协调施工单位"}),
    )


def replied() -> Ticket:
    return _act(
        _dispatched(),
        (UnitAction.SIGN, {}),
        (UnitAction.CONTACT, {"text": "已联系"}),
        (UnitAction.REPLY, {"text": "已安排环卫车清运完毕", "result": "resolved"}),
    )


@pytest.fixture
def lead(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    bench = open_workbench(tmp_path, role=Role.LEAD, demo=True)
    qtbot.addWidget(bench.window)
    yield bench
    close_workbench(bench)


def _load(qtbot, bench: Workbench) -> None:  # type: ignore[no-untyped-def]
    lists = bench.worklists
    assert lists is not None
    lists.refresh(now=True)
    for p in lists.presenters:
        qtbot.waitUntil(lambda p=p: p.state.loaded and not p.loading, timeout=WAIT)


def _tab(bench: Workbench, view: QWidget) -> str:
    tabs = enclosing_tabs(view)  # the side tabs, or wherever the lead's desk shows the list
    assert tabs is not None
    return tabs.tabText(tabs.indexOf(view))


def test_the_lead_upholds_an_objection_and_approves_an_extension(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    ws = lead.workstation
    a, b = objected(), extension_asked()
    ws.save_ticket(a)
    ws.save_ticket(b)
    ws.save_ticket(replied())
    _load(qtbot, lead)
    desk, view = lead.worklists.lead, lead.worklists.lead_view
    assert {r.number: r.kind for r in desk.state.rows} == {
        a.number: "objection",
        b.number: "extension",
    }
    assert _tab(lead, view) == tab_text(LEAD_TAB, 2)
    assert _tab(lead, lead.worklists.callback_view) == tab_text(CALLBACK_TAB, 1)

    # The objection: the unit's reason, the catalogue's proposal for the category and place
    picked: list[str] = []
    view.selected.connect(picked.append)  # what a desk beside the list follows
    desk.select(b.id)
    desk.select(a.id)
    qtbot.waitUntil(lambda: desk.state.choices is not None, timeout=WAIT)
    assert picked[-1] == a.id
    assert "不在本辖区" in view.title.text()
    assert desk.state.choices.proposed[0] == "朝阳区人民政府"
    assert UNIT not in desk.state.choices.proposed
    assert view.dispute.chosen_unit() == "朝阳区人民政府"
    view.dispute.unit.setEditText("朝阳区城市管理委员会")  # another proposed unit
    assert view.dispute.uphold.isEnabled()
    view.dispute.uphold.click()
    qtbot.waitUntil(lambda: "改派" in view.message.text(), timeout=WAIT)
    lead.runner.wait_idle()
    saved = ws.ticket(a.id)
    assert saved.status is Status.DISPATCHED
    assert saved.main_unit == "朝阳区城市管理委员会"
    ruling = saved.events[-1].data
    assert (ruling["ruling"], ruling["from_unit"]) == ("upheld", UNIT)
    qtbot.waitUntil(lambda: a.id not in {r.ticket_id for r in desk.state.rows}, timeout=WAIT)
    assert "朝阳区城市管理委员会" in lead.window.last_message
    assert "改派" in view.message.text()  # not wiped when the next request comes into the form

    # The extension: the new due time is shown before confirming, and is what is saved
    desk.select(b.id)
    qtbot.waitUntil(lambda: desk.state.preview is not None, timeout=WAIT)
    expected = extension_preview(ws.ticket(b.id))
    assert (
        f"{expected.astimezone(timeutil.SHANGHAI):%Y-%m-%d %H:%M}" in view.extension.summary.text()
    )
    assert "5 个工作日" in view.extension.summary.text()
    view.extension.approve.click()
    qtbot.waitUntil(lambda: not desk.state.rows, timeout=WAIT)
    saved = ws.ticket(b.id)
    assert saved.status is Status.IN_PROGRESS
    assert saved.due_at == expected
    assert _tab(lead, view) == tab_text(LEAD_TAB, 0)


def test_a_rulings_outcome_shows_when_a_refresh_moved_the_selection_before_it_came(
    qtbot, lead, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A refresh (the first load's timer, a pull, another change) can read the list after the
    ruling was stored but be delivered before the ruling's result: the ruled ticket has left
    the list and the next request is selected.  The ruling's outcome is still shown (it was
    dropped, and the form left busy-free with no word, when outcomes were matched against
    the selection: a CI run under load waited for it in vain)."""
    from agent_app.services import followup as service  # noqa: PLC0415

    a, b = objected(), extension_asked()
    lead.workstation.save_ticket(a)
    lead.workstation.save_ticket(b)
    _load(qtbot, lead)
    desk, view = lead.worklists.lead, lead.worklists.lead_view
    desk.select(a.id)
    qtbot.waitUntil(lambda: desk.state.choices is not None, timeout=WAIT)
    stored, deliver = threading.Event(), threading.Event()
    rule = service.rule_dispute

    def rule_then_hold(*args, **kwargs):  # type: ignore[no-untyped-def]
        ticket = rule(*args, **kwargs)
        stored.set()
        deliver.wait(WAIT / 1000)  # the result is delivered only after the refresh's
        return ticket

    monkeypatch.setattr(service, "rule_dispute", rule_then_hold)
    try:
        view.dispute.unit.setEditText("朝阳区城市管理委员会")
        view.dispute.uphold.click()
        qtbot.waitUntil(stored.is_set, timeout=WAIT)
        desk.refresh(now=True)
        qtbot.waitUntil(lambda: [r.ticket_id for r in desk.state.rows] == [b.id], timeout=WAIT)
        assert desk.state.selected == b.id
        assert desk.state.busy  # one ruling at a time: the next form waits for this one
    finally:
        deliver.set()
    qtbot.waitUntil(lambda: "改派" in view.message.text(), timeout=WAIT)
    assert not desk.state.busy
    assert not desk.state.error
    qtbot.waitUntil(lambda: desk.state.preview is not None, timeout=WAIT)
    assert "改派" in view.message.text()


def test_rejecting_needs_a_reason_and_the_unit_keeps_the_ticket(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    a = objected()
    lead.workstation.save_ticket(a)
    _load(qtbot, lead)
    view = lead.worklists.lead_view
    qtbot.waitUntil(lambda: lead.worklists.lead.state.choices is not None, timeout=WAIT)
    assert not view.dispute.reject.isEnabled()
    view.dispute.reason.setText("经核实地点在本辖区内")
    view.dispute.reject.click()
    qtbot.waitUntil(lambda: not lead.worklists.lead.state.rows, timeout=WAIT)
    saved = lead.workstation.ticket(a.id)
    assert saved.status is Status.SIGNED
    assert saved.main_unit == UNIT
    assert saved.events[-1].data["reason"] == "经核实地点在本辖区内"


def test_a_callback_reveals_the_number_only_after_auditing_and_reopens_when_dissatisfied(
    qtbot, lead
) -> None:  # type: ignore[no-untyped-def]
    ws = lead.workstation
    c = replied()
    ws.save_ticket(c)
    _load(qtbot, lead)
    calls, view = lead.worklists.callbacks, lead.worklists.callback_view
    assert calls.state.selected == c.id
    form = view.form
    assert "已安排环卫车清运完毕" in form.reply.text()
    assert "13812345678" not in form.caller.text()  # masked until revealed

    def audited() -> list[str]:
        with ws.db.read() as s:
            return [
                r.ticket_id for r in s.scalars(select(AuditRow)) if r.action == "callback_reveal"
            ]

    seen: list[tuple[bool, list[str]]] = []
    calls.changed.connect(lambda st: seen.append((bool(st.number), audited())))
    form.reveal.click()
    qtbot.waitUntil(lambda: "13812345678" in form.caller.text(), timeout=WAIT)
    first_shown = next(rows for shown, rows in seen if shown)
    assert c.id in first_shown  # the audit row was there when the number was first shown

    form.resolved_no.setChecked(True)
    form.satisfaction["不满意"].setChecked(True)
    form.words.setPlainText("垃圾还在，回拨13812345678")
    assert "二次办理" in form.outcome.text()
    form.record.click()
    qtbot.waitUntil(lambda: not calls.state.rows, timeout=WAIT)
    assert calls.state.number == ""  # shown for the call only
    saved = ws.ticket(c.id)
    assert saved.status is Status.REOPENED
    callback = saved.events[-1].data["callback"]
    assert callback["satisfaction"] == "不满意"
    assert "13812345678" not in callback["words"]
    assert saved.events[-1].data["rehandled"] == 1


def test_new_work_is_counted_on_the_tab_and_noticed_in_the_status_bar(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    _load(qtbot, lead)
    lists, window = lead.worklists, lead.window
    window.show()
    qtbot.waitExposed(window)
    assert _tab(lead, lists.callback_view) == tab_text(CALLBACK_TAB, 0)
    assert not lists.notice.isVisibleTo(window)
    lead.workstation.save_ticket(replied())
    lead.workstation.save_ticket(replied())
    lead.runner.changes.emit("tickets")  # as a saved change or a pull announces it
    qtbot.waitUntil(lambda: len(lists.callbacks.state.rows) == 2, timeout=WAIT)
    assert _tab(lead, lists.callback_view) == tab_text(CALLBACK_TAB, 2)
    assert lists.notice.isVisibleTo(window)
    assert "回访 2" in lists.notice.text()
    assert window.statusBar().isAncestorOf(lists.notice)  # in the status bar, not a modal
    assert QApplication.activeModalWidget() is None
    lists.notice.linkActivated.emit("callbacks")  # the notice's link opens the list
    qtbot.waitUntil(lists.callback_view.isVisible, timeout=WAIT)
    assert not lists.notice.isVisibleTo(window)  # looked at: the notice goes


def test_a_pull_refreshes_the_worklists(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    _load(qtbot, lead)
    lead.workstation.save_ticket(objected())
    lead.wiring.on_sync_state({"syncing": False, "pulled": 1})
    qtbot.waitUntil(lambda: len(lead.worklists.lead.state.rows) == 1, timeout=WAIT)
    assert "异议与延期 1" in lead.worklists.notice.text()


def test_the_detail_windows_buttons_act_and_the_detail_is_read_again(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    ws = lead.workstation
    a, c = objected(), replied()
    ws.save_ticket(a)
    ws.save_ticket(c)
    detail = lead.window.open_ticket(a.id)
    view, presenter = detail.view, detail.presenter
    qtbot.waitUntil(lambda: presenter.state.detail is not None, timeout=WAIT)
    button = view.findChild(QPushButton, "action_DISPUTE_REVIEW")
    assert button is not None
    assert button.isEnabled()
    button.click()
    qtbot.waitUntil(lambda: presenter.state.choices is not None, timeout=WAIT)
    assert view.panel_box.isVisible()
    view.dispute_form.reason.setText("属本辖区")
    view.dispute_form.reject.click()
    qtbot.waitUntil(
        lambda: (
            presenter.state.detail is not None
            and presenter.state.detail.ticket.status is Status.SIGNED
        ),
        timeout=WAIT,
    )
    assert "继续办理" in view.notice.text()
    assert not view.panel_box.isVisible()  # the step was taken: its form is closed

    presenter.open(c.id)  # the same window, another ticket
    qtbot.waitUntil(
        lambda: presenter.state.detail is not None and presenter.state.detail.ticket.id == c.id,
        timeout=WAIT,
    )
    assert "已安排环卫车清运完毕（已解决）" in view.feedback.text()  # the unit's reply
    assert any("已安排环卫车清运完毕" in view.timeline.data(view.timeline.index(r, 3))
               for r in range(view.timeline.rowCount()))  # fmt: skip
    view.findChild(QPushButton, "action_REVISIT").click()
    form = view.callback_form
    form.reveal.click()
    qtbot.waitUntil(lambda: "13812345678" in form.caller.text(), timeout=WAIT)
    form.resolved_yes.setChecked(True)
    form.satisfaction["满意"].setChecked(True)
    form.record.click()
    qtbot.waitUntil(
        lambda: (
            presenter.state.detail is not None
            and presenter.state.detail.ticket.status is Status.CLOSED
        ),
        timeout=WAIT,
    )
    assert "办结" in view.notice.text()
    detail.close()


def test_an_operator_has_no_worklists_and_no_enabled_follow_up_buttons(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bench = open_workbench(tmp_path, role=Role.OPERATOR)
    qtbot.addWidget(bench.window)
    try:
        assert bench.worklists is None
        c = replied()
        bench.workstation.save_ticket(c)
        detail = bench.window.open_ticket(c.id)
        qtbot.waitUntil(lambda: detail.presenter.state.detail is not None, timeout=WAIT)
        enabled = [b for b in detail.view.action_buttons if b.isEnabled()]
        assert enabled == []
        detail.close()
        # the catalogue loads after the first paint: let it finish before the window closes
        qtbot.waitUntil(lambda: bench.window.intake is not None, timeout=60_000)
    finally:
        close_workbench(bench)


def test_the_demo_units_simulator_moves_the_callback_worklist(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seat = DataPaths(tmp_path / "seat").ensure()
    Settings(seat.settings_file).unit_sim_speed = 100_000
    bench = open_workbench(tmp_path, role=Role.LEAD, demo=True)
    qtbot.addWidget(bench.window)
    try:
        sim = bench.unit_sim
        assert sim is not None
        sim.timer.setInterval(200)
        for i in range(200):  # a demo ticket its unit replies to next (no extension asked)
            t = _act(
                _dispatched(demo=True, tid=f"00000000-0000-4000-8000-{i:012d}"),
                (UnitAction.SIGN, {}),
                (UnitAction.CONTACT, {"text": "已联系"}),
            )
            t = replace(t, updated_at=timeutil.now())
            step = plan(t, sim.simulator.rng_for(t))
            if step is not None and step.action is UnitAction.REPLY:
                break
        else:
            raise AssertionError("no ticket the unit replies to next")
        bench.workstation.save_ticket(t)
        _load(qtbot, bench)
        calls = bench.worklists.callbacks
        qtbot.waitUntil(lambda: t.id in {r.ticket_id for r in calls.state.rows}, timeout=20_000)
        assert _tab(bench, bench.worklists.callback_view) == tab_text(CALLBACK_TAB, 1)
    finally:
        close_workbench(bench)


def test_callbacks_list_replies_first_filters_and_waits_for_the_units_reply(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    late = replace(_dispatched(), due_at=timeutil.now() - timedelta(hours=1))  # no reply, overdue
    done = replied()
    lead.workstation.save_ticket(late)
    lead.workstation.save_ticket(done)
    _load(qtbot, lead)
    view, calls = lead.worklists.callback_view, lead.worklists.callbacks
    assert [view.proxy.row_at(r).why for r in range(view.proxy.rowCount())] == [
        "replied",
        "overdue",
    ]
    view.filter.setText(late.number[-4:])
    assert view.proxy.rowCount() == 1
    assert "1" in view.count.text()
    assert "2" in view.count.text()  # "显示 1 项，共 2 项"
    calls.select(late.id)
    form = view.form
    form.resolved_yes.setChecked(True)
    form.satisfaction["满意"].setChecked(True)
    assert not form.record.isEnabled()  # nothing to call back on before the unit replies
    assert "反馈后" in form.outcome.text()
    assert form.reveal.isVisibleTo(view)  # the citizen may still be called with the progress


def test_the_worklists_speak_english_in_the_english_locale(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    translators = i18n.install(qapp, "en")
    try:
        form = CallbackForm()
        qtbot.addWidget(form)
        assert tab_text(LEAD_TAB, 0) == "Objections and extensions"
        assert tab_text(CALLBACK_TAB, 0) == "Callbacks"
        assert form.record.text() == "Record callback"
        assert form.satisfaction["基本满意"].text() == "Mostly satisfied"
        assert one_line(UsageError("x")) == "x"
        assert "see the log" in one_line(RuntimeError())
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_a_reopened_ticket_is_re_dispatched_from_the_detail(qtbot, lead) -> None:  # type: ignore[no-untyped-def]
    reopened = followup.record_callback(
        replied(), resolved=False, satisfaction="不满意", role=Role.LEAD, actor_id="lead",
        now=timeutil.now() - timedelta(minutes=5),
    )  # fmt: skip
    lead.workstation.save_ticket(reopened)
    detail = lead.window.open_ticket(reopened.id)
    view, presenter = detail.view, detail.presenter
    qtbot.waitUntil(lambda: presenter.state.detail is not None, timeout=WAIT)
    button = view.findChild(QPushButton, "action_DISPATCHED")
    assert button is not None
    assert button.isEnabled()
    button.click()
    qtbot.waitUntil(lambda: presenter.state.choices is not None, timeout=WAIT)
    form = view.redispatch_form
    assert form.chosen_unit() == "朝阳区人民政府"  # the catalogue's proposal first
    assert not form.reject.isVisibleTo(view)
    form.unit.setEditText(UNIT)  # back to its own unit (督办) is allowed too
    assert form.uphold.isEnabled()
    form.unit.setEditText("朝阳区城市管理委员会")
    form.uphold.click()
    qtbot.waitUntil(
        lambda: (
            presenter.state.detail is not None
            and presenter.state.detail.ticket.status is Status.DISPATCHED
        ),
        timeout=WAIT,
    )
    saved = lead.workstation.ticket(reopened.id)
    assert saved.main_unit == "朝阳区城市管理委员会"
    assert "重新派单" in view.notice.text()
    detail.close()


def test_the_redispatch_form_speaks_english_in_the_english_locale(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    translators = i18n.install(qapp, "en")
    try:
        form = RedispatchForm()
        qtbot.addWidget(form)
        assert form.uphold.text() == "Re-dispatch"
        edit = form.unit.lineEdit()
        assert edit is not None
        assert edit.placeholderText() == "Pick a proposed unit or type any unit"  # inherited
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_a_real_seats_ruling_acts_as_its_central_login_and_is_queued_for_the_centre(
    qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("AGENT_APP_CENTRAL_URL", raising=False)
    bench = open_workbench(tmp_path, role=Role.LEAD)  # a real seat: no sync configured here
    qtbot.addWidget(bench.window)
    try:
        ws = bench.workstation
        store_identity(ws.db, {"login": "lead_wang", "group": "lead"})
        a = objected()
        ws.save_ticket(a)
        queued = ws.pending_outbox()
        _load(qtbot, bench)
        view = bench.worklists.lead_view
        qtbot.waitUntil(lambda: bench.worklists.lead.state.choices is not None, timeout=WAIT)
        view.dispute.reason.setText("属本辖区")
        view.dispute.reject.click()
        qtbot.waitUntil(lambda: not bench.worklists.lead.state.rows, timeout=WAIT)
        saved = ws.ticket(a.id)
        assert saved.status is Status.SIGNED
        assert {e.actor_id for e in saved.events[-2:]} == {"lead_wang"}  # as the central login
        assert ws.pending_outbox() == queued + 1  # the sync delivers it, as `lead dispute` does
        qtbot.waitUntil(lambda: bench.window.intake is not None, timeout=60_000)
    finally:
        close_workbench(bench)
