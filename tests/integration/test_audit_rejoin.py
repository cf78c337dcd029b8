"""A seat put back from a backup re-joins its access-audit chain (issue #20): at its next sync it
copies back the rows the centre holds and it lost, re-sequences the rows it wrote since the
restore (never sent) after them, and sends those; no row is lost at either end, and both
'audit verify --data-dir' and '--url' stay ok.  A changed row is held, never re-chained."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.exc import DBAPIError

from agent_app.cli import main
from agent_app.domain import audit_chain
from agent_app.paths import DataPaths
from agent_app.services import audit
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage.db import Database
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _record(db: Database, n: int, actor: str) -> None:
    base = datetime(2026, 12, 6, 5, 0, 0, 123456, tzinfo=UTC)
    for i in range(n):
        audit.record_access(
            db,
            action=audit.UNMASK,
            ticket_id=f"t{i}",
            field=audit.FIELD_PHONE,
            actor=actor,
            role="operator",
            reason="caller number shown",
            clock=lambda i=i: base + timedelta(minutes=i),
        )


def _engine(central: CentralDb, db: Database, login: str, seat: str) -> SyncEngine:
    return SyncEngine(db, central.target(login), seat=seat, password_lookup=None)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any]]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def _offline_row(db: Database, actor: str, n: int) -> None:
    audit.record_access(
        db,
        action=audit.EXPORT,
        ticket_id=f"after-restore-{n}",
        field=audit.FIELD_CALLER,
        actor=actor,
        role="operator",
        reason="written after the restore, before a sync",
    )


def _restored(
    central: CentralDb, root: Path, seat: str, capsys: pytest.CaptureFixture[str]
) -> tuple[str, Database]:
    """A seat that wrote rows 1-3 (sent), 4-5, was backed up, then wrote and sent 6-8, lost
    its file and is put back from that backup: its trail ends at 5, the centre's at 8.  (A
    replaced file still there would give rows 6-8 back at the restore: see
    test_restore_salvage.py.)"""
    op = central.add_login(f"rj_{seat.lower()}", "operator")
    db = new_seat(root)
    try:
        add_tickets(db, seat, 1, operator=op)
        _record(db, 3, op)
        assert _engine(central, db, op, seat).sync_once().audit_pushed == 3
        _record(db, 2, op)
        assert main(["db", "backup", "--data-dir", str(root)]) == 0
        _record(db, 3, op)
        assert _engine(central, db, op, seat).sync_once().audit_pushed == 5
    finally:
        db.dispose()
    database = DataPaths(root).database
    for lost in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        lost.unlink(missing_ok=True)  # the disk lost it: nothing to salvage rows from
    capsys.readouterr()
    assert main(["db", "restore", "--data-dir", str(root)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert len(said) == 2
    assert "re-joined with the centre's copy at the next sync" in said[1]
    db = new_seat(root)
    assert audit.last_seq(db) == 5
    return op, db


def _centre_chain(central: CentralDb, seat: str) -> list[tuple[int, str]]:
    with central.admin() as conn:
        rows = conn.execute(
            "SELECT seq, hash FROM central.audit_log WHERE seat = %s ORDER BY seq", (seat,)
        ).fetchall()
    return [(int(seq), str(digest)) for seq, digest in rows]


def test_a_seat_put_back_from_a_backup_rejoins_the_centres_chain(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "seat"
    op, db = _restored(central, root, "RJ1", capsys)
    auditor = central.add_login("rj_a", "auditor")
    try:
        _offline_row(db, op, 1)  # offline work right after the restore: seq 6 and 7 locally
        _offline_row(db, op, 2)
        report = _engine(central, db, op, "RJ1").sync_once()
        assert report.ok
        assert (report.audit_rejoined, report.audit_resequenced) == (3, 2)
        assert (report.audit_pushed, report.audit_refused) == (2, "")
        mine = audit.entries(db)
        # the seat holds every row the centre has, and the centre every row of the seat
        assert [(e.seq, e.hash) for e in mine] == _centre_chain(central, "RJ1")
        assert [e.seq for e in mine] == list(range(1, 11))
        assert [e.ticket_id for e in mine[5:8]] == ["t0", "t1", "t2"]  # from the centre
        assert [e.ticket_id for e in mine[8:]] == ["after-restore-1", "after-restore-2"]
        assert {e.action for e in mine[8:]} == {audit.EXPORT}
        again = _engine(central, db, op, "RJ1").sync_once()  # nothing more to do
        assert (again.audit_rejoined, again.audit_pushed, again.audit_refused) == (0, 0, "")
        with db.writer.connect() as conn, pytest.raises(DBAPIError):  # still append-only
            conn.exec_driver_sql("DELETE FROM audit_log WHERE id = 9")
    finally:
        db.dispose()
    code, seat_verdict = _cli(capsys, "audit", "verify", "--data-dir", str(root), "--json")
    assert (code, seat_verdict[0]) == (0, {"ok": True, "rows": 10, "first_break": None})
    code, centre_verdict = _cli(capsys, "audit", "verify", "--url", central.url(auditor), "--json")
    assert (code, centre_verdict[0]) == (0, {"ok": True, "rows": 10, "first_break": None})


def test_a_restored_seat_without_new_rows_gets_the_centres_back(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op, db = _restored(central, tmp_path / "seat", "RJ2", capsys)
    try:
        report = _engine(central, db, op, "RJ2").sync_once()
        assert (report.audit_rejoined, report.audit_resequenced, report.audit_refused) == (3, 0, "")
        assert [(e.seq, e.hash) for e in audit.entries(db)] == _centre_chain(central, "RJ2")
        _offline_row(db, op, 1)  # the next row continues the centre's chain
        assert _engine(central, db, op, "RJ2").sync_once().audit_pushed == 1
        assert audit.verify_seat(db).as_dict() == {"ok": True, "rows": 9, "first_break": None}
    finally:
        db.dispose()


def test_a_changed_row_is_held_not_rechained(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op, db = _restored(central, tmp_path / "seat", "RJ3", capsys)
    try:
        _offline_row(db, op, 1)
        with db.writer.connect() as conn:  # someone with the key edits it before the sync
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("UPDATE audit_log SET detail = 'edited' WHERE id = 6")
            conn.commit()
        before = [(e.seq, e.hash, e.detail) for e in audit.entries(db)]
        report = _engine(central, db, op, "RJ3").sync_once()
        assert report.ok  # the tickets' sync goes on
        assert report.audit_refused == "seq 6: seat_row_changed"
        assert (report.audit_rejoined, report.audit_pushed) == (0, 0)
        # nothing changed on either side: a fresh hash would hide the edit
        assert [(e.seq, e.hash, e.detail) for e in audit.entries(db)] == before
        assert len(_centre_chain(central, "RJ3")) == 8
        assert audit.verify_seat(db).first_break == audit_chain.Break("", 6, "hash_mismatch")
    finally:
        db.dispose()


def test_only_the_seats_own_login_reads_its_tail(central: CentralDb, tmp_path: Path) -> None:
    op = central.add_login("rj_own", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "RJ5", 1, operator=op)
        _record(db, 2, op)
        assert _engine(central, db, op, "RJ5").sync_once().audit_pushed == 2
    finally:
        db.dispose()
    with central.server.connect(central.name, op) as conn:
        tail = conn.execute("SELECT central.audit_tail('RJ5', 1, 10)").fetchone()[0]
    assert (tail["last_seq"], [r["seq"] for r in tail["rows"]]) == (2, [2])
    assert tail["last_hash"] == tail["rows"][0]["hash"]
    for login in (
        central.add_login("rj_other", "operator"),
        central.add_login("rj_h", "handler", units=("U1",)),
        central.add_login("rj_aud", "auditor"),
    ):
        with (
            central.server.connect(central.name, login) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("SELECT central.audit_tail('RJ5', 0, 10)")


def test_rows_the_centre_lost_are_sent_again(central: CentralDb, tmp_path: Path) -> None:
    op = central.add_login("rj_lost", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "RJ6", 1, operator=op)
        _record(db, 5, op)
        assert _engine(central, db, op, "RJ6").sync_once().audit_pushed == 5
        with central.admin() as conn:  # the centre put back from a backup that had rows 1-3
            conn.execute("ALTER TABLE central.audit_log DISABLE TRIGGER audit_log_no_change")
            conn.execute("DELETE FROM central.audit_log WHERE seat = 'RJ6' AND seq > 3")
            conn.execute("ALTER TABLE central.audit_log ENABLE TRIGGER audit_log_no_change")
        report = _engine(central, db, op, "RJ6").sync_once()
        assert (report.audit_pushed, report.audit_refused) == (2, "")
        assert [(e.seq, e.hash) for e in audit.entries(db)] == _centre_chain(central, "RJ6")
    finally:
        db.dispose()
