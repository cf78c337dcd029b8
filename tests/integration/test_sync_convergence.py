"""R5/R6: many seats converge through a faulty link; concurrent edits merge or conflict."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from agent_app.domain import timeutil
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from tests.helpers.pg import CentralDb, add_tickets, edit_ticket, new_seat, require_server
from tests.helpers.proxy import FaultProxy
from tests.helpers.soak import SOAK, size

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


SEATS, SECONDS, TOGGLE = size(3, 20), size(10.0, 60.0), size((0.15, 0.5), (1.0, 5.0))
HOUR = timedelta(hours=1)


@pytest.mark.soak
def test_seats_converge_through_a_faulty_proxy_with_skewed_clocks(
    central: CentralDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R5 (and R7): SEATS operator seats and a shift lead work for SECONDS through the fault
    proxy (pass / blackhole / delay / reset, switched every TOGGLE seconds), each seat's clock
    off by -36 h ... +36 h and one clock jumping back 3 h halfway; healed, every outbox drains
    within 30 s and every seat's view equals the centre's."""
    logins = [central.add_login(f"cv{i}", "operator") for i in range(SEATS)]
    lead_login = central.add_login("cvlead", "lead")
    rng = random.Random(7)
    offsets = [timedelta(hours=rng.uniform(-36, 36)) for _ in range(SEATS)]
    offsets[0] = timedelta(hours=36)
    if SEATS > 1:
        offsets[1] = -timedelta(hours=36)
    real_now = timeutil.now
    local = threading.local()

    def seat_now() -> Any:  # each seat thread has its own clock
        return real_now() + getattr(local, "offset", timedelta(0))

    monkeypatch.setattr(timeutil, "now", seat_now)
    with FaultProxy(central.server.port) as proxy:

        def target(login: str) -> Any:
            return parse_url(
                f"postgresql://{login}@127.0.0.1:{proxy.port}/{central.name}", connect_timeout=1
            )

        seats = [new_seat(tmp_path / f"s{i}") for i in range(SEATS)]
        lead_db = new_seat(tmp_path / "lead")
        engines = [
            SyncEngine(
                db,
                target(login),
                seat=f"V{i}",
                batch_size=7,
                io_timeout=1.0,
                password_lookup=None,
                clock=seat_now,
            )
            for i, (db, login) in enumerate(zip(seats, logins, strict=True))
        ]
        lead = SyncEngine(
            lead_db, target(lead_login), seat="VL", io_timeout=1.0, password_lookup=None
        )
        stop = threading.Event()
        errors: list[BaseException] = []
        created = [0] * SEATS

        def chaos() -> None:
            while not stop.is_set():
                proxy.set_mode(rng.choice(["pass", "pass", "blackhole", "delay", "reset"]))
                stop.wait(rng.uniform(*TOGGLE))
            proxy.set_mode("pass")

        def seat_worker(i: int) -> None:
            local.offset = offsets[i]
            wrng = random.Random(i)
            end = time.monotonic() + SECONDS
            mine: list[str] = []
            try:
                for r in range(100_000):
                    if time.monotonic() > end:
                        break
                    if i == 0 and r == 3:
                        local.offset -= 3 * HOUR  # the clock jumps back
                    mine += add_tickets(
                        seats[i],
                        f"V{i}",
                        wrng.randint(1, 3),
                        seed=1000 * i + r + 1,
                        operator=logins[i],
                    )
                    edit_ticket(
                        seats[i], wrng.choice(mine), actor=logins[i], notes_append=f"[r{r}]"
                    )
                    engines[i].sync_once()
                    time.sleep(wrng.uniform(0.0, 0.2))
                created[i] = len(mine)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        chaos_thread = threading.Thread(target=chaos, daemon=True)
        chaos_thread.start()
        workers = [
            threading.Thread(target=seat_worker, args=(i,), daemon=True) for i in range(SEATS)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=SECONDS + 120)
        stop.set()
        chaos_thread.join(timeout=10)
        assert not errors, errors
        # Healed: every seat drains within 30 s.
        healed = time.monotonic()
        deadline = healed + 30
        for i, engine in enumerate([*engines, lead]):
            local.offset = offsets[i] if i < SEATS else timedelta(0)
            while True:
                report = engine.sync_once()
                if report.ok and report.queue == 0:
                    break
                assert time.monotonic() < deadline, report
        drained = time.monotonic() - healed
        for i, engine in enumerate(engines):  # second pass: everyone sees the last changes
            local.offset = offsets[i]
            assert engine.sync_once().ok
        assert lead.sync_once().ok
    assert drained < 30

    total = sum(created)
    assert total >= SEATS
    outbox_total = 0
    for db in seats:
        with db.read() as s:
            outbox_total += s.execute(text("SELECT count(*) FROM outbox")).scalar() or 0
    with central.admin() as conn:
        assert conn.execute(
            "SELECT count(*), count(DISTINCT number) FROM central.tickets WHERE seat LIKE 'V%'"
        ).fetchone() == (total, total)
        assert (
            conn.execute(
                "SELECT count(*) FROM central.applied_ops WHERE seat LIKE 'V%'"
            ).fetchone()[0]
            == outbox_total
        )
        centre = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                "SELECT id, version, data->>'notes' FROM central.tickets WHERE seat LIKE 'V%'"
            )
        }
        assert conn.execute("SELECT count(*) FROM central.conflicts").fetchone()[0] == 0
    for i, db in enumerate(seats):
        with db.read() as s:
            rows = s.execute(text("SELECT id, server_version, notes FROM tickets")).all()
        assert len(rows) == created[i]  # an operator sees only their own tickets
        for tid, version, notes in rows:
            assert centre[tid] == (version, notes), (i, tid)
    with lead_db.read() as s:
        lead_rows = {
            r[0]: (r[1], r[2])
            for r in s.execute(text("SELECT id, server_version, notes FROM tickets"))
        }
    assert lead_rows == centre  # the shift lead sees every seat's tickets
    for db in [*seats, lead_db]:
        db.dispose()


