"""R1/R3: exactly once under replays, crashes at every step and SIGKILL; acknowledged local
writes survive kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agent_app.paths import DataPaths
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.storage.seat import open_database
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _centre(central: CentralDb) -> dict[str, Any]:
    with central.admin() as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM central.tickets), (SELECT count(DISTINCT id) FROM central.tickets),"
            " (SELECT count(*) FROM central.ticket_events), (SELECT count(*) FROM central.applied_ops),"
            " (SELECT coalesce(sum(version), 0) FROM central.tickets),"
            " (SELECT count(*) FROM (SELECT op_key, origin_seq FROM central.ticket_events GROUP BY 1, 2 HAVING count(*) > 1) d)"
        ).fetchone()
    keys = ("tickets", "distinct", "events", "keys", "version_sum", "dup_events")
    return dict(zip(keys, row, strict=True))


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "agent_app", *args],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_drain_then_rerun_reaches_centre_exactly_once(
    central: CentralDb, tmp_path: Path
) -> None:
    login = central.add_login("must", "operator")
    seat_dir = tmp_path / "seat"
    seed = _cli(
        "--seat",
        "SK",
        "db",
        "seed-demo",
        "--data-dir",
        str(seat_dir),
        "--tickets",
        "2000",
        "--operator",
        login,
        "--json",
    )
    out, err = seed.communicate(timeout=120)
    assert seed.returncode == 0, err
    assert json.loads(out)["extra_tickets"] == 2000
    sync_args = (
        "--seat",
        "SK",
        "sync",
        "--once",
        "--data-dir",
        str(seat_dir),
        "--central",
        central.url(login),
    )
    proc = _cli(*sync_args, "--batch", "40")
    deadline = time.monotonic() + 60
    seen = 0
    with central.admin() as conn:
        while time.monotonic() < deadline and proc.poll() is None:
            seen = conn.execute("SELECT count(*) FROM central.applied_ops").fetchone()[0]
            if seen >= 200:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the drain ended before it could be killed"
    assert 0 < seen < 2000
    rerun = _cli(*sync_args, "--json")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["queue"] == 0
    state = _centre(central)
    db = open_database(DataPaths(seat_dir))
    try:
        with db.read() as s:
            local_events = s.execute(
                __import__("sqlalchemy").text(
                    "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE NOT t.is_demo"
                )
            ).scalar()
            unsynced = s.execute(
                __import__("sqlalchemy").text(
                    "SELECT count(*) FROM tickets WHERE NOT is_demo AND server_version IS NULL"
                )
            ).scalar()
    finally:
        db.dispose()
    assert state["tickets"] == state["distinct"] == 2000
    assert state["keys"] == 2000
    assert state["events"] == local_events
    assert state["dup_events"] == 0
    assert unsynced == 0
    # Replay every acknowledged operation: the centre must not change at all.
    con = cipher.connect(seat_dir / "agent.sqlite3")
    con.execute("UPDATE outbox SET sent_at = NULL")
    con.commit()
    con.close()
    replay = _cli(*sync_args, "--json")
    out, err = replay.communicate(timeout=120)
    assert replay.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1])["replayed"] == 2000
    assert _centre(central) == state


POINTS = ["before_send", "after_server_commit", "after_local_ack", "before_pull_apply"]


@pytest.mark.parametrize("point", POINTS)
def test_crash_at_any_step_resumes_without_loss_or_duplicates(
    central: CentralDb, tmp_path: Path, point: str
) -> None:
    login = central.add_login(f"crash_{point}", "lead")
    db = new_seat(tmp_path / "seat")
    other = new_seat(tmp_path / "other")
    try:
        other_login = central.add_login(f"other_{point}", "operator")
        other_seat = f"O{POINTS.index(point)}"
        add_tickets(other, other_seat, 5, operator=other_login)
        assert (
            SyncEngine(other, central.target(other_login), seat=other_seat, password_lookup=None)
            .sync_once()
            .complete
        )
        ids = add_tickets(db, f"C{POINTS.index(point)}", 30, operator=login)
        crashes = []

        def fault(where: str) -> None:
            if where == point and not crashes:
                crashes.append(where)
                raise RuntimeError(f"crash at {where}")

        engine = SyncEngine(
            db,
            central.target(login),
            seat=f"C{POINTS.index(point)}",
            batch_size=10,
            password_lookup=None,
            fault=fault,
        )
        before = _centre(central)
        with pytest.raises(RuntimeError):
            engine.sync_once()
        assert crashes == [point]
        report = engine.sync_once()
        assert report.ok
        assert report.queue == 0
        after = _centre(central)
        assert after["tickets"] - before["tickets"] == 30
        assert after["keys"] - before["keys"] == 30
        assert after["dup_events"] == 0
        with central.admin() as conn:
            n = conn.execute(
                "SELECT count(*) FROM central.tickets WHERE id = ANY(%s)", (ids,)
            ).fetchone()[0]
        assert n == 30
        with db.read() as s:
            pulled = s.execute(
                text("SELECT count(*) FROM tickets WHERE seat = :s"),
                {"s": f"O{POINTS.index(point)}"},
            ).scalar()
            assert pulled == 5  # the lead's seat has the other seat's tickets
    finally:
        db.dispose()
        other.dispose()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.helpers.pg import add_tickets, new_seat
    db = new_seat(Path(sys.argv[1]))
    print("ready", flush=True)
    while True:
        (tid,) = add_tickets(db, "KW", 1)
        print(tid, flush=True)
    """
)


def test_kill9_during_local_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_no in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(seat)],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        target = 20 + 15 * round_no
        lines = []
        while len(lines) < target:
            line = proc.stdout.readline().strip()
            assert line, "the writer stopped"
            lines.append(line)
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait(timeout=10)
        proc.stdout.close()
        acknowledged += lines + [x for x in rest.split() if len(x) == 36]
        con = cipher.connect(seat / "agent.sqlite3")
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            have = {r[0] for r in con.execute("SELECT id FROM tickets")}
            queued = {
                r[0] for r in con.execute("SELECT ticket_id FROM outbox WHERE sent_at IS NULL")
            }
        finally:
            con.close()
        missing = set(acknowledged) - have
        assert not missing
        assert set(acknowledged) <= queued
