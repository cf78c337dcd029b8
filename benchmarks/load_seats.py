"""200 simulated seats push and pull through PgBouncer for 60 s at ten times Beijing's peak.

The rate.  Beijing's 12345 takes about 30,000 requests a day.  Calls follow the hour-of-day
profile of the centre's seed (``agent_app.services.central_seed.HOURLY_PROFILE``, busiest 9-11 h):
the busiest hour carries ``max/sum`` of a day's calls, 8.3 %, i.e. ~2,490 tickets in that hour
or 0.69 new tickets a second at the peak.  Ten times that is 6.9 new tickets a second,
spread over the seats as independent Poisson arrivals.

A seat does what :class:`agent_app.services.sync.engine.SyncEngine` does in one cycle, at the
protocol level (no seat database): connect to the centre (through PgBouncer), claim its seat
id, push its pending new ticket with ``central.apply_batch`` (the payload a real seat sends:
a generated ticket checked by the seat's own payload rules), pull everything newer than its
cursor (heads, rows, events, 1,000 at a time), disconnect.  A cycle runs when a ticket is
created and otherwise every ``--pull-every`` seconds (default 10 s, a busier poll than
a seat's).  Each seat has its own login (operators' logins), so PgBouncer keeps a pool per
login under ``MAX_DB_CONNECTIONS`` server connections in all.

At the end the centre's totals must be exact: every ticket pushed is there once (tickets,
applied keys, versions unique), every seat pulled back exactly its own tickets (an operator's
login reads only its own), and no request failed.  Exit 1 otherwise.

    .venv/bin/python benchmarks/load_seats.py [--seats 200] [--seconds 60] [--factor 10]
        [--server postgresql://postgres@127.0.0.1:5432] [--json]

A throwaway database (``load_seats_<random>``) and PgBouncer (scripts/pgbouncer-up.sh) are
created and removed; logins ``ls_<random>_<n>`` are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg.types.json import Jsonb

from agent_app.domain import timeutil
from agent_app.domain.serialize import ticket_to_dict
from agent_app.domain.validation import payload_problem
from agent_app.services.central_seed import HOURLY_PROFILE
from agent_app.services.demo import DemoGenerator
from agent_app.services.sync.merge import describe_change
from agent_app.storage.central import schema
from agent_app.storage.central.connect import connect, parse_url

ROOT = Path(__file__).resolve().parent.parent
BEIJING_PER_DAY = 30_000
PEAK_SHARE = max(HOURLY_PROFILE) / sum(HOURLY_PROFILE)
PEAK_PER_SECOND = BEIJING_PER_DAY * PEAK_SHARE / 3600


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Seat(threading.Thread):
    def __init__(
        self, n: int, login: str, target: Any, rate: float, stop_at: float, args: Any
    ) -> None:
        super().__init__(daemon=True, name=f"seat-{n}")
        self.seat = f"LS{n:03d}"
        self.login = login
        self.target = target
        self.rate = rate
        self.stop_at = stop_at
        self.pull_every = args.pull_every
        self.rng = random.Random(n)
        self.gen = DemoGenerator(seed=n)
        self.seq = 0
        self.cursor = 0
        self.pushed: list[tuple[str, str]] = []  # (key, ticket id) applied
        self.push_ms: list[float] = []
        self.pull_ms: list[float] = []
        self.cycle_ms: list[float] = []
        self.errors: list[str] = []
        self.seen: set[str] = set()

    def _new_op(self) -> dict[str, Any]:
        self.seq += 1
        now = timeutil.now()
        number = f"{now:%Y%m%d}-{self.seat}-{self.seq:04d}"
        t = self.gen.ticket(
            number,
            now - timedelta(seconds=1),
            now,
            seat=self.seat,
            operator=self.login,
            is_demo=False,
            intake_only=True,
        )
        payload = ticket_to_dict(t)
        problem = payload_problem(payload)
        if problem:
            raise RuntimeError(f"generated payload invalid: {problem}")
        changed, append = describe_change(payload, None)
        return {
            "key": str(uuid.uuid4()),
            "ticket_id": t.id,
            "op": "upsert_ticket",
            "payload": payload,
            "base_version": None,
            "changed": changed,
            "notes_append": append,
        }

    def _cycle(self, op: dict[str, Any] | None) -> None:
        started = time.perf_counter()
        with connect(self.target, password_lookup=None) as conn:
            conn.execute("SELECT central.claim_seat(%s)", (self.seat,))
            if op is not None:
                t0 = time.perf_counter()
                row = conn.execute(
                    "SELECT central.apply_batch(%s, %s, %s)",
                    (self.seat, Jsonb([op]), Jsonb({"demo": False})),
                ).fetchone()
                self.push_ms.append((time.perf_counter() - t0) * 1000)
                results = (row[0] if row else {}).get("results", [])
                if len(results) != 1 or results[0].get("status") != "applied":
                    self.errors.append(f"push not applied: {results}")
                else:
                    self.pushed.append((op["key"], op["ticket_id"]))
            t0 = time.perf_counter()
            while True:
                heads = conn.execute(
                    "SELECT id, version FROM central.tickets WHERE version > %s "
                    "ORDER BY version LIMIT 1000",
                    (self.cursor,),
                ).fetchall()
                if not heads:
                    break
                ids = [h[0] for h in heads]
                conn.execute(
                    "SELECT id, version, data FROM central.tickets WHERE id = ANY(%s)", (ids,)
                ).fetchall()
                conn.execute(
                    "SELECT ticket_id, op_key, version, at, kind, actor_role, actor_id, "
                    "from_status, to_status, data FROM central.ticket_events "
                    "WHERE ticket_id = ANY(%s) ORDER BY ticket_id, seq",
                    (ids,),
                ).fetchall()
                self.seen.update(ids)
                self.cursor = heads[-1][1]
                if len(heads) < 1000:
                    break
            self.pull_ms.append((time.perf_counter() - t0) * 1000)
        self.cycle_ms.append((time.perf_counter() - started) * 1000)

    def run(self) -> None:
        next_ticket = time.monotonic() + self.rng.expovariate(self.rate)
        next_pull = time.monotonic() + self.rng.uniform(0, self.pull_every)
        while True:
            now = time.monotonic()
            if now >= self.stop_at:
                break
            wake = min(next_ticket, next_pull, self.stop_at)
            if wake > now:
                time.sleep(wake - now)
                continue
            op = None
            if now >= next_ticket:
                op = self._new_op()
                next_ticket = now + self.rng.expovariate(self.rate)
            try:
                self._cycle(op)
            except psycopg.Error as exc:
                self.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
            next_pull = time.monotonic() + self.pull_every

    def final_pull(self) -> None:
        try:
            self._cycle(None)
        except psycopg.Error as exc:
            self.errors.append(f"final pull: {type(exc).__name__}: {exc}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--factor", type=float, default=10.0, help="times Beijing's peak rate")
    parser.add_argument("--pull-every", type=float, default=10.0)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--pool-size", type=int, default=5, help="server connections per login")
    parser.add_argument("--max-db-connections", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tag = uuid.uuid4().hex[:6]
    dbname = f"load_seats_{tag}"
    prefix = f"ls{tag}"
    admin_url = f"{args.server}/{dbname}"
    admin = parse_url(admin_url)
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {dbname}")
    work = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    logins: list[str] = []
    try:
        schema.upgrade(admin, role_prefix=prefix, password_lookup=None)
        for n in range(1, args.seats + 1):
            login = f"{prefix}_op{n:03d}"
            schema.create_login_role(admin, login, "operator", password_lookup=None)
            logins.append(login)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/bin",
            "PG_HOST": admin.host,
            "PG_PORT": str(admin.port),
            "PG_ADMIN": admin.user,
            "POOL_SIZE": str(args.pool_size),
            "MAX_DB_CONNECTIONS": str(args.max_db_connections),
        }
        port = int(
            subprocess.run(
                [str(ROOT / "scripts" / "pgbouncer-up.sh"), str(work)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
        total_rate = PEAK_PER_SECOND * args.factor
        stop_at = time.monotonic() + args.seconds
        seats = [
            Seat(
                n,
                login,
                replace(
                    parse_url(f"{args.server}/{dbname}".replace(f"{admin.user}@", f"{login}@")),
                    port=port,
                ),
                total_rate / args.seats,
                stop_at,
                args,
            )
            for n, login in enumerate(logins, 1)
        ]
        stop_at = time.monotonic() + args.seconds  # from now, with every seat ready
        for s in seats:
            s.stop_at = stop_at
        started = time.perf_counter()
        for s in seats:
            s.start()
        for s in seats:
            s.join(timeout=args.seconds + 120)
        elapsed = time.perf_counter() - started
        for s in seats:
            s.final_pull()
        pushed = [p for s in seats for p in s.pushed]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            tickets, versions = conn.execute(
                "SELECT count(*), count(DISTINCT version) FROM central.tickets"
            ).fetchone() or (0, 0)
            (keys,) = conn.execute("SELECT count(*) FROM central.applied_ops").fetchone() or (0,)
            ids = {r[0] for r in conn.execute("SELECT id FROM central.tickets").fetchall()}
        all_ids = {tid for _key, tid in pushed}
        errors = [e for s in seats for e in s.errors]
        # An operator's login reads its own tickets only (row-level security): each seat
        # must have pulled exactly the tickets it pushed, as the centre holds them.
        missing_pull = sum(1 for s in seats if s.seen != {tid for _key, tid in s.pushed})
        push = [ms for s in seats for ms in s.push_ms]
        pull = [ms for s in seats for ms in s.pull_ms]
        cycle = [ms for s in seats for ms in s.cycle_ms]
        result = {
            "seats": args.seats,
            "seconds": round(elapsed, 1),
            "peak_per_second_beijing": round(PEAK_PER_SECOND, 3),
            "target_per_second": round(total_rate, 2),
            "pushed": len(pushed),
            "pushes_per_second": round(len(pushed) / elapsed, 2),
            "cycles": len(cycle),
            "push_p50_ms": round(_pct(push, 0.5), 1),
            "push_p99_ms": round(_pct(push, 0.99), 1),
            "push_max_ms": round(max(push, default=0.0), 1),
            "pull_p50_ms": round(_pct(pull, 0.5), 1),
            "pull_p99_ms": round(_pct(pull, 0.99), 1),
            "cycle_p50_ms": round(_pct(cycle, 0.5), 1),
            "cycle_p99_ms": round(_pct(cycle, 0.99), 1),
            "errors": len(errors),
            "error_samples": errors[:5],
            "centre_tickets": tickets,
            "centre_keys": keys,
            "centre_versions": versions,
            "totals_exact": tickets == keys == versions == len(pushed) and ids == all_ids,
            "seats_missing_tickets_after_pull": missing_pull,
            "mean_push_ms": round(statistics.fmean(push), 1) if push else 0.0,
        }
    finally:
        subprocess.run(
            [str(ROOT / "scripts" / "pgbouncer-up.sh"), "--down", str(work)], check=False
        )
        shutil.rmtree(work, ignore_errors=True)
        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
            for role in [
                *logins,
                *(
                    f"{prefix}_{g}"
                    for g in ("operator", "lead", "handler", "owner", "auditor", "report")
                ),
            ]:
                conn.execute(f"DROP ROLE IF EXISTS {role}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    ok = result["errors"] == 0 and result["totals_exact"] and not missing_pull
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