def test_concurrent_edits_merge_disjoint_fields_and_record_conflicts(
    central: CentralDb, tmp_path: Path
) -> None:
    op_login, lead_login = central.add_login("mo", "operator"), central.add_login("ml", "lead")
    op_db, lead_db = new_seat(tmp_path / "op"), new_seat(tmp_path / "lead")
    try:
        op = SyncEngine(op_db, central.target(op_login), seat="MO", password_lookup=None)
        lead = SyncEngine(lead_db, central.target(lead_login), seat="ML", password_lookup=None)
        (tid,) = add_tickets(op_db, "MO", 1, operator=op_login)
        assert op.sync_once().ok
        assert lead.sync_once().pulled >= 1
        with lead_db.read() as s:
            assert repo.get_ticket(s, tid) is not None
        # Offline at both seats: disjoint fields and appended notes.
        edit_ticket(op_db, tid, actor=op_login, urgency="emergency", notes_append="[op]")
        edit_ticket(lead_db, tid, actor=lead_login, main_unit="LeadUnit", notes_append="[lead]")
        assert op.sync_once().ok
        r = lead.sync_once()
        assert r.merged == 1
        assert r.conflicts == 0
        assert op.sync_once().ok
        with central.admin() as conn:
            data = conn.execute(
                "SELECT data FROM central.tickets WHERE id = %s", (tid,)
            ).fetchone()[0]
        assert data["urgency"] == "emergency"
        assert data["main_unit"] == "LeadUnit"
        assert data["notes"].endswith("[op][lead]")
        for db in (op_db, lead_db):
            with db.read() as s:
                t = repo.get_ticket(s, tid)
                assert t is not None
                assert (t.urgency, t.main_unit, t.notes) == (
                    data["urgency"],
                    data["main_unit"],
                    data["notes"],
                )
        # The same field changed at both seats: the first wins, the second becomes a conflict.
        edit_ticket(op_db, tid, actor=op_login, category_name="A")
        edit_ticket(lead_db, tid, actor=lead_login, category_name="B")
        assert op.sync_once().ok
        r = lead.sync_once()
        assert r.conflicts == 1
        with central.admin() as conn:
            fields, local, remote = conn.execute(
                "SELECT fields, local, remote FROM central.conflicts WHERE ticket_id = %s", (tid,)
            ).fetchone()
            assert (
                conn.execute(
                    "SELECT data->>'category_name' FROM central.tickets WHERE id = %s", (tid,)
                ).fetchone()[0]
                == "A"
            )
        assert fields == ["category_name"]
        assert local == {"category_name": "B"}
        assert remote == {"category_name": "A"}
        with lead_db.read() as s:
            assert (
                s.execute(
                    text("SELECT count(*) FROM conflicts WHERE ticket_id = :t"), {"t": tid}
                ).scalar()
                == 1
            )
            assert repo.get_ticket(s, tid).category_name == "A"  # converged to the centre
        with central.server.connect(central.name, lead_login) as conn:
            assert (
                conn.execute(
                    "SELECT count(*) FROM central.conflicts WHERE resolved_at IS NULL"
                ).fetchone()[0]
                >= 1
            )
    finally:
        op_db.dispose()
        lead_db.dispose()


