"""What the drafted description costs the GUI thread per final transcript line.

The call presenter (``CallSession.transcript_line``) cleans each new line once
(``sentence_for``), keeps the sentences in segment order and picks the draft again
(``select``), then the form asks what is new against the description (``new_sentences``).
This replays the training scenarios' lines, repeated to make calls of 50, 400 and 1,000 lines,
through those same steps and prints the time per line (median, mean, and the median of the
last ten lines, where the call is longest).

    .venv/bin/python benchmarks/bench_description_draft.py [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_app.domain.description_draft import (  # noqa: E402
    DraftSentence,
    new_sentences,
    select,
    sentence_for,
)

SIZES = (50, 400, 1000)
TYPED = "居民来电反映供暖问题。"


def scenario_lines() -> list[tuple[str, float, float]]:
    lines: list[tuple[str, float, float]] = []
    for path in sorted((REPO / "resources" / "scenarios").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lines += [(s["text"], float(s["start"]), float(s["end"])) for s in data["segments"]]
    return lines


def one_call(lines: list[tuple[str, float, float]]) -> list[float]:
    """Seconds per line, each line as the presenter and the form handle it."""
    heard: tuple[DraftSentence, ...] = ()
    times = []
    for row, (words, start, end) in enumerate(lines):
        began = time.perf_counter()
        sentence = sentence_for(words, row, start, end)
        kept = tuple(h for h in heard if h.segment != row)
        if sentence is not None:
            kept = tuple(sorted((*kept, sentence), key=lambda h: h.segment))
        heard = kept
        new_sentences(TYPED, select(heard))
        times.append(time.perf_counter() - began)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    source = scenario_lines()
    rows = []
    for size in SIZES:
        lines = (source * (size // len(source) + 1))[:size]
        times = one_call(lines)
        rows.append(
            {
                "lines": size,
                "median_ms": round(statistics.median(times) * 1000, 3),
                "mean_ms": round(statistics.fmean(times) * 1000, 3),
                "last10_median_ms": round(statistics.median(times[-10:]) * 1000, 3),
            }
        )
    if args.json:
        print(json.dumps(rows))
        return 0
    print("lines  median ms  mean ms  last-10 median ms")
    for r in rows:
        print(
            f"{r['lines']:>5}  {r['median_ms']:>9.2f}  {r['mean_ms']:>7.2f}  "
            f"{r['last10_median_ms']:>17.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
