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

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, grab_sizes, operator_window, out_dir
from tests.gui.test_category_abstention import SURE, UNSURE, StandInModel


def main() -> int:
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    application(args.lang)
    with operator_window("abstain-shots-") as (window, _panes, _tmp):
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
            name = f"screenshot-abstention-{state}-{args.lang}-{{size}}.png"
            if not grab_sizes(window, out, name):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
