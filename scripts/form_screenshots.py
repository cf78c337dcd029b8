"""Screenshots of the form in the middle of a call: transcript proposals in the strip,
category / request-type chips, the caller's history and the dispatch panel, in Chinese and
English at 1366x820 and 1920x1080 (the sizes operators' seats run at).

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat; a first call is dispatched so that the caller's second call shows a history; the
caller's words are replayed through the transcript strip's scenario path.  Writes
``docs/screenshot-form-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/form_screenshots.py [--out docs]
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
from agent_app.ui.panes import build_extractor  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402
from scripts.outcome_screenshots import _call, _dispatch_heating  # noqa: E402

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
    with tempfile.TemporaryDirectory(prefix="form-shots-", ignore_cleanup_errors=True) as tmp:
        app, window, panes, wiring = build(Path(tmp) / "seat")
        try:
            if panes.strip is not None:
                panes.strip.set_extractor(build_extractor(panes.gazetteer))
            _dispatch_heating(window, panes, Path(tmp))
            window.ctx.runner.wait_idle()
            form = window.form
            _call(window, panes, "13812345678", "dispatched", Path(tmp))
            wait_until(lambda: form.history.model.rowCount() >= 1, "the caller's history")
            form.description.setPlainText("家里暖气还是不热，室内只有十五度，整栋楼都不热。")
            wait_until(lambda: len(form.chips.buttons) >= 2, "chips")
            form.address.setText("朝阳区望京街道望京西园三区5号楼")
            wait_until(lambda: bool(form.place.get("district")), "the jurisdiction")
            for width, height in SIZES:
                window.resize(width, height)
                QApplication.processEvents()
                QTest.qWait(400)
                target = out / f"screenshot-form-{args.lang}-{width}x{height}.png"
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
