"""R1/R3: exactly once under replays, crashes at every step and SIGKILL; acknowledged local
writes survive kill -9."""

from __future__ import annotations

import copy
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from psycopg.types.json import Jsonb
from sqlalchemy import text

from agent_app.paths import DataPaths
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from agent_app.storage.seat import open_database
from tests.helpers.pg import CentralDb, add_tickets, edit_ticket, new_seat, require_server
from tests.helpers.soak import SOAK, size

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
    import time
    from pathlib import Path
    from agent_app.services.sync.engine import SyncEngine
    from agent_app.storage.central.connect import parse_url
    from tests.helpers.pg import add_tickets, new_seat
    seat_dir, login, url, every = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    db = new_seat(seat_dir)
    engine = SyncEngine(
        db, parse_url(url, connect_timeout=2), seat="KW", batch_size=3, io_timeout=5,
        password_lookup=None,
    )
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    for n in range(1, 100_000):
        (tid,) = add_tickets(db, "KW", 1, operator=login)
        print(tid, flush=True)
        if n % every == 0:
            engine.sync_once()
        if time.monotonic() > deadline:
            break
    """
)

KILLS = size(4, 300)


@pytest.mark.soak
def test_kill9_of_writes_and_syncs_loses_nothing_acknowledged(
    central: CentralDb, tmp_path: Path
) -> None:
    """R1: a child saves tickets (printing each id once the commit returned) and syncs every
    third save; SIGKILL at a random point, KILLS times.  After each kill the file is intact,
    every acknowledged ticket is there with its outbox row, and the centre holds no ticket or
    event twice; at the end one sync delivers everything exactly once."""
    login = central.add_login("kill9", "operator")
    seat = tmp_path / "seat"
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(1)
    for round_no in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(seat), login, central.url(login), "3"],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        target = rng.randint(1, 25)
        lines = []
        while len(lines) < target:
            line = proc.stdout.readline().strip()
            assert line, "the writer stopped"
            lines.append(line)
        time.sleep(rng.uniform(0, 0.03))  # mid-save or mid-sync
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait(timeout=10)
        proc.stdout.close()
        acknowledged += lines + [x for x in rest.split() if len(x) == 36]
        con = cipher.connect(seat / "agent.sqlite3")
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            have = {r[0] for r in con.execute("SELECT id FROM tickets")}
            queued = {r[0] for r in con.execute("SELECT ticket_id FROM outbox")}
        finally:
            con.close()
        assert not set(acknowledged) - have, round_no
        assert set(acknowledged) <= queued
        if round_no % 25 == 0 or round_no == KILLS - 1:
            state = _centre(central)
            assert state["tickets"] == state["distinct"]
            assert state["dup_events"] == 0
    db = new_seat(seat)
    try:
        report = SyncEngine(db, central.target(login), seat="KW", password_lookup=None).sync_once()
        assert report.ok
        assert report.queue == 0
        with db.read() as s:
            local = s.execute(text("SELECT count(*) FROM tickets")).scalar()
            outbox = s.execute(text("SELECT count(*) FROM outbox")).scalar()
    finally:
        db.dispose()
    with central.admin() as conn:
        at_centre = {r[0] for r in conn.execute("SELECT id FROM central.tickets WHERE seat = 'KW'")}
        keys = conn.execute(
            "SELECT count(*) FROM central.applied_ops WHERE seat = 'KW'"
        ).fetchone()[0]
    assert set(acknowledged) <= at_centre
    assert len(at_centre) == local
    assert keys == outbox
    state = _centre(central)
    assert state["dup_events"] == 0


class _RecordingEngine(SyncEngine):
    """The engine, remembering each batch it sends (as sent) for replays."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.last_batch: list[dict[str, Any]] = []

    def _pending_batch(self) -> list[dict[str, Any]]:
        ops = super()._pending_batch()
        self.last_batch = copy.deepcopy(ops)
        return ops


