"""A second caller retells an open ticket: the form warns before dispatch, and the operator
merges into it, links it, or ignores the warning."""

from __future__ import annotations

import pytest

from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome
from agent_app.ui.main_window import MainWindow
from tests.helpers.window import close_window, make_context

WAIT = 20_000
FIRST = "望京西园三区5号楼暖气不热，室内只有十五度，整栋楼都不热，已经三天了，希望尽快维修。"
RETOLD = "我家在望京西园三区5号楼，这几天暖气一直不热，屋里才十五度，整栋楼都这样，请派人来修。"
OTHER = "望京西园三区5号楼门口的路灯坏了一个多星期，晚上一片漆黑，老人出门不方便。"


@pytest.fixture
def window(qtbot, tmp_path):
    ctx = make_context(tmp_path, role=Role.OPERATOR, demo=False)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.intake is not None, timeout=WAIT)
    yield win, win.duplicate_bar
    close_window(win)


def _take(qtbot, win: MainWindow, phone: str, text: str, category: str) -> None:
    form = win.form
    win.incoming_call(phone)
    form.description.setPlainText(text)
    form.request_type.setCurrentIndex(form.request_type.findData("help"))
    assert form.set_category(category)
    form.address.setText("朝阳区望京街道望京西园三区5号楼")
    qtbot.waitUntil(lambda: form.place.get("township") == "望京街道", timeout=WAIT)


def _dispatch_first(qtbot, win: MainWindow) -> str:
    _take(qtbot, win, "13812345678", FIRST, "02.01.001")
    win.form.answer_widget("indoor_temp").setText("15")
    with qtbot.waitSignal(win.ticket_finished, timeout=WAIT) as done:
        assert win.finish(Outcome.DISPATCHED)
    return done.args[0].number


def test_retold_open_ticket_is_flagged_and_merged(qtbot, window):
    win, bar = window
    number = _dispatch_first(qtbot, win)
    _take(qtbot, win, "13900001111", RETOLD, "02.01.001")
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=WAIT)
    assert bar.current is not None
    assert bar.current.number == number
    assert number in bar.text.text()
    bar.merge_button.click()
    assert win.form.merge_target == number
    with qtbot.waitSignal(win.ticket_finished, timeout=WAIT) as done:
        assert win.finish(Outcome.MERGED)
    ticket = win.ctx.workstation.ticket(done.args[0].id)
    assert ticket is not None
    assert ticket.status is Status.MERGED_DUPLICATE
    assert ticket.merged_into == number


def test_another_problem_at_the_same_building_is_not_flagged(qtbot, window):
    win, bar = window
    _dispatch_first(qtbot, win)
    _take(qtbot, win, "13900002222", OTHER, "04.05.001")
    win.session.check_duplicates_now()
    qtbot.waitUntil(lambda: not win.session.checking_duplicates, timeout=WAIT)
    assert win.session.state.ticket_id  # the check ran for this call
    assert not bar.isVisible()


def test_link_notes_the_number_and_ignore_hides_until_the_next_call(qtbot, window):
    win, bar = window
    number = _dispatch_first(qtbot, win)
    _take(qtbot, win, "13900003333", RETOLD, "02.01.001")
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=WAIT)
    bar.link_button.click()
    assert f"关联工单：{number}" in win.form.notes.toPlainText()
    assert not bar.isVisible()


@pytest.mark.parametrize("size", [(1366, 820), (1600, 900), (1920, 1080)])
def test_mid_call_with_history_chips_and_warning_everything_needed_is_in_sight(qtbot, window, size):
    """Caller box (保密, 企业诉求, 渠道) never cut off; address and description stay in view
    while the caller's history, the proposal chips and the duplicate warning are shown."""
    win, bar = window
    win.resize(*size)
    _dispatch_first(qtbot, win)
    _take(qtbot, win, "13812345678", RETOLD, "02.01.001")  # the same caller again
    form = win.form
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: form.history.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: bool(form.chips.buttons), timeout=WAIT)
    form.description.setFocus()
    qtbot.waitUntil(lambda: form.description.hasFocus(), timeout=WAIT)
    viewport = win.form_scroll.viewport()

    def in_view(widget) -> bool:
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
        return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)

    for widget in (form.confidential, form.company, form.channel, form.unmask_button):
        right = widget.mapTo(viewport, widget.rect().topRight()).x()
        assert right <= viewport.width(), (
            f"{widget.text() if hasattr(widget, 'text') else widget} cut off"
        )
    assert form.width() <= viewport.width()
    assert in_view(form.address)
    assert in_view(form.description)
