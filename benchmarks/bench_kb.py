"""Knowledge-base search latency on 10,000 synthetic documents.

Documents and queries are drawn from jieba's word-frequency dictionary (a Zipf-like mix of
common and rare words), so postings lists have realistic lengths.  Prints index build time and
search latency (p50/p95/max) for short queries, transcript-length queries and ``search_ids``.

    .venv/bin/python benchmarks/bench_kb.py [--docs 10000] [--queries 300]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_app.services.kb import KnowledgeBase  # noqa: E402


def vocabulary() -> tuple[list[str], list[float]]:
    """Words of jieba's dictionary and their cumulative sampling weights."""
    import jieba  # noqa: PLC0415

    words, weights = [], []
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) >= 2:
            words.append(parts[0])
            weights.append(float(parts[1]) ** 0.8)
    return words, list(itertools.accumulate(weights))


def text(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    chosen = rng.choices(words, cum_weights=weights, k=n)
    out = []
    for i, w in enumerate(chosen):
        out.append(w)
        if i % 9 == 8:
            out.append("，" if rng.random() < 0.7 else "。")
    return "".join(out)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[int(q * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(12345)
    words, weights = vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = Path(tmp) / "kb"
        (kb_dir / "answers").mkdir(parents=True)
        with (kb_dir / "answers" / "synthetic.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "title", "body", "keywords", "categories"])
            for i in range(args.docs):
                writer.writerow(
                    [
                        f"d{i}",
                        text(rng, words, weights, rng.randint(3, 8)),
                        text(rng, words, weights, rng.randint(60, 200)),
                        ";".join(rng.choices(words, cum_weights=weights, k=3)),
                        f"类{i % 15}/子类{i % 118}",
                    ]
                )
        kb = KnowledgeBase(kb_dir, kb_dir / ".index.sqlite3")
        t0 = time.perf_counter()
        info = kb.ensure_index()
        build = time.perf_counter() - t0
        print(f"{info.documents} documents, {info.terms} terms, index built in {build:.1f} s")
        kb.warm_up()
        suites = {
            "short query (2-6 words), with snippets": [
                text(rng, words, weights, rng.randint(2, 6)) for _ in range(args.queries)
            ],
            "transcript query (40-120 words), with snippets": [
                text(rng, words, weights, rng.randint(40, 120)) for _ in range(args.queries)
            ],
        }
        for name, queries in suites.items():
            times = []
            for q in queries:
                t0 = time.perf_counter()
                kb.search(q, k=5)
                times.append((time.perf_counter() - t0) * 1000)
            print(
                f"{name}: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
                f"max {max(times):.1f} ms"
            )
        times = []
        for q in suites["short query (2-6 words), with snippets"]:
            t0 = time.perf_counter()
            kb.search(q, k=5, category="类3")
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"short query + category filter: p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms"
        )
        kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
