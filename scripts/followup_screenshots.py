"""Screenshots of a repeat call: the caller's history with the follow-up actions (告知进展,
补充, 催办) on the selected earlier ticket, in Chinese and English at 1366x820 and 1920x1080.

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat; a first call is dispatched, the same caller calls again, the operator selects that
ticket in the history and writes down what the caller adds.  No centre runs here: its answer
to the history look-up (``central.caller_history``) is one fixed row, an earlier ticket of the
caller taken at another seat, merged with the seat's own as a live seat merges them.  Writes
``docs/screenshot-followup-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/followup_screenshots.py [--out docs] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agent_app import i18n  # noqa: E402
from agent_app.domain import timeutil  # noqa: E402
from agent_app.domain.summary import TicketSummary  # noqa: E402
from agent_app.services import caller_history  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402
from scripts.outcome_screenshots import _dispatch_heating  # noqa: E402

SIZES = ((1366, 820), (1920, 1080))


def _centre_rows(url: str, phone: str, **_kw: object) -> list[TicketSummary]:
    """The centre's answer: the caller's earlier ticket taken at another seat (masked)."""
    return [
        caller_history.summary_from_centre(
            {
                "id": "c1a0f5e2-0000-4000-8000-000000000001",
                "number": f"{timeutil.now() - timedelta(days=9):%Y%m%d}-S03-0042",
                "created_at": timeutil.now() - timedelta(days=9),
                "status": "CLOSED",
                "request_type": "complaint",
                "category": "路灯不亮",
                "district": "朝阳区",
                "township": "呼家楼街道",
                "main_unit": "朝阳区呼家楼街道办事处",
                "caller_phone": "138****5678",
                "description": "小区门口路灯不亮已一周",
            }
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs"), help="directory for the PNGs")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    translators = i18n.install(app, "en" if args.lang == "en" else "zh_CN")  # noqa: F841
    with tempfile.TemporaryDirectory(prefix="followup-shots-", ignore_cleanup_errors=True) as tmp:
        app, window, panes, wiring = build(Path(tmp) / "seat")
        caller_history.centre_rows = _centre_rows  # type: ignore[assignment]
        window.session.set_centre("postgresql://op1001@centre.example:5432/hotline")
        try:
            _dispatch_heating(window, panes, Path(tmp))
            window.ctx.runner.wait_idle()
            form = window.form
            window.incoming.emit("13812345678")  # the same caller calls again
            wait_until(lambda: form.history.model.rowCount() >= 2, "the caller's history")
            form.history.select_row(0)
            form.description.setPlainText(
                "来电人补充：暖气片阀门在厨房一侧，维修人员上门前请先电话联系。"
            )
            wait_until(lambda: form.history.supplement_button.isEnabled(), "the actions")
            for width, height in SIZES:
                window.resize(width, height)
                QApplication.processEvents()
                QTest.qWait(400)
                target = out / f"screenshot-followup-{args.lang}-{width}x{height}.png"
                if not window.grab().save(str(target), "PNG"):
                    print(f"could not write {target}", file=sys.stderr)  # noqa: T201
                    return 1
                print(target)  # noqa: T201
        finally:
            wiring.shutdown()
            window.ctx.runner.wait_idle()
            window.close()
            window.ctx.workstation.close()
            QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
