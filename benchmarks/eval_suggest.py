"""Cross-validated accuracy of the category suggester on the TipDM development messages.

    .venv/bin/python benchmarks/eval_suggest.py [--repeats 5] [--folds 5] [--quick]

Protocol (nested, so the reported figure is not tuned on its own test folds):
- outer: repeated stratified k-fold over the 199 labelled messages (default 5 × 5-fold);
- inner: on each outer training part, a 3-fold stratified CV picks one configuration from a small
  grid (classifier smoothing, subject weight, catalogue-prior weight) by top-1 accuracy;
- the chosen configuration is trained on the whole outer training part with the product code
  (``train_from_records``, priors = the taxonomy's 2nd+3rd level names under each 1st-level
  class that occurs in training) and scored on the outer test part.
The taxonomy is a catalogue, not labelled messages, so using it in every fold is no leakage.
The inner CV reuses the vectoriser fitted on the outer training part (it sees the inner
validation texts' characters, not their labels).  Also printed, for information only: plain
repeated-CV figures of fixed candidates (these were looked at while choosing the grid).
Reads ../shared/data/tipdm2020 (evaluation data; never shipped).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "tipdm2020"

from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer  # noqa: E402
from agent_app.services.suggest.model import TrainConfig, train_from_records  # noqa: E402


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def topk_hits(probs, classes, y, k):  # type: ignore[no-untyped-def]
    import numpy as np

    order = np.argsort(-probs, axis=1)[:, :k]
    return float(np.mean([y[i] in set(classes[order[i]]) for i in range(len(y))]))


GRID = [
    {"alpha": a, "weights": w, "prior_weight": p}
    for a in (0.1, 0.3, 1.0)
    for w in ((1.0, 1.0), (2.0, 1.0))
    for p in (0.0, 1.0, 2.0)
]


def fit_fast(x, y, xp, yp, alpha, prior_weight):  # type: ignore[no-untyped-def]
    import numpy as np
    from scipy.sparse import vstack
    from sklearn.naive_bayes import ComplementNB

    clf = ComplementNB(alpha=alpha)
    if prior_weight > 0 and xp.shape[0]:
        w = np.concatenate([np.ones(x.shape[0]), np.full(xp.shape[0], prior_weight)])
        clf.fit(vstack([x, xp]), np.concatenate([y, yp]), sample_weight=w)
    else:
        clf.fit(x, y)
    return clf


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--quick", action="store_true", help="1 repeat, smaller grid")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    import numpy as np
    from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

    rows = load("labelled_messages_dev.csv")
    taxonomy = load("taxonomy_3level.csv")
    texts = [(r["留言主题"], r["留言详情"]) for r in rows]
    y = np.array([r["一级分类"] for r in rows])
    all_priors = [(t["一级分类"], f"{t['二级分类']} {t['三级分类']}") for t in taxonomy]
    repeats = 1 if args.quick else args.repeats
    grid = GRID[:6] if args.quick else GRID
    outer = RepeatedStratifiedKFold(n_splits=args.folds, n_repeats=repeats, random_state=args.seed)

    print(
        f"data: {len(rows)} labelled messages, {len(set(y))} classes; taxonomy {len(taxonomy)} rows"
    )
    print(
        f"protocol: nested CV, outer {repeats}x{args.folds}-fold, inner 3-fold over {len(grid)} configs"
    )
    top1: list[float] = []
    top3: list[float] = []
    chosen: dict[str, int] = {}
    started = time.perf_counter()
    for fold, (tr, te) in enumerate(outer.split(texts, y)):
        train_texts = [texts[i] for i in tr]
        known = set(y[tr])
        priors = [(lab, t) for lab, t in all_priors if lab in known]
        best = None
        for weights in sorted({tuple(c["weights"]) for c in grid}):
            vec = FieldVectorizer(FeatureConfig(field_weights=weights), 2)
            vec.fit(train_texts + [t for _, t in priors])
            x = vec.transform(train_texts)
            xp = vec.transform([t for _, t in priors])
            yp = np.array([lab for lab, _ in priors])
            inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=fold)
            for cfg in (c for c in grid if tuple(c["weights"]) == weights):
                accs = []
                for itr, iva in inner.split(x, y[tr]):
                    clf = fit_fast(x[itr], y[tr][itr], xp, yp, cfg["alpha"], cfg["prior_weight"])
                    accs.append(topk_hits(clf.predict_proba(x[iva]), clf.classes_, y[tr][iva], 1))
                score = statistics.mean(accs)
                if best is None or score > best[0]:
                    best = (score, cfg)
        assert best is not None
        cfg = best[1]
        key = f"alpha={cfg['alpha']} weights={cfg['weights']} prior_weight={cfg['prior_weight']}"
        chosen[key] = chosen.get(key, 0) + 1
        model = train_from_records(
            train_texts,
            list(y[tr]),
            priors=priors if cfg["prior_weight"] > 0 else [],
            config=TrainConfig(
                features=FeatureConfig(field_weights=tuple(cfg["weights"])),
                alpha=cfg["alpha"],
                prior_weight=cfg["prior_weight"] or 1.0,
            ),
        )
        probs = model.probabilities([texts[i] for i in te])
        classes = np.array(model.labels)
        top1.append(topk_hits(probs, classes, y[te], 1))
        top3.append(topk_hits(probs, classes, y[te], 3))
    took = time.perf_counter() - started
    print(
        f"NESTED CV  top-1 {statistics.mean(top1):.3f} ± {statistics.stdev(top1):.3f}   "
        f"top-3 {statistics.mean(top3):.3f} ± {statistics.stdev(top3):.3f}   "
        f"({len(top1)} outer folds, {took:.0f} s)"
    )
    print("configurations chosen by the inner CV:")
    for key, n in sorted(chosen.items(), key=lambda kv: -kv[1]):
        print(f"  {n:3d}x {key}")

    print("\nfixed candidates, plain repeated CV (information only, not a selection protocol):")
    unlabelled = (
        load("unlabelled_messages.csv") if (DATA / "unlabelled_messages.csv").exists() else []
    )
    utexts = [(r["留言主题"], r["留言详情"]) for r in unlabelled]
    candidates = [
        ("char1-3 CNB, no priors", dict(alpha=0.3, weights=(1.0, 1.0), prior_weight=0.0), None),
        (
            "char1-3 CNB + taxonomy priors",
            dict(alpha=0.3, weights=(1.0, 1.0), prior_weight=1.0),
            None,
        ),
        (
            "char1-3 CNB + priors + self-training on 4,300 unlabelled",
            dict(alpha=0.3, weights=(1.0, 1.0), prior_weight=1.0),
            "self",
        ),
        (
            "char1-3 CNB + priors, IDF fitted incl. unlabelled",
            dict(alpha=0.3, weights=(1.0, 1.0), prior_weight=1.0),
            "idf",
        ),
    ]
    for name, cfg, mode in candidates:
        a1, a3 = [], []
        for tr, te in outer.split(texts, y):
            known = set(y[tr])
            priors = [(lab, t) for lab, t in all_priors if lab in known]
            vec = FieldVectorizer(FeatureConfig(field_weights=cfg["weights"]), 2)
            fit_rows = [texts[i] for i in tr] + [t for _, t in priors]
            vec.fit(fit_rows + (utexts if mode == "idf" else []))
            x = vec.transform([texts[i] for i in tr])
            xp = vec.transform([t for _, t in priors])
            yp = np.array([lab for lab, _ in priors])
            clf = fit_fast(x, y[tr], xp, yp, cfg["alpha"], cfg["prior_weight"])
            if mode == "self" and utexts:
                from scipy.sparse import vstack

                xu = vec.transform(utexts)
                pu = clf.predict_proba(xu)
                keep = pu.max(axis=1) >= np.quantile(pu.max(axis=1), 0.5)
                pseudo = clf.classes_[pu[keep].argmax(axis=1)]
                clf = fit_fast(
                    vstack([x, xu[keep]]),
                    np.concatenate([y[tr], pseudo]),
                    xp,
                    yp,
                    cfg["alpha"],
                    cfg["prior_weight"],
                )
            p = clf.predict_proba(vec.transform([texts[i] for i in te]))
            a1.append(topk_hits(p, clf.classes_, y[te], 1))
            a3.append(topk_hits(p, clf.classes_, y[te], 3))
        print(
            f"  {name:58s} top-1 {statistics.mean(a1):.3f} ± {statistics.stdev(a1):.3f}  "
            f"top-3 {statistics.mean(a3):.3f} ± {statistics.stdev(a3):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
