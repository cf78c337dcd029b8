"""Precision and recall of the duplicate detector on the hand-written pair sets.

    .venv/bin/python benchmarks/eval_duplicates.py [--refresh-places]

Each row of ``tests/data/duplicates_{dev,test}.csv`` is a pair of tickets: their texts, the
category an operator would file each under, an opaque caller key, the district and township,
and how many days apart they came in; ``is_duplicate`` says whether the second retells the
first (merge / link) or not (same place with another problem, the same problem at another
place, the same caller with another problem, or the same problem told again after the time
window: a repeat complaint, not a merge).  How the sets were built is in ``docs/suggest.md``;
the place columns are the offline gazetteer's reading of each text (``--refresh-places``
recomputes them; blank = the text does not determine it).

Protocol: everything (text threshold, signal weights) is chosen on the dev set by F1; the test
set (other scenarios) is only scored, never used to choose (``--show-errors`` lists dev errors
only).  The shipped constants of ``related.py`` must be the dev choice: the script says so and
exits 1 when they are not (``tests/unit/test_duplicates.py`` checks the same).  Each pair goes through the product path,
:func:`agent_app.services.suggest.related.find_related` with the first ticket as the new one.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"

from agent_app.services.geo.gazetteer import Gazetteer  # noqa: E402
from agent_app.services.suggest import related  # noqa: E402
from agent_app.services.suggest.related import DuplicateWeights, TicketRecord  # noqa: E402

NOW = datetime(2024, 6, 1, 10, 0)
Pair = tuple[TicketRecord, TicketRecord, bool, str]


def load(name: str) -> list[Pair]:
    """Pairs as ``(new ticket, earlier ticket, is duplicate, note)``."""
    with (DATA / f"duplicates_{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pairs = []
    for r in rows:
        a = TicketRecord(
            f"{r['pair_id']}a",
            r["text_a"],
            NOW,
            caller_key=r["caller_a"] or None,
            category=r["category_a"] or None,
            district=r["district_a"] or None,
            township=r["township_a"] or None,
        )
        b = TicketRecord(
            f"{r['pair_id']}b",
            r["text_b"],
            NOW - timedelta(days=int(r["days_apart"] or 0)),
            caller_key=r["caller_b"] or None,
            category=r["category_b"] or None,
            district=r["district_b"] or None,
            township=r["township_b"] or None,
        )
        pairs.append((a, b, r["is_duplicate"] == "1", r["note"]))
    return pairs


def text_only(t: TicketRecord) -> TicketRecord:
    return TicketRecord(t.ticket_id, t.text, t.created_at)


def refresh_places() -> None:
    """Recompute the district / township columns with the offline gazetteer."""
    gazetteer = Gazetteer(ROOT / "knowledge_base" / "gazetteer")
    for name in ("dev", "test"):
        path = DATA / f"duplicates_{name}.csv"
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        for r in rows:
            for side in ("a", "b"):
                place = gazetteer.resolve(r[f"text_{side}"])
                r[f"district_{side}"] = place.district or ""
                r[f"township_{side}"] = place.township or ""
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fields)
            writer.writeheader()
            writer.writerows(rows)
        print(f"refreshed the place columns of {path}")


def prf(flags: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(f and t for f, t in zip(flags, truth, strict=True))
    fp = sum(f and not t for f, t in zip(flags, truth, strict=True))
    fn = sum(t and not f for f, t in zip(flags, truth, strict=True))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def detect(
    pairs: list[Pair], threshold: float, weights: DuplicateWeights, *, use_fields: bool = True
) -> list[bool]:
    """Flag each pair through ``find_related`` (the product path, time window included)."""
    flags = []
    for a, b, _, _ in pairs:
        if not use_fields:
            a, b = text_only(a), text_only(b)
        found = related.find_related(
            a, [b], duplicate_threshold=threshold, weights=weights, similar_threshold=0.0
        )
        flags.append(bool(found) and found[0].is_duplicate)
    return flags


def choose(
    pairs: list[Pair],
    grid: list[DuplicateWeights],
    *,
    use_fields: bool,
    similarity: Callable[[str, str], float] = related.problem_similarity,
) -> tuple[float, float, DuplicateWeights]:
    """Best dev F1 over the grid and thresholds; ties go to the smaller total weight and the
    middle of the tied threshold range (fewer degrees of freedom, more margin)."""
    truth = [p[2] for p in pairs]
    sims = [similarity(a.text, b.text) for a, b, _, _ in pairs]
    in_window = [
        abs(a.created_at - b.created_at) <= timedelta(days=related.DEFAULT_DAYS)
        for a, b, _, _ in pairs
    ]
    # each signal's sign per pair, once (+1 same, -1 other, 0 unknown); a weight vector then
    # scores every pair in one product
    signs = []
    for (a, b, _, _), s in zip(pairs, sims, strict=True):
        cat = related.same_category(a, b)
        place = related.same_place(a, b)
        spot = related.same_spot(a, b) if s > 0.0 else None
        caller = bool(a.caller_key) and a.caller_key == b.caller_key
        signs.append(
            (
                cat is True,
                cat is False,
                place is True,
                place is False,
                caller,
                spot is True,
                spot is False,
            )
        )
    sign = np.array(signs, dtype=float) * np.array([1, -1, 1, -1, 1, 1, -1], dtype=float)
    base = np.array(sims)
    ok = np.array(in_window)
    want = np.array(truth)
    thresholds = np.arange(10, 100) / 100
    best: tuple[float, float, float, DuplicateWeights] | None = None
    for w in grid:
        vector = np.array(list(w.to_json().values()), dtype=float)
        scores = base + sign @ vector if use_fields else base
        flags = (scores[None, :] >= thresholds[:, None] - 1e-9) & ok[None, :]
        tp = (flags & want).sum(axis=1)
        fp = (flags & ~want).sum(axis=1)
        fn = (~flags & want).sum(axis=1)
        p = np.where(tp + fp > 0, tp / np.maximum(1, tp + fp), 1.0)
        r = np.where(tp + fn > 0, tp / np.maximum(1, tp + fn), 1.0)
        f1 = np.where(p + r > 0, 2 * p * r / np.maximum(1e-12, p + r), 0.0)
        f1 = np.round(f1, 12)
        top = float(f1.max())
        tied = [float(t) for t, f in zip(thresholds, f1, strict=True) if f == top]
        th = round(tied[len(tied) // 2], 2)
        size = sum(w.to_json().values())
        if best is None or (top, -size) > (best[0], -best[2]):
            best = (top, th, size, w)
    assert best is not None
    return best[0], best[1], best[3]


GRID_VALUES = (0.0, 0.1, 0.2, 0.3)
"""Each weight is tried at these values (the caller weight at 0 and 0.1)."""


def weight_grid() -> list[DuplicateWeights]:
    """Every combination; the spot weights (the compound / building / road named below the
    township, :func:`related.same_spot`) were added in the second round."""
    return [
        DuplicateWeights(sc, oc, sp, op, cl, ss, os_)
        for sc, oc, sp, op, cl, ss, os_ in itertools.product(
            GRID_VALUES, GRID_VALUES, GRID_VALUES, GRID_VALUES, (0.0, 0.1), GRID_VALUES, GRID_VALUES
        )
    ]


def dev_choice(dev: list[Pair] | None = None) -> tuple[float, DuplicateWeights]:
    """The threshold and weights chosen on the development pairs alone (what ships)."""
    _, th, w = choose(load("dev") if dev is None else dev, weight_grid(), use_fields=True)
    return th, w


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--refresh-places", action="store_true")
    ap.add_argument("--show-errors", action="store_true", help="list the dev pairs it gets wrong")
    args = ap.parse_args()
    if args.refresh_places:
        refresh_places()
    dev, test = load("dev"), load("test")
    for name, pairs in (("dev", dev), ("test", test)):
        print(f"{name}: {len(pairs)} pairs, {sum(p[2] for p in pairs)} duplicates")
    dev_t, test_t = [p[2] for p in dev], [p[2] for p in test]
    zero = DuplicateWeights()

    _, th, _ = choose(dev, [zero], use_fields=False, similarity=related.text_similarity)
    print(f"whole-text similarity only (the earlier detector), dev-chosen threshold {th:.2f}")
    for name, pairs in (("dev", dev), ("test", test)):
        flags = [
            related.text_similarity(a.text, b.text) >= th
            and abs(a.created_at - b.created_at) <= timedelta(days=related.DEFAULT_DAYS)
            for a, b, _, _ in pairs
        ]
        p, r, f = prf(flags, [q[2] for q in pairs])
        print(f"    {name:4s} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    rows: list[tuple[str, float, DuplicateWeights, bool]] = []
    _, th, _ = choose(dev, [zero], use_fields=False)
    rows.append(("problem text only (place names left out), dev-chosen", th, zero, False))
    th, w = dev_choice(dev)
    rows.append(("problem text + category/place/caller, dev-chosen", th, w, True))
    shipped = (related.DUPLICATE_THRESHOLD, related.DUPLICATE_WEIGHTS)
    rows.append(("shipped (related.py constants)", *shipped, True))
    for label, th_, w_, use in rows:
        dp, dr, df = prf(detect(dev, th_, w_, use_fields=use), dev_t)
        tp_, tr, tf = prf(detect(test, th_, w_, use_fields=use), test_t)
        print(f"{label}: threshold {th_:.2f} weights {w_.to_json() if use else '-'}")
        print(
            f"    dev  P {dp:.3f} R {dr:.3f} F1 {df:.3f}   test P {tp_:.3f} R {tr:.3f} F1 {tf:.3f}"
        )
    same = abs(shipped[0] - th) < 1e-9 and shipped[1] == w
    print(f"shipped constants are the dev choice: {'yes' if same else 'NO'}")

    if args.show_errors:
        flags = detect(dev, related.DUPLICATE_THRESHOLD, related.DUPLICATE_WEIGHTS)
        for (a, b, t, note), f in zip(dev, flags, strict=True):
            if f != t:
                s = related.problem_similarity(a.text, b.text)
                score = related.duplicate_score(a, b, s)
                print(f"  dev miss: truth={int(t)} sim={s:.2f} score={score:.2f} {note}")

    pool = [b for _, b, _, _ in test] * 20
    pool = [
        TicketRecord(f"p{i}", t.text, NOW - timedelta(hours=i), t.caller_key, t.category)
        for i, t in enumerate(pool)
    ]
    timer: Callable[[], float] = time.perf_counter
    started = timer()
    related.find_related(test[0][0], pool)
    print(
        f"find_related, one ticket against {len(pool)} candidates: {(timer() - started) * 1000:.1f} ms"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
