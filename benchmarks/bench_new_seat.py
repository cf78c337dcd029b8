"""Time to create a new seat database: the data directory, the key, the encrypted file and the
schema migrated to head (what a first start, `agent-app db upgrade` on a new directory and
every test that makes a seat pay).

The migrations run in one transaction (``storage/schema.py run_alembic_upgrade``), so the
schema costs one sync to disk; ``--per-step`` runs them the old way, each statement its own
transaction, for comparison.  Figures go to docs/PERFORMANCE.md.

Run: .venv/bin/python benchmarks/bench_new_seat.py [--runs 10] [--per-step] [--dir DIR]
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
from agent_app.storage import db as seat_db  # noqa: E402
from agent_app.storage.seat import open_database  # noqa: E402


def _per_step(engine: object) -> None:
    """The behaviour before: pysqlite commits before each DDL statement and Alembic after each
    step (no BEGIN emitted by SQLAlchemy, foreign keys off on connect as before)."""
    from sqlalchemy import event  # noqa: PLC0415

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: object, _record: object) -> None:
        cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--per-step", action="store_true", help="the old, per-statement way")
    parser.add_argument("--dir", type=Path, default=None, help="where the seats are made")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        key_file = Path(tmp) / "key"
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
        os.environ["AGENT_APP_DB_KEY_FILE"] = str(key_file)
        if args.per_step:
            seat_db.one_transaction = _per_step  # type: ignore[assignment]
            from alembic.runtime import migration  # noqa: PLC0415

            original = migration.MigrationContext.configure

            def configure(*a: object, **kw: object) -> object:
                opts = dict(kw.get("opts") or {})  # type: ignore[call-overload]
                opts.pop("transactional_ddl", None)
                kw["opts"] = opts
                return original(*a, **kw)  # type: ignore[arg-type]

            migration.MigrationContext.configure = configure  # type: ignore[method-assign,assignment]
        open_database(DataPaths(Path(tmp) / "warm")).dispose()  # imports, not measured
        times = []
        for n in range(args.runs):
            started = time.perf_counter()
            database = open_database(DataPaths(Path(tmp) / f"seat{n}"))
            times.append((time.perf_counter() - started) * 1000)
            database.dispose()
    times.sort()
    way = "one step per transaction" if args.per_step else "one transaction"
    print(
        f"new seat ({way}), {args.runs} runs: median {statistics.median(times):.0f} ms, "
        f"min {times[0]:.0f} ms, max {times[-1]:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
