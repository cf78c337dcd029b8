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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.paths import resources_dir
from agent_app.ui.panes import build_extractor
from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, grab_sizes, operator_window, out_dir

SCENARIO = "night_construction_noise.json"
TYPED = "居民反映夜间施工噪声扰民。"


def main() -> int:
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    application(args.lang)
    with operator_window("draft-shots-") as (window, panes, _tmp):
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
        if not grab_sizes(window, out, f"screenshot-description-draft-{args.lang}-{{size}}.png"):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
