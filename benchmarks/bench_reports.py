"""三率, 四类排名 and hotspots over a city-scale centre.

Budgets (issue 17): over 1,000,000 tickets, rates for all units for a month <= 1 s, the
rankings <= 1 s, the hotspots <= 2 s.  The centre is filled by ``agent-app central seed``
(its own generator: every outcome, signing, objections and rulings, replies, callbacks,
re-handling; growing 每月一题 hotspots), then a lead login asks for the reports through the
same service functions the command line uses.  Each figure is the median of ``--runs`` calls,
each call a new connection (as a command is); the first report after the load folds all the
seeded tickets into the report facts (``central.report_refresh``, timed on its own) and every
later one only the tickets changed since.

Needs a PostgreSQL server (127.0.0.1:5432, trust auth) or the PostgreSQL 15 binaries.
Run: .venv/bin/python benchmarks/bench_reports.py [--tickets 1000000] [--months 12] [--seed 1]
     [--keep]    # keep the database (its name is printed) for another run with --db NAME
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.domain import timeutil  # noqa: E402
from agent_app.services import reports  # noqa: E402
from agent_app.services.reports.figures import BEIJING, add_months  # noqa: E402
from agent_app.storage.central.connect import parse_url  # noqa: E402
from tests.helpers.pg import CentralDb, server  # noqa: E402

BUDGETS = {"rates (all units, a month)": 1.0, "rankings (a month)": 1.0, "hotspots (a month)": 2.0}


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--touch", type=int, default=1000, help="changed tickets to fold")
    parser.add_argument("--touch-random", action="store_true", help="change random tickets")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--db", help="reuse a database kept by --keep (no new seed)")
    args = parser.parse_args()
    found = server()
    if found is None:
        print("no PostgreSQL server available; skipped")
        return 0
    central = CentralDb(found, name=args.db) if args.db else CentralDb(found).create()
    ok = True
    try:
        if not args.db:
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "agent_app", "central", "seed", "--url",
                 central.admin_url(), "--tickets", str(args.tickets), "--months",
                 str(args.months), "--seed", str(args.seed)],
                check=True,
            )  # fmt: skip
            print(f"seeded {args.tickets:,} tickets in {time.perf_counter() - t0:.0f} s")
        lead = f"{central.prefix}_u_bench_lead"
        if not central.scalar("SELECT count(*) FROM pg_roles WHERE rolname = %s", lead):
            lead = central.add_login("bench_lead", "lead")
        target = parse_url(central.url(lead), connect_timeout=30)
        with central.admin() as conn:
            t0 = time.perf_counter()
            folded = conn.execute("SELECT central.report_refresh()").fetchone()[0]
            fold = time.perf_counter() - t0
            tickets = conn.execute("SELECT count(*) FROM central.tickets").fetchone()[0]
            # As autovacuum leaves them after a bulk insert (visibility map set, statistics).
            t0 = time.perf_counter()
            conn.execute("VACUUM ANALYZE central.report_dispatches")
            conn.execute("VACUUM ANALYZE central.report_tickets")
            conn.execute("VACUUM ANALYZE central.report_cells")
            vacuum = time.perf_counter() - t0
        print(f"centre: {tickets:,} tickets; first fold into the report facts: {folded:,} "
              f"tickets in {fold:.1f} s (once, after a bulk load); vacuum analyse {vacuum:.1f} s")  # fmt: skip
        # The last full month of the history.
        month = add_months(timeutil.now().astimezone(BEIJING).date().replace(day=1), -1)
        last = add_months(month, 1) - timedelta(days=1)
        results = {}
        secs, rows = timed(lambda: reports.rates(target, month, last, "unit"), args.runs)
        results["rates (all units, a month)"] = (secs, f"{len(rows)} units")
        secs, tables = timed(lambda: reports.rankings(target, month), args.runs)
        results["rankings (a month)"] = (secs, f"{sum(len(t.rows) for t in tables)} rows")
        secs, hot = timed(lambda: reports.hotspots(target, month), args.runs)
        results["hotspots (a month)"] = (
            secs,
            f"{len(hot.hotspots)} hot cells, {len(hot.repeats)} repeats, "
            f"{len(hot.candidates)} candidates",
        )
        secs, rows = timed(lambda: reports.rates(target, month, last, "district"), args.runs)
        results["rates by district, a month"] = (secs, f"{len(rows)} districts")
        print(f"month {month:%Y-%m}, median of {args.runs} runs:")
        for name, (secs, what) in results.items():
            budget = BUDGETS.get(name)
            verdict = "" if budget is None else ("  OK" if secs <= budget else "  OVER BUDGET")
            limit = "" if budget is None else f" (budget {budget:.0f} s)"
            print(f"  {name:<28} {secs * 1000:8.0f} ms{limit}{verdict}   {what}")
            ok = ok and (budget is None or secs <= budget)
        # A busy centre between two reports: N tickets changed (a new version each, as a
        # sync or a unit's action gives them: the most recent tickets, or with --touch-random
        # any, whose events are then mostly read from disk), then one report folds them in.
        with central.admin() as conn:
            conn.execute(
                "UPDATE central.tickets SET version = nextval('central.ticket_version_seq') "
                "WHERE id IN (SELECT id FROM central.tickets ORDER BY "
                + ("random()" if args.touch_random else "created_at DESC")
                + " LIMIT %s)",
                (args.touch,),
            )
        secs, rows = timed(lambda: reports.rates(target, month, last, "unit"), 1)
        which = "random" if args.touch_random else "most recent"
        print(
            f"  rates after {args.touch:,} changed tickets ({which}; fold + report): "
            f"{secs * 1000:.0f} ms"
        )
        top = hot.candidates[:5]
        print("  每月一题 candidates: " + "; ".join(
            f"{c.category_name.rsplit('/', 1)[-1]} {c.tickets} ({c.growth * 100:+.0f}%)"
            for c in top))  # fmt: skip
    finally:
        if args.keep:
            print(f"kept database {central.name} (--db {central.name})")
        else:
            central.drop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
