"""R8: the central server crashes (``pg_ctl stop -m immediate``) while ``agent-app sync --once``
is applying a batch.  The sync ends with one line and a non-zero exit, a sync while the server is
down is offline at once, the server recovers from the crash, the next sync finishes the queue, and
the centre holds every ticket, every change and every event exactly once.

The drill needs a server of its own (stopping the shared one on 5432 would break every other
test): ``tests/helpers/pg.py`` starts a throwaway cluster (as the ``postgres`` user under root,
as in CI).  Short profile in ``make test``; ``AGENT_APP_SOAK=1`` (``make soak``) runs every
round at full size; ``-o log_cli=true --log-cli-level=INFO`` shows the figures of each round."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql_text

from agent_app.storage import repository as repo
from tests.helpers.pg import CentralDb, Cluster, add_tickets, edit_ticket, new_seat, start_cluster
from tests.helpers.soak import size

pytestmark = pytest.mark.postgres
log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
SEAT = "PC"
BATCH = 25
ROUNDS = size(1, 12)  # crashes
TICKETS = size(150, 300)  # new tickets per round
EDITS = size(10, 40)  # edits of delivered tickets per round (from round 2)
RECOVERY = ("database system was not properly shut down", "automatic recovery in progress")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    started = start_cluster()
    try:
        yield started
    finally:
        started.remove()


def _sync(central: CentralDb, login: str, seat_dir: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("AGENT_APP_CENTRAL_URL", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agent_app",
            "--seat",
            SEAT,
            "sync",
            "--once",
            "--json",
            "--data-dir",
            str(seat_dir),
            "--central",
            central.url(login),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _report(out: str) -> dict[str, Any]:
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    report = json.loads(lines[0])
    assert isinstance(report, dict)
    return report


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _stop_mid_batch(
    cluster: Cluster, central: CentralDb, login: str, proc: subprocess.Popen[str], after: int
) -> tuple[int, bool]:
    """Once the centre has committed ``after`` of the seat's operations, stop the server with
    ``-m immediate`` as soon as the seat's next ``apply_batch`` runs.  Returns the operations
    committed before the stop and whether a batch was running."""
    deadline = time.monotonic() + 90
    seen, running = 0, False
    conn = central.admin()
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            seen = conn.execute(
                "SELECT count(*) FROM central.applied_ops WHERE seat = %s", (SEAT,)
            ).fetchone()[0]
            if seen >= after:
                running = bool(
                    conn.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = %s"
                        " AND state = 'active' AND query LIKE '%%apply_batch%%'",
                        (login,),
                    ).fetchone()[0]
                )
                if running:
                    break
            time.sleep(0.001)
    finally:
        conn.close()
    assert proc.poll() is None, "the sync finished before the server could be stopped"
    cluster.stop("immediate")
    return seen, running


def _local(seat_dir: Path) -> dict[str, Any]:
    db = new_seat(seat_dir)
    try:
        with db.read() as s:
            q = s.execute
            ids = [r[0] for r in q(sql_text("SELECT id FROM tickets WHERE NOT is_demo"))]
            return {
                "tickets": len(ids),
                "numbers": sorted(
                    r[0] for r in q(sql_text("SELECT number FROM tickets WHERE NOT is_demo"))
                ),
                "outbox": q(sql_text("SELECT count(*) FROM outbox")).scalar(),
                "pending": q(
                    sql_text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
                ).scalar(),
                "undelivered": q(
                    sql_text("SELECT count(*) FROM outbox WHERE undelivered_at IS NOT NULL")
                ).scalar(),
                "unsynced": q(
                    sql_text(
                        "SELECT count(*) FROM tickets WHERE NOT is_demo AND server_version IS NULL"
                    )
                ).scalar(),
                "events": q(
                    sql_text(
                        "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
                        " WHERE NOT t.is_demo"
                    )
                ).scalar(),
                "notes": {i: repo.get_ticket(s, i).notes for i in ids},  # type: ignore[union-attr]
            }
    finally:
        db.dispose()


def _centre(central: CentralDb) -> dict[str, Any]:
    with central.admin() as conn:
        q = conn.execute
        row = q(
            "SELECT (SELECT count(*) FROM central.tickets WHERE seat = %(s)s),"
            " (SELECT count(*) FROM central.applied_ops WHERE seat = %(s)s),"
            " (SELECT count(*) FROM central.ticket_events e JOIN central.tickets t"
            "  ON t.id = e.ticket_id WHERE t.seat = %(s)s),"
            " (SELECT count(*) FROM (SELECT op_key, origin_seq FROM central.ticket_events"
            "  GROUP BY 1, 2 HAVING count(*) > 1) d),"
            " (SELECT count(*) FROM (SELECT version FROM central.tickets"
            "  GROUP BY 1 HAVING count(*) > 1) v)",
            {"s": SEAT},
        ).fetchone()
        numbers = sorted(
            r[0] for r in q("SELECT number FROM central.tickets WHERE seat = %s", (SEAT,))
        )
        notes = dict(
            q("SELECT id, data->>'notes' FROM central.tickets WHERE seat = %s", (SEAT,)).fetchall()
        )
    keys = ("tickets", "applied_ops", "events", "dup_events", "dup_versions")
    return {**dict(zip(keys, row, strict=True)), "numbers": numbers, "notes": notes}


@pytest.mark.soak
def test_server_stopped_immediately_mid_batch_recovers_exactly_once(
    cluster: Cluster, tmp_path: Path
) -> None:
    central = CentralDb(cluster.server).create()
    login = central.add_login("crash", "operator")
    seat_dir = tmp_path / "seat"
    rng = random.Random(8)
    delivered: list[str] = []
    mid_batch = 0
    figures: list[str] = []
    for round_no in range(ROUNDS):
        db = new_seat(seat_dir)
        try:
            new = add_tickets(db, SEAT, TICKETS, seed=round_no + 1, operator=login)
            for ticket_id in rng.sample(delivered, min(EDITS, len(delivered))):
                edit_ticket(db, ticket_id, actor=login, notes_append=f" r{round_no}")
        finally:
            db.dispose()
        pending = _local(seat_dir)["pending"]
        before = _centre(central)["applied_ops"]

        # 1. The server crashes while a batch is being applied.
        after = before + rng.randrange(BATCH, pending - 2 * BATCH)
        proc = _sync(central, login, seat_dir, "--batch", str(BATCH))
        seen, running = _stop_mid_batch(cluster, central, login, proc, after)
        stopped = time.monotonic()
        out, err = proc.communicate(timeout=60)
        ended = time.monotonic() - stopped
        mid_batch += running
        assert proc.returncode not in (0, None), out
        line = _one_line(err)
        assert line.startswith("agent-app: error: sync did not finish: connection lost"), line
        first = _report(out)
        assert not first["ok"]
        assert not first["online"]
        assert ended < 10, f"the sync took {ended:.1f} s to notice the crash"
        # What the seat counted as delivered is what the centre had committed before the stop.
        assert first["pushed"] >= seen - before

        # 2. While the server is down, a sync is offline at once and changes nothing.
        t0 = time.monotonic()
        down = _sync(central, login, seat_dir, "--connect-timeout", "1")
        out, err = down.communicate(timeout=30)
        assert down.returncode not in (0, None)
        assert _one_line(err).startswith("agent-app: error: sync did not finish: offline"), err
        offline = _report(out)
        assert offline["pushed"] == 0
        assert offline["queue"] == pending - first["pushed"]
        assert time.monotonic() - t0 < 10

        # 3. Crash recovery: the server starts again and replays its write-ahead log.
        recoveries = [cluster.log_text().count(mark) for mark in RECOVERY]
        recovery_t0 = time.monotonic()
        cluster.start()
        recovery = time.monotonic() - recovery_t0
        assert [cluster.log_text().count(mark) for mark in RECOVERY] == [
            n + 1 for n in recoveries
        ], "the server did not recover from a crash"
        committed = _centre(central)["applied_ops"] - before
        # The batch in flight was applied entirely (its answer lost) or not at all.
        assert committed - first["pushed"] in (0, min(BATCH, pending - first["pushed"]))

        # 4. The next sync finishes the queue; the lost answer is a replay, nothing doubles.
        proc = _sync(central, login, seat_dir)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        second = _report(out)
        assert second["ok"]
        assert second["queue"] == 0
        assert second["undelivered"] == 0
        assert second["rejected"] == 0
        assert second["pushed"] == pending - first["pushed"]
        assert second["replayed"] == committed - first["pushed"]
        delivered.extend(new)
        figures.append(
            f"round {round_no + 1}: {pending} ops, stopped after {seen - before} "
            f"({'mid-batch' if running else 'between batches'}), sync ended {ended:.2f} s "
            f"after the stop, recovery {recovery:.2f} s, replayed {second['replayed']}"
        )

    # Exactly once: every ticket once, every change once, every event once, nothing undelivered.
    local, centre = _local(seat_dir), _centre(central)
    assert local["tickets"] == TICKETS * ROUNDS
    assert centre["tickets"] == local["tickets"]
    assert centre["numbers"] == local["numbers"]
    assert centre["applied_ops"] == local["outbox"]
    assert centre["events"] == local["events"]
    assert centre["dup_events"] == 0
    assert centre["dup_versions"] == 0
    assert centre["notes"] == local["notes"]  # no note appended twice or lost
    assert (local["pending"], local["undelivered"], local["unsynced"]) == (0, 0, 0)
    assert mid_batch >= max(1, ROUNDS // 2), "the stops did not land while a batch ran"
    log.info("R8 server crash drill:\n%s", "\n".join(figures))
