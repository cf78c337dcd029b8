"""The access audit's costs: storing a row before a number is shown, verifying a seat's chain,
sending the rows to the centre (which recomputes every hash) and verifying it there.

Budgets: a row stored well under the 100 ms a click may take before the number shows; a sync
with nothing new costs no more than before.
Needs a PostgreSQL server (127.0.0.1:5432, trust auth) or the PostgreSQL 15 binaries.
Run: .venv/bin/python benchmarks/bench_audit.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_app.paths import DataPaths  # noqa: E402
from agent_app.services import audit  # noqa: E402
from agent_app.services.sync.engine import SyncEngine  # noqa: E402
from agent_app.storage import cipher  # noqa: E402
from agent_app.storage.seat import open_database  # noqa: E402
from tests.helpers.pg import CentralDb, add_tickets, server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    found = server()
    if found is None:
        print("no PostgreSQL server available; skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get(cipher.ENV_KEY_FILE):  # a throwaway key, as the tests use
            key = Path(tmp) / "bench.key"
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
            os.environ[cipher.ENV_KEY_FILE] = str(key)
        central = CentralDb(found).create()
        try:
            login = central.add_login("bench", "operator")
            auditor = central.add_login("bench_audit", "auditor")
            db = open_database(DataPaths(Path(tmp) / "seat").ensure())
            add_tickets(db, "BENCH", 1, operator=login)
            times = []
            for i in range(args.rows):
                t0 = time.perf_counter()
                audit.record_access(
                    db, action=audit.UNMASK, ticket_id=f"t{i}", field=audit.FIELD_PHONE,
                    actor=login, role="operator", reason="caller number shown",
                )  # fmt: skip
                times.append(time.perf_counter() - t0)
            times.sort()
            t0 = time.perf_counter()
            seat_ok = audit.verify_seat(db).ok
            seat_verify = time.perf_counter() - t0
            engine = SyncEngine(db, central.target(login), seat="BENCH", password_lookup=None)
            t0 = time.perf_counter()
            first = engine.sync_once()
            push = time.perf_counter() - t0
            t0 = time.perf_counter()
            engine.sync_once()
            idle = time.perf_counter() - t0
            t0 = time.perf_counter()
            centre = audit.verify_central(central.target(auditor), password_lookup=None)
            centre_verify = time.perf_counter() - t0
            db.dispose()
        finally:
            central.drop()
    median, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    print(f"store a row (synchronous=FULL): median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"audit verify at the seat, {args.rows} rows: {seat_verify:.2f} s (ok={seat_ok})")
    print(f"first sync sending {first.audit_pushed} rows: {push:.2f} s")
    print(f"next sync, nothing new: {idle * 1000:.0f} ms")
    print(f"audit verify at the centre, {centre.rows} rows: {centre_verify:.2f} s (ok={centre.ok})")
    print(f"budget 100 ms a row: {'OK' if p99 <= 0.1 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
