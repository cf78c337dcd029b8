"""R5/R6: many seats converge through a faulty link; concurrent edits merge or conflict."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from tests.helpers.pg import CentralDb, add_tickets, edit_ticket, new_seat, require_server
from tests.helpers.proxy import FaultProxy

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def test_eleven_seats_converge_through_a_faulty_proxy(central: CentralDb, tmp_path: Path) -> None:
    n_seats, rounds = 10, 4
    logins = [central.add_login(f"cv{i}", "operator") for i in range(n_seats)]
    lead_login = central.add_login("cvlead", "lead")
    rng = random.Random(7)
    with FaultProxy(central.server.port) as proxy:

        def target(login: str) -> Any:
            return parse_url(
                f"postgresql://{login}@127.0.0.1:{proxy.port}/{central.name}", connect_timeout=1
            )

        seats = [new_seat(tmp_path / f"s{i}") for i in range(n_seats)]
        lead_db = new_seat(tmp_path / "lead")
        engines = [
            SyncEngine(
                db, target(login), seat=f"V{i}", batch_size=7, io_timeout=1.0, password_lookup=None
            )
            for i, (db, login) in enumerate(zip(seats, logins, strict=True))
        ]
        lead = SyncEngine(
            lead_db, target(lead_login), seat="VL", io_timeout=1.0, password_lookup=None
        )
        stop = threading.Event()
        errors: list[BaseException] = []

        def chaos() -> None:
            while not stop.is_set():
                proxy.set_mode(rng.choice(["pass", "pass", "blackhole", "delay", "reset"]))
                stop.wait(rng.uniform(0.15, 0.5))
            proxy.set_mode("pass")

        def seat_worker(i: int) -> None:
            try:
                mine: list[str] = []
                for r in range(rounds):
                    mine += add_tickets(
                        seats[i], f"V{i}", 5, seed=100 * i + r + 1, operator=logins[i]
                    )
                    edit_ticket(seats[i], mine[r], actor=logins[i], notes_append=f"[r{r}]")
                    engines[i].sync_once()
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        chaos_thread = threading.Thread(target=chaos, daemon=True)
        chaos_thread.start()
        workers = [
            threading.Thread(target=seat_worker, args=(i,), daemon=True) for i in range(n_seats)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=120)
        stop.set()
        chaos_thread.join(timeout=5)
        assert not errors, errors
        # Healed: every seat drains within a bounded number of cycles.
        deadline = time.monotonic() + 60
        for engine in [*engines, lead]:
            while True:
                report = engine.sync_once()
                if report.ok and report.queue == 0:
                    break
                assert time.monotonic() < deadline, report
        for engine in engines:  # second pass: everyone sees everyone's last changes
            assert engine.sync_once().ok
        assert lead.sync_once().ok

    total = n_seats * rounds * 5
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
        assert len(rows) == rounds * 5  # an operator sees only their own tickets
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
