"""Screenshots of the main window after each outcome of a call, for docs/intake.md.

The window is built as the composition root builds it (offscreen, CJK font "WenQuanYi Micro
Hei", operator role) on a throwaway seat; each call is worked through the real widgets and
shortcuts (the caller's words replayed through the transcript strip's training-scenario path,
since the build machine has no speech model), and the window is grabbed once the ticket is
saved: the call's content stays in the form (read-only) with the result in the banner.  Writes ``docs/screenshot-intake-<outcome>.png``
at 1366x820 for: answered, dispatched, transferred, not_accepted, merged.

    .venv/bin/python scripts/outcome_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agent_app.domain.ticket import Ticket  # noqa: E402
from agent_app.ui.main_window import MainWindow  # noqa: E402
from agent_app.ui.panes import KB_TAB, MAP_TAB, Panes, build_extractor  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402

SIZE = (1366, 820)
FONT = "WenQuanYi Micro Hei"


# What each caller says, as a Chinese Vosk model writes it (words spaced, digits spoken);
# replayed through the transcript strip's training-scenario path (no speech model needed).
CALLS: dict[str, tuple[str, list[str]]] = {
    "answered": (
        "居住证咨询",
        ["你好 我 想 问 一下", "居住证 怎么 办理 需要 带 哪些 材料 去 哪里 办"],
    ),
    "dispatched": (
        "暖气不热",
        [
            "喂 你好 我 姓 王",
            "我 家 住 在 朝阳区 望京 街道 望京西园 三 区 五 号楼",
            "家里 暖气 不热 室内 只有 十五 度 整栋楼 都 不热 已经 三天 了",
        ],
    ),
    "transferred": (
        "打架伤人",
        ["快 来人 楼下 有人 拿 刀 打架", "已经 有人 受伤 流血 了 在 丰台区 方庄 芳城园 一 区"],
    ),
    "not_accepted": (
        "要求法院重审",
        ["我 对 法院 的 民事 判决 不服", "你们 一二三四五 能 不能 让 法院 重新 审理"],
    ),
    "merged": (
        "暖气不热再次来电",
        ["我 是 昨天 打过 电话 的 王 女士", "还是 暖气 不热 的 事 再 催 一下"],
    ),
}


def _finish(window: MainWindow, act: Callable[[], None]) -> Ticket:
    done: list[Ticket] = []
    window.ticket_finished.connect(done.append)
    act()
    wait_until(lambda: bool(done), "the saved ticket: " + window.dispatch.reason.text())
    window.ticket_finished.disconnect(done.append)
    window.ctx.runner.wait_idle()
    return done[0]


def _tab(window: MainWindow, title: str) -> None:
    for i in range(window.side.count()):
        if window.side.tabText(i).startswith(title):
            window.side.setCurrentIndex(i)
            return


def _call(window: MainWindow, panes: Panes, number: str, name: str, tmp: Path) -> None:
    """The call rings in; the caller's words come through the transcript strip."""
    window.incoming.emit(number)
    strip = panes.strip
    if strip is None:
        return
    title, lines = CALLS[name]
    segments, at = [], 0.5
    for text in lines:
        end = at + 0.4 * len(text.split())
        segments.append({"start": round(at, 1), "end": round(end, 1), "text": text})
        at = end + 0.6
    path = tmp / f"{name}.json"
    path.write_text(
        json.dumps({"id": name, "title": title, "segments": segments}, ensure_ascii=False),
        encoding="utf-8",
    )
    strip.set_scenarios([path], pace=None)
    strip.start()
    wait_until(lambda: strip.model.rowCount() == len(segments), "the transcript")
    wait_until(lambda: not strip.stop_button.isEnabled(), "the end of the replay")


def _accept_from_transcript(panes: Panes, kinds: tuple[str, ...]) -> None:
    """Click "采用" on the strip's proposals of these kinds (they fill the form)."""
    if panes.strip is None:
        return
    for chip in panes.strip.chips():
        if chip.proposal.kind in kinds:
            QTest.mouseClick(chip.accept_button, Qt.MouseButton.LeftButton)


