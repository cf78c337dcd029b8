"""Category suggester on a held-out split: choices made on the dev half only, scored once.

    .venv/bin/python benchmarks/eval_suggest_heldout.py [--repeats 2] [--json]

Split (fixed, documented in docs/suggest.md): the 199 labelled TipDM messages with an even
留言编号 are the dev half (102), the odd ones the held-out half (97).  Every choice (prior
weight, smoothing, whether the unlabelled messages shape the features) is made by repeated
stratified 4-fold CV inside the dev half; the held-out half is then scored once, for the
configuration of the previous release and for the chosen one, each trained on the whole dev
half through the product's ``train_from_records``.  Held-out labels are read only for the
final scoring.

Data: ``labelled_messages_dev.csv`` (subject, details; first-level class),
``taxonomy_3level.csv`` (2nd + 3rd level names as pseudo-documents under their 1st-level
class: ``--prior-csv``), ``unlabelled_messages.csv`` (4,300 messages: ``--unlabelled-csv``;
they shape the vocabulary/IDF only, none of them is in the labelled files).  Reads
../shared/data/tipdm2020 (evaluation data; never shipped).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.naive_bayes import ComplementNB

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "tipdm2020"

from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer  # noqa: E402
from agent_app.services.suggest.model import TrainConfig, train_from_records  # noqa: E402

PRIOR_WEIGHTS = (0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 25.0)
ALPHAS = (0.1, 0.3, 1.0)


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def split() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rows = load("labelled_messages_dev.csv")
    dev = [r for r in rows if int(r["留言编号"]) % 2 == 0]
    held = [r for r in rows if int(r["留言编号"]) % 2 == 1]
    return dev, held


def fields(r: dict[str, str]) -> tuple[str, str]:
    return (r["留言主题"], r["留言详情"])


def priors() -> list[tuple[str, str]]:
    return [
        (r["一级分类"], r["二级分类"] + " " + r["三级分类"]) for r in load("taxonomy_3level.csv")
    ]


def topk(ranked: list[list[str]], gold: list[str], k: int) -> float:
    return sum(g in r[:k] for r, g in zip(ranked, gold, strict=True)) / max(1, len(gold))


def cv_grid(
    dev: list[dict[str, str]], unl: list[tuple[str, str]], repeats: int
) -> list[dict[str, Any]]:
    """Mean top-1 / top-3 of every configuration over repeated 4-fold CV inside ``dev``."""
    texts = [fields(r) for r in dev]
    y = np.array([r["一级分类"] for r in dev])
    pri = priors()
    results: dict[tuple[float, float, bool], list[tuple[float, float]]] = {}
    folds = RepeatedStratifiedKFold(n_splits=4, n_repeats=repeats, random_state=7)
    for tr, te in folds.split(texts, y):
        known = set(y[tr])
        pr = [(lab, t) for lab, t in pri if lab in known]
        rows = [texts[i] for i in tr] + [t for _, t in pr]
        ytr = np.concatenate([y[tr], [lab for lab, _ in pr]])
        for use_unl in (False, True):
            vec = FieldVectorizer(FeatureConfig(), 2).fit(rows + (unl if use_unl else []))
            x = vec.transform(rows)
            xt = vec.transform([texts[i] for i in te])
            for pw in PRIOR_WEIGHTS:
                w = np.concatenate([np.ones(len(tr)), np.full(len(pr), pw)])
                for a in ALPHAS:
                    clf = ComplementNB(alpha=a).fit(x, ytr, sample_weight=w)
                    order = np.argsort(-clf.predict_proba(xt), axis=1)[:, :3]
                    ranked = [list(clf.classes_[o]) for o in order]
                    gold = list(y[te])
                    results.setdefault((pw, a, use_unl), []).append(
                        (topk(ranked, gold, 1), topk(ranked, gold, 3))
                    )
    out = []
    for (pw, a, use_unl), scores in results.items():
        out.append(
            {
                "prior_weight": pw,
                "alpha": a,
                "unlabelled": use_unl,
                "top1": float(np.mean([s[0] for s in scores])),
                "top3": float(np.mean([s[1] for s in scores])),
            }
        )
    out.sort(key=lambda d: (-(d["top1"] + d["top3"]), d["prior_weight"]))
    return out


def score(
    dev: list[dict[str, str]],
    held: list[dict[str, str]],
    config: TrainConfig,
    with_priors: bool,
    unl: list[tuple[str, str]],
) -> dict[str, float]:
    model = train_from_records(
        [fields(r) for r in dev],
        [r["一级分类"] for r in dev],
        priors=priors() if with_priors else (),
        config=config,
        priors_known_labels_only=True,
        unlabelled=unl,
    )
    ranked = [[lab for lab, _ in rk] for rk in model.predict([fields(r) for r in held], top=3)]
    gold = [r["一级分类"] for r in held]
    return {"top1": round(topk(ranked, gold, 1), 3), "top3": round(topk(ranked, gold, 3), 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2, help="repeats of the 4-fold CV in dev")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()
    dev, held = split()
    unl = [fields(r) for r in load("unlabelled_messages.csv")]
    grid = cv_grid(dev, unl, args.repeats)
    best = grid[0]
    print(
        f"dev half {len(dev)}, held-out half {len(held)}; CV grid (dev only), best 5 of {len(grid)}:"
    )
    for g in grid[:5]:
        print(
            f"  prior_weight {g['prior_weight']:g} alpha {g['alpha']:g} unlabelled "
            f"{g['unlabelled']}: top-1 {g['top1']:.3f} top-3 {g['top3']:.3f}"
        )
    chosen = TrainConfig(alpha=best["alpha"], prior_weight=best["prior_weight"])
    rows = {
        "before: README command (no priors, alpha 0.3)": score(dev, held, TrainConfig(), False, []),
        "before: + taxonomy priors (weight 1)": score(dev, held, TrainConfig(), True, []),
        f"after: priors weight {best['prior_weight']:g}, alpha {best['alpha']:g}, "
        f"unlabelled {best['unlabelled']}": score(
            dev, held, chosen, best["prior_weight"] > 0, unl if best["unlabelled"] else []
        ),
    }
    print("held-out half, scored once (trained on the dev half):")
    for name, fig in rows.items():
        print(f"  {name}: top-1 {fig['top1']:.3f} top-3 {fig['top3']:.3f}")
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        print(json.dumps({"chosen": best, "heldout": rows}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
