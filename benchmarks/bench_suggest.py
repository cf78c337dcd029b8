"""Speed of the category suggester: per-ticket prediction latency and training on 100,000 tickets.

    .venv/bin/python benchmarks/bench_suggest.py [--tickets 100000] [--leaves]

Tickets are synthesised from the taxonomy in ../shared/data/tipdm2020 when present (else from a
built-in word list): each ticket strings together category names, place words and filler so it
is about as long as a real message (about 200 characters).  Budget: ≤ 20 ms per ticket.
With ``--leaves`` the labels are the shipped catalogue's leaf codes (words from their names and
keywords) and training is what a seat's retraining does: all catalogue pseudo-documents added,
features capped at :data:`~agent_app.services.suggest.retrain.MAX_FEATURES`.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TAXONOMY = ROOT.parent / "shared" / "data" / "tipdm2020" / "taxonomy_3level.csv"

from agent_app.services.suggest.coldstart import ColdStartSuggester  # noqa: E402
from agent_app.services.suggest.features import FeatureConfig  # noqa: E402
from agent_app.services.suggest.model import (  # noqa: E402
    CategorySuggester,
    TrainConfig,
    train_from_records,
)
from agent_app.services.suggest.related import TicketRecord, find_related  # noqa: E402
from agent_app.services.suggest.request_type import RequestTypeSuggester  # noqa: E402
from agent_app.services.suggest.retrain import (  # noqa: E402
    HOLD_BACK_EVERY,
    MAX_FEATURES,
    catalogue_records,
    held_back_calibration,
    ticket_text,
)

PLACES = "朝阳区 海淀区 丰台区 望京 学院路 方庄 回龙观 天通苑 小区 路口 地铁站 楼下 门口".split()
FILLER = "您好 我想 反映 一下 这个 问题 已经 很久 了 希望 尽快 处理 谢谢 居民 物业 没人 管".split()


def categories() -> list[tuple[str, list[str]]]:
    if TAXONOMY.exists():
        with TAXONOMY.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        out: dict[str, list[str]] = {}
        for r in rows:
            out.setdefault(r["一级分类"], []).extend([r["二级分类"], r["三级分类"]])
        return list(out.items())
    return [("城乡建设", ["供暖", "物业", "违建"]), ("交通运输", ["公交", "出租车", "道路"])]


def synth(n: int, seed: int = 7) -> tuple[list[tuple[str, str]], list[str]]:
    rng = random.Random(seed)
    cats = categories()
    texts, labels = [], []
    for _ in range(n):
        label, words = rng.choice(cats)
        subject = rng.choice(PLACES) + rng.choice(words) + rng.choice(FILLER)
        body = "".join(
            rng.choice(words) if rng.random() < 0.3 else rng.choice(PLACES + FILLER)
            for _ in range(60)
        )
        texts.append((subject, body))
        labels.append(label)
    return texts, labels


def synth_leaves(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """Tickets over the catalogue's leaf categories, in the form's text layout."""
    rng = random.Random(seed)
    records = catalogue_records()
    texts, labels = [], []
    for _ in range(n):
        rec = rng.choice(records)
        words = list(rec.path) + list(rec.keywords)
        body = "".join(
            rng.choice(words) if rng.random() < 0.3 else rng.choice(PLACES + FILLER)
            for _ in range(60)
        )
        texts.append(ticket_text(body, ""))
        labels.append(rec.code)
    return texts, labels


def leaves(n: int, queries: int) -> int:
    import resource  # noqa: PLC0415 - Unix only, for --leaves

    texts, labels = synth_leaves(n)
    priors = ColdStartSuggester(catalogue_records()).priors()
    config = TrainConfig(features=FeatureConfig(max_features=MAX_FEATURES))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        model = train_from_records(texts, labels, tmp, priors=priors, config=config)
        took = time.perf_counter() - started
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        print(
            f"training on {n} tickets over {len(model.labels)} leaf categories "
            f"(+{len(priors)} priors, {model.meta['n_features']} features): {took:.1f} s, "
            f"model {size / 1e6:.0f} MB, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
        )
        started = time.perf_counter()
        calibration = held_back_calibration(texts, labels, priors, config)
        cal = calibration["scorers"]["model"]
        print(
            f"chip calibration at retraining (1 in {HOLD_BACK_EVERY} held back, one more "
            f"training): {time.perf_counter() - started:.1f} s more; one chip at p1 >= "
            f"{cal['single_at']}, none below {cal['none_below']} (synthetic texts: the "
            "precisions say nothing)"
        )
        model = CategorySuggester.load(tmp)
        qs, _ = synth_leaves(queries, seed=99)
        model.predict_one(qs[0])
        times = []
        for q in qs:
            t = time.perf_counter()
            model.predict_one(q, top=3)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(
            f"leaf category, one ticket: p50 {times[len(times) // 2]:.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
        )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--leaves", action="store_true", help="catalogue leaf labels, as retraining")
    args = ap.parse_args()
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    if args.leaves:
        return leaves(args.tickets, args.queries)
    texts, labels = synth(args.tickets)
    print(
        f"synthesised {len(texts)} tickets, mean {statistics.mean(len(a) + len(b) for a, b in texts[:1000]):.0f} chars"
    )
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        train_from_records(texts, labels, tmp)
        print(f"training on {len(texts)} tickets: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        model = CategorySuggester.load(tmp)
        print(f"loading the model: {(time.perf_counter() - started) * 1000:.0f} ms")
        model.predict([texts[0]])  # warm-up
        queries, _ = synth(args.queries, seed=99)
        times = []
        for q in queries:
            t = time.perf_counter()
            model.predict([q], top=3)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(
            f"category, one ticket: p50 {times[len(times) // 2]:.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
        )
    rt = RequestTypeSuggester()
    times = []
    for subject, _ in queries:
        t = time.perf_counter()
        rt.suggest(subject)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"request type, one ticket: p50 {times[len(times) // 2]:.3f} ms, p95 {times[int(len(times) * 0.95)]:.3f} ms"
    )

    now = datetime(2024, 6, 1, 12, 0)
    pool = [
        TicketRecord(
            str(i), a + b, now - timedelta(hours=i % 700), f"c{i % 500}", labels[i % len(labels)]
        )
        for i, (a, b) in enumerate(texts[:1000])
    ]
    times = []
    for i, (a, b) in enumerate(queries[:100]):
        t = time.perf_counter()
        find_related(TicketRecord(f"q{i}", a + b, now, "c1", labels[0]), pool)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"related tickets against 1,000 synthetic tickets (shared filler words): "
        f"p50 {times[50]:.1f} ms, p95 {times[95]:.1f} ms"
    )
    messages = TAXONOMY.parent / "unlabelled_messages.csv"
    if messages.exists():
        with messages.open(encoding="utf-8") as fh:
            real = [(r["留言主题"] + r["留言详情"])[:300] for r in csv.DictReader(fh)][:1100]
        pool = [
            TicketRecord(str(i), t, now - timedelta(hours=i % 700), f"c{i % 500}", labels[0])
            for i, t in enumerate(real[:1000])
        ]
        times = []
        for i, text in enumerate(real[1000:1100]):
            t = time.perf_counter()
            find_related(TicketRecord(f"q{i}", text, now, "c1", labels[0]), pool)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(
            f"related tickets against 1,000 real citizen messages: "
            f"p50 {times[50]:.1f} ms, p95 {times[95]:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
