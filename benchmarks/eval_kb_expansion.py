"""Knowledge-base search: query expansion with the 4,300 unlabelled messages, on the dev half only.

    .venv/bin/python benchmarks/eval_kb_expansion.py        # about 45 s

For each dev query (even 留言编号, reply ≥ 60 characters, as ``eval_kb_pairs.py``'s headline)
the unlabelled messages nearest to it (the product's own ranking over an index of them) stand
in for how other citizens word the same matter:

* ``concat``: the query plus the first 200 characters of the nearest message;
* ``rrf m w``: the shipped ranking fused (reciprocal rank, k = 60) with the rankings of the
  ``m`` nearest messages used as queries, at weight ``w`` (shared among them).

Nothing here touches the held-out half: a variant would be scored there only if it beat the
shipped ranking on dev.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from agent_app.services.kb import KnowledgeBase, import_csv  # noqa: E402
from benchmarks.eval_kb_pairs import DEFAULT_CSV, Pair, load_pairs  # noqa: E402

UNLABELLED = DEFAULT_CSV.parent / "unlabelled_messages.csv"
K = 50


def recall(pairs: list[Pair], ranked: dict[str, list[str]]) -> tuple[float, float]:
    r1 = sum(ranked[p.id][:1] == [p.id] for p in pairs) / len(pairs)
    r5 = sum(p.id in ranked[p.id][:5] for p in pairs) / len(pairs)
    return round(r1, 3), round(r5, 3)


def main() -> int:
    if not DEFAULT_CSV.is_file():
        print(f"{DEFAULT_CSV} not found: the evaluation needs ../shared/data/tipdm2020; skipped.")
        return 2
    pairs = [p for p in load_pairs(DEFAULT_CSV) if p.dev and p.content]
    with UNLABELLED.open(encoding="utf-8-sig", newline="") as fh:
        unl = {r["留言编号"]: f"{r['留言主题']} {r['留言详情']}" for r in csv.DictReader(fh)}
    with tempfile.TemporaryDirectory() as tmp:
        kr, ku = Path(tmp) / "replies", Path(tmp) / "unlabelled"
        import_csv(DEFAULT_CSV, kr, id_column="留言编号", body_column="答复意见")
        import_csv(
            UNLABELLED, ku, id_column="留言编号", body_column="留言详情", title_column="留言主题"
        )
        replies = KnowledgeBase(kr, kr / ".index.sqlite3")
        messages = KnowledgeBase(ku, ku / ".index.sqlite3")
        replies.ensure_index()
        messages.ensure_index()
        started = time.perf_counter()
        shipped: dict[str, list[str]] = {}
        concat: dict[str, list[str]] = {}
        neighbours: dict[str, list[list[str]]] = {}
        for p in pairs:
            shipped[p.id] = replies.search_ids(p.query, k=K)
            near = messages.search_ids(p.query, k=3)
            neighbours[p.id] = [replies.search_ids(unl[i][:400], k=K) for i in near]
            concat[p.id] = replies.search_ids(
                p.query + " " + (unl[near[0]][:200] if near else ""), k=K
            )
        replies.close()
        messages.close()
    print(f"dev, reply >= 60 chars: {len(pairs)} queries ({time.perf_counter() - started:.0f} s)")
    print(f"  shipped ranking          recall@1 / @5 {recall(pairs, shipped)}")
    print(f"  concat nearest message   recall@1 / @5 {recall(pairs, concat)}")
    for m in (1, 3):
        for w in (0.1, 0.2, 0.3, 0.5):
            fused: dict[str, list[str]] = {}
            for p in pairs:
                score: dict[str, float] = {}
                for r, d in enumerate(shipped[p.id]):
                    score[d] = score.get(d, 0.0) + 1 / (60 + r)
                for ranking in neighbours[p.id][:m]:
                    for r, d in enumerate(ranking):
                        score[d] = score.get(d, 0.0) + (w / m) / (60 + r)
                fused[p.id] = [d for d, _ in sorted(score.items(), key=lambda kv: -kv[1])]
            print(f"  rrf m={m} w={w:<4}          recall@1 / @5 {recall(pairs, fused)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
