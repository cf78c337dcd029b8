"""Duplicates: do a time-gap and a first-level category signal help?  Chosen on the dev pairs.

    .venv/bin/python benchmarks/eval_duplicates_features.py        # about 25 s

The shipped detector's seven signals (``eval_duplicates.py``) plus three: the two tickets came
in at most 3 days apart (+), more than 7 days apart (−), and their categories differ but share
the first level (+: a retelling filed under a neighbouring leaf).  The same grid (each weight 0,
0.1, 0.2, 0.3; caller 0 / 0.1) and thresholds, chosen by F1 on the dev pairs with the same tie
rule (smaller total weight, middle of the tied thresholds); the test pairs are scored once with
that choice.  The product is not changed by this script.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.services.suggest import related  # noqa: E402
from benchmarks.eval_duplicates import GRID_VALUES, Pair, load  # noqa: E402

SIGNS = np.array([1, -1, 1, -1, 1, 1, -1, 1, -1, 1], dtype=float)
NAMES = (
    "same_category other_category same_place other_place same_caller same_spot other_spot "
    "within_3_days over_7_days same_first_level"
).split()


def signals(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows, sims, ok, want = [], [], [], []
    for a, b, truth, _ in pairs:
        s = related.problem_similarity(a.text, b.text)
        cat = related.same_category(a, b)
        place = related.same_place(a, b)
        spot = related.same_spot(a, b) if s > 0 else None
        caller = bool(a.caller_key) and a.caller_key == b.caller_key
        gap = abs((a.created_at - b.created_at).days)
        first = (
            (a.category or "").split("/")[0] == (b.category or "").split("/")[0]
            if a.category and b.category
            else False
        )
        rows.append(
            (
                cat is True,
                cat is False,
                place is True,
                place is False,
                caller,
                spot is True,
                spot is False,
                gap <= 3,
                gap > 7,
                first and cat is False,
            )
        )
        sims.append(s)
        ok.append(gap <= related.DEFAULT_DAYS)
        want.append(truth)
    return np.array(rows, float) * SIGNS, np.array(sims), np.array(ok), np.array(want)


def prf(pairs: list[Pair], weights: tuple[float, ...], threshold: float) -> tuple[float, ...]:
    sign, base, ok, want = signals(pairs)
    flags = (base + sign @ np.array(weights) >= threshold - 1e-9) & ok
    tp, fp = int((flags & want).sum()), int((flags & ~want).sum())
    fn = int((~flags & want).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return round(p, 3), round(r, 3), round(2 * p * r / max(1e-9, p + r), 3)


def main() -> int:
    dev, test = load("dev"), load("test")
    sign, base, ok, want = signals(dev)
    thresholds = np.arange(10, 100) / 100
    v = GRID_VALUES
    best: tuple[float, float, float, tuple[float, ...]] | None = None
    for w in itertools.product(v, v, v, v, (0.0, 0.1), v, v, v, v, v):
        scores = base + sign @ np.array(w)
        flags = (scores[None, :] >= thresholds[:, None] - 1e-9) & ok[None, :]
        tp = (flags & want).sum(axis=1)
        fp = (flags & ~want).sum(axis=1)
        fn = (~flags & want).sum(axis=1)
        p = np.where(tp + fp > 0, tp / np.maximum(1, tp + fp), 1.0)
        r = tp / np.maximum(1, tp + fn)
        f1 = np.round(np.where(p + r > 0, 2 * p * r / np.maximum(1e-12, p + r), 0.0), 12)
        top = float(f1.max())
        tied = thresholds[f1 == top]
        th = round(float(tied[len(tied) // 2]), 2)
        if best is None or (top, -sum(w)) > (best[0], -best[2]):
            best = (top, th, sum(w), w)
    assert best is not None
    _, th, _, w = best
    print(
        f"dev choice: threshold {th}, "
        + ", ".join(f"{n} {x}" for n, x in zip(NAMES, w, strict=True))
    )
    print(f"  dev  P / R / F1 {prf(dev, w, th)}")
    print(f"  test P / R / F1 {prf(test, w, th)}  (scored once)")
    shipped = tuple(related.DUPLICATE_WEIGHTS.to_json().values()) + (0.0, 0.0, 0.0)
    print(
        f"shipped: dev {prf(dev, shipped, related.DUPLICATE_THRESHOLD)}, "
        f"test {prf(test, shipped, related.DUPLICATE_THRESHOLD)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
