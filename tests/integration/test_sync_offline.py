"""R4/R8: offline with the centre down (closed port, black hole), local work goes on, the
queue drains when the centre is back; demo data dirs never open a socket.

How long a local save takes while the centre is down is measured by
``benchmarks/bench_sync.py`` (offline save figure)."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text as sql_text

from agent_app.cli import main
from agent_app.services.sync.backoff import Backoff
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage.central.connect import parse_url
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server
from tests.helpers.proxy import FaultProxy
from tests.helpers.soak import size

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_closed_port_is_offline_and_the_queue_drains_later(
    central: CentralDb, tmp_path: Path
) -> None:
    login = central.add_login("off1", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "F1", 10, operator=login)
        down = parse_url(
            f"postgresql://{login}@127.0.0.1:{_closed_port()}/{central.name}", connect_timeout=1
        )
        engine = SyncEngine(db, down, seat="F1", password_lookup=None)
        t0 = time.perf_counter()
        report = engine.sync_once()
        assert not report.online
        assert time.perf_counter() - t0 < 3
        assert report.queue == 10
        add_tickets(db, "F1", 20, operator=login)  # local work goes on while offline
        assert engine.status()["queue"] == 30
        assert engine.status()["last_error"]
        back = SyncEngine(
            db, central.target(login, connect_timeout=1), seat="F1", password_lookup=None
        )
        report = back.sync_once()
        assert report.ok
        assert report.queue == 0
        assert report.pushed == 30
        assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'F1'") == 30
    finally:
        db.dispose()


def test_black_hole_is_offline_within_the_timeout_even_mid_batch(
    central: CentralDb, tmp_path: Path
) -> None:
    login = central.add_login("off2", "operator")
    db = new_seat(tmp_path / "seat")
    with FaultProxy(central.server.port) as proxy:
        try:
            add_tickets(db, "F2", 40, operator=login)
            target = parse_url(
                f"postgresql://{login}@127.0.0.1:{proxy.port}/{central.name}", connect_timeout=1
            )
            proxy.set_mode("blackhole")
            engine = SyncEngine(
                db, target, seat="F2", io_timeout=1.5, batch_size=10, password_lookup=None
            )
            t0 = time.perf_counter()
            report = engine.sync_once()
            assert not report.online
            assert time.perf_counter() - t0 < 4
            # The link dies after the first batch was sent: the cycle ends offline, bounded.
            proxy.set_mode("pass")
            holes = []

            def fault(point: str) -> None:
                if point == "after_local_ack" and not holes:
                    holes.append(point)
                    proxy.set_mode("blackhole")

            engine = SyncEngine(
                db,
                target,
                seat="F2",
                io_timeout=1.5,
                batch_size=10,
                password_lookup=None,
                fault=fault,
            )
            t0 = time.perf_counter()
            report = engine.sync_once()
            assert not report.online
            assert time.perf_counter() - t0 < 5
            assert report.queue == 30
            add_tickets(db, "F2", 10, operator=login)
            proxy.set_mode("pass")
            report = engine.sync_once()
            assert report.ok
            assert report.queue == 0
            assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'F2'") == 50
            assert (
                central.scalar("SELECT count(*) FROM central.applied_ops WHERE seat = 'F2'") == 50
            )
        finally:
            db.dispose()


def test_backoff_spreads_retries_with_full_jitter() -> None:
    delays = []
    for seed in range(50):
        b = Backoff(base=1.0, cap=60.0, rng=random.Random(seed))
        delays.append(b.next())
        for _ in range(10):
            assert 0.0 <= b.next() <= 60.0
    buckets: dict[int, int] = {}
    for d in delays:
        buckets[int(d * 10)] = buckets.get(int(d * 10), 0) + 1
    assert max(buckets.values()) <= 0.2 * len(delays)


def test_demo_data_dir_never_syncs_and_opens_no_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seat = tmp_path / "demo"
    new_seat(seat).dispose()
    (seat / "DEMO").write_text("demo\n", encoding="utf-8")

    def no_socket(*_a: object, **_k: object) -> None:
        raise AssertionError("a demo seat opened a socket")

    monkeypatch.setattr(socket.socket, "connect", no_socket)
    monkeypatch.setattr(socket, "create_connection", no_socket)
    code = main(
        ["sync", "--once", "--data-dir", str(seat), "--central", "postgresql://u@127.0.0.1:5432/x"]
    )
    assert code != 0
    assert "demo" in capsys.readouterr().err


def test_url_with_password_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        [
            "sync",
            "--once",
            "--data-dir",
            str(tmp_path / "s"),
            "--central",
            "postgresql://u:pw@127.0.0.1/x",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "must not hold a password" in err
    assert "pw@" not in err


def test_seat_without_its_own_id_refuses_to_sync(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two seats left on a default id would number tickets alike and collide at the centre."""
    seat = tmp_path / "seat"
    assert main(["db", "seed-demo", "--data-dir", str(seat), "--tickets", "3"]) == 0
    capsys.readouterr()
    code = main(
        ["sync", "--once", "--data-dir", str(seat), "--central", "postgresql://u@127.0.0.1:9/x"]
    )
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert "seat id" in err
    assert len(err.splitlines()) == 1


