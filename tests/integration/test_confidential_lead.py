"""Confidential (保密) callers at a shift lead's seat (issue #20, R10/R12): the lead's seat
pulls them masked and never holds them in clear, not even in a page of its file; a lead
reveals one at the centre for a callback, audited there before the value comes back;
anyone else is refused; a seat that held clear copies masks them at its next sync."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sqlalchemy import select

from agent_app.cli import main
from agent_app.domain.lifecycle import Status
from agent_app.domain.ticket import Caller
from agent_app.paths import DataPaths
from agent_app.services import confidential, followup
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from agent_app.storage.db import Database
from agent_app.storage.models import OutboxRow, SyncShadowRow
from tests.helpers.pg import CentralDb, add_tickets, edit_ticket, new_seat, throwaway_centre
from tests.helpers.sqlcipher_pages import decrypted_pages

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"
CANARY_NAME = "甄鹬鹕"  # appears nowhere else
CANARY_PHONE = "13800138000"
CLEAR_NAME = "钱鹪鹩"  # an ordinary (not confidential) caller: the lead's seat keeps it clear
CLEAR_PHONE = "13911112222"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def _needles(*texts: str) -> list[bytes]:
    return [t.encode(enc) for t in texts for enc in ("utf-8", "utf-16-le")]


def _pages(root: Path, db: Database) -> bytes:
    """Every page of the seat's file, decrypted, after the WAL was copied in and emptied."""
    path = db.path
    db.dispose()
    conn = cipher.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return decrypted_pages(path, cipher.key_for(path))


def _set_caller(db: Database, ticket_id: str, caller: Caller) -> None:
    with db.write() as s:
        t = repo.get_ticket(s, ticket_id)
        assert t is not None
        repo.save_ticket(s, dataclasses.replace(t, caller=caller))


def _sync(central: CentralDb, db: Database, login: str, seat: str) -> Any:
    report = SyncEngine(db, central.target(login), seat=seat, password_lookup=None).sync_once()
    assert report.ok, report
    return report


