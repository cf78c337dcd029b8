"""Knowledge-base search on real message → official reply pairs (TipDM 2020, problem C).

Every official reply (答复意见) becomes a document (id = 留言编号, no title); every message is
a query (留言主题 + 留言详情).  A hit is the message's own reply.

Split (fixed, no randomness, so no seed): messages with an even 留言编号 are the dev half,
the only one ranking choices and parameters were tuned on (``--tune`` searches only there);
the odd-id half is held out and only reported.

    .venv/bin/python benchmarks/eval_kb_pairs.py [--csv PATH] [--set NAME=VALUE ...] [--tune]

The old BM25F-only ranking is ``--set cosine_weight=0 --set bm25_weight=1``.

Some replies carry no content ("网友：您好！留言已收悉", "已转相关部门调查处理" …, some word
for word the same): no lexical ranking can find their message.  A pair counts as *answerable*
when its reply is not the exact text of another reply and shares with its message at least one
term (word or character bigram, after the query's greetings are removed) that at most 1% of
the replies contain; recall is reported on all pairs (the headline) and on that subset.  The
data lives in ../shared relative to the repository and is not shipped with the product.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, fields, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_app.services.kb import KnowledgeBase, RankingParams, import_csv  # noqa: E402
from agent_app.services.kb.tokenizer import Analyzer, strip_boilerplate  # noqa: E402

DEFAULT_CSV = REPO.parent / "shared" / "data" / "tipdm2020" / "message_reply_pairs_dev.csv"
RARE_SHARE = 0.01
CONTENT_CHARS = 60


@dataclass(frozen=True)
class Pair:
    id: str
    query: str
    reply: str

    @property
    def content(self) -> bool:
        """The reply has content: at least CONTENT_CHARS characters (the issue's subset)."""
        return len(self.reply) >= CONTENT_CHARS

    @property
    def dev(self) -> bool:
        return int(self.id) % 2 == 0


def load_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Pair(
            row["留言编号"].strip(),
            f"{row['留言主题']} {row['留言详情']}",
            " ".join(row["答复意见"].split()),
        )
        for row in rows
        if row["答复意见"].strip()
    ]


def answerable(pairs: list[Pair]) -> set[str]:
    """Ids of the pairs whose reply a lexical search can tell apart (see the module doc)."""
    analyzer = Analyzer()
    reply_terms = {p.id: set(analyzer.terms(p.reply)) for p in pairs}
    df: Counter[str] = Counter()
    for terms in reply_terms.values():
        df.update(terms)
    limit = max(1.0, RARE_SHARE * len(pairs))
    texts = Counter(p.reply for p in pairs)
    out = set()
    for p in pairs:
        if texts[p.reply] > 1:
            continue
        shared = reply_terms[p.id] & set(analyzer.terms(strip_boilerplate(p.query)))
        if any(df[t] <= limit for t in shared):
            out.add(p.id)
    return out


def evaluate(
    kb: KnowledgeBase, pairs: list[Pair], ok: set[str], k: int = 5
) -> dict[str, dict[str, float]]:
    ranks: dict[str, int | None] = {}
    latencies = []
    for p in pairs:
        t0 = time.perf_counter()
        ids = kb.search_ids(p.query, k=k)
        latencies.append((time.perf_counter() - t0) * 1000)
        ranks[p.id] = ids.index(p.id) if p.id in ids else None
    groups = {
        "dev (even id), all": [p.id for p in pairs if p.dev],
        "dev, answerable": [p.id for p in pairs if p.dev and p.id in ok],
        "held-out (odd id), all": [p.id for p in pairs if not p.dev],
        "held-out, answerable": [p.id for p in pairs if not p.dev and p.id in ok],
        "dev, reply >= 60 chars": [p.id for p in pairs if p.dev and p.content],
        "held-out, reply >= 60 chars": [p.id for p in pairs if not p.dev and p.content],
        "all pairs": [p.id for p in pairs],
        "all, answerable": [p.id for p in pairs if p.id in ok],
    }
    out: dict[str, dict[str, float]] = {}
    for name, ids in groups.items():
        r = [ranks[i] for i in ids]
        if not r:
            continue
        out[name] = {
            "n": len(r),
            "recall@1": sum(x == 0 for x in r) / len(r),
            "recall@5": sum(x is not None and x < 5 for x in r) / len(r),
        }
    latencies.sort()
    out["latency_ms"] = {
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "max": latencies[-1],
    }
    return out


def parse_sets(items: list[str]) -> dict[str, float]:
    names = {f.name for f in fields(RankingParams)}
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        if key not in names:
            raise SystemExit(f"unknown parameter {key!r}; known: {', '.join(sorted(names))}")
        out[key] = float(value)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--tune", action="store_true", help="grid search on the dev (even-id) half")
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"{args.csv} not found: the evaluation needs ../shared/data/tipdm2020; skipped.")
        return 2
    pairs = load_pairs(args.csv)
    ok = answerable(pairs)
    params = replace(RankingParams(), **parse_sets(args.set))
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = Path(tmp) / "kb"
        import_csv(args.csv, kb_dir, id_column="留言编号", body_column="答复意见")
        if args.tune:
            tune(kb_dir, [p for p in pairs if p.dev], ok, params)
            return 0
        kb = KnowledgeBase(kb_dir, kb_dir / ".index.sqlite3", params=params)
        t0 = time.perf_counter()
        info = kb.ensure_index()
        print(
            f"{info.documents} replies indexed in {time.perf_counter() - t0:.1f} s "
            f"({info.terms} terms)"
        )
        kb.warm_up()
        result = evaluate(kb, pairs, ok)
        kb.close()
    print(f"params: {params}")
    print(
        f"answerable: {len(ok)} of {len(pairs)} pairs; "
        f"{1 - len(ok) / len(pairs):.1%} have a contentless, duplicated or unrelated reply"
    )
    for name, r in result.items():
        if name == "latency_ms":
            print(
                f"latency per query: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                f"max {r['max']:.1f} ms"
            )
        else:
            print(
                f"{name:24s} n={r['n']:5.0f}  recall@1 {r['recall@1']:.3f}  "
                f"recall@5 {r['recall@5']:.3f}"
            )
    return 0


GRID: dict[str, list[float]] = {
    "bm25_weight": [0.0, 0.1, 0.25, 0.5],
    "bigram_weight": [0.5, 1.0, 2.0],
    "max_df_ratio": [0.2, 0.5],
}


def tune(kb_dir: Path, dev: list[Pair], ok: set[str], base: RankingParams) -> None:
    """Grid search on the dev pairs only; ranks by recall@1 + recall@5 over all dev pairs."""
    results = []
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values, strict=True))
        params = replace(base, **setting)
        path = kb_dir / f".tune-{abs(hash(values)) & 0xFFFF}.sqlite3"
        kb = KnowledgeBase(kb_dir, path, params=params)
        r = evaluate(kb, dev, ok)["dev (even id), all"]
        kb.close()
        path.unlink(missing_ok=True)
        results.append((r["recall@1"] + r["recall@5"], r["recall@1"], r["recall@5"], setting))
        print(f"{setting}: r@1 {r['recall@1']:.3f} r@5 {r['recall@5']:.3f}", flush=True)
    best = max(results, key=lambda x: x[:3])
    print(f"best on the dev half: {best[3]} r@1 {best[1]:.3f} r@5 {best[2]:.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
