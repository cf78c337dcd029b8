"""The panes wired into the window as the composition root does: form text drives the
knowledge base, the map follows the place and proposes the jurisdiction, transcript proposals
fill the form, the lead sees the knowledge-base flags, and the status bar tells the sync state."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.domain.roles import Role
from agent_app.messages import MessageBridge
from agent_app.paths import DataPaths
from agent_app.services.seeding import seed_demo
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui.main_window import MainWindow, WindowContext
from agent_app.ui.panes import build_panes
from agent_app.ui.wiring import Wiring, connect_panes
from agent_app.workers.tasks import TaskRunner
from tests.helpers.window import open_workbench


def _window(tmp_path: Path, *, role: Role, demo: bool, central: str | None = None, seat: str = ""):
    bench = open_workbench(tmp_path, role=role, demo=demo, central=central, seat=seat)
    return bench.window, bench.wiring


def _close(window: MainWindow, wiring: Wiring) -> None:
    wiring.shutdown()
    window.ctx.runner.wait_idle()
    window.close()  # saves the draft in a worker: let it finish and deliver its result
    window.ctx.runner.drain()  # and whatever refresh the saved draft's change started
    window.ctx.workstation.close()


@pytest.fixture
def demo_window(qtbot, tmp_path):
    window, wiring = _window(tmp_path, role=Role.OPERATOR, demo=True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.intake_ready, timeout=60_000):
        pass
    yield window, wiring
    _close(window, wiring)


def test_description_brings_up_knowledge_base_answers(qtbot, demo_window):
    window, wiring = demo_window
    pane = wiring.panes.kb_pane
    assert pane is not None
    wiring.start_background()
    with qtbot.waitSignal(pane.worker.results_ready, timeout=30_000):
        window.form.description.setPlainText("小区暖气不热，室温只有十四度，供暖公司不管")
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0, timeout=30_000)
    titles = [pane.model.row_at(r).hit.title for r in range(pane.model.rowCount())]
    assert any("供暖" in t or "暖气" in t for t in titles[:3]), titles
    assert window.form.description.hasFocus() or not pane.search_box.hasFocus()


def test_inserted_answer_lands_in_the_notes(qtbot, demo_window):
    window, wiring = demo_window
    assert wiring.panes.kb_pane is not None
    wiring.panes.kb_pane.answer_insert_requested.emit("供暖期为每年11月15日至次年3月15日。")
    assert "11月15日" in window.form.notes.toPlainText()


def test_resolved_address_pins_the_map_and_a_map_click_sets_the_jurisdiction(qtbot, demo_window):
    window, wiring = demo_window
    map_pane = wiring.panes.map_pane
    assert map_pane is not None
    with qtbot.waitSignal(window.form.place_resolved, timeout=10_000) as placed:
        window.form.address.setText("朝阳区望京街道望京西园四区3号楼")
    assert placed.args[0].township == "望京街道"
    qtbot.waitUntil(lambda: map_pane.highlighted_township is not None, timeout=5_000)
    assert map_pane.highlighted_township == placed.args[0].township_code

    # The operator clicks near another township of another district on the map.
    gaz = wiring.panes.gazetteer
    assert gaz is not None
    target = next(
        t for t in gaz.township_points() if t.district_code == "110108" and t.lat is not None
    )
    proposal = map_pane.propose_at(target.lat, target.lon)
    assert proposal is not None
    assert proposal["township_code"] == target.code
    map_pane.jurisdiction_proposed.emit(proposal)
    assert window.form.place["township"] == target.name
    assert "地图选定" in window.form.jurisdiction.text()


def test_accepted_transcript_address_fills_the_form(qtbot, demo_window):
    window, wiring = demo_window
    strip = wiring.panes.strip
    assert strip is not None
    strip.proposal_accepted.emit(
        {"kind": "address", "value": "海淀区中关村街道科学院南路2号", "source_text": "住在海淀区"}
    )
    assert window.form.address.text() == "海淀区中关村街道科学院南路2号"


def test_accepting_a_proposal_before_ctrl_n_keeps_the_transcript(qtbot, demo_window):
    """A call started by accepting the first proposal must not wipe the caller's words."""
    window, wiring = demo_window
    strip = wiring.panes.strip
    assert strip is not None
    strip.on_final({"start": 0.5, "end": 3.0, "text": "我家住在海淀区中关村街道科学院南路2号"})
    assert strip.model.rowCount() == 1
    assert not window.form.ticket_id  # no call started yet
    strip.proposal_accepted.emit(
        {"kind": "address", "value": "海淀区中关村街道科学院南路2号", "source_text": "海淀区"}
    )
    assert window.form.ticket_id  # the accept started the call
    assert strip.model.rowCount() == 1  # and the transcript is still there
    window.new_call()  # an explicit new call starts from a clean strip
    window.new_call_requested.emit()
    assert strip.model.rowCount() == 0