def _dispatch_heating(window: MainWindow, panes: Panes, tmp: Path) -> Ticket:
    form = window.form
    _call(window, panes, "13812345678", "dispatched", tmp)
    _accept_from_transcript(panes, ("name", "address"))
    form.caller_name.setText("王女士")  # the operator completes the proposed surname
    if not form.address.text():
        form.address.setText("朝阳区望京街道望京西园三区5号楼")
    form.description.setPlainText(
        "家里暖气不热，室内只有十五度，整栋楼都不热，已经三天了，希望尽快派人维修。"
    )
    form.description.setFocus()
    wait_until(lambda: len(form.chips.buttons) >= 2, "chips")
    QTest.keyClick(form.description, Qt.Key.Key_Return)
    wait_until(lambda: bool(form.picker.code), "top proposals")
    wait_until(lambda: window.dispatch_action.isEnabled(), "dispatch enabled")
    return _finish(
        window,
        lambda: QTest.keyClick(
            form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        ),
    )


def answered(window: MainWindow, panes: Panes, tmp: Path) -> None:
    pane = panes.kb_pane
    assert pane is not None
    _tab(window, KB_TAB)
    _call(window, panes, "13612345672", "answered", tmp)
    window.form.description.setPlainText("来电人咨询居住证办理需要带哪些材料，去哪里办理。")
    wait_until(
        lambda: (
            (row := pane.current_row()) is not None and row.hit.article_id == "residence-permit"
        ),
        "the knowledge-base answer",
    )
    _finish(window, lambda: QTest.mouseClick(pane.answered_button, Qt.MouseButton.LeftButton))


def dispatched(window: MainWindow, panes: Panes, tmp: Path) -> None:
    _tab(window, MAP_TAB)
    _dispatch_heating(window, panes, tmp)


def transferred(window: MainWindow, panes: Panes, tmp: Path) -> None:
    _tab(window, "今日工单")
    form = window.form
    _call(window, panes, "13512345673", "transferred", tmp)
    form.description.setPlainText("楼下有人拿刀打架，已经有人受伤流血，请尽快派警察。")
    form.address.setText("丰台区方庄街道芳城园一区")
    wait_until(lambda: bool(form.place.get("district")), "the jurisdiction")
    _finish(window, lambda: QTest.keyClick(form.description, Qt.Key.Key_F9))


def not_accepted(window: MainWindow, panes: Panes, tmp: Path) -> None:
    _tab(window, "今日工单")
    form = window.form
    _call(window, panes, "13900003333", "not_accepted", tmp)
    form.request_type.setCurrentIndex(form.request_type.findData("complaint"))
    form.description.setPlainText("对本人的民事判决不服，要求12345督促法院重新审理。")
    combo = window.dispatch.not_accepted
    _finish(window, lambda: combo.activated.emit(combo.findData("litigation")))


def merged(window: MainWindow, panes: Panes, tmp: Path) -> None:
    _tab(window, "今日工单")
    form = window.form
    _call(window, panes, "13812345678", "merged", tmp)  # the heating caller again
    wait_until(lambda: form.history.model.rowCount() >= 1, "the caller's history")
    form.description.setPlainText("还是暖气不热的事，昨天已经反映过，再催一下。")
    form.history.select_row(0)
    _finish(
        window,
        lambda: QTest.keyClick(form.description, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier),
    )


SHOTS: tuple[tuple[str, Callable[[MainWindow, Panes, Path], None]], ...] = (
    ("answered", answered),
    ("dispatched", dispatched),
    ("transferred", transferred),
    ("not_accepted", not_accepted),
    ("merged", merged),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs"), help="directory for the PNGs")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="outcome-shots-") as tmp:
        app, window, panes, wiring = build(Path(tmp) / "seat")
        font = QFont()
        font.setFamilies([FONT, "Noto Sans CJK SC"])
        font.setPointSize(10)
        app.setFont(font)
        window.resize(*SIZE)
        try:
            if panes.strip is not None:
                panes.strip.set_extractor(build_extractor(panes.gazetteer))
            for name, shoot in SHOTS:
                shoot(window, panes, Path(tmp))
                wait_until(lambda: window.tickets.rowCount() > 0, "today's tickets")
                QApplication.processEvents()
                QTest.qWait(300)  # map tiles, table repaint
                target = out / f"screenshot-intake-{name}.png"
                if not window.grab().save(str(target), "PNG"):
                    print(f"could not write {target}", file=sys.stderr)  # noqa: T201
                    return 1
                print(target)  # noqa: T201
        finally:
            wiring.shutdown()
            window.ctx.runner.wait_idle()
            window.close()
            window.ctx.workstation.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