@pytest.fixture(scope="module")
def world(central: CentralDb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An operator's seat took three calls, dispatched to the street: a confidential caller
    (the canary) whose ticket the street replied to (waiting for its callback), another
    confidential one still with the street, and an ordinary caller."""
    op = central.add_login("cf_op", "operator")
    street = central.add_login("cf_street", "handler", units=(STREET,))
    root = tmp_path_factory.mktemp("cf") / "op"
    db = new_seat(root)
    try:
        replied, waiting, ordinary = add_tickets(db, "CF1", 3, unit=STREET, operator=op)
        _set_caller(db, replied, Caller(CANARY_NAME, ("+86" + CANARY_PHONE,), confidential=True))
        _set_caller(db, waiting, Caller("孙鹡鸰", ("+8613700001111",), confidential=True))
        _set_caller(db, ordinary, Caller(CLEAR_NAME, ("+86" + CLEAR_PHONE,)))
        assert _sync(central, db, op, "CF1").rejected == 0
        with db.read() as s:
            number = {tid: repo.get_ticket(s, tid).number for tid in (replied, waiting)}  # type: ignore[union-attr]
    finally:
        db.dispose()
    for action, extra in (
        ("sign", []),
        ("contact", []),
        ("reply", ["--text", "已处理", "--result", "resolved"]),
    ):
        assert main(["unit", action, number[replied], *extra, "--url", central.url(street)]) == 0
    assert main(["unit", "sign", number[waiting], "--url", central.url(street)]) == 0
    return {"op": op, "street": street, "replied": replied, "waiting": waiting, "ordinary": ordinary,
            "op_root": root}  # fmt: skip


def test_a_leads_seat_never_holds_a_confidential_caller_in_clear(
    central: CentralDb, world: dict[str, Any], tmp_path: Path
) -> None:
    lead = central.add_login("cf_lead", "lead")
    db = new_seat(tmp_path / "lead")
    report = _sync(central, db, lead, "CF2")
    assert report.pulled == 3
    with db.read() as s:
        t = repo.get_ticket(s, world["replied"])
        plain = repo.get_ticket(s, world["ordinary"])
    assert t is not None
    assert plain is not None
    assert (t.caller.name, t.caller.phones, t.caller.confidential) == ("***", ("*" * 13,), True)
    assert confidential.held_masked(t)
    # an ordinary caller is pulled as before (masked on screen, in clear in the file)
    assert (plain.caller.name, plain.caller.phones) == (CLEAR_NAME, ("+86" + CLEAR_PHONE,))
    assert not confidential.held_masked(plain)
    pages = _pages(tmp_path / "lead", db)
    assert [n for n in _needles(CANARY_NAME, CANARY_PHONE) if n in pages] == []
    assert CLEAR_NAME.encode() in pages  # the check can see a caller where there is one
    # the operator who took the call still holds its caller (the positive control)
    op_db = new_seat(world["op_root"])
    assert CANARY_NAME.encode() in _pages(world["op_root"], op_db)


def test_the_reveal_is_audited_at_the_centre_first_and_only_for_the_callback_role(
    central: CentralDb, world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    lead = central.add_login("cf_lead2", "lead")
    auditor = central.add_login("cf_aud", "auditor")

    def reveal(login: str, ticket_id: str) -> confidential.RevealedCaller:
        return confidential.reveal(
            central.target(login), ticket_id, "回访 13812345678", password_lookup=None
        )

    got = reveal(lead, world["replied"])
    assert (got.name, got.phones) == (CANARY_NAME, ("+86" + CANARY_PHONE,))
    assert got.audit_seq == central.scalar(
        "SELECT max(seq) FROM central.audit_log WHERE seat = '@centre'"
    )
    # the handler, the operator who took it, and a lead for a ticket not waiting: refused
    with pytest.raises(confidential.RevealRefused, match="may not reveal a confidential caller"):
        reveal(world["street"], world["replied"])
    with pytest.raises(confidential.RevealRefused, match="may not reveal a confidential caller"):
        reveal(world["op"], world["replied"])
    with pytest.raises(confidential.RevealRefused, match="is not waiting for a callback"):
        reveal(lead, world["waiting"])
    # no audit row, no value: an audit write that fails returns nothing
    with central.admin() as conn:
        conn.execute(
            "CREATE FUNCTION central.t_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit store down'; END $$"
        )
        conn.execute(
            "CREATE TRIGGER t_refuse BEFORE INSERT ON central.audit_log "
            "FOR EACH ROW EXECUTE FUNCTION central.t_refuse()"
        )
    try:
        with pytest.raises(confidential.RevealRefused, match="audit store down"):
            reveal(lead, world["replied"])
    finally:
        with central.admin() as conn:
            conn.execute("DROP TRIGGER t_refuse ON central.audit_log")
            conn.execute("DROP FUNCTION central.t_refuse()")
    code, rows, _ = _cli(capsys, "audit", "list", "--url", central.url(auditor), "--json")
    assert code == 0
    reveals = [r for r in rows if r["seat"] == "@centre"]
    assert [(r["action"], r["ticket_id"], r["login"], r["actor_id"], r["field"]) for r in reveals] == [
        ("callback_reveal", world["replied"], lead, lead, "caller")
    ]  # fmt: skip
    assert reveals[0]["detail"] == "回访 *******5678"  # a number in the reason is masked
    code, verdict, _ = _cli(capsys, "audit", "verify", "--url", central.url(auditor), "--json")
    assert (code, verdict[0]["ok"]) == (0, True)


def test_offline_the_reveal_says_so(world: dict[str, Any]) -> None:
    target = parse_url("postgresql://cf@127.0.0.1:9/hotline", connect_timeout=1)  # nothing there
    with pytest.raises(confidential.RevealOffline, match="cannot be shown offline"):
        confidential.reveal(target, world["replied"], password_lookup=None)
    with pytest.raises(confidential.RevealOffline, match="no centre configured"):
        confidential.reveal(None, world["replied"], password_lookup=None)


def test_a_leads_seat_that_held_clear_copies_masks_them_at_its_next_sync(
    central: CentralDb, world: dict[str, Any], tmp_path: Path
) -> None:
    lead = central.add_login("cf_lead3", "lead")
    db = new_seat(tmp_path / "lead")
    # A centre before c0009 gave the table in clear (no login reads it since c0010): the
    # same rows from a view of the test's own, as the superuser reads them.
    old_centre = f"{central.prefix}_before_c0009"
    with central.admin() as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {old_centre}")
        conn.execute(
            f"CREATE OR REPLACE VIEW {old_centre}.tickets AS "
            "SELECT id, version, data FROM central.tickets"
        )
        conn.execute(f"GRANT USAGE ON SCHEMA {old_centre} TO {lead}")
        conn.execute(f"GRANT SELECT ON {old_centre}.tickets TO {lead}")
    old = SyncEngine(db, central.target(lead), seat="CF3", password_lookup=None)
    table = f"SELECT id, version, data FROM {old_centre}.tickets WHERE id = ANY(%s)"
    old._pull_sql = lambda conn: table  # type: ignore[method-assign]  # noqa: SLF001 - before c0009
    assert old.sync_once().pulled == 3
    with db.read() as s:
        held = repo.get_ticket(s, world["replied"])
    assert held is not None
    assert held.caller.name == CANARY_NAME
    _sync(central, db, lead, "CF3")  # the centre masks now: so does the seat
    with db.read() as s:
        t = repo.get_ticket(s, world["replied"])
        shadow = s.get(SyncShadowRow, world["replied"])
    assert t is not None
    assert confidential.held_masked(t)
    # masked exactly as the centre's pull masks it (the merge base compares equal)
    with psycopg.connect(central.url(lead)) as conn:
        (pulled,) = conn.execute(
            "SELECT data->'caller' FROM central.pull_tickets(%s)", ([world["replied"]],)
        ).fetchone()
    assert shadow is not None
    assert shadow.data["caller"] == pulled
    assert (t.caller.name, list(t.caller.phones)) == (pulled["name"], pulled["phones"])
    pages = _pages(tmp_path / "lead", db)
    assert [n for n in _needles(CANARY_NAME, CANARY_PHONE) if n in pages] == []
    assert CLEAR_NAME.encode() in pages


def test_a_callback_recorded_at_the_leads_seat_never_sends_the_masked_caller_back(
    central: CentralDb, world: dict[str, Any], tmp_path: Path
) -> None:
    lead = central.add_login("cf_lead4", "lead")
    root = tmp_path / "lead"
    db = new_seat(root)
    try:
        _sync(central, db, lead, "CF4")
        with db.read() as s:
            held = repo.get_ticket(s, world["replied"])
        assert held is not None
        assert confidential.held_masked(held)
        done = followup.record_callback(
            db,
            DataPaths(root),
            held.number,
            resolved=True,
            satisfaction="满意",
            words="问题已解决",
        )  # the seat acts as its central login (the last sync's: a lead)
        assert done.status is Status.CLOSED
        report = _sync(central, db, lead, "CF4")
        assert (report.pushed, report.rejected, report.conflicts) == (1, 0, 0)
        with db.read() as s:
            after = repo.get_ticket(s, world["replied"])
        assert after is not None
        assert confidential.held_masked(after)  # pulled back masked
    finally:
        db.dispose()
    with central.admin() as conn:
        status, caller = conn.execute(
            "SELECT status, data->'caller' FROM central.tickets WHERE id = %s",
            (world["replied"],),
        ).fetchone()
    assert status == "CLOSED"
    assert (caller["name"], caller["phones"]) == (CANARY_NAME, ["+86" + CANARY_PHONE])


def test_a_masked_copy_sent_back_never_replaces_the_clear_caller(
    central: CentralDb, world: dict[str, Any], tmp_path: Path
) -> None:
    """Even a change that names the masked caller as changed (a seat without a merge base, an
    older app) leaves the centre's clear caller as it was (tickets_keep_clear_caller)."""
    lead = central.add_login("cf_lead5", "lead")
    db = new_seat(tmp_path / "lead")
    try:
        _sync(central, db, lead, "CF5")
        edit_ticket(db, world["waiting"], actor=lead, role="lead", notes_append=" 班长备注")
        with db.read() as s:
            payload = s.scalars(
                select(OutboxRow.payload)
                .where(OutboxRow.ticket_id == world["waiting"])
                .order_by(OutboxRow.id.desc())
            ).first()
            shadow = s.get(SyncShadowRow, world["waiting"])
    finally:
        db.dispose()
    assert payload is not None
    assert shadow is not None
    assert payload["caller"]["name"] == "***"  # the seat's copy is masked
    op = {"key": str(uuid.uuid4()), "ticket_id": world["waiting"], "op": "upsert_ticket",
          "payload": {**payload, "events": []}, "base_version": shadow.version,
          "changed": ["caller", "notes"], "notes_append": ""}  # fmt: skip
    with psycopg.connect(central.url(lead), autocommit=True) as conn:
        (answer,) = conn.execute(
            "SELECT central.apply_batch(%s, %s, '{}'::jsonb)", ("CF5", Jsonb([op]))
        ).fetchone()
    assert answer["results"][0]["status"] in ("applied", "merged"), answer
    with central.admin() as conn:
        notes, caller = conn.execute(
            "SELECT data->>'notes', data->'caller' FROM central.tickets WHERE id = %s",
            (world["waiting"],),
        ).fetchone()
    assert notes.endswith(" 班长备注")  # the change itself arrived
    assert (caller["name"], caller["phones"]) == ("孙鹡鸰", ["+8613700001111"])
