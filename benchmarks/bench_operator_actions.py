"""Operator actions for five scripted typical calls, driven through the real window offscreen.

The window is built the way the composition root builds it (side panes, transcript strip,
wiring, knowledge-base index) on a throwaway seat data directory.  Each call starts with the
telephony event (``incoming(number)``, no operator action) and is then worked the way an
operator works it, with the proposals accepted when they are right:

* key presses for shortcuts, Tab and Enter go through ``QTest`` key events to the widget that
  has the focus (so a shortcut or a focus move that does not work makes the call fail);
* a field the operator fills counts one action: ASCII is typed with ``QTest.keyClicks``, the
  Chinese text (what the IME or the transcript would enter) is set with ``setText``; when the
  field does not have the focus at that moment, the click that puts it there counts too;
* a click is ``QTest.mouseClick`` on the button.

Waiting for a proposal (chips, jurisdiction, knowledge-base answer) is not an action; it is in
the wall time, which runs from the telephony event to the saved ticket (no human think time).
Each ticket is read back from the seat database and checked: outcome, category, main unit.

    .venv/bin/python benchmarks/bench_operator_actions.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.messages import MessageBridge
from agent_app.paths import DataPaths, resources_dir
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.ui.main_window import MainWindow, WindowContext
from agent_app.ui.panes import Panes, build_panes
from agent_app.ui.wiring import Wiring, connect_panes
from agent_app.workers.tasks import TaskRunner

WAIT_S = 20.0
MAX_ACTIONS_DISPATCHED = 6
KEY = Qt.Key
MOD = Qt.KeyboardModifier


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        QCoreApplication.processEvents()
        QTest.qWait(5)


@dataclass
class Actions:
    keys: list[str] = field(default_factory=list)
    clicks: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    sequence: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.keys) + len(self.clicks) + len(self.typed)


class Operator:
    """Presses keys, clicks and fills fields as the operator would, and counts each action."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        self.app, self.window = app, window
        self.actions = Actions()

    def focus(self) -> QWidget:
        return self.app.focusWidget() or self.window

    def press(self, key: KEY, modifiers: MOD, name: str) -> None:
        QTest.keyClick(self.focus(), key, modifiers)
        self.actions.keys.append(name)
        self.actions.sequence.append(name)

    def click(self, widget: QWidget, name: str) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.actions.clicks.append(name)
        self.actions.sequence.append(f"点击「{name}」")

    def fill(self, widget: QLineEdit | QPlainTextEdit, text: str, name: str) -> None:
        if not widget.hasFocus():
            self.click(widget, name)
            assert widget.hasFocus(), name
        if text.isascii():
            QTest.keyClicks(widget, text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
        self.actions.typed.append(name)
        self.actions.sequence.append(f"填{name}")


@dataclass
class Call:
    name: str
    number: str
    outcome: Outcome
    work: Callable[[Operator, MainWindow, Panes], None]
    expect: dict[str, Any]
    typical_dispatch: bool = False


def _dispatched_call(
    description: str, address: str
) -> Callable[[Operator, MainWindow, Panes], None]:
    def work(op: Operator, window: MainWindow, _panes: Panes) -> None:
        form = window.form
        op.fill(form.description, description, "内容")
        wait_until(lambda: len(form.chips.buttons) >= 2, "the category and type chips")
        op.press(KEY.Key_Return, MOD.NoModifier, "Enter（采纳首选建议）")
        op.fill(form.address, address, "地址")
        wait_until(lambda: bool(form.place.get("district")), "the jurisdiction")
        wait_until(
            window.dispatch_action.isEnabled, "dispatch enabled: " + window.dispatch.reason.text()
        )
        op.press(KEY.Key_Return, MOD.ControlModifier, "Ctrl+Enter（派单）")

    return work


def _consultation(op: Operator, window: MainWindow, panes: Panes) -> None:
    pane = panes.kb_pane
    assert pane is not None
    op.fill(window.form.description, "咨询一下居住证办理需要带哪些材料？", "内容")
    wait_until(
        lambda: (
            (row := pane.current_row()) is not None and row.hit.article_id == "residence-permit"
        ),
        "the knowledge-base answer",
    )
    op.click(pane.answered_button, "直接答复办结")


def _transfer(op: Operator, window: MainWindow, _panes: Panes) -> None:
    op.fill(window.form.description, "楼下有人拿刀打架，有人受伤了，快来人！", "内容")
    op.press(KEY.Key_F9, MOD.NoModifier, "F9（转110）")


CALLS = (
    Call(
        "暖气不热 → 派单",
        "13812345678",
        Outcome.DISPATCHED,
        _dispatched_call(
            "家里暖气不热，室内只有十五度，整栋楼都不热，已经三天了，希望尽快维修。",
            "朝阳区望京街道望京西园三区",
        ),
        {
            "category_code": "02.01.001",
            "request_type": "help",
            "main_unit": "北京市热力集团有限责任公司",
            "answers": {"indoor_temp": "15", "whole_building": "building"},
        },
        typical_dispatch=True,
    ),
    Call(
        "夜间施工噪声 → 派单",
        "13912345670",
        Outcome.DISPATCHED,
        _dispatched_call(
            "楼下工地每天半夜施工，施工噪音很大，影响休息，已经一个星期了。",
            "朝阳区望京街道望京西园四区三号楼",
        ),
        {
            "category_code": "01.01.001",
            "request_type": "complaint",
            "main_unit": "朝阳区城市管理综合行政执法局",
            "answers": {"periods": ["night"]},
        },
        typical_dispatch=True,
    ),
    Call(
        "停电 → 派单",
        "13712345671",
        Outcome.DISPATCHED,
        _dispatched_call(
            "我们小区从昨天晚上十点开始停电了，整个小区都没电，到现在还没来电。",
            "海淀区中关村街道海淀南路",
        ),
        {
            "category_code": "02.03.001",
            "request_type": "help",
            "main_unit": "国网北京市电力公司",
            "answers": {"scope": "estate"},
        },
        typical_dispatch=True,
    ),
    Call(
        "居住证咨询 → 知识库直接答复",
        "13612345672",
        Outcome.ANSWERED,
        _consultation,
        {"kb_article_id": "residence-permit", "request_type": "consult"},
    ),
    Call(
        "打架伤人 → 转110",
        "13512345673",
        Outcome.TRANSFERRED,
        _transfer,
        {"outcome_detail": "110"},
    ),
)


def check(ticket: Ticket, call: Call) -> list[str]:
    """What differs from the expected ticket ([] when right)."""
    wrong = []
    if ticket.outcome is not call.outcome:
        wrong.append(f"outcome {ticket.outcome}")
    for key, expected in call.expect.items():
        if key == "answers":
            answers = ticket.extra.get("answers", {})
            for code, value in expected.items():
                if answers.get(code) != value:
                    wrong.append(f"answer {code}={answers.get(code)!r}")
            continue
        value = getattr(ticket, key)
        value = getattr(value, "value", value)
        if value != expected:
            wrong.append(f"{key}={value!r}")
    return wrong


def build(data_dir: Path) -> tuple[QApplication, MainWindow, Panes, Wiring]:
    """The window as ``agent_app.app.run_gui`` builds it (operator, not demo)."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    font = QFont()
    font.setFamilies(["WenQuanYi Micro Hei", "Noto Sans CJK SC"])
    app.setFont(font)
    app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    if not os.environ.get("AGENT_APP_DB_KEY_FILE"):  # a throwaway seat: its own key file
        key_file = data_dir.parent / "seat.key"
        key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
        key_file.chmod(0o600)
        os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
    paths = DataPaths(data_dir).ensure()
    settings = Settings(paths.settings_file)
    runner, bridge = TaskRunner(), MessageBridge()
    ws = Workstation(paths, seat=settings.seat, operator_id=settings.operator_id, demo=False)
    panes = build_panes(
        settings=settings, runner=runner, bridge=bridge, demo=False, paths=paths,
        role=Role.OPERATOR,
    )  # fmt: skip
    ctx = WindowContext(
        settings=settings, runner=runner, bridge=bridge, workstation=ws, role=Role.OPERATOR,
        demo=False, side_panes=panes.side, transcript=panes.transcript,
    )  # fmt: skip
    window = MainWindow(ctx)
    wiring = connect_panes(window, panes, start_after_paint=False)
    window.show()
    window.activateWindow()
    wiring.start_background()
    wait_until(lambda: window.intake is not None, "the catalogue and gazetteer", 60)
    wait_until(lambda: panes.kb_ready, "the knowledge-base index", 120)
    return app, window, panes, wiring


def run_call(app: QApplication, window: MainWindow, panes: Panes, call: Call) -> dict[str, Any]:
    finished: list[Ticket] = []
    window.ticket_finished.connect(finished.append)
    op = Operator(app, window)
    start = time.perf_counter()
    window.incoming.emit(call.number)  # telephony: the call rings in, the number is filled
    call.work(op, window, panes)
    wait_until(lambda: bool(finished), "the saved ticket: " + window.dispatch.reason.text())
    elapsed = time.perf_counter() - start
    window.ticket_finished.disconnect(finished.append)
    window.ctx.runner.wait_idle()
    stored = window.ctx.workstation.ticket(finished[0].id)
    wrong = ["not in the database"] if stored is None else check(stored, call)
    return {
        "call": call.name,
        "actions": op.actions.total,
        "keys": len(op.actions.keys),
        "clicks": len(op.actions.clicks),
        "fields": len(op.actions.typed),
        "seconds": round(elapsed, 2),
        "saved_right": not wrong,
        "wrong": wrong,
        "sequence": op.actions.sequence,
        "typical_dispatch": call.typical_dispatch,
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table (CJK text counted two columns wide)."""
    head = ("call", "actions", "keys", "clicks", "fields", "wall s", "saved right", "sequence")
    lines = [head]
    for r in rows:
        ok = "yes" if r["saved_right"] else "NO: " + "; ".join(r["wrong"])
        lines.append(
            (
                r["call"], str(r["actions"]), str(r["keys"]), str(r["clicks"]), str(r["fields"]),
                f"{r['seconds']:.2f}", ok, " → ".join(r["sequence"]),
            )
        )  # fmt: skip
    widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        cells = [c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True)]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-actions-") as tmp:
        app, window, panes, wiring = build(Path(tmp) / "seat")
        try:
            rows = [run_call(app, window, panes, call) for call in CALLS]
        finally:
            wiring.shutdown()
            window.ctx.runner.wait_idle()
            window.close()
            window.ctx.workstation.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(table(rows))
    typical = [r["actions"] for r in rows if r["typical_dispatch"]]
    ok = all(r["saved_right"] for r in rows) and max(typical) <= MAX_ACTIONS_DISPATCHED
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