def test_the_callers_lines_offer_a_drafted_description_in_the_form(qtbot, demo_window):
    window, wiring = demo_window
    strip, offer = wiring.panes.strip, window.form.description_offer
    assert strip is not None
    window.new_call()
    window.new_call_requested.emit()
    strip.on_final({"start": 0.5, "end": 2.0, "text": "喂 你好 我 姓 王"})
    strip.on_final({"start": 8.2, "end": 13.0, "text": "家里 暖气 不热 已经 三天 了"})
    assert offer.isVisibleTo(window)
    assert "暖气不热" in offer.preview.full_text()
    offer.source_actions()[0].trigger()  # its source: the second line of the transcript
    assert strip.view.currentIndex().row() == 1
    window.form.draft_action.trigger()  # Alt+D
    assert "暖气不热已经三天了" in window.form.description.toPlainText()
    assert not offer.isVisibleTo(window)


def test_demo_status_bar_says_nothing_syncs(qtbot, demo_window):
    window, wiring = demo_window
    assert wiring.sync_status.mode == "demo"
    assert wiring.sync_controller is None
    assert "演示模式" in wiring.sync_status.text()


def test_lead_gets_the_flags_list_and_sees_an_operators_flag(qtbot, tmp_path):
    window, wiring = _window(tmp_path, role=Role.LEAD, demo=False)
    qtbot.addWidget(window)
    try:
        view = wiring.flags_view
        assert view is not None
        tabs = [window.side.tabText(i) for i in range(window.side.count())]
        assert "知识反馈" in tabs
        assert wiring.panes.kb_pane is not None
        with qtbot.waitSignal(view.flags_loaded, timeout=10_000) as loaded:
            wiring.panes.kb_pane.flag_requested.emit(
                {"kind": "missing", "query": "电动自行车上牌", "comment": "没有上牌地点的答复"}
            )
        assert loaded.args[0] == 1
        assert view.model.index(0, 3).data() == "没有上牌地点的答复"
        view.table.selectRow(0)
        with qtbot.waitSignal(view.flag_resolved, timeout=10_000):
            view.resolve_selected()
        qtbot.waitUntil(lambda: view.count_label.text() == "待处理 0 条", timeout=10_000)
    finally:
        _close(window, wiring)


def test_operator_has_no_flags_list(qtbot, tmp_path):
    window, wiring = _window(tmp_path, role=Role.OPERATOR, demo=False)
    qtbot.addWidget(window)
    try:
        assert wiring.flags_view is None
        assert "知识反馈" not in [window.side.tabText(i) for i in range(window.side.count())]
    finally:
        _close(window, wiring)


def test_unconfigured_seat_counts_its_queue(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("AGENT_APP_CENTRAL_URL", raising=False)
    window, wiring = _window(tmp_path, role=Role.OPERATOR, demo=False)
    qtbot.addWidget(window)
    try:
        seed_demo(window.ctx.workstation.db, extra_tickets=4)
        wiring.refresh_queue()
        qtbot.waitUntil(lambda: wiring.sync_status.queue > 0, timeout=10_000)
        assert "未配置中心库" in wiring.sync_status.text()
        assert f"待同步 {wiring.sync_status.queue} 条" in wiring.sync_status.text()
    finally:
        _close(window, wiring)


def test_unreachable_centre_shows_offline_and_keeps_the_queue(qtbot, tmp_path):
    window, wiring = _window(
        tmp_path,
        role=Role.OPERATOR,
        demo=False,
        central="postgresql://op@127.0.0.1:9/central",
        seat="S17",
    )
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: wiring.sync_controller is not None, timeout=15_000)
        qtbot.waitUntil(lambda: "离线" in wiring.sync_status.text(), timeout=20_000)
        assert "待同步" in wiring.sync_status.text()
    finally:
        _close(window, wiring)


