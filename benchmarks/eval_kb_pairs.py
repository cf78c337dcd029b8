"""Knowledge-base search on real message → official reply pairs (TipDM 2020, problem C).

Every official reply (答复意见) becomes a document (id = 留言编号, no title); every message is
a query (留言主题 + 留言详情).  A hit is the message's own reply.  Ranking parameters were tuned
on the pairs with an even id only (``--tune`` repeats that search); the odd-id half is held out.

    .venv/bin/python benchmarks/eval_kb_pairs.py [--csv PATH] [--set k1=1.2 ...] [--tune]

About 15% of the replies carry no content ("网友：您好！留言已收悉", "已转相关部门调查处理" …,
some identical): no ranking can find their message, so recall is also shown for replies of at
least 80 characters.  The data lives in ../shared relative to the repository and is not shipped with the product.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_app.services.kb import KnowledgeBase, RankingParams, import_csv  # noqa: E402

DEFAULT_CSV = REPO.parent / "shared" / "data" / "tipdm2020" / "message_reply_pairs_dev.csv"


_REPLIES: dict[str, str] = {}


def load_pairs(path: Path) -> list[tuple[str, str]]:
    """(id, query) pairs; also notes each reply's text to report on contentful replies."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    _REPLIES.update({r["留言编号"].strip(): " ".join(r["答复意见"].split()) for r in rows})
    return [
        (row["留言编号"].strip(), f"{row['留言主题']} {row['留言详情']}")
        for row in rows
        if row["答复意见"].strip()
    ]


def evaluate(
    kb: KnowledgeBase, pairs: list[tuple[str, str]], k: int = 5
) -> dict[str, dict[str, float]]:
    ranks: dict[str, int | None] = {}
    latencies = []
    for ident, query in pairs:
        t0 = time.perf_counter()
        ids = kb.search_ids(query, k=k)
        latencies.append((time.perf_counter() - t0) * 1000)
        ranks[ident] = ids.index(ident) if ident in ids else None
    out = {}
    contentful = {i for i, _ in pairs if len(_REPLIES.get(i, "")) >= 80} if _REPLIES else set()
    halves = {
        "all": list(ranks),
        "even (tuning)": [i for i in ranks if int(i) % 2 == 0],
        "odd (held out)": [i for i in ranks if int(i) % 2 == 1],
        "odd, reply>=80ch": [i for i in ranks if int(i) % 2 == 1 and i in contentful],
    }
    for name, ids in halves.items():
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
    parser.add_argument("--tune", action="store_true", help="grid-search on the even-id half")
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"{args.csv} not found: the evaluation needs ../shared/data/tipdm2020; skipped.")
        return 2
    pairs = load_pairs(args.csv)
    params = replace(RankingParams(), **parse_sets(args.set))
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = Path(tmp) / "kb"
        import_csv(args.csv, kb_dir, id_column="留言编号", body_column="答复意见")
        kb = KnowledgeBase(kb_dir, kb_dir / ".index.sqlite3", params=params)
        t0 = time.perf_counter()
        info = kb.ensure_index()
        print(
            f"{info.documents} replies indexed in {time.perf_counter() - t0:.1f} s "
            f"({info.terms} terms)"
        )
        kb.warm_up()
        if args.tune:
            tune(kb_dir, pairs, params)
            return 0
        result = evaluate(kb, pairs)
        kb.close()
    print(f"params: {params}")
    for name, r in result.items():
        if name == "latency_ms":
            print(
                f"latency per query: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms"
            )
        else:
            print(
                f"{name:15s} n={r['n']:5.0f}  recall@1 {r['recall@1']:.3f}  recall@5 {r['recall@5']:.3f}"
            )
    return 0


def tune(kb_dir: Path, pairs: list[tuple[str, str]], base: RankingParams) -> None:
    even = [p for p in pairs if int(p[0]) % 2 == 0]
    grid = {
        "k1": [0.8, 1.2, 2.0],
        "body_b": [0.5, 0.75, 0.9],
        "bigram_weight": [0.5, 1.0, 2.0],
        "k3": [0.5, 2.0, 100.0],
    }
    results = []
    for values in itertools.product(*grid.values()):
        params = replace(base, **dict(zip(grid, values, strict=True)))
        kb = KnowledgeBase(kb_dir, kb_dir / f".tune-{hash(values) & 0xFFFF}.sqlite3", params=params)
        r = evaluate(kb, even)["even (tuning)"]
        kb.close()
        results.append((r["recall@1"] + r["recall@5"], r["recall@1"], r["recall@5"], values))
        print(
            f"{dict(zip(grid, values, strict=True))}: r@1 {r['recall@1']:.3f} r@5 {r['recall@5']:.3f}",
            flush=True,
        )
    best = max(results)
    print(
        f"best on the even half: {dict(zip(grid, best[3], strict=True))} r@1 {best[1]:.3f} r@5 {best[2]:.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
