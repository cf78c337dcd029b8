"""A seat file damaged after its last backup (issue #20): 'db restore' puts the backup back
and salvages the access-audit rows written since (never sent) from the replaced file, as the
continuation of the backup's chain; the next sync sends them.  Rows on a damaged page, and
every row after them, stay in the kept file and are counted and named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from agent_app.cli import main
from agent_app.services import audit
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.storage.db import Database
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre
from tests.helpers.sqlcipher_pages import PAGE, RESERVE, SALT

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _record(db: Database, actor: str, first: int, n: int) -> None:
    base = datetime(2026, 12, 6, 5, 0, 0, 123456, tzinfo=UTC)
    for i in range(first, first + n):
        audit.record_access(
            db, action=audit.UNMASK, ticket_id=f"t{i}", field=audit.FIELD_PHONE, actor=actor,
            role="operator", reason=f"salvage row {i:04d} shown",
            clock=lambda i=i: base + timedelta(minutes=i),
        )  # fmt: skip


def _close(db: Database) -> Path:
    """Close the seat and copy its WAL into the file (what a crash after a checkpoint leaves)."""
    path = db.path
    db.dispose()
    conn = cipher.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _page_text(raw: bytes, number: int, key: bytes) -> bytes:
    page = raw[(number - 1) * PAGE : number * PAGE]
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(page[start : PAGE - RESERVE]) + dec.finalize()


def _damage(path: Path, hit: Any) -> list[int]:
    """Garble the middle of every page whose decrypted content satisfies ``hit`` (its HMAC
    then fails: SQLite reads the page as corrupt); returns the page numbers."""
    raw = bytearray(path.read_bytes())
    key = bytes.fromhex(cipher.key_for(path))
    pages = [n for n in range(2, len(raw) // PAGE + 1) if hit(_page_text(bytes(raw), n, key))]
    for n in pages:
        at = (n - 1) * PAGE + 1000
        raw[at : at + 64] = bytes(b ^ 0xFF for b in raw[at : at + 64])
    path.write_bytes(bytes(raw))
    return pages


def _damaged(path: Path) -> bool:
    try:
        conn = cipher.connect(path)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]
        finally:
            conn.close()
    except cipher.dbapi().Error:
        return True


def _restore_json(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["db", "restore", "--data-dir", str(root), "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    return dict(json.loads(line))


def _verify(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    code = main(["audit", "verify", "--data-dir", str(root), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == (0 if out["ok"] else 1)
    return dict(out)


def test_restore_salvages_the_unsent_audit_rows_and_the_sync_sends_them(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, seat = tmp_path / "seat", "SV1"
    op = central.add_login("sv_op", "operator")
    auditor = central.add_login("sv_aud", "auditor")
    db = new_seat(root)
    add_tickets(db, seat, 60, operator=op)  # enough tickets to fill pages of their own
    _record(db, op, 1, 2)
    assert (
        SyncEngine(db, central.target(op), seat=seat, password_lookup=None).sync_once().audit_pushed
        == 2
    )
    assert main(["db", "backup", "--data-dir", str(root)]) == 0
    _record(db, op, 3, 3)  # written after the backup, never sent: only in this file
    path = _close(db)
    hit = _damage(path, lambda text: b"-SV1-" in text and b"salvage row" not in text)
    assert hit  # ticket pages (rows, indexes), none holding an audit row
    assert _damaged(path)

    done = _restore_json(root, capsys)
    assert done["audit"]["salvaged"] == 3
    assert done["audit"]["unreadable"] == 0
    assert (done["audit"]["first_seq"], done["audit"]["last_seq"]) == (3, 5)
    assert done["audit"]["stopped"] == ""
    assert Path(done["kept"]).exists()  # the damaged file is kept, untouched
    assert _damaged(Path(done["kept"]))

    db = new_seat(root)
    try:
        rows = audit.entries(db)
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert [r.detail for r in rows[2:]] == [f"salvage row {i:04d} shown" for i in (3, 4, 5)]
        assert _verify(root, capsys) == {"ok": True, "rows": 5, "first_break": None}
        report = SyncEngine(db, central.target(op), seat=seat, password_lookup=None).sync_once()
        assert (report.audit_pushed, report.audit_refused) == (3, "")
        mine = [(r.seq, r.hash) for r in audit.entries(db)]
    finally:
        db.dispose()
    with central.admin() as conn:
        centre = conn.execute(
            "SELECT seq, hash FROM central.audit_log WHERE seat = %s ORDER BY seq", (seat,)
        ).fetchall()
    assert [(int(s), str(h)) for s, h in centre] == mine
    capsys.readouterr()
    assert main(["audit", "verify", "--url", central.url(auditor), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_rows_on_a_damaged_page_and_after_it_stay_in_the_kept_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "seat"
    db = new_seat(root)
    _record(db, "op1", 1, 2)
    assert main(["db", "backup", "--data-dir", str(root)]) == 0
    _record(db, "op1", 3, 300)  # many pages of audit rows after the backup
    path = _close(db)
    # one page in the middle of the later rows: the scan stops there, the row-by-row read
    # goes past it; rows after the gap are read but cannot be chained to the backup's
    hit = _damage(path, lambda text: b"salvage row 0150 shown" in text)
    assert len(hit) == 1

    done = _restore_json(root, capsys)["audit"]
    first_lost = int(done["stopped"].split()[1].rstrip(":"))
    assert done["stopped"] == f"seq {first_lost}: unreadable"
    assert 3 < first_lost <= 150
    assert done["salvaged"] == first_lost - 3
    assert done["unreadable"] == 302 - (first_lost - 1)
    assert done["kept_file"].endswith(".replaced")
    db = new_seat(root)
    try:
        assert audit.last_seq(db) == first_lost - 1
    finally:
        db.dispose()
    assert _verify(root, capsys)["ok"] is True

    # the text form says the same in its second line
    db = new_seat(root)
    _record(db, "op1", 400, 1)
    db.dispose()
    capsys.readouterr()
    assert main(["db", "restore", "--data-dir", str(root)]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert "the replaced file is kept as" in first
    assert "row(s) written after the backup were salvaged from the replaced file" in second
    assert "re-joined with the centre's copy at the next sync" in second
