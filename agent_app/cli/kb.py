"""``agent-app kb import-csv|search|index``: the knowledge base from the command line."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from agent_app.errors import UsageError
from agent_app.paths import data_paths, knowledge_base_dir

if TYPE_CHECKING:
    from agent_app.services.kb import KnowledgeBase

INDEX_NAME = ".index.sqlite3"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = sub.add_parser("kb", help="knowledge base: import answers, search, rebuild the index")
    kbsub = parser.add_subparsers(dest="kb_command", required=True, metavar="ACTION")

    p = kbsub.add_parser("import-csv", help="add a CSV of answers to a knowledge-base directory")
    p.add_argument("csv", metavar="CSV", type=Path, help="CSV file (UTF-8 or GB18030)")
    p.add_argument("--kb-dir", required=True, type=Path, help="knowledge-base directory")
    p.add_argument("--id-column", required=True, help="column with a unique id per answer")
    p.add_argument("--body-column", required=True, help="column with the answer text")
    p.add_argument("--title-column", help="column with a title (optional)")
    p.set_defaults(func=run_import)

    p = kbsub.add_parser("search", help="search the knowledge base")
    p.add_argument("query", metavar="QUERY", nargs="?", help="text to search for")
    p.add_argument("--batch", type=Path, metavar="FILE", help="one query per line")
    _common(p)
    p.add_argument("-k", type=_positive, default=5, help="number of results (default 5)")
    p.add_argument("--category", help="only articles of this category code (or below it)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_search)

    p = kbsub.add_parser("index", help="build the index now (it is also built on first search)")
    _common(p)
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=run_index)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kb-dir", type=Path, help="knowledge-base directory (default: the shipped one)"
    )
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory (for the index)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def open_kb(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base the arguments name; the index sits in --kb-dir or the data dir."""
    from agent_app.services.kb import KnowledgeBase  # keeps --help fast

    if args.kb_dir is not None:
        kb_dir = args.kb_dir
        if not kb_dir.is_dir():
            raise UsageError(
                f"The knowledge-base directory {kb_dir} does not exist; check --kb-dir."
            )
        return KnowledgeBase(kb_dir, kb_dir / INDEX_NAME)
    paths = data_paths(args.sub_data_dir or args.data_dir).ensure()
    return KnowledgeBase(knowledge_base_dir(), paths.kb_index)


def run_import(args: argparse.Namespace) -> int:
    from agent_app.services.kb import KnowledgeBase, import_csv

    target, count = import_csv(
        args.csv,
        args.kb_dir,
        id_column=args.id_column,
        body_column=args.body_column,
        title_column=args.title_column,
    )
    info = KnowledgeBase(args.kb_dir, args.kb_dir / INDEX_NAME).ensure_index()
    print(f"imported {count} answers into {target}; index holds {info.documents} documents")
    return 0


def run_index(args: argparse.Namespace) -> int:
    kb = open_kb(args)
    info = kb.ensure_index()
    if args.json:
        print(
            json.dumps(
                {
                    "documents": info.documents,
                    "terms": info.terms,
                    "rebuilt": info.rebuilt,
                    "build_seconds": round(info.build_seconds, 3),
                    "index": info.path,
                },
                ensure_ascii=False,
            )
        )
    else:
        state = f"rebuilt in {info.build_seconds:.1f} s" if info.rebuilt else "up to date"
        print(f"{info.path}: {info.documents} documents, {info.terms} terms, {state}")
    return 0


def run_search(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.batch is None):
        raise UsageError("Give either a QUERY or --batch FILE.")
    kb = open_kb(args)
    if args.batch is not None:
        return _run_batch(kb, args)
    t0 = time.perf_counter()
    hits = kb.search(args.query, k=args.k, category=args.category)
    elapsed = (time.perf_counter() - t0) * 1000
    if args.json:
        print(
            json.dumps(
                {
                    "ids": [h.article_id for h in hits],
                    "hits": [h.to_dict() for h in hits],
                    "ms": round(elapsed, 2),
                },
                ensure_ascii=False,
            )
        )
        return 0
    if not hits:
        print("no matching article")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. [{hit.article_id}] {_mark(hit.title, hit.title_spans)}  ({hit.score:.2f})")
        print(f"   {_mark(hit.snippet, hit.snippet_spans)}")
    return 0


def _run_batch(kb: KnowledgeBase, args: argparse.Namespace) -> int:
    try:
        lines = args.batch.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise UsageError(f"The batch file {args.batch} does not exist; check the path.") from None
    except UnicodeDecodeError:
        raise UsageError(f"The batch file {args.batch} is not UTF-8 text.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read the batch file {args.batch} ({exc.strerror}).") from None
    kb.ensure_index()
    for line in lines:
        ids = kb.search_ids(line, k=args.k, category=args.category) if line.strip() else []
        if args.json:
            print(json.dumps({"ids": ids}, ensure_ascii=False))
        else:
            print("\t".join(ids))
    return 0


def _mark(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(f"【{text[start:end]}】")
        last = end
    out.append(text[last:])
    return "".join(out)