def test_seat_without_its_own_id_does_not_sync(qtbot, tmp_path):
    window, wiring = _window(
        tmp_path, role=Role.OPERATOR, demo=False, central="postgresql://op@127.0.0.1:9/central"
    )
    qtbot.addWidget(window)
    try:
        assert wiring.sync_controller is None
        assert "无法启动" in wiring.sync_status.text()
        assert "席位号" in wiring.sync_status.toolTip()
    finally:
        _close(window, wiring)


def test_lead_retrains_the_category_model_and_the_form_uses_it(qtbot, tmp_path):
    window, wiring = _window(tmp_path, role=Role.LEAD, demo=True)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.intake_ready, timeout=60_000):
            pass
        assert window.intake.model_version == "coldstart"
        seed_demo(window.ctx.workstation.db)
        assert wiring.retrain_action is not None
        with qtbot.waitSignal(wiring.signals.intake_reloaded, timeout=120_000) as reloaded:
            wiring.retrain(force=True, min_tickets=20)
        report = wiring.last_train_report
        assert report.trained
        assert report.tickets >= 20
        assert reloaded.args[0] == f"model:{report.version}"
        assert window.session.service is window.intake
        assert "分类模型已更新" in window.last_message
    finally:
        _close(window, wiring)


def test_deferred_map_and_strip_are_built_after_the_first_paint_and_wired(qtbot, tmp_path):
    """The app's start: map and transcript strip come after the first paint, then work."""
    paths = DataPaths(tmp_path / "seat").ensure()
    paths.demo_marker.write_text("demo\n", encoding="utf-8")
    settings = Settings(paths.settings_file)
    runner, bridge = TaskRunner(), MessageBridge()
    ws = Workstation(paths, seat=settings.seat, operator_id=settings.operator_id, demo=True)
    panes = build_panes(
        settings=settings,
        runner=runner,
        bridge=bridge,
        demo=True,
        paths=paths,
        role=Role.OPERATOR,
        defer_map=True,
        defer_transcript=True,
    )
    assert panes.map_pane is None
    assert panes.strip is None
    ctx = WindowContext(
        settings=settings,
        runner=runner,
        bridge=bridge,
        workstation=ws,
        role=Role.OPERATOR,
        demo=True,
        side_panes=panes.side,
        transcript=panes.transcript,
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    wiring = connect_panes(window, panes, start_after_paint=True)
    try:
        window.load_tickets()
        qtbot.waitUntil(
            lambda: panes.map_pane is not None and panes.strip is not None, timeout=10_000
        )
        qtbot.waitUntil(lambda: window.intake is not None, timeout=60_000)
        panes.strip.proposal_accepted.emit(
            {"kind": "address", "value": "海淀区中关村街道科学院南路2号", "source_text": "海淀"}
        )
        assert window.form.address.text() == "海淀区中关村街道科学院南路2号"
        with qtbot.waitSignal(window.form.place_resolved, timeout=10_000):
            window.form.address.setText("朝阳区望京街道望京西园四区3号楼")
        qtbot.waitUntil(lambda: panes.map_pane.highlighted_township is not None, timeout=5_000)
    finally:
        _close(window, wiring)


def test_a_real_seat_backs_its_database_up_once_due_and_not_again(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("AGENT_APP_CENTRAL_URL", raising=False)
    window, wiring = _window(tmp_path, role=Role.OPERATOR, demo=False)
    qtbot.addWidget(window)
    try:
        seed_demo(window.ctx.workstation.db, extra_tickets=2)
        backups = window.ctx.workstation.paths.backups
        before = set(backups.glob("*")) if backups.exists() else set()
        wiring.backup()
        window.ctx.runner.wait_idle()
        qtbot.waitUntil(lambda: len(set(backups.glob("*")) - before) == 1, timeout=10_000)
        wiring.backup()  # the newest backup is fresh: nothing more is written
        window.ctx.runner.wait_idle()
        assert len(set(backups.glob("*")) - before) == 1
    finally:
        _close(window, wiring)
