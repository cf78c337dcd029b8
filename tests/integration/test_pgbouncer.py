"""The app's central sessions through PgBouncer in transaction mode (scripts/pgbouncer-up.sh):
no state may outlive a transaction, since the next one can run on another server connection.

Seats sync (push in several batches, then pull) and the lead reads the review queue through a
pool of ONE server connection shared by two seats of the same login, so every transaction
of one seat runs on the connection the other just used; psycopg's automatic prepared
statements (after 5 runs of a query) would fail there, so central connections never prepare.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from agent_app.services import review
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage.central.connect import connect
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pgbouncer-up.sh"


def _pgbouncer_missing() -> str | None:
    if shutil.which("pgbouncer") or Path("/usr/sbin/pgbouncer").exists():
        return None
    return "PgBouncer is not installed (scripts/install-system-deps.sh --with-postgres)"


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    missing = _pgbouncer_missing()
    if missing:
        if os.environ.get("CI") or os.environ.get("AGENT_APP_REQUIRE_PG"):
            pytest.fail(missing)
        pytest.skip(missing)
    server = require_server()
    db = CentralDb(server).create()
    work = Path(subprocess.check_output(["mktemp", "-d"], text=True).strip())
    try:
        op = db.add_login("pb_op", "operator")
        lead = db.add_login("pb_lead", "lead")
        env = {
            **os.environ,
            "PG_HOST": server.host,
            "PG_PORT": str(server.port),
            "PG_ADMIN": server.superuser,
            "POOL_SIZE": "1",
            "MAX_DB_CONNECTIONS": "2",
        }
        port = int(
            subprocess.run(
                [str(SCRIPT), str(work)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout.strip()
        )
        yield {"db": db, "op": op, "lead": lead, "port": port}
    finally:
        subprocess.run([str(SCRIPT), "--down", str(work)], check=False, timeout=30)
        shutil.rmtree(work, ignore_errors=True)
        db.drop()


def _via_bouncer(c: dict[str, Any], login: str) -> Any:
    return replace(c["db"].target(login), port=c["port"])


def test_central_connections_never_prepare_statements(centre: dict[str, Any]) -> None:
    """Two sessions of one login alternate on the pool's single server connection; with
    psycopg's default (prepare after 5 runs) the 6th run fails with 'prepared statement
    "_pg3_0" already exists'."""
    target = _via_bouncer(centre, centre["lead"])
    with (
        connect(target, password_lookup=None) as a,
        connect(target, password_lookup=None) as b,
    ):
        assert a.prepare_threshold is None
        for _ in range(12):
            for conn in (a, b):
                row = conn.execute(
                    "SELECT count(*) FROM central.tickets WHERE seat <> %s", ("x",)
                ).fetchone()
                assert row is not None


def test_two_seats_sync_through_one_pooled_connection(
    centre: dict[str, Any], tmp_path: Path
) -> None:
    db, op = centre["db"], centre["op"]
    seats = {name: new_seat(tmp_path / name) for name in ("PA", "PB")}
    try:
        ids = {name: add_tickets(sdb, name, 14, operator=op) for name, sdb in seats.items()}
        engines = {
            name: SyncEngine(
                sdb, _via_bouncer(centre, op), seat=name, batch_size=2, password_lookup=None
            )
            for name, sdb in seats.items()
        }
        reports: dict[str, list[Any]] = {name: [] for name in seats}

        def run(name: str) -> None:
            for _ in range(3):
                reports[name].append(engines[name].sync_once())

        threads = [threading.Thread(target=run, args=(name,)) for name in seats]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        for name in seats:
            first = reports[name][0]
            assert all(r.ok for r in reports[name]), reports[name]
            assert first.applied == 14, first
            assert first.batches == 7, first  # seven apply_batch calls on one connection
            assert engines[name].queue_length() == 0
        assert db.scalar("SELECT count(*) FROM central.tickets") == 28
        assert db.scalar("SELECT count(*) FROM central.applied_ops") == 28
        # Each seat pulled the other's tickets through the pool as well.
        for name, sdb in seats.items():
            other = next(n for n in seats if n != name)
            with sdb.read() as s:
                held = {
                    r[0]
                    for r in s.connection().exec_driver_sql("SELECT id FROM tickets").fetchall()
                }
            assert set(ids[other]) <= held
    finally:
        for sdb in seats.values():
            sdb.dispose()


def test_the_review_queue_pages_through_the_pool(centre: dict[str, Any]) -> None:
    target = _via_bouncer(centre, centre["lead"])
    seen: list[str] = []
    after = None
    with review.open_review(target, password_lookup=None) as conn:
        while True:
            page = review.review_page(conn, review.ReviewFilter(), limit=3, after=after)
            seen += [r.id for r in page.rows]
            if page.next is None:
                break
            after = page.next
    assert page.total == len(seen) == len(set(seen))
    assert len(seen) == centre["db"].scalar("SELECT count(*) FROM central.tickets")


def test_the_desks_kept_connections_work_through_the_pool(centre: dict[str, Any]) -> None:
    """The lead's desk (CentralLink) and a second client of the same login alternate on the
    pool's single server connection: each read is its own transaction, nothing prepared or
    set outlives it, and the desk keeps one client connection for every read."""
    from agent_app.services.lead_desk import CentralReview  # noqa: PLC0415
    from agent_app.storage.central.link import CentralLink  # noqa: PLC0415

    target = _via_bouncer(centre, centre["lead"])
    link = CentralLink(target, password_lookup=None, check=review.whoami)
    queue = CentralReview(target, link=link)
    try:
        with connect(target, password_lookup=None) as other:
            for _ in range(8):
                page = queue.page(review.ReviewFilter(), limit=3, after=None)
                assert page.total >= len(page.rows)
                if page.next is not None:
                    queue.page(review.ReviewFilter(), limit=3, after=page.next)
                row = other.execute(
                    "SELECT current_setting('work_mem'), current_setting('jit')"
                ).fetchone()
                assert row == (
                    centre["db"].scalar("SELECT current_setting('work_mem')"),
                    centre["db"].scalar("SELECT current_setting('jit')"),
                )  # the queue's transaction-local settings did not leak to the other client
        assert link.opened == 1
    finally:
        link.close()
