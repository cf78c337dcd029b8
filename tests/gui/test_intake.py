"""The operator's intake: a whole call driven through the widgets, each outcome, validation."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from agent_app.domain import timeutil
from agent_app.domain.deadlines import DEFAULT_LIMITS, UrgencyTier, due_at
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.services.intake import IntakeService, propose_answers
from agent_app.storage.models import AuditRow
from agent_app.ui.main_window import MainWindow
from tests.helpers.window import close_window, make_context

WAIT = 10_000


@pytest.fixture
def window(qtbot, tmp_path):
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=False)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.intake is not None, timeout=WAIT)
    win.session.transfer_undo_ms = 0  # recorded at once (the undo delay has its own test)
    yield win
    close_window(win)


def stored(window: MainWindow, ticket: Ticket) -> Ticket:
    found = window.ctx.workstation.ticket(ticket.id)
    assert found is not None
    return found


def drafts(window: MainWindow) -> list:
    window.ctx.runner.wait_idle()
    return window.ctx.workstation.drafts()


def pick_category(qtbot, window: MainWindow, query: str) -> None:
    form = window.form
    form.category.setFocus()
    form.category.setText(query)
    QTest.keyClick(form.category, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(form.picker.code), timeout=WAIT)


def fill_heating_call(qtbot, window: MainWindow) -> None:
    form = window.form
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert form.ticket_id
    assert form.phone.hasFocus()
    form.phone.setText("13812345678")
    QTest.keyClick(form.phone, Qt.Key.Key_Tab)  # editingFinished: checked, masked
    assert form.phone.text() == "138****5678"
    form.caller_name.setText("王女士")
    form.description.setPlainText("家里暖气不热，室内只有十五度，已经三天了，希望尽快维修。")
    qtbot.waitUntil(lambda: len(form.chips.buttons) >= 2, timeout=WAIT)
    pick_category(qtbot, window, "nqbr")  # pinyin initials of 暖气不热
    assert form.picker.code == "02.01.001"
    assert form.urgency.currentData() == "utility"  # the leaf's default tier
    type_index = next(
        i for i, c in enumerate(form.chips.chips(), start=1) if c.kind == "request_type"
    )
    QTest.keyClick(window, Qt.Key.Key_0 + type_index, Qt.KeyboardModifier.AltModifier)
    assert form.request_type.currentData() == "help"
    form.address.setText("朝阳区望京街道望京西园三区")
    qtbot.waitUntil(lambda: form.place.get("township") == "望京街道", timeout=WAIT)
    form.answer_widget("indoor_temp").setText("15")
    combo = form.answer_widget("whole_building")
    combo.setCurrentIndex(combo.findData("building"))


def test_full_call_is_dispatched_by_keyboard(qtbot, window):
    form, panel = window.form, window.dispatch
    places = []
    form.place_resolved.connect(places.append)
    fill_heating_call(qtbot, window)
    assert places
    assert places[-1].district == "朝阳区"
    assert places[-1].township_code == "110105026"
    assert panel.main_unit.text() == "北京市热力集团有限责任公司"
    assert "朝阳区城市管理委员会" in panel.co_units.text()
    assert panel.unit_reasons.text()
    assert panel.dispatch_button.isEnabled(), panel.reason.text()
    with qtbot.waitSignal(window.draft_saved, timeout=WAIT):
        window.save_draft_now()
    assert len(drafts(window)) == 1
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    ticket = stored(window, done.args[0])
    assert ticket.status is Status.DISPATCHED
    assert ticket.outcome is Outcome.DISPATCHED
    assert ticket.caller.phones == ("+8613812345678",)
    assert ticket.category_code == "02.01.001"
    assert ticket.place.township == "望京街道"
    assert ticket.main_unit == "北京市热力集团有限责任公司"
    assert ticket.extra["answers"] == {"indoor_temp": "15", "whole_building": "building"}
    kinds = [(e.kind, e.to_status) for e in ticket.events]
    assert kinds == [("created", "INTAKE"), ("transition", "DISPATCHED")]
    dispatched_at = ticket.events[-1].at
    expected = due_at(dispatched_at, DEFAULT_LIMITS[UrgencyTier.UTILITY]).due
    assert ticket.due_at == expected
    assert ticket.due_at - dispatched_at == timedelta(hours=24)
    assert drafts(window) == []
    log = {e["kind"]: e for e in window.ctx.workstation.suggestion_log(ticket.id)}
    assert log["request_type"]["chosen"] == "help"
    assert log["category"]["chosen"] == "02.01.001"
    assert log["units"]["chosen"] == "北京市热力集团有限责任公司"
    assert not form.ticket_id  # the form is free for the next call


def test_incoming_call_fills_the_number_and_shows_the_callers_history(qtbot, window):
    fill_heating_call(qtbot, window)
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT):
        window.dispatch_action.trigger()
    window.incoming.emit("13812345678")
    form = window.form
    assert form.phone.text() == "138****5678"
    qtbot.waitUntil(lambda: form.history.isVisible(), timeout=WAIT)
    assert form.history.model.rowCount() == 1
    assert "未办结 1 件" in form.history.summary.text()
    assert "****" in form.history.model.index(0, 8).data()


def test_dispatch_is_disabled_with_the_reason_shown(qtbot, window):
    form, panel = window.form, window.dispatch
    window.new_call()
    assert not panel.dispatch_button.isEnabled()
    assert not window.dispatch_action.isEnabled()
    assert "来电号码" in panel.reason.text()
    form.phone.setText("1381234")
    form.commit_phone()
    assert "位数" in form.phone_status.text()
    assert "位数" in panel.reason.text()
    assert not window.save_action.isEnabled()
    form.clear_phone()
    form.phone.setText("010-65123456")
    form.commit_phone()
    assert form.phone_e164() == "+861065123456"
    assert "分类" in panel.reason.text() or "类型" in panel.reason.text()
    # Ctrl+Enter anyway: nothing saved, the reason names what is missing, no dialog.
    assert window.finish(Outcome.DISPATCHED) is False
    assert "无法派单" in panel.reason.text()
    form.description.setPlainText("x" * 2001)
    assert "2000" in " ".join(window.problems(Outcome.DISPATCHED))


def test_unmasking_the_number_is_audited(qtbot, window):
    form = window.form
    window.incoming_call("13812345678")
    stored_when_shown: list[list[str]] = []

    def on_change(*_args: object) -> None:
        if form.phone.text() == "13812345678" and not stored_when_shown:
            with window.ctx.workstation.db.read() as s:
                stored_when_shown.append([r.action for r in s.query(AuditRow).all()])

    form.phone.textChanged.connect(on_change)
    window.unmask_action.trigger()
    qtbot.waitUntil(lambda: form.phone.text() == "13812345678", timeout=5000)
    window.ctx.runner.wait_idle()
    # the audit row was stored before the number appeared (R10)
    assert stored_when_shown == [["unmask_phone"]]


@pytest.mark.parametrize(
    ("key", "line", "name"),
    [
        (Qt.Key.Key_F9, "110", "公安报警"),
        (Qt.Key.Key_F10, "119", "消防"),
        (Qt.Key.Key_F11, "120", "急救"),
        (Qt.Key.Key_F12, "122", "交通事故"),
    ],
)
def test_transfer_to_an_emergency_line_is_one_key_and_logged_with_time(
    qtbot, window, key, line, name
):
    window.incoming_call("13900001111")
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, key)
    ticket = stored(window, done.args[0])
    assert ticket.status is Status.TRANSFERRED_EMERGENCY
    assert ticket.outcome_detail == line
    event = ticket.events[-1]
    assert event.data["line"] == line
    assert name in event.data["line_name"]
    assert event.data["transferred_at"]
    assert event.at == ticket.updated_at
    assert drafts(window) == []


def test_answered_directly_records_the_kb_answer(qtbot, window):
    form = window.form
    window.incoming_call("13900002222")
    form.description.setPlainText("咨询居住证办理需要哪些材料？")
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        window.answer_directly("kb-0007", "携带身份证、居住登记卡到社区服务站办理。")
    ticket = stored(window, done.args[0])
    assert ticket.status is Status.ANSWERED
    assert ticket.kb_article_id == "kb-0007"
    assert "社区服务站" in ticket.notes
    assert ticket.request_type is not None
    assert ticket.request_type.value == "consult"


def test_not_accepted_names_the_channel(qtbot, window):
    form = window.form
    window.incoming_call("13900003333")
    form.description.setPlainText("要求法院重新审理本人的民事判决。")
    combo = window.dispatch.not_accepted
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        combo.activated.emit(combo.findData("litigation"))
    ticket = stored(window, done.args[0])
    assert ticket.status is Status.NOT_ACCEPTED_INFORMED
    assert ticket.outcome_detail == "litigation"
    assert ticket.events[-1].data["channel_name"] == "诉讼"


def test_merge_into_a_ticket_from_the_callers_history(qtbot, window):
    fill_heating_call(qtbot, window)
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as first:
        window.dispatch_action.trigger()
    number = first.args[0].number
    window.incoming_call("13812345678")
    form = window.form
    form.description.setPlainText("还是暖气不热的事，再催一下。")
    assert window.finish(Outcome.MERGED) is False
    assert "选中" in window.dispatch.reason.text()
    qtbot.waitUntil(lambda: form.history.model.rowCount() == 1, timeout=WAIT)
    form.history.select_row(0)
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    ticket = stored(window, done.args[0])
    assert ticket.status is Status.MERGED_DUPLICATE
    assert ticket.merged_into == number


def test_contract_slots_for_the_right_hand_panes(qtbot, window):
    form, panel = window.form, window.dispatch
    window.new_call()
    form.apply_proposal({"kind": "address", "value": "海淀区八里庄", "source_text": "在海淀八里庄"})
    qtbot.waitUntil(lambda: form.place.get("district") == "海淀区", timeout=WAIT)
    assert form.sources["address"] == "在海淀八里庄"
    form.apply_proposal({"kind": "category", "value": "暖气不热", "source_text": "暖气不热"})
    assert form.picker.code == "02.01.001"
    form.apply_proposal({"kind": "phone", "value": "13712345678", "source_text": "一三七"})
    assert form.phone_e164() == "+8613712345678"
    assert form.undo_proposal()  # phone back to empty
    assert form.phone.text() == ""
    form.set_jurisdiction(
        {
            "district": "朝阳区",
            "township": "望京街道",
            "township_code": "110105026",
            "lat": 39.99,
            "lon": 116.47,
        }
    )
    assert form.place["township"] == "望京街道"
    assert "朝阳区城市管理委员会" in panel.co_units.text()
    form.insert_answer("请拨打96069")
    assert "96069" in form.notes.toPlainText()
    form.new_call("13812345678")
    assert form.phone.text() == "138****5678"


def test_enter_in_the_description_takes_the_top_proposals_and_moves_to_the_address(qtbot, window):
    form = window.form
    window.incoming.emit("13812345678")
    assert form.description.hasFocus()  # the number came with the call: the matter is next
    form.description.setPlainText("家里暖气不热，室内只有十五度，整栋楼都不热，希望尽快维修。")
    QTest.keyClick(form.description, Qt.Key.Key_Return)  # before the chips: computed first
    qtbot.waitUntil(lambda: form.picker.code == "02.01.001", timeout=WAIT)
    assert form.request_type.currentData() == "help"
    assert "\n" not in form.description.toPlainText()
    assert form.address.hasFocus()
    assert form.answers() == {"indoor_temp": "15", "whole_building": "building"}
    assert form.sources["answer:indoor_temp"] == "十五度"
    assert "预填" in form.questions_box.title()
    form.address.setText("朝阳区望京街道望京西园三区")
    QTest.keyClick(form.address, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.place.get("township") == "望京街道", timeout=WAIT)
    assert window.dispatch_action.isEnabled(), window.dispatch.reason.text()
    QTest.keyClick(form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert form.description.toPlainText().count("\n") == 1  # Shift+Enter: a new line


def test_proposed_answers_follow_the_text_but_never_replace_the_operators(qtbot, window):
    form = window.form
    window.incoming_call("13812345678")
    form.description.setPlainText("暖气不热，室内只有十五度。")
    assert form.set_category("02.01.001")
    assert form.answers() == {"indoor_temp": "15"}
    form.description.setPlainText("暖气不热，室内只有十二度，只有我家不热。")
    qtbot.waitUntil(lambda: form.answers().get("whole_building") == "home", timeout=WAIT)
    assert form.answers()["indoor_temp"] == "12"  # still the proposal: follows the text
    form.answer_widget("indoor_temp").setText("13")  # the caller corrects it
    form.description.setPlainText("暖气不热，室内只有十度，只有我家不热。")
    assert window.session.suggesting
    qtbot.waitUntil(lambda: not window.session.suggesting, timeout=WAIT)
    assert form.answers()["indoor_temp"] == "13"


def test_answers_proposed_from_words():
    service = IntakeService.load()
    now = datetime(2026, 1, 5, 10, 30, tzinfo=timeutil.SHANGHAI)

    def answers(code: str, text: str) -> dict:
        return {k: v for k, (v, _w) in propose_answers(service.questions(code), text, now).items()}

    assert answers("02.03.001", "从今天早上8点开始停电，整个小区都没电") == {
        "scope": "estate",
        "since": "2026-01-05T08:00",
    }
    assert answers("02.03.001", "昨天晚上十一点半停的电")["since"] == "2026-01-04T23:30"
    assert "since" not in answers("02.03.001", "今天晚上八点停电")  # not yet happened
    assert answers("02.01.001", "零下五度") == {"indoor_temp": "-5"}
    assert answers("02.01.001", "室内九十度") == {}  # out of range: not proposed
    assert answers("01.01.001", "工地半夜施工") == {"periods": ["night"]}
    # two scopes named: no single-value proposal
    assert "scope" not in answers("02.03.001", "本单元和整个小区都停电")


def test_a_finished_call_stays_readable_until_the_next_one(qtbot, window):
    form = window.form
    window.incoming_call("13900001111")
    form.description.setPlainText("楼下有人打架，有人受伤。")
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, Qt.Key.Key_F9)
    number = done.args[0].number
    assert not form.ticket_id
    assert form.finished
    assert form.description.toPlainText() == "楼下有人打架，有人受伤。"  # still shown
    assert not form.request_box.isEnabled()  # read-only: no edit can start a stray ticket
    assert number in window.banner.text()
    assert number in window.dispatch.reason.text()
    assert "转紧急专线" in window.dispatch.due.text()
    form.apply_proposal({"kind": "address", "value": "海淀区八里庄", "source_text": "八里庄"})
    assert not form.finished  # a proposal from the panes starts afresh
    assert form.description.toPlainText() == ""
    assert form.address.text() == "海淀区八里庄"
    assert form.ticket_id  # a new call was started by the edit
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert form.request_box.isEnabled()
    assert not form.phone.isReadOnly()  # the last call's masked number left no lock
    QTest.keyClicks(form.phone, "13700001111")
    assert form.phone.text() == "13700001111"
    assert not window.banner.isVisible()  # the previous result is gone


def _listed_keys(entry: str) -> list[str]:
    """ "F9 / F10" → ["F9", "F10"]; "Alt+1…9" → ["Alt+1", …, "Alt+9"]."""
    keys = []
    for part in entry.split(" / "):
        if "…" in part:
            head, last = part.split("…")
            prefix, first = head[:-1], head[-1]
            keys.extend(f"{prefix}{n}" for n in range(int(first), int(last) + 1))
        else:
            keys.append(part)
    return keys


def test_every_listed_shortcut_is_bound_to_an_action(window):
    bound = {
        a.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for a in window.findChildren(QAction)
        if not a.shortcut().isEmpty() and a.associatedObjects()  # added to a widget: live
    }
    listed = [k for entry, _ in MainWindow.SHORTCUTS for k in _listed_keys(entry)]
    assert len(listed) >= 29  # the parsing of "F9 / F10" and "Alt+1…9" works
    missing = [
        k
        for k in listed
        if QKeySequence(k).toString(QKeySequence.SequenceFormat.PortableText) not in bound
    ]
    assert missing == []


def test_ctrl_k_l_t_search_the_kb_locate_the_address_and_toggle_the_transcript(
    qtbot, window, tmp_path
):
    form = window.form
    window.new_call()
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    kb = window.findChild(QWidget, "kbPane")
    assert kb is not None
    assert kb.search_box.hasFocus()
    assert window.side.currentWidget() is kb

    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert form.address.hasFocus()  # nothing to look up yet: the operator types it
    form.address.setText("朝阳区望京街道望京西园三区")
    assert not form.place  # looked up after the typing pause, or now with Ctrl+L
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.place.get("township") == "望京街道", timeout=WAIT)

    strip = window.ctx.transcript
    assert strip is not None
    assert strip.objectName() == "transcriptStrip"
    scenario = tmp_path / "call.json"
    words = [{"start": float(i), "end": i + 0.9, "text": "暖气 不热"} for i in range(60)]
    scenario.write_text(json.dumps({"id": "c", "title": "暖气", "segments": words}), "utf-8")
    strip.set_scenarios([scenario], pace=1.0)
    try:
        QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        assert strip.stop_button.isEnabled()  # replaying
        qtbot.waitUntil(lambda: strip.model.rowCount() >= 1, timeout=WAIT)
        QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: strip.start_button.isEnabled(), timeout=WAIT)
        assert strip.model.rowCount() < len(words)  # stopped before the end
    finally:
        # The helper's strip has no Panes to stop its thread when the window closes.
        strip._controller.shutdown()  # noqa: SLF001


def test_the_second_number_is_masked_and_shown_with_the_first(qtbot, window):
    form = window.form
    window.incoming_call("13812345678")
    form.extra_phone.setFocus()
    QTest.keyClicks(form.extra_phone, "13911112222")
    QTest.keyClick(form.extra_phone, Qt.Key.Key_Tab)
    assert form.extra_phone.text() == "139****2222"
    assert form.extra_phone.isReadOnly()
    assert form.draft().extra_phone == "13911112222"
    window.unmask_action.trigger()
    qtbot.waitUntil(lambda: form.phone.text() == "13812345678", timeout=5000)
    assert form.extra_phone.text() == "13911112222"
    window.unmask_action.trigger()
    assert form.extra_phone.text() == "139****2222"
    form.description.setPlainText("楼下有人打架。")
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, Qt.Key.Key_F9)
    assert stored(window, done.args[0]).caller.phones == ("+8613812345678", "+8613911112222")
    window.new_call()
    assert form.extra_phone.text() == ""
    assert not form.extra_phone.isReadOnly()


def test_a_stray_transfer_key_while_idle_records_nothing_until_pressed_again(qtbot, window):
    panel = window.dispatch
    QTest.keyClick(window, Qt.Key.Key_F10)
    window.ctx.runner.wait_idle()
    assert window.ctx.workstation.today_tickets(mine=False) == []
    assert panel.transfer_prompt.isVisible()
    assert "F10" in panel.transfer_prompt.text()
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT) as done:
        QTest.keyClick(window, Qt.Key.Key_F10)  # the same key again: confirmed
    assert stored(window, done.args[0]).outcome_detail == "119"


def test_a_transfer_in_a_call_can_be_undone_before_it_is_recorded(qtbot, window):
    window.session.transfer_undo_ms = 60_000
    panel = window.dispatch
    window.incoming_call("13900001111")
    window.form.description.setPlainText("家里燃气泄漏，味道很大")
    QTest.keyClick(window, Qt.Key.Key_F10)
    assert panel.transfer_undo.isVisible()
    panel.transfer_undo.click()
    assert not panel.transfer_prompt.isVisible()
    window.ctx.runner.wait_idle()
    assert window.ctx.workstation.today_tickets(mine=False) == []
    assert window.form.ticket_id  # the call goes on
    window.session.transfer_undo_ms = 0
    with qtbot.waitSignal(window.ticket_finished, timeout=WAIT):
        QTest.keyClick(window, Qt.Key.Key_F10)


def test_a_category_with_a_transfer_hint_highlights_the_key(qtbot, window):
    service = window.intake
    assert service is not None
    hinted = next(c for c in service.catalogue.categories if c.transfer_hint == "119")
    window.new_call()
    assert window.form.set_category(hinted.code)
    panel = window.dispatch
    assert panel.transfer_prompt.isVisible()
    assert "119" in panel.transfer_prompt.text()
    assert panel.transfer_buttons["119"].property("hint") is True
    assert panel.transfer_buttons["110"].property("hint") is False
