"""Precision and recall of the near-duplicate text detector on the hand-written pair sets.

    .venv/bin/python benchmarks/eval_duplicates.py

``tests/data/duplicates_dev.csv`` chooses the threshold (best F1); ``tests/data/duplicates_test.csv``
(other scenarios, never used for choosing) reports precision and recall at that threshold and at
the threshold shipped in ``agent_app.services.suggest.related``.  Both sets hold pairs of ticket
texts: a problem retold by another caller (duplicate) or the same place with another problem /
the same problem at another place (hard negatives).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.services.suggest import related  # noqa: E402


def load(name: str) -> list[tuple[str, str, bool]]:
    with (ROOT / "tests" / "data" / name).open(encoding="utf-8-sig", newline="") as fh:
        return [(r["text_a"], r["text_b"], r["is_duplicate"] == "1") for r in csv.DictReader(fh)]


def prf(scores: list[float], truth: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold and t for s, t in zip(scores, truth, strict=True))
    fp = sum(s >= threshold and not t for s, t in zip(scores, truth, strict=True))
    fn = sum(s < threshold and t for s, t in zip(scores, truth, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    from rapidfuzz import fuzz

    dev, test = load("duplicates_dev.csv"), load("duplicates_test.csv")
    scorers = {
        "bigram token_set_ratio (shipped)": related.text_similarity,
        "bigram token_sort_ratio": lambda a, b: (
            fuzz.token_sort_ratio(related.bigram_string(a), related.bigram_string(b)) / 100
        ),
        "raw ratio": lambda a, b: fuzz.ratio(related.text_key(a), related.text_key(b)) / 100,
    }
    print(
        f"dev {len(dev)} pairs ({sum(t for *_, t in dev)} duplicates), "
        f"test {len(test)} pairs ({sum(t for *_, t in test)} duplicates)"
    )
    for name, scorer in scorers.items():
        dev_s = [scorer(a, b) for a, b, _ in dev]
        dev_t = [t for *_, t in dev]
        best = max((prf(dev_s, dev_t, th / 100)[2], th / 100) for th in range(20, 96))
        th = best[1]
        test_s = [scorer(a, b) for a, b, _ in test]
        test_t = [t for *_, t in test]
        p, r, f = prf(test_s, test_t, th)
        print(
            f"{name:34s} dev-chosen threshold {th:.2f}: test precision {p:.3f} recall {r:.3f} F1 {f:.3f}"
        )
    shipped = related.DUPLICATE_THRESHOLD
    test_s = [related.text_similarity(a, b) for a, b, _ in test]
    p, r, f = prf(test_s, [t for *_, t in test], shipped)
    print(f"shipped threshold {shipped:.2f} on test: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    for a, b, t in test:
        s = related.text_similarity(a, b)
        if (s >= shipped) != t:
            print(f"  miss: truth={int(t)} sim={s:.2f} | {a[:24]} | {b[:24]}")
    pool = [b for _, b, _ in test] * 100
    started = time.perf_counter()
    related.similarities(test[0][0], pool)
    ms = (time.perf_counter() - started) * 1000
    print(f"one ticket against {len(pool)} candidates: {ms:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
