"""Learning curve of the category model: accuracy against the number of a seat's own tickets.

    .venv/bin/python benchmarks/eval_learning_curve.py [--draws 10] [--json]

What a seat's retraining would reach with 1k / 10k / 100k of its own finished tickets cannot be
measured here: there are 199 labelled real messages, not 100,000.  The demo generator
(``resources/demo/templates.json``) writes tickets from 26 templates, so a model trained on 1,000
of them learns the templates and scores ~100 % on more of them: that measures the generator, not
a seat.  So the simulation is this, and its limits are stated beside its figures:

1. **Measured on real text**: "a seat's own finished tickets" are simulated by labelled real
   messages (the dev half of ``labelled_messages_dev.csv``: even 留言编号, 102 messages).  The
   model is the product configuration (what ``suggest train`` fits: char 1–3 TF-IDF + ComplementNB, the
   taxonomy as pseudo-documents at the command's default weight 5, the 4,300 unlabelled messages shaping the
   vocabulary/IDF), trained on stratified random subsets of n = 12, 25, 51, 102 dev messages
   (``--draws`` subsets each) and scored on the 97 held-out messages (odd 留言编号), which no
   choice here looks at.
2. **Extrapolated**: the error rate 1 − top-1 is fitted as ``a · n^(−b)`` (least squares in
   log–log over the measured sizes) and read at n = 1,000 / 10,000 / 100,000.  A power law fitted
   on a factor of 8 in n and read off at a factor of 1,000 further is a guess with a direction,
   not a figure: the real curve flattens where the classes themselves overlap (a message about a
   school bus is 教育 or 交通 by the operator's habit), so the extrapolation is an upper bound.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.sparse import vstack
from sklearn.naive_bayes import ComplementNB

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.cli.suggest import DEFAULT_PRIOR_WEIGHT  # noqa: E402
from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer  # noqa: E402
from agent_app.services.suggest.model import TrainConfig  # noqa: E402
from benchmarks.eval_suggest_heldout import fields, load, priors, split, topk  # noqa: E402

SIZES = (12, 25, 51, 102)
TARGETS = (1_000, 10_000, 100_000)
PRIOR_WEIGHTS = (0.0, 1.0, DEFAULT_PRIOR_WEIGHT)


def subsample(rows: list[dict[str, str]], n: int, rng: random.Random) -> list[dict[str, str]]:
    """``n`` rows, every class in proportion (at least one of each)."""
    by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by[r["一级分类"]].append(r)
    out: list[dict[str, str]] = []
    for group in by.values():
        out += rng.sample(group, max(1, round(n * len(group) / len(rows))))
    rng.shuffle(out)
    return out[:n] if len(out) > n else out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()
    dev, held = split()
    alpha = TrainConfig().alpha
    pri = priors()
    unl = [fields(r) for r in load("unlabelled_messages.csv")]
    # the vocabulary and IDF are label-free: fitted once over the unlabelled messages, the dev
    # texts and the priors (the product fits them over its training and unlabelled texts)
    vec = FieldVectorizer(FeatureConfig(), 2).fit(
        [fields(r) for r in dev] + [t for _, t in pri] + unl
    )
    x_held = vec.transform([fields(r) for r in held])
    gold = [r["一级分类"] for r in held]
    x_pri = vec.transform([t for _, t in pri])
    curves: dict[str, list[dict[str, float]]] = {}
    for weight in PRIOR_WEIGHTS:
        curve = []
        for n in SIZES:
            top1s, top3s = [], []
            for draw in range(args.draws if n < len(dev) else 1):
                rows = subsample(dev, n, random.Random(1000 * n + draw))
                known = {r["一级分类"] for r in rows}
                keep = [i for i, (lab, _) in enumerate(pri) if lab in known] if weight else []
                x = vstack([vec.transform([fields(r) for r in rows]), x_pri[keep]])
                y = [r["一级分类"] for r in rows] + [pri[i][0] for i in keep]
                w = np.concatenate([np.ones(len(rows)), np.full(len(keep), weight)])
                clf = ComplementNB(alpha=alpha).fit(x, y, sample_weight=w)
                order = np.argsort(-clf.predict_proba(x_held), axis=1)[:, :3]
                ranked = [list(clf.classes_[o]) for o in order]
                top1s.append(topk(ranked, gold, 1))
                top3s.append(topk(ranked, gold, 3))
            curve.append(
                {
                    "n": n,
                    "top1": round(float(np.mean(top1s)), 3),
                    "top1_sd": round(float(np.std(top1s)), 3),
                    "top3": round(float(np.mean(top3s)), 3),
                }
            )
        curves[f"{weight:g}"] = curve
    # the tickets' own curve (no catalogue rows): at 1k+ tickets the catalogue's few hundred
    # pseudo-documents weigh little, so this is the curve to read forward
    own = curves["0"]
    logs_n = np.log([c["n"] for c in own])
    logs_e = np.log([max(1e-3, 1 - c["top1"]) for c in own])
    slope, intercept = np.polyfit(logs_n, logs_e, 1)
    extrapolated = {
        str(t): round(1 - math.exp(intercept + slope * math.log(t)), 3) for t in TARGETS
    }
    report = {
        "prior_weights": list(PRIOR_WEIGHTS),
        "measured": curves,
        "fit_no_priors": {"a": round(math.exp(intercept), 3), "b": round(-slope, 3)},
        "extrapolated_top1": extrapolated,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"held-out half: {len(held)} messages; draws per size: {args.draws}")
    for weight, curve in curves.items():
        print(f"catalogue prior weight {weight}:")
        for c in curve:
            print(
                f"  n = {c['n']:>4}: top-1 {c['top1']:.3f} ± {c['top1_sd']:.3f}, "
                f"top-3 {c['top3']:.3f}"
            )
    print(f"fit, no priors: 1 - top-1 = {math.exp(intercept):.3f} * n^-{-slope:.3f}")
    for t, v in extrapolated.items():
        print(f"  extrapolated n = {int(t):>6}: top-1 {v:.3f} (an upper bound, see the docstring)")
    print(f"({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
