"""Screenshots of a repeat call: the caller's history with the follow-up actions (告知进展,
补充, 催办) on the selected earlier ticket, in Chinese and English at 1366x820 and 1920x1080.

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat; a first call is dispatched, the same caller calls again, the operator selects that
ticket in the history and writes down what the caller adds.  Writes
``docs/screenshot-followup-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/followup_screenshots.py [--out docs] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agent_app import i18n  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402
from scripts.outcome_screenshots import _dispatch_heating  # noqa: E402

SIZES = ((1366, 820), (1920, 1080))


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
        try:
            _dispatch_heating(window, panes, Path(tmp))
            window.ctx.runner.wait_idle()
            form = window.form
            window.incoming.emit("13812345678")  # the same caller calls again
            wait_until(lambda: form.history.model.rowCount() >= 1, "the caller's history")
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
