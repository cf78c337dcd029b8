"""Drain 2,000 offline tickets from a seat to a fresh central database; how long a local save
takes while the centre is unreachable.

Budgets (docs DESIGN.md): 2,000 offline tickets drained in <= 10 s on 2 cores; a local save
while offline as fast as online (well under 200 ms).
Needs a PostgreSQL server (127.0.0.1:5432, trust auth) or the PostgreSQL 15 binaries.
Run: .venv/bin/python benchmarks/bench_sync.py [--tickets N] [--batch B]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.paths import DataPaths  # noqa: E402
from agent_app.services.seeding import seed_demo  # noqa: E402
from agent_app.services.sync.engine import SyncEngine  # noqa: E402
from agent_app.storage.central.connect import parse_url  # noqa: E402
from agent_app.storage.seat import open_database  # noqa: E402
from tests.helpers.pg import CentralDb, add_tickets, server  # noqa: E402

OFFLINE_SAVES = 20


def offline_save_s(db: object, central_name: str, login: str) -> float:
    """The slowest of ``OFFLINE_SAVES`` local saves after a sync found the centre down."""
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    down = parse_url(f"postgresql://{login}@127.0.0.1:{port}/{central_name}", connect_timeout=1)
    report = SyncEngine(db, down, seat="BENCH", password_lookup=None).sync_once()
    assert not report.online
    worst = 0.0
    for _ in range(OFFLINE_SAVES):
        t0 = time.perf_counter()
        add_tickets(db, "BENCH", 1, operator=login)
        worst = max(worst, time.perf_counter() - t0)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=300)
    args = parser.parse_args()
    found = server()
    if found is None:
        print("no PostgreSQL server available; skipped")
        return 0
    central = CentralDb(found).create()
    try:
        login = central.add_login("bench", "operator")
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(DataPaths(Path(tmp)))
            t0 = time.perf_counter()
            seed_demo(db, extra_tickets=args.tickets, seat="BENCH", operator=login)
            seed_s = time.perf_counter() - t0
            engine = SyncEngine(
                db, central.target(login), seat="BENCH", batch_size=args.batch, password_lookup=None
            )
            t0 = time.perf_counter()
            report = engine.sync_once()
            drain = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = engine.sync_once()
            idle = time.perf_counter() - t0
            offline = offline_save_s(db, central.name, login)
            db.dispose()
        count = central.scalar("SELECT count(*) FROM central.tickets")
    finally:
        central.drop()
    assert report.ok, report.error
    print(f"seeded {args.tickets} offline tickets in {seed_s:.2f} s (not counted)")
    print(
        f"drain: {report.pushed} ops in {report.batches} batches of <= {args.batch}: {drain:.2f} s, "
        f"{report.pushed / drain:.0f} tickets/s; centre has {count}"
    )
    print(f"idle cycle (nothing to push, pull check): {idle * 1000:.0f} ms, queue {again.queue}")
    print(f"budget 10 s: {'OK' if drain <= 10 else 'OVER'}")
    print(
        f"local save with the centre down: slowest of {OFFLINE_SAVES} {offline * 1000:.0f} ms "
        f"(budget 200 ms: {'OK' if offline <= 0.2 else 'OVER'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
