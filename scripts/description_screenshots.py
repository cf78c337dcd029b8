"""Screenshots of the description drafted from the transcript, offered under the form's
description field (草拟描述), in Chinese and English at 1366x820 and 1920x1080.

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat; a call rings in, the caller's words (the training scenario 夜间施工噪声) are replayed
through the transcript strip's scenario path, the operator has typed a first sentence of
their own, and the source of the drafted complaint is chosen (its line is selected in the
transcript).  Writes ``docs/screenshot-description-draft-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/description_screenshots.py --lang zh [--out docs]
    .venv/bin/python scripts/description_screenshots.py --lang en
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
from agent_app.paths import resources_dir  # noqa: E402
from agent_app.ui.panes import build_extractor  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402

SIZES = ((1366, 820), (1920, 1080))
SCENARIO = "night_construction_noise.json"
TYPED = "居民反映夜间施工噪声扰民。"


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
    with tempfile.TemporaryDirectory(prefix="draft-shots-", ignore_cleanup_errors=True) as tmp:
        app, window, panes, wiring = build(Path(tmp) / "seat")
        try:
            strip, form = panes.strip, window.form
            if strip is None:
                print("no transcript strip", file=sys.stderr)  # noqa: T201
                return 1
            strip.set_extractor(build_extractor(panes.gazetteer))
            window.incoming.emit("13812345678")
            strip.set_scenarios([resources_dir() / "scenarios" / SCENARIO], pace=None)
            strip.start()
            wait_until(lambda: not strip.stop_button.isEnabled(), "the end of the replay")
            form.description.setFocus()
            form.description.setPlainText(TYPED)
            wait_until(lambda: len(form.chips.buttons) >= 2, "chips")
            offer = form.description_offer
            wait_until(offer.isVisible, "the drafted description")
            complaint = next(a for a in offer.source_actions() if "施工" in a.text())
            complaint.trigger()  # its line is selected in the transcript
            for width, height in SIZES:
                window.resize(width, height)
                QApplication.processEvents()
                QTest.qWait(400)
                target = out / f"screenshot-description-draft-{args.lang}-{width}x{height}.png"
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
