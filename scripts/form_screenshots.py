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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.ui.panes import build_extractor
from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, grab_sizes, operator_window, out_dir
from scripts.outcome_screenshots import _call, _dispatch_heating


def main() -> int:
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    application(args.lang)
    with operator_window("form-shots-") as (window, panes, tmp):
        if panes.strip is not None:
            panes.strip.set_extractor(build_extractor(panes.gazetteer))
        _dispatch_heating(window, panes, tmp)
        window.ctx.runner.wait_idle()
        form = window.form
        _call(window, panes, "13812345678", "dispatched", tmp)
        wait_until(lambda: form.history.model.rowCount() >= 1, "the caller's history")
        form.description.setPlainText("家里暖气还是不热，室内只有十五度，整栋楼都不热。")
        wait_until(lambda: len(form.chips.buttons) >= 2, "chips")
        form.address.setText("朝阳区望京街道望京西园三区5号楼")
        wait_until(lambda: bool(form.place.get("district")), "the jurisdiction")
        if not grab_sizes(window, out, f"screenshot-form-{args.lang}-{{size}}.png"):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
