"""The lead desk's lists on the seat's own copy (no centre, or the centre unreachable): how long
the review queue's first page, a filtered first page, the next page ("更多") and the 超时预警
lights take, and how much memory the desk's cache of the seat's tickets holds.

A throwaway seat is seeded with the demo week plus copies until ``--tickets`` tickets were
created today (as ``bench_memory.py`` seeds it; ``--root`` reuses a seat seeded before, so two
revisions can be timed on the same data).  The queue is the desk's
:class:`~agent_app.services.lead_desk.SeatReview` over its cache of the seat's tickets
(``SeatReview.of``), read on this thread (the desk reads it in a worker):

* ``cold``: the first page (no filter, newest first) with the cache empty: the seat's tickets
  read, then the page;
* ``first``: the first page again (the cache filled);
* ``filtered``: the first page of each filter the desk offers on the queue: a district, a unit,
  overdue, due within the amber hours (sorted by time limit), dissatisfied, re-handled;
* ``more``: the second page of the unfiltered queue;
* ``lights``: the 超时预警 counts (red, amber, green) as the desk's seat sources read them.

Each is timed ``--repeat`` times; the median and the worst are printed in ms.  ``cache_mb`` is
the Python memory (tracemalloc) of the cache once read: what the desk keeps of the seat's
tickets between reads.  ``--code DIR`` imports ``agent_app`` from ``DIR`` instead of this tree
(e.g. an earlier revision unpacked with ``git archive REV agent_app | tar -x -C DIR``), for a
before/after on the same seat.

    .venv/bin/python benchmarks/bench_lead_seat_lists.py [--tickets 30000] [--root DIR]
        [--repeat 5] [--code DIR] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = 100  # the desk's page of the review queue


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=30000)
    parser.add_argument("--root", type=Path, help="a seat seeded before (seeded when empty)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, help="import agent_app from this tree")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve() if args.code else ROOT))
    sys.path.insert(1, str(ROOT / "benchmarks"))

    from agent_app.domain import timeutil  # noqa: PLC0415
    from agent_app.domain.deadlines import DUE_SOON_HOURS  # noqa: PLC0415
    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.services import lead_desk as sources  # noqa: PLC0415
    from agent_app.services.review import OPEN_STATUSES, ReviewFilter  # noqa: PLC0415
    from agent_app.services.workstation import Workstation  # noqa: PLC0415

    root = args.root or Path(tempfile.mkdtemp(prefix="bench-lead-seat-"))
    if not os.environ.get("AGENT_APP_DB_KEY_FILE"):
        # the seat database is encrypted; without an OS keyring the key comes from a file,
        # kept beside the seat so that ``--root`` opens it again
        key_file = root.with_name(root.name + ".key")
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            key_file.chmod(0o600)
        os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
    if not root.exists() or not any(root.iterdir()):
        from bench_memory import seed  # noqa: PLC0415

        t0 = time.perf_counter()
        seed(root, args.tickets)
        print(f"seeded {args.tickets:,} tickets of today in {time.perf_counter() - t0:.0f} s")
    ws = Workstation(DataPaths(root).ensure(), seat="S01", operator_id="op001", demo=True)
    db = ws.db
    new = hasattr(sources, "seat_summaries")
    read = (lambda: sources.seat_summaries(db)) if new else (lambda: sources.seat_tickets(db))

    def lights() -> Any:
        now = timeutil.now()
        if new:
            return sources.seat_overdue_counts(db, now)
        return sources.overdue_counts(sources.seat_tickets(db, statuses=OPEN_STATUSES), now)

    everything = ReviewFilter()
    results: dict[str, Any] = {"code": "summaries" if new else "full tickets"}

    def cold() -> Any:
        return sources.SeatReview(sources.cached(read)).page(everything, limit=PAGE, after=None)

    times, first = timed(cold, args.repeat)
    results["cold"] = times
    review = sources.SeatReview(sources.cached(read, seconds=1e9))
    results["first"], first = timed(
        lambda: review.page(everything, limit=PAGE, after=None), args.repeat
    )
    results["total"] = first.total
    row = first.rows[0]
    filters = {
        "district": ReviewFilter(district=row.district),
        "unit": ReviewFilter(unit=row.unit),
        "overdue": ReviewFilter(status=OPEN_STATUSES, overdue=True),
        "due_soon": ReviewFilter(
            status=OPEN_STATUSES, sort="due", due_within_hours=float(DUE_SOON_HOURS)
        ),
        "dissatisfied": ReviewFilter(dissatisfied=True),
        "rehandled": ReviewFilter(rehandled=True),
    }
    for name, flt in filters.items():
        times, page = timed(lambda f=flt: review.page(f, limit=PAGE, after=None), args.repeat)
        results[f"filtered {name}"] = times
        results[f"rows {name}"] = page.total
    results["more"], _ = timed(
        lambda: review.page(everything, limit=PAGE, after=first.next), args.repeat
    )
    results["lights"], counts = timed(lights, args.repeat)
    results["counts"] = [counts.red, counts.amber, counts.green]
    gc.collect()
    tracemalloc.start()
    held = read()
    results["cache_mb"] = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    results["cached_tickets"] = len(held)
    del held
    ws.close()
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    print(f"agent_app: {args.code or ROOT} ({results['code']}); queue total {results['total']:,}")
    for key, value in results.items():
        if isinstance(value, list) and key != "counts":
            print(
                f"{key:>22}: median {statistics.median(value):8.1f} ms   worst {max(value):8.1f} ms"
            )
    rows = ", ".join(f"{k[5:]} {v:,}" for k, v in results.items() if k.startswith("rows "))
    print(f"{'rows':>22}: {rows}")
    print(f"{'lights':>22}: red/amber/green {results['counts']}")
    print(f"{'cache':>22}: {results['cache_mb']:.1f} MB for {results['cached_tickets']:,} tickets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
