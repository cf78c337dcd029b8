"""Calibrated abstention for the category chips: how often one chip is enough, and how often
that one chip is right.

    .venv/bin/python benchmarks/eval_category_abstention.py [--target 0.95] [--json]

The threshold on the first proposal's probability is chosen on the dev half of the labelled
messages only (even 留言编号: repeated stratified 4-fold CV × 3 inside it, the product model
``suggest train`` fits: char 1–3 TF-IDF + ComplementNB, catalogue weight 5, the unlabelled
messages shaping the vocabulary), as the lowest probability above which the cross-validated
first proposals were right ``--target`` of the time.  The model trained on the whole dev half
is then scored once on the held-out half (odd 留言编号, 97): the share of messages shown a single
chip, its precision, and the top-3 accuracy of the others (shown three chips).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import vstack
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.naive_bayes import ComplementNB

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.cli.suggest import DEFAULT_PRIOR_WEIGHT  # noqa: E402
from agent_app.services.suggest.calibration import confident_threshold  # noqa: E402
from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer  # noqa: E402
from agent_app.services.suggest.model import TrainConfig  # noqa: E402
from benchmarks.eval_suggest_heldout import fields, load, priors, split  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=float, default=0.95)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    dev, held = split()
    pri = priors()
    unl = [fields(r) for r in load("unlabelled_messages.csv")]
    vec = FieldVectorizer(FeatureConfig(), 2).fit(
        [fields(r) for r in dev] + [t for _, t in pri] + unl
    )
    x_dev = vec.transform([fields(r) for r in dev])
    y_dev = np.array([r["一级分类"] for r in dev])
    x_pri = vec.transform([t for _, t in pri])
    y_pri = np.array([lab for lab, _ in pri])
    alpha, weight = TrainConfig().alpha, DEFAULT_PRIOR_WEIGHT

    def fit(rows: np.ndarray) -> ComplementNB:
        known = set(y_dev[rows])
        keep = np.array([lab in known for lab in y_pri])
        x = vstack([x_dev[rows], x_pri[keep]])
        y = np.concatenate([y_dev[rows], y_pri[keep]])
        w = np.concatenate([np.ones(len(rows)), np.full(int(keep.sum()), weight)])
        return ComplementNB(alpha=alpha).fit(x, y, sample_weight=w)

    probs: list[float] = []
    correct: list[bool] = []
    folds = RepeatedStratifiedKFold(n_splits=4, n_repeats=3, random_state=7)
    for tr, te in folds.split(x_dev, y_dev):
        clf = fit(tr)
        p = clf.predict_proba(x_dev[te])
        best = p.argmax(axis=1)
        probs += [float(v) for v in p.max(axis=1)]
        correct += [bool(c) for c in clf.classes_[best] == y_dev[te]]
    threshold = confident_threshold(probs, correct, target=args.target)
    clf = fit(np.arange(len(dev)))
    p = clf.predict_proba(vec.transform([fields(r) for r in held]))
    gold = np.array([r["一级分类"] for r in held])
    order = np.argsort(-p, axis=1)[:, :3]
    top1 = clf.classes_[order[:, 0]] == gold
    top3 = np.array([g in clf.classes_[o] for g, o in zip(gold, order, strict=True)])
    single = p.max(axis=1) >= threshold if threshold is not None else np.zeros(len(held), bool)
    report = {
        "target": args.target,
        "threshold": threshold,
        "dev_cv_predictions": len(probs),
        "dev_cv_single_share": round(
            float(np.mean(np.array(probs) >= threshold)) if threshold is not None else 0.0, 3
        ),
        "heldout": {
            "n": len(held),
            "single_chip_share": round(float(single.mean()), 3),
            "single_chip_precision": round(float(top1[single].mean()), 3) if single.any() else None,
            "three_chips_top3": round(float(top3[~single].mean()), 3) if (~single).any() else None,
            "three_chips_top1": round(float(top1[~single].mean()), 3) if (~single).any() else None,
            "all_top1": round(float(top1.mean()), 3),
            "all_top3": round(float(top3.mean()), 3),
            "chips_shown_mean": round(float(np.where(single, 1, 3).mean()), 2),
        },
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    h = report["heldout"]
    print(f"threshold (dev CV, target precision {args.target}): {threshold}")
    print(f"  dev CV: {report['dev_cv_single_share']:.1%} of {len(probs)} predictions above it")
    print(
        f"held-out half (n = {h['n']}): one chip for {h['single_chip_share']:.1%}, right "
        f"{h['single_chip_precision']}; three chips for the rest, right one among them "
        f"{h['three_chips_top3']} (first {h['three_chips_top1']}); chips shown on average "
        f"{h['chips_shown_mean']} (3 before); all: top-1 {h['all_top1']}, top-3 {h['all_top3']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
