"""R11 and the masking rule at the centre: seats' audit rows reach central.audit_log once,
the centre checks each seat's chain, nobody but the auditor reads it, nobody changes it,
'audit verify --url' finds a superuser's edit; handlers read callers masked."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.privacy import mask_phone
from agent_app.domain.ticket import Caller
from agent_app.services import audit
from agent_app.services.demo import DemoGenerator
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import repository as repo
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
            reason="caller number shown（详情）",
            clock=lambda i=i: base + timedelta(minutes=i),
        )


def _engine(central: CentralDb, db: Database, login: str, seat: str) -> SyncEngine:
    return SyncEngine(db, central.target(login), seat=seat, password_lookup=None)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any]]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_rows_reach_the_centre_once_and_only_the_auditor_reads_them(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = central.add_login("aud_op", "operator")
    lead = central.add_login("aud_lead", "lead")
    auditor = central.add_login("aud_a", "auditor")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "AU1", 2, operator=op)
        _record(db, 5, op)
        engine = _engine(central, db, op, "AU1")
        report = engine.sync_once()
        assert report.ok
        assert report.audit_pushed == 5
        assert not report.audit_refused
        _record(db, 2, op)
        assert engine.sync_once().audit_pushed == 2
        assert engine.sync_once().audit_pushed == 0  # nothing new: nothing sent
        # a replay of rows the centre holds (a lost answer) stores nothing twice
        with central.server.connect(central.name, op) as conn:
            rows = audit.unpushed(db, after=0)
            got = conn.execute("SELECT central.push_audit('AU1', %s)", (Jsonb(rows),)).fetchone()
        assert got[0] == {"accepted": 0, "replayed": 7, "refused": None, "last_seq": 7}
        assert central.scalar("SELECT count(*) FROM central.audit_log WHERE seat = 'AU1'") == 7
    finally:
        db.dispose()

    # the app's logins can neither read nor change nor remove it
    for login in (op, lead):
        for sql in (
            "SELECT count(*) FROM central.audit_log",
            "UPDATE central.audit_log SET detail = 'x' WHERE seq = 3",
            "DELETE FROM central.audit_log WHERE seq = 3",
            "INSERT INTO central.audit_log (seat, seq, at, actor_id, role, action, prev_hash, "
            "hash) VALUES ('AU1', 99, now(), 'x', 'x', 'x', 'x', 'x')",
        ):
            with (
                central.server.connect(central.name, login) as conn,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                conn.execute(sql)
    # not even the auditor, and not the superuser while the trigger is on
    for login in (auditor, None):
        for sql in (
            "UPDATE central.audit_log SET detail = 'x' WHERE seq = 3",
            "DELETE FROM central.audit_log WHERE seq = 3",
            "TRUNCATE central.audit_log",
        ):
            with (
                central.server.connect(central.name, login) as conn,
                pytest.raises(psycopg.errors.InsufficientPrivilege),
            ):
                conn.execute(sql)

    # the auditor reads the trail and nothing else: no tickets, masked or not; it cannot send
    for sql in (
        "SELECT count(*) FROM central.tickets",
        "SELECT count(*) FROM central.tickets_masked",
        "SELECT central.push_audit('AU1', '[]')",
    ):
        with (
            central.server.connect(central.name, auditor) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(sql)
    with central.admin() as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (auditor,)
        ).fetchone()
    assert row == (False, False)

    code, listed = _cli(capsys, "audit", "list", "--url", central.url(auditor), "--json")
    assert code == 0
    assert [r["at"] for r in listed] == sorted(r["at"] for r in listed)  # oldest first
    assert {r["seq"] for r in listed} == set(range(1, 8))
    assert listed[0]["detail"] == "caller number shown（详情）"
    assert {r["login"] for r in listed} == {op}
    _code, none = _cli(
        capsys, "audit", "list", "--url", central.url(auditor), "--person", "nobody", "--json"
    )
    assert none == []
    _code, later = _cli(
        capsys, "audit", "list", "--url", central.url(auditor), "--from", "2026-12-07", "--json"
    )
    assert later == []
    code = main(["audit", "list", "--url", central.url(op), "--json"])
    err = capsys.readouterr().err
    assert code != 0
    assert "auditor" in err
    assert len(err.strip().splitlines()) == 1

    code, verdict = _cli(capsys, "audit", "verify", "--url", central.url(auditor), "--json")
    assert (code, verdict[0]["ok"], verdict[0]["first_break"]) == (0, True, None)
    assert verdict[0]["rows"] >= 7

    # a superuser edits row 4 behind the trigger's back: verify names seat and seq
    with central.admin() as conn:
        conn.execute("ALTER TABLE central.audit_log DISABLE TRIGGER audit_log_no_change")
        conn.execute("UPDATE central.audit_log SET actor_id = 'x' WHERE seat = 'AU1' AND seq = 4")
        conn.execute("ALTER TABLE central.audit_log ENABLE TRIGGER audit_log_no_change")
    code, verdict = _cli(capsys, "audit", "verify", "--url", central.url(auditor), "--json")
    assert code == 1
    assert verdict[0]["ok"] is False
    assert verdict[0]["first_break"] == {"seat": "AU1", "seq": 4, "problem": "hash_mismatch"}


def test_the_centre_refuses_a_chain_changed_at_the_seat(central: CentralDb, tmp_path: Path) -> None:
    op = central.add_login("aud_op2", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "AU2", 1, operator=op)
        _record(db, 3, op)
        engine = _engine(central, db, op, "AU2")
        assert engine.sync_once().audit_pushed == 3
        _record(db, 3, op)
        with db.writer.connect() as conn:  # someone with the key edits row 5 before it is sent
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("UPDATE audit_log SET detail = 'edited' WHERE id = 5")
            conn.commit()
        report = engine.sync_once()
        assert report.ok  # the tickets' sync goes on
        assert report.audit_pushed == 1
        assert report.audit_refused == "seq 5: hash_mismatch"
        assert central.scalar("SELECT max(seq) FROM central.audit_log WHERE seat = 'AU2'") == 4
        again = engine.sync_once()  # not sent again (it cannot change), still reported
        assert (again.audit_pushed, again.audit_refused) == (0, "seq 5: hash_mismatch")
        # rows that are not rows are refused, not an error that would end the sync cycle
        with central.server.connect(central.name, op) as conn:
            for bad in ([{"seq": "x"}], [{"seq": 5, "at": "yesterday-ish"}], [{"seq": 5}]):
                got = conn.execute("SELECT central.push_audit('AU2', %s)", (Jsonb(bad),))
                assert got.fetchone()[0]["refused"]["reason"] == "malformed"
        # another login cannot write into this seat's chain
        other = central.add_login("aud_op3", "operator")
        with (
            central.server.connect(central.name, other) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("SELECT central.push_audit('AU2', '[]')")
    finally:
        db.dispose()


def test_handlers_and_operators_read_callers_masked(central: CentralDb, tmp_path: Path) -> None:
    op = central.add_login("mask_op", "operator")
    lead = central.add_login("mask_lead", "lead")
    handler = central.add_login("mask_h", "handler", units=("UM",))
    db = new_seat(tmp_path / "seat")
    try:
        gen = DemoGenerator(seed=5)
        now = timeutil.now()
        with db.write() as s:
            for i in range(2):  # the first caller is confidential (保密)
                number = str(repo.next_number(s, "MK1", now.date()))
                t = gen.ticket(
                    number, now, now, seat="MK1", operator=op, is_demo=False, intake_only=True
                )
                caller = Caller(name="王小明", phones=("+8613812345678",), confidential=i == 0)
                repo.save_ticket(s, replace(t, main_unit="UM", caller=caller), now=now)
        assert _engine(central, db, op, "MK1").sync_once().ok
    finally:
        db.dispose()
    sql = (
        "SELECT confidential, caller_name, caller_phones, data->'caller'->'phones' "
        "FROM central.tickets_masked WHERE seat = 'MK1' ORDER BY number"
    )
    with central.server.connect(central.name, handler) as conn:
        rows = conn.execute(sql).fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT data FROM central.tickets")
    assert rows == [
        (True, "***", ["*************"], ["*************"]),
        (False, "王**", ["138****5678"], ["138****5678"]),
    ]
    for login in (op, lead):
        with central.server.connect(central.name, login) as conn:
            assert conn.execute(sql).fetchall() == rows
    text = json.dumps([list(r) for r in rows], ensure_ascii=False)
    assert "12345678" not in text
    assert "王小明" not in text


def test_the_centre_masks_numbers_as_the_seat_does(central: CentralDb) -> None:
    rng = random.Random(12345)
    numbers = [
        "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9)) for _ in range(100)
    ]
    numbers += ["+86" + n for n in numbers[:20]] + ["138 1234 5678", "138-1234-5678"]
    numbers += [
        rng.choice(["010", "021", "0571", "0898"]) + "".join(rng.choices("0123456789", k=8))
        for _ in range(60)
    ]
    numbers += ["", "12345", "0000000", "0000000000", "0571123456", "01012345"]
    with central.admin() as conn:
        got = conn.execute(
            "SELECT central.mask_phone(n) FROM unnest(%s::text[]) WITH ORDINALITY u(n, i) "
            "ORDER BY i",
            (numbers,),
        ).fetchall()
        hidden = conn.execute(
            "SELECT central.mask_caller(%s)",
            (Jsonb({"name": "王小明", "phones": numbers[:5], "confidential": True}),),
        ).fetchone()[0]
    assert [r[0] for r in got] == [mask_phone(n) for n in numbers]
    assert hidden["name"] == "***"
    assert not any(ch.isdigit() for ph in hidden["phones"] for ch in ph)
