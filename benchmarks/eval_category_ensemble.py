"""Category: an ensemble of ComplementNB models over several character n-gram ranges, with or
without the catalogue's keyword scorer, against the shipped char 1–3 model; chosen on the dev
half, scored once on the held-out half.

    .venv/bin/python benchmarks/eval_category_ensemble.py [--repeats 2] [--json]   # 10–15 min

Candidates (each CNB as the product trains it: catalogue pseudo-documents at weight 5, α 0.3,
the 4,300 unlabelled messages in the vocabulary):

* ``base``: char 1–3 (the shipped model);
* ``ens3``: the mean of the probabilities of three CNB models over char 1–2, 1–3 and 2–4;
* ``ens13_24``: the mean of char 1–3 and 2–4;
* ``+cold λ``: blended with the cold-start keyword scorer over the taxonomy's names
  (``ColdStartSuggester``, scores summed per first-level class), weight λ ∈ {0.1, 0.2, 0.3}.

Choice: repeated stratified 4-fold CV inside the dev half (even 留言编号), vocabulary fitted per
fold without the test messages, ranked by top-1 + top-3 (ties: the simpler candidate, in the
order listed).  Then the chosen candidate and ``base`` are trained on the whole dev half and
scored once on the held-out half (odd 留言编号, 97).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.naive_bayes import ComplementNB

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.cli.suggest import DEFAULT_PRIOR_WEIGHT  # noqa: E402
from agent_app.services.suggest.coldstart import ColdStartSuggester  # noqa: E402
from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer  # noqa: E402
from agent_app.services.suggest.model import TrainConfig  # noqa: E402
from benchmarks.eval_suggest_heldout import fields, load, priors, split  # noqa: E402

RANGES = ((1, 3), (1, 2), (2, 4))
LAMBDAS = (0.1, 0.2, 0.3)
Text = tuple[str, str]


class Cold:
    """The cold-start scorer over the taxonomy's names, as a first-level distribution."""

    def __init__(self) -> None:
        tax = load("taxonomy_3level.csv")
        self.scorer = ColdStartSuggester(
            (str(i), (r["一级分类"], r["二级分类"], r["三级分类"]), ()) for i, r in enumerate(tax)
        )
        self.level1 = [r["一级分类"] for r in tax]

    def __call__(self, texts: list[Text], classes: np.ndarray) -> np.ndarray:
        index = {c: k for k, c in enumerate(classes)}
        out = np.full((len(texts), len(classes)), 1.0 / len(classes))
        for row, text in enumerate(texts):
            v = np.zeros(len(classes))
            for i, s in self.scorer.scores(" ".join(text)).items():
                if self.level1[i] in index:
                    v[index[self.level1[i]]] += s
            if v.sum() > 0:
                out[row] = v / v.sum()
        return out


def candidates(
    train: list[Text], labels: np.ndarray, test: list[Text], unl: list[Text], cold: Cold
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    known = set(labels)
    pri = [(lab, t) for lab, t in priors() if lab in known]
    rows = train + [t for _, t in pri]
    y = np.concatenate([labels, [lab for lab, _ in pri]])
    w = np.concatenate([np.ones(len(train)), np.full(len(pri), DEFAULT_PRIOR_WEIGHT)])
    probs: dict[tuple[int, int], np.ndarray] = {}
    classes = np.array([])
    for lo, hi in RANGES:
        vec = FieldVectorizer(FeatureConfig(ngram_min=lo, ngram_max=hi), 2).fit(rows + unl)
        clf = ComplementNB(alpha=TrainConfig().alpha).fit(vec.transform(rows), y, sample_weight=w)
        probs[(lo, hi)] = clf.predict_proba(vec.transform(test))
        classes = clf.classes_
    c = cold(test, classes)
    out = {
        "base": probs[(1, 3)],
        "ens3": np.mean([probs[r] for r in RANGES], axis=0),
        "ens13_24": (probs[(1, 3)] + probs[(2, 4)]) / 2,
    }
    for lam in LAMBDAS:
        out[f"base+cold{lam}"] = (1 - lam) * out["base"] + lam * c
        out[f"ens3+cold{lam}"] = (1 - lam) * out["ens3"] + lam * c
    return classes, out


def top13(classes: np.ndarray, p: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    order = np.argsort(-p, axis=1)[:, :3]
    top1 = float(np.mean(classes[order[:, 0]] == gold))
    top3 = float(np.mean([g in classes[o] for g, o in zip(gold, order, strict=True)]))
    return top1, top3


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()
    dev, held = split()
    unl = [fields(r) for r in load("unlabelled_messages.csv")]
    cold = Cold()
    texts = [fields(r) for r in dev]
    y = np.array([r["一级分类"] for r in dev])
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    folds = RepeatedStratifiedKFold(n_splits=4, n_repeats=args.repeats, random_state=7)
    for tr, te in folds.split(texts, y):
        classes, cands = candidates(
            [texts[i] for i in tr], y[tr], [texts[i] for i in te], unl, cold
        )
        for name, p in cands.items():
            scores[name].append(top13(classes, p, y[te]))
    order = list(scores)  # simpler first
    cv = {name: tuple(round(float(v), 3) for v in np.mean(scores[name], axis=0)) for name in order}
    chosen = max(order, key=lambda n: (round(sum(cv[n]), 6), -order.index(n)))
    classes, cands = candidates(texts, y, [fields(r) for r in held], unl, cold)
    gold = np.array([r["一级分类"] for r in held])
    heldout = {
        n: tuple(round(v, 3) for v in top13(classes, cands[n], gold)) for n in ("base", chosen)
    }
    report = {"dev_cv": cv, "chosen": chosen, "heldout": heldout}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"dev half {len(dev)} (4-fold CV x {args.repeats}), top-1 / top-3:")
    for name in sorted(order, key=lambda n: -sum(cv[n])):
        print(f"  {name:16s} {cv[name][0]:.3f} / {cv[name][1]:.3f}")
    print(f"chosen on dev: {chosen}; held-out half (n = {len(held)}), scored once:")
    for name, (t1, t3) in heldout.items():
        print(f"  {name:16s} {t1:.3f} / {t3:.3f}")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