TERMINATIONS = size(3, 30)


@pytest.mark.soak
def test_backend_terminated_mid_batch_loses_and_duplicates_nothing(
    central: CentralDb, tmp_path: Path
) -> None:
    """R8: while ``apply_batch`` runs, another session calls ``pg_terminate_backend`` on it
    (TERMINATIONS times).  The cycle ends as a lost connection, the next one resumes at once,
    and the centre holds every ticket and every change exactly once."""
    login = central.add_login("term", "operator")
    db = new_seat(tmp_path / "seat")
    hits = 0
    killed: list[bool] = []
    threads: list[threading.Thread] = []

    def killer() -> None:
        with central.admin() as conn:
            end = time.monotonic() + 3
            while time.monotonic() < end:
                row = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE usename = %s AND state = 'active'"
                    " AND query LIKE '%%apply_batch%%'",
                    (login,),
                ).fetchone()
                if row and row[0]:
                    killed.append(True)
                    return
                time.sleep(0.002)

    def fault(point: str) -> None:
        if point == "before_send" and not threads:
            threads.append(threading.Thread(target=killer, daemon=True))
            threads[0].start()

    try:
        for round_no in range(TERMINATIONS):
            add_tickets(db, "TB", 120, seed=round_no + 1, operator=login)
            killed.clear()
            threads.clear()
            engine = SyncEngine(
                db,
                central.target(login, connect_timeout=2),
                seat="TB",
                batch_size=120,
                password_lookup=None,
                fault=fault,
            )
            first = engine.sync_once()
            threads[0].join(timeout=5)
            if killed:
                hits += 1
                assert not first.ok
            t0 = time.perf_counter()
            again = SyncEngine(
                db, central.target(login, connect_timeout=2), seat="TB", password_lookup=None
            ).sync_once()
            assert again.ok
            assert again.queue == 0
            assert time.perf_counter() - t0 < 5
        with db.read() as s:
            local = s.execute(sql_text("SELECT count(*) FROM tickets")).scalar()
            outbox = s.execute(sql_text("SELECT count(*) FROM outbox")).scalar()
        with central.admin() as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM central.tickets WHERE seat = 'TB'),"
                " (SELECT count(DISTINCT number) FROM central.tickets WHERE seat = 'TB'),"
                " (SELECT count(*) FROM central.applied_ops WHERE seat = 'TB'),"
                " (SELECT count(*) FROM central.ticket_events e JOIN central.tickets t"
                "  ON t.id = e.ticket_id WHERE t.seat = 'TB')"
            ).fetchone()
        with db.read() as s:
            events = s.execute(sql_text("SELECT count(*) FROM ticket_events")).scalar()
    finally:
        db.dispose()
    assert row == (local, local, outbox, events)
    assert local == 120 * TERMINATIONS
    assert hits >= 1, "no termination landed while the batch ran"
