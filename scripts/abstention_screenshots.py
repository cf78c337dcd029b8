"""Screenshots of the category chips' calibrated abstention in the form: a message the model is
sure of (one chip) and one it is unsure of (no chip, 不确定，请选择类别), in Chinese and English at
1366x820 and 1920x1080.

The thresholds are the shipped measurement (knowledge_base/suggest/category_abstention.json);
the rankings come from a stand-in 7-label model with fixed probabilities (the one in
tests/gui/test_category_abstention.py), since the shipped calibration applies to a first-level
model (a seat's retrained leaf model brings its own, measured on held-back tickets).  For the unsure picture the stand-in
ranks below a no-chip threshold of 0.2 (the shipped calibration has none: on the dev half the
first-level model's three chips were never mostly wrong).  Writes
``docs/screenshot-abstention-{sure,unsure}-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/abstention_screenshots.py --lang zh
    .venv/bin/python scripts/abstention_screenshots.py --lang en
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from agent_app import i18n  # noqa: E402
from benchmarks.bench_operator_actions import build, wait_until  # noqa: E402
from tests.gui.test_category_abstention import SURE, UNSURE, StandInModel  # noqa: E402

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
    with tempfile.TemporaryDirectory(prefix="abstain-shots-", ignore_cleanup_errors=True) as tmp:
        app, window, _panes, wiring = build(Path(tmp) / "seat")
        try:
            service = window.intake
            assert service is not None
            shipped = service.calibrations["model"]
            assert shipped.single_at is not None
            service.model = StandInModel(service, shipped.single_at)
            service.calibrations["model"] = replace(shipped, none_below=0.2)
            form = window.form
            form.phone.setText("13812345678")
            form.address.setText("朝阳区望京街道望京西园三区5号楼")
            for state, text in (("sure", SURE), ("unsure", UNSURE)):
                form.description.setPlainText(text)
                if state == "sure":
                    wait_until(lambda: len(form.chips.proposed("category")) == 1, "one chip")
                else:
                    wait_until(lambda: form.chips.unsure.isVisible(), "the unsure hint")
                for width, height in SIZES:
                    window.resize(width, height)
                    QApplication.processEvents()
                    QTest.qWait(400)
                    name = f"screenshot-abstention-{state}-{args.lang}-{width}x{height}.png"
                    if not window.grab().save(str(out / name), "PNG"):
                        print(f"could not write {out / name}", file=sys.stderr)  # noqa: T201
                        return 1
                    print(out / name)  # noqa: T201
        finally:
            wiring.shutdown()
            window.ctx.runner.wait_idle()
            window.close()
            window.ctx.workstation.close()
            QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
