"""Screenshots of trainer mode for docs/training.md: a training call under the watermark, the
score card after a call with partial credit, and the trainee's session report.

The window is built by the app's composition function in demo mode (offscreen, CJK font
"WenQuanYi Micro Hei", 1366x820) on a throwaway seat; a trainee takes three scenarios in the
real form (the caller's lines replayed through the transcript strip): a court judgement not
accepted with the litigation channel, a heating call dispatched right, a street-light call
with the right level-2 category but the wrong leaf.  Writes
``docs/screenshot-training-{call,card,report}-{zh,en}.png``.

    .venv/bin/python scripts/training_screenshots.py [--lang zh|en] [--out docs]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest

from agent_app.domain.roles import Role
from agent_app.paths import DataPaths, resources_dir
from agent_app.services.training import CallResult
from agent_app.settings import Settings
from agent_app.ui.compose import compose
from agent_app.ui.panes import build_extractor
from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, out_dir, save

SIZE = (1366, 820)
FONT = "WenQuanYi Micro Hei"


def main() -> int:  # one scripted session, top to bottom
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    app = application(args.lang)
    font = QFont()
    font.setFamilies([FONT, "Noto Sans CJK SC"])
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="training-shots-", ignore_cleanup_errors=True) as tmp:
        paths = DataPaths(Path(tmp) / "seat").ensure()
        paths.demo_marker.write_text("demo\n", encoding="utf-8")
        settings = Settings(paths.settings_file)
        bench = compose(
            paths, settings, role=Role.OPERATOR, demo=True, defer=False, start_after_paint=False
        )
        window, training, panes = bench.window, bench.training, bench.panes
        assert training is not None
        session, pane, strip = training.session, training.pane, panes.strip
        assert strip is not None
        session.pace = None
        window.resize(*SIZE)
        window.show()
        try:
            bench.wiring.start_background()
            wait_until(lambda: window.intake is not None, "the catalogue", 60)
            wait_until(lambda: session.state.loaded, "the scenario library", 60)
            wait_until(lambda: panes.kb_ready, "the knowledge-base index", 120)
            strip.set_extractor(build_extractor(panes.gazetteer))
            scored: list[CallResult] = []
            session.scored.connect(scored.append)
            form = window.form

            def played(scenario_id: str) -> None:
                scenario = session.scenarios[scenario_id]
                n = len(scenario.segments)
                wait_until(
                    lambda: (
                        window.session.state.active
                        and window.session.state.draft.phone == scenario.caller.phone
                    ),
                    "the call ringing in",
                )
                wait_until(
                    lambda: strip.model.rowCount() == n,
                    f"the transcript ({strip.model.rowCount()}/{n}, {strip.status.text()})",
                )
                wait_until(lambda: not strip.stop_button.isEnabled(), "the end of the replay")

            def dispatch(address: str, rtype: str, text: str, category: str = "") -> None:
                form.address.setText(address)
                form.request_type.setCurrentIndex(form.request_type.findData(rtype))
                form.description.setPlainText(text)
                form.description.setFocus()
                wait_until(lambda: len(form.chips.buttons) >= 1, "chips")
                if category:
                    window.session.pick_category(category)
                else:
                    QTest.keyClick(form.description, Qt.Key.Key_Return)
                wait_until(lambda: bool(form.picker.code), "the category")
                wait_until(
                    lambda: window.dispatch_action.isEnabled(),
                    f"dispatch enabled ({window.dispatch.reason.text()})",
                )

            def finish(action: object) -> None:
                before = len(scored)
                action()  # type: ignore[operator]
                wait_until(lambda: len(scored) > before, "the score card")
                bench.runner.wait_idle()

            ctrl_enter = lambda: QTest.keyClick(  # noqa: E731
                form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
            )
            window.side.setCurrentWidget(pane)
            pane.trainee.setText("px001")
            for i in range(pane.scenario_list.count()):
                item = pane.scenario_list.item(i)
                if item.data(Qt.ItemDataRole.UserRole) in (
                    "heating_whole_building", "streetlight_out", "court_retrial"
                ):  # fmt: skip
                    item.setCheckState(Qt.CheckState.Checked)
            QTest.mouseClick(pane.start_button, Qt.MouseButton.LeftButton)  # in list order

            # 1. a court judgement: not accepted, the caller told the litigation channel
            played("court_retrial")
            form.request_type.setCurrentIndex(form.request_type.findData("complaint"))
            form.description.setPlainText("对民事判决不服，要求12345让法院重新审理。")
            combo = window.dispatch.not_accepted
            finish(lambda: combo.activated.emit(combo.findData("litigation")))

            # 2. a heating call, dispatched right; the shot while the trainee works it
            QTest.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
            played("heating_whole_building")
            dispatch(
                "朝阳区望京街道望京西园四区3号楼", "help",
                "家里暖气不热，室内只有十五度，整栋楼都不热，已经三天了，请尽快派人维修。",
            )  # fmt: skip
            save(window, out / f"screenshot-training-call-{args.lang}.png")
            finish(ctrl_enter)

            # 3. street lights: right level 2, wrong leaf (路灯白天亮)
            QTest.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
            played("streetlight_out")
            dispatch(
                "海淀区中关村街道中关村南大街", "help",
                "中关村南大街路灯有问题，晚上走路不安全。", category="04.05.002",
            )  # fmt: skip
            finish(ctrl_enter)
            window.side.setCurrentWidget(pane)
            save(window, out / f"screenshot-training-card-{args.lang}.png")

            QTest.mouseClick(pane.finish_button, Qt.MouseButton.LeftButton)
            wait_until(lambda: bool(training.reports), "the session report")
            report = training.reports[-1]
            report.resize(*SIZE)
            report.show()
            save(report, out / f"screenshot-training-report-{args.lang}.png")
            report.close()
        finally:
            bench.wiring.shutdown()
            bench.runner.wait_idle()
            window.close()
            bench.runner.wait_idle()
            bench.workstation.close()
            QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
