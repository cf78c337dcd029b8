"""Time per address of the offline gazetteer (p50/p95 over the labelled sets, repeated).

.venv/bin/python benchmarks/bench_geocode.py
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent_app.services.geo.gazetteer import Gazetteer  # noqa: E402

REPEAT = 20


def main() -> int:
    t0 = time.perf_counter()
    gaz = Gazetteer.default()
    load_ms = (time.perf_counter() - t0) * 1000
    texts = []
    for name in ("addresses_dev.csv", "addresses_heldout.csv"):
        with (ROOT / "tests/data" / name).open(encoding="utf-8") as fh:
            texts += [r["input"] for r in csv.DictReader(fh)]
    # long transcript-like text: the address inside a whole sentence
    texts += [
        f"喂你好，我要反映一个问题，就是{t}这边，晚上施工噪音特别大，已经好几天了"
        for t in texts[:50]
    ]
    times = []
    for _ in range(REPEAT):
        for t in texts:
            s = time.perf_counter()
            gaz.resolve(t)
            times.append((time.perf_counter() - s) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95)]
    print(f"gazetteer load: {load_ms:.1f} ms ({gaz.size} names)")
    print(
        f"resolve: {len(texts)} addresses x {REPEAT}: p50 {p50:.3f} ms, p95 {p95:.3f} ms, max {times[-1]:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