STEP = st.tuples(
    st.integers(0, 1), st.sampled_from(["category_name", "main_unit", "notes", "sync"])
)


@pytest.mark.soak
def test_random_interleavings_of_two_seats_lose_no_edit_and_ignore_clocks(
    central: CentralDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R6 (and R7): an operator and a shift lead edit one ticket in random interleavings of
    edits and syncs.  Every edit ends in the final state, in the event log (followed by a later
    change of that field) or in a conflict row; notes keep every appended piece once; both seats
    equal the centre.  The same interleaving with the seats' clocks off by +36 h / -36 h (and
    the lead's jumping back 5 h) ends in the same centre state, timestamps aside."""
    op_login, lead_login = central.add_login("ri", "operator"), central.add_login("rl", "lead")
    dbs = [new_seat(tmp_path / "op"), new_seat(tmp_path / "lead")]
    logins, roles = [op_login, lead_login], ["operator", "lead"]
    real_now = timeutil.now
    offset = [timedelta(0)]
    offsets = [timedelta(0), timedelta(0)]

    def now() -> Any:
        return real_now() + offset[0]

    monkeypatch.setattr(timeutil, "now", now)

    def clock_of(i: int) -> Any:
        return lambda: real_now() + offsets[i]

    engines = [
        SyncEngine(db, central.target(login), seat=seat, password_lookup=None, clock=clock_of(i))
        for i, (db, login, seat) in enumerate(zip(dbs, logins, ["RO", "RL"], strict=True))
    ]

    def at(i: int) -> None:
        offset[0] = offsets[i]

    def sync(i: int) -> None:
        at(i)
        assert engines[i].sync_once().ok

    def play(steps: list[tuple[int, str]], skew: bool) -> dict[str, Any]:
        offsets[:] = [timedelta(hours=36), -timedelta(hours=36)] if skew else [timedelta(0)] * 2
        at(0)
        (tid,) = add_tickets(dbs[0], "RO", 1, operator=op_login)
        sync(0)
        sync(1)
        edits: list[tuple[str, str, str]] = []  # (field, value, op key)
        marks = []
        for n, (i, what) in enumerate(steps):
            if skew and i == 1 and n == len(steps) // 2:
                offsets[1] -= timedelta(hours=10)  # the lead's clock jumps back
            if what == "sync":
                sync(i)
                continue
            at(i)
            if what == "notes":
                marks.append(f"[n{n}]")
                edit_ticket(dbs[i], tid, actor=logins[i], role=roles[i], notes_append=marks[-1])
            else:
                edit_ticket(dbs[i], tid, actor=logins[i], role=roles[i], **{what: f"v{n}"})
            with dbs[i].read() as s:
                key = s.execute(
                    text(
                        "SELECT idempotency_key FROM outbox WHERE ticket_id = :t"
                        " ORDER BY id DESC LIMIT 1"
                    ),
                    {"t": tid},
                ).scalar()
            if what != "notes":
                edits.append((what, f"v{n}", str(key)))
        for _ in range(2):
            sync(0)
            sync(1)
        with central.admin() as conn:
            data = conn.execute(
                "SELECT data FROM central.tickets WHERE id = %s", (tid,)
            ).fetchone()[0]
            events = conn.execute(
                "SELECT seq, op_key, kind, actor_id, data FROM central.ticket_events"
                " WHERE ticket_id = %s ORDER BY seq",
                (tid,),
            ).fetchall()
            conflicts = conn.execute(
                "SELECT op_key, fields, local, remote FROM central.conflicts WHERE ticket_id = %s"
                " ORDER BY id",
                (tid,),
            ).fetchall()
            statuses = dict(
                conn.execute(
                    "SELECT key, status FROM central.applied_ops WHERE ticket_id = %s", (tid,)
                ).fetchall()
            )
        for field_, value, key in edits:
            assert statuses.get(key) not in (None, "rejected"), (field_, value)
            if data[field_] == value:
                continue
            if any(
                k == key and field_ in f and loc.get(field_) == value for k, f, loc, _r in conflicts
            ):
                continue
            logged = [e for e in events if e[1] == key and field_ in e[4].get("fields", [])]
            later = [
                e
                for e in events
                if logged and e[0] > logged[0][0] and field_ in e[4].get("fields", [])
            ]
            assert logged, f"edit {field_}={value} lost"
            assert later, f"edit {field_}={value} lost"
        for mark in marks:
            assert data["notes"].count(mark) == 1, mark
        for db in dbs:
            with db.read() as s:
                t = repo.get_ticket(s, tid)
                assert t is not None
                assert (t.category_name, t.main_unit, t.notes) == (
                    data["category_name"],
                    data["main_unit"],
                    data["notes"],
                )
        return {
            "data": {k: data[k] for k in ("category_name", "main_unit", "notes", "status")},
            "events": [(e[2], e[3], e[4]) for e in events],
            "conflicts": [(c[1], c[2], c[3]) for c in conflicts],
            "statuses": sorted(statuses.values()),
        }

    @settings(
        max_examples=size(6, 200),
        deadline=None,
        derandomize=not SOAK,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(STEP, min_size=1, max_size=size(8, 20)))
    def check(steps: list[tuple[int, str]]) -> None:
        assert play(steps, skew=False) == play(steps, skew=True)

    try:
        check()
    finally:
        for db in dbs:
            db.dispose()


def test_edit_from_a_seat_72_hours_behind_the_creating_seat_is_sent(
    central: CentralDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R7 at the edges: the creating seat's clock +36 h, the editing seat's -36 h."""
    op_login, lead_login = central.add_login("sk", "operator"), central.add_login("sl", "lead")
    op_db, lead_db = new_seat(tmp_path / "op"), new_seat(tmp_path / "lead")
    real_now = timeutil.now
    ahead, behind = (lambda: real_now() + 36 * HOUR), (lambda: real_now() - 36 * HOUR)
    try:
        op = SyncEngine(
            op_db, central.target(op_login), seat="SO", password_lookup=None, clock=ahead
        )
        lead = SyncEngine(
            lead_db, central.target(lead_login), seat="SL", password_lookup=None, clock=behind
        )
        monkeypatch.setattr(timeutil, "now", ahead)
        (tid,) = add_tickets(op_db, "SO", 1, operator=op_login)
        assert op.sync_once().ok
        monkeypatch.setattr(timeutil, "now", behind)
        assert lead.sync_once().ok
        edit_ticket(lead_db, tid, actor=lead_login, role="lead", main_unit="Behind")
        report = lead.sync_once()
        assert report.undelivered == 0, report.error
        assert (
            central.scalar("SELECT data->>'main_unit' FROM central.tickets WHERE id = %s", tid)
            == "Behind"
        )
    finally:
        op_db.dispose()
        lead_db.dispose()
