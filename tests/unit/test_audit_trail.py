"""R10/R11 at the seat: every access is one hash-chained, append-only audit row; a changed,
rewritten or removed row is found by 'audit verify'; seats migrated from 0006 are chained."""

from __future__ import annotations

import json
import os
import shutil
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agent_app.cli import main
from agent_app.domain import audit_chain
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.paths import DataPaths
from agent_app.services import audit
from agent_app.storage import repository as repo
from agent_app.storage import schema
from agent_app.storage.db import Database, single_engine
from agent_app.storage.seat import open_database


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, empty seat file; each test gets a copy (a migration costs a second)."""
    paths = DataPaths(tmp_path_factory.mktemp("template") / "seat").ensure()
    open_database(paths).dispose()
    return paths.database


@pytest.fixture
def seat(tmp_path: Path, template: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "seat").ensure()
    for suffix in ("", "-wal"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{paths.database}{suffix}")
            os.chmod(f"{paths.database}{suffix}", 0o600)
    return paths


def _record(db: Database, n: int, start: int = 0) -> list[audit.AuditEntry]:
    base = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
    return [
        audit.record_access(
            db,
            action=audit.UNMASK,
            ticket_id=f"t{i}",
            field=audit.FIELD_PHONE,
            actor="op001",
            role="operator",
            reason="caller number shown",
            clock=lambda i=i: base + timedelta(seconds=i, microseconds=7),
        )
        for i in range(start, start + n)
    ]


def _as_owner(db: Database, *statements: str) -> None:
    """What someone holding the key can do with sqlite3 by hand (the seat's 'superuser')."""
    with db.writer.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
        conn.commit()


def _verify_cli(seat: DataPaths, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["audit", "verify", "--data-dir", str(seat.root), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_rows_form_a_chain_and_the_app_cannot_change_or_delete_them(seat: DataPaths) -> None:
    db = open_database(seat)
    try:
        rows = _record(db, 3)
        assert [r.seq for r in rows] == [1, 2, 3]
        assert rows[0].prev_hash == audit_chain.GENESIS
        assert rows[1].prev_hash == rows[0].hash
        assert rows[2].prev_hash == rows[1].hash
        assert audit.verify_seat(db).as_dict() == {"ok": True, "rows": 3, "first_break": None}
        for statement in (
            "UPDATE audit_log SET detail = 'x' WHERE id = 2",
            "DELETE FROM audit_log WHERE id = 2",
        ):
            with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
                s.execute(text(statement))
        assert len(audit.entries(db)) == 3
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (["UPDATE audit_log SET actor_id = 'someone' WHERE id = 4"], "hash_mismatch"),
        (["UPDATE audit_log SET at = '2026-12-07 00:00:00.000000' WHERE id = 4"], "hash_mismatch"),
        (["DELETE FROM audit_log WHERE id = 4"], "missing_rows"),
    ],
)
def test_an_edit_of_row_k_is_reported_at_k(
    seat: DataPaths, capsys: pytest.CaptureFixture[str], tamper: list[str], problem: str
) -> None:
    db = open_database(seat)
    try:
        _record(db, 6)
        _as_owner(
            db,
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
            *tamper,
        )
    finally:
        db.dispose()
    code, out = _verify_cli(seat, capsys)
    assert code == 1
    assert out["ok"] is False
    assert out["first_break"]["seq"] == 4
    assert out["first_break"]["problem"] == problem


def test_a_rewritten_row_with_a_recomputed_hash_is_still_found(seat: DataPaths) -> None:
    db = open_database(seat)
    try:
        rows = _record(db, 5)
        forged = {**rows[2].as_dict(), "detail": "nothing to see"}
        forged["hash"] = audit_chain.row_hash(forged)
        _as_owner(
            db,
            "DROP TRIGGER audit_log_no_update",
            f"UPDATE audit_log SET detail = 'nothing to see', hash = '{forged['hash']}' "
            "WHERE id = 3",
        )
        result = audit.verify_seat(db, "S01").as_dict()
    finally:
        db.dispose()
    assert result["first_break"] == {"seat": "S01", "seq": 3, "problem": "hash_rewritten"}


def test_an_intact_seat_verifies_and_an_empty_one_too(
    seat: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(seat)
    db.dispose()
    assert _verify_cli(seat, capsys) == (0, {"ok": True, "rows": 0, "first_break": None})
    db = open_database(seat)
    try:
        _record(db, 2)
    finally:
        db.dispose()
    assert _verify_cli(seat, capsys) == (0, {"ok": True, "rows": 2, "first_break": None})


def test_unknown_actions_and_over_long_values_are_refused(seat: DataPaths) -> None:
    db = open_database(seat)
    try:
        entry = audit.record_access(
            db, action=audit.EXPORT, ticket_id="", field="", actor="op001", role="lead",
            reason="sent to 13812345678 by request",
        )  # fmt: skip
        assert entry.detail == "sent to 138****5678 by request"  # the trail holds no number
        with pytest.raises(ValueError, match="unknown audit action"):
            audit.record_access(
                db, action="peek", ticket_id="", field="", actor="op001", role="operator"
            )
        with pytest.raises(ValueError, match="reason"):
            audit.record_access(
                db,
                action=audit.EXPORT,
                ticket_id="",
                field="",
                actor="op001",
                role="lead",
                reason="x" * 300,
            )
        assert audit.entries(db) == [entry]  # nothing of the refused ones was stored
    finally:
        db.dispose()


def test_a_seat_of_the_previous_schema_is_chained_when_migrated(seat: DataPaths) -> None:
    db = open_database(seat)  # creates the file at HEAD; take it back to 0006 by hand
    db.dispose()
    engine = single_engine(seat.database)
    try:
        with engine.connect() as conn:
            cfg = schema.alembic_config(seat.database)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006_lead_desk")
            for i in range(1, 4):
                conn.execute(
                    text(
                        "INSERT INTO audit_log (id, at, actor_id, role, action, ticket_id, detail) "
                        "VALUES (:i, :at, 'op001', 'operator', 'unmask_phone', :t, 'shown')"
                    ),
                    {"i": i, "at": f"2026-11-30 0{i}:00:00.000000", "t": f"t{i}"},
                )
            conn.commit()
    finally:
        engine.dispose()
    assert schema.upgrade(seat.database, seat.backups) == schema.HEAD
    db = open_database(seat)
    try:
        assert audit.verify_seat(db).as_dict() == {"ok": True, "rows": 3, "first_break": None}
        new = _record(db, 1)[0]  # the chain goes on from the migrated rows
        assert new.seq == 4
        assert new.prev_hash == audit.entries(db)[2].hash
        assert audit.verify_seat(db).ok
    finally:
        db.dispose()


def test_ticket_show_json_is_an_audited_export(
    seat: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    db = open_database(seat)
    try:
        ticket = Ticket(
            id=Ticket.new_id(), number="20261206-S01-0001", created_at=now, updated_at=now,
            seat="S01", operator_id="op001", caller=Caller(name="王五", phones=("+8613812345678",)),
            events=(TicketEvent(at=now, kind="created", actor_role="operator", actor_id="op001"),),
        )  # fmt: skip
        with db.write() as s:
            repo.save_ticket(s, ticket, now=now)
    finally:
        db.dispose()
    (seat.root / "settings.ini").write_text("[options]\noperator_id=op007\n", encoding="utf-8")
    assert main(["ticket", "show", "20261206-S01-0001", "--data-dir", str(seat.root)]) == 0
    capsys.readouterr()
    db = open_database(seat)
    try:
        assert audit.entries(db) == []  # the text view shows no caller: nothing to audit
    finally:
        db.dispose()
    assert (
        main(["ticket", "show", "20261206-S01-0001", "--data-dir", str(seat.root), "--json"]) == 0
    )
    assert "+8613812345678" in capsys.readouterr().out
    db = open_database(seat)
    try:
        (row,) = audit.entries(db)
    finally:
        db.dispose()
    assert (row.action, row.ticket_id, row.field, row.actor_id) == (
        audit.EXPORT,
        ticket.id,
        "caller",
        "op007",
    )


def test_an_unreachable_centre_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://audit01@127.0.0.1:{port}/hotline?connect_timeout=1"
    for argv in (["audit", "verify", "--url", url, "--json"], ["audit", "list", "--url", url]):
        assert main(argv) == 3
        err = capsys.readouterr().err.strip()
        assert err.startswith("agent-app: error: cannot reach the central database")
        assert len(err.splitlines()) == 1
