"""Type-ahead latency of the category picker over the shipped catalogue.

    .venv/bin/python benchmarks/bench_catalogue_search.py [--rounds N]

Simulates an operator typing queries one keystroke at a time (Chinese, pinyin initials and full
pinyin), with usage counts and a recent list, and prints the per-keystroke latency (median,
p95, max) plus the one-off costs: loading the files and building the pinyin keys.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.services.catalogue import Catalogue

QUERIES = [
    "暖气不热",
    "井盖",
    "停水",
    "噪音扰民",
    "nq",
    "gr",
    "jgqs",
    "tingdian",
    "wuye",
    "zhandao",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()

    t0 = time.perf_counter()
    catalogue = Catalogue.load()
    load_ms = (time.perf_counter() - t0) * 1000
    index = catalogue.index()
    t0 = time.perf_counter()
    index.warm()
    warm_ms = (time.perf_counter() - t0) * 1000

    rng = random.Random(12345)
    codes = [c.code for c in catalogue.categories]
    usage = {code: rng.randint(1, 200) for code in rng.sample(codes, 120)}
    recent = rng.sample(codes, 10)

    samples: list[float] = []
    for _ in range(args.rounds):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                t0 = time.perf_counter()
                index.search(query[:end], limit=20, usage=usage, recent=recent)
                samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"leaves: {len(index)}  units: {len(catalogue.units)}")
    print(f"load files: {load_ms:.1f} ms   build pinyin keys (once): {warm_ms:.1f} ms")
    print(
        f"per keystroke over {len(samples)} searches: median {statistics.median(samples):.2f} ms, "
        f"p95 {p95:.2f} ms, max {samples[-1]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