class ExactlyOnceMachine(RuleBasedStateMachine):
    """R3: three seats create and edit tickets, sync, crash at each hook point of the engine and
    replay batches the centre committed (1-3 times, shuffled).  Invariant: the centre holds
    each change exactly once, and every acknowledged change."""

    root: Path
    runs = 0

    def __init__(self) -> None:
        super().__init__()
        ExactlyOnceMachine.runs += 1
        run = ExactlyOnceMachine.runs
        # A centre of its own per run: the lead seats pull only this run's tickets.
        self.central = CentralDb(require_server()).create()
        self.logins = [self.central.add_login(f"eo{i}", "lead") for i in range(3)]
        self.seat_ids = [f"EO{run}s{i}" for i in range(3)]
        self.dbs = [new_seat(self.root / f"{run}-{i}") for i in range(3)]
        self.crash: list[str | None] = [None, None, None]
        self.committed: list[list[dict[str, Any]]] = []
        self.engines = [
            _RecordingEngine(
                db,
                self.central.target(login),
                seat=seat,
                batch_size=2,
                password_lookup=None,
                fault=self._fault_for(i),
            )
            for i, (db, login, seat) in enumerate(
                zip(self.dbs, self.logins, self.seat_ids, strict=True)
            )
        ]
        self.mine: list[list[str]] = [[], [], []]
        self.model: dict[str, tuple[str, list[str]]] = {}  # id -> (notes at creation, markers)
        self.marks = 0

    def _fault_for(self, i: int) -> Any:
        def fault(point: str) -> None:
            if point == "after_server_commit":
                self.committed.append(self.engines[i].last_batch)
            if self.crash[i] == point:
                self.crash[i] = None
                raise RuntimeError(f"crash at {point}")

        return fault

    def _create(self, i: int, n: int) -> None:
        ids = add_tickets(
            self.dbs[i], self.seat_ids[i], n, seed=len(self.model) + 1, operator=self.logins[i]
        )
        with self.dbs[i].read() as s:
            for tid in ids:
                t = repo.get_ticket(s, tid)
                assert t is not None
                self.model[tid] = (t.notes, [])
        self.mine[i] += ids

    @rule(i=st.integers(0, 2), n=st.integers(1, 3))
    def create(self, i: int, n: int) -> None:
        self._create(i, n)

    @rule(i=st.integers(0, 2), pick=st.integers(0, 10**6))
    def edit(self, i: int, pick: int) -> None:
        if not self.mine[i]:
            self._create(i, 1)
        tid = self.mine[i][pick % len(self.mine[i])]
        self.marks += 1
        mark = f"[m{self.marks}]"
        edit_ticket(self.dbs[i], tid, actor=self.logins[i], role="lead", notes_append=mark)
        self.model[tid][1].append(mark)

    @rule(i=st.integers(0, 2))
    def sync(self, i: int) -> None:
        assert self.engines[i].sync_once().ok

    @rule(i=st.integers(0, 2), point=st.sampled_from(POINTS))
    def crash_sync(self, i: int, point: str) -> None:
        self.crash[i] = point
        try:
            report = self.engines[i].sync_once()
        except RuntimeError:
            assert self.crash[i] is None  # raised by the fault hook at that point
        else:  # the point was not reached (nothing to send or to pull)
            assert report.ok
        self.crash[i] = None

    @rule(picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=3), times=st.integers(1, 3))
    def replay_batches(self, picks: list[int], times: int) -> None:
        if not self.committed:
            return
        batches = [self.committed[p % len(self.committed)] for p in picks] * times
        rng = random.Random(sum(picks) + times)
        rng.shuffle(batches)
        before = _centre(self.central)
        for ops in batches:
            seat = self._seat_of(ops[0]["key"])
            i = self.seat_ids.index(seat)
            shuffled = list(ops)
            rng.shuffle(shuffled)
            with self.central.server.connect(self.central.name, self.logins[i]) as conn:
                row = conn.execute(
                    "SELECT central.apply_batch(%s, %s, %s)",
                    (seat, Jsonb(shuffled), Jsonb({"demo": False})),
                ).fetchone()
            results = row[0]["results"]
            assert len(results) == len(ops)
            assert all(r["replay"] for r in results), results
        assert _centre(self.central) == before

    def _seat_of(self, key: str) -> str:
        with self.central.admin() as conn:
            return str(
                conn.execute(
                    "SELECT seat FROM central.applied_ops WHERE key = %s", (key,)
                ).fetchone()[0]
            )

    def _outbox(self) -> tuple[set[str], set[str]]:
        every, acked = set(), set()
        for db in self.dbs:
            with db.read() as s:
                for key, sent in s.execute(text("SELECT idempotency_key, sent_at FROM outbox")):
                    every.add(key)
                    if sent is not None:
                        acked.add(key)
        return every, acked

    @invariant()
    def centre_holds_each_change_once(self) -> None:
        every, acked = self._outbox()
        with self.central.admin() as conn:
            applied = {
                r[0]
                for r in conn.execute(
                    "SELECT key FROM central.applied_ops WHERE seat = ANY(%s)", (self.seat_ids,)
                )
            }
            notes = dict(
                conn.execute(
                    "SELECT id, data->>'notes' FROM central.tickets WHERE seat = ANY(%s)",
                    (self.seat_ids,),
                ).fetchall()
            )
        assert applied <= every  # nothing the seats did not queue
        assert acked <= applied  # nothing acknowledged that the centre lacks
        for tid, text_ in notes.items():
            for mark in self.model[tid][1]:
                assert text_.count(mark) <= 1, (tid, mark)

    def teardown(self) -> None:
        try:
            for engine in self.engines:
                for _ in range(3):
                    report = engine.sync_once()
                    if report.ok and report.queue == 0:
                        break
                assert report.ok
                assert report.queue == 0
            for engine in self.engines:  # everyone pulls everyone's last changes
                assert engine.sync_once().ok
            every, acked = self._outbox()
            assert every == acked
            with self.central.admin() as conn:
                applied = {
                    r[0]
                    for r in conn.execute(
                        "SELECT key FROM central.applied_ops WHERE seat = ANY(%s)",
                        (self.seat_ids,),
                    )
                }
                centre = {
                    r[0]: (r[1], r[2], r[3])
                    for r in conn.execute(
                        "SELECT t.id, t.version, t.data->>'notes', count(e.id) FROM central.tickets t"
                        " JOIN central.ticket_events e ON e.ticket_id = t.id"
                        " WHERE t.seat = ANY(%s) GROUP BY t.id",
                        (self.seat_ids,),
                    )
                }
            assert applied == every
            assert set(centre) == set(self.model)
            for tid, (first, marks) in self.model.items():
                assert centre[tid][1] == first + "".join(marks), tid
            for db in self.dbs:
                with db.read() as s:
                    local = {
                        r[0]: (r[1], r[2], r[3])
                        for r in s.execute(
                            text(
                                "SELECT t.id, t.server_version, t.notes, count(e.id) FROM tickets t"
                                " JOIN ticket_events e ON e.ticket_id = t.id GROUP BY t.id"
                            )
                        )
                    }
                assert local == centre
        finally:
            for db in self.dbs:
                db.dispose()
            self.central.drop()


@pytest.mark.soak
def test_exactly_once_state_machine(tmp_path: Path) -> None:
    ExactlyOnceMachine.root = tmp_path
    run_state_machine_as_test(
        ExactlyOnceMachine,
        settings=settings(
            max_examples=size(4, 150),
            stateful_step_count=size(12, 40),
            deadline=None,
            derandomize=not SOAK,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
