"""Callers' data at rest: the seat database is encrypted (R12), its key never lies on disk in
plaintext, insecure keyrings are refused, old plaintext seats are encrypted in place, the data
directory is private, and backups are encrypted, checked, rotated and restorable."""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from agent_app import log as applog
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import ConfigError, StorageError
from agent_app.paths import DataPaths
from agent_app.services import backup as backup_service
from agent_app.storage import backups, cipher, readmodel
from agent_app.storage import repository as repo
from agent_app.storage.seat import open_database

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
CANARY_NAME = "甄鹬鹕"  # a name that appears nowhere else
CANARY_PHONE = "13800138000"
CANARY_ADDRESS = "朝阳区望京西园四区鹬鹕楼"


def _ticket(number: str = "20261122-S01-0001") -> Ticket:
    return Ticket(
        id=Ticket.new_id(), number=number, created_at=T0, updated_at=T0, seat="S01",
        operator_id="op1", caller=Caller(name=CANARY_NAME, phones=("+86" + CANARY_PHONE,)),
        description=f"{CANARY_ADDRESS}暖气不热，回电{CANARY_PHONE}",
        events=(TicketEvent(at=T0, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip


def _needles() -> list[bytes]:
    out = []
    for text in (CANARY_NAME, CANARY_PHONE, CANARY_ADDRESS):
        out += [text.encode("utf-8"), text.encode("utf-16-le")]
    return out


def _hits(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n!r}" for n in _needles() if n in data]
    return found


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent_app", *args], capture_output=True, text=True, timeout=120,
        env={**(env or os.environ), "QT_QPA_PLATFORM": "offscreen"}, cwd=REPO, check=False,
    )  # fmt: skip


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("agent-app: error: "), err
    return lines[0]


# R12 ---------------------------------------------------------------------------------------


def test_canary_caller_is_nowhere_in_the_data_dir_or_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    paths = DataPaths(tmp_path / "seat")
    db = open_database(paths)
    applog.setup(paths.logs)
    try:
        with db.write() as s:
            repo.save_ticket(s, _ticket())
        import logging  # noqa: PLC0415

        logging.getLogger("agent_app.test").info("call back %s", CANARY_PHONE)
        assert [
            t.caller_name for t in readmodel.caller_history(paths.database, "+86" + CANARY_PHONE)
        ] == [CANARY_NAME]
        # before the checkpoint the rows are in the WAL; after it, in the main file
        assert Path(f"{paths.database}-wal").stat().st_size > 0
        assert _hits(paths.root) == []
        conn = cipher.connect(paths.database)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        backups.make_backup(paths.database, paths.backups, "manual")
        for handler in logging.getLogger(applog.ROOT).handlers:
            handler.flush()
        assert _hits(paths.root) == []
        assert _hits(tmp) == []
    finally:
        applog.setup(None)
        db.dispose()
    assert _hits(paths.root) == []

    # without the key the file is not a database
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(paths.database).execute("SELECT count(*) FROM tickets").fetchone()
    wrong = cipher.connect(paths.database, key="00" * 32)
    with pytest.raises(cipher.dbapi().DatabaseError, match="file is not a database"):
        wrong.execute("SELECT count(*) FROM tickets").fetchone()
    wrong.close()
    # and the key is not in the data directory
    key = cipher.key_for(paths.database)
    assert all(key.encode() not in p.read_bytes() for p in paths.root.rglob("*") if p.is_file())


def test_data_dir_is_private(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    paths.root.mkdir(mode=0o755)
    os.chmod(paths.root, 0o755)
    db = open_database(paths)
    try:
        with db.write() as s:
            repo.save_ticket(s, _ticket())
        backups.make_backup(paths.database, paths.backups, "manual")
        applog.setup(paths.logs)
        import logging  # noqa: PLC0415

        logging.getLogger("agent_app.test").info("hello")
    finally:
        applog.setup(None)
        db.dispose()
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700
    for path in [paths.database, *paths.backups.glob("*"), *paths.logs.glob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_shared_sticky_directory_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    with pytest.raises(ConfigError, match="shared directory"):
        DataPaths(shared).ensure()


# keys --------------------------------------------------------------------------------------


def _env_without_key_file(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != cipher.ENV_KEY_FILE}
    env.update(extra)
    return env


def test_a_fail_keyring_is_refused_with_one_line_but_the_demo_starts(tmp_path: Path) -> None:
    env = _env_without_key_file(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    seat = tmp_path / "seat"
    result = run_cli("db", "upgrade", "--data-dir", str(seat), env=env)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "No secure OS keyring" in line
    assert "apt install gnome-keyring" in line
    assert cipher.ENV_KEY_FILE in line
    window = run_cli("--data-dir", str(seat), "--role", "operator", "--screenshot",
                     str(tmp_path / "x.png"), env=env)  # fmt: skip
    assert window.returncode == 2
    assert "No secure OS keyring" in one_error_line(window.stderr)
    assert not (seat / "agent.sqlite3").exists()

    from agent_app.app import prepare_data_dir  # noqa: PLC0415

    saved = os.environ.pop(cipher.ENV_KEY_FILE)
    try:
        demo = prepare_data_dir(argparse.Namespace(demo=True, data_dir=str(tmp_path / "demo")))
    finally:
        os.environ[cipher.ENV_KEY_FILE] = saved
    key_file = demo.root / cipher.DEMO_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert cipher.is_encrypted(demo.database)


class MemoryKeyring:
    """A keyring backend holding secrets in memory (a stand-in for Secret Service)."""

    priority = 10

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.store[(service, user)] = password


def test_the_key_lives_in_the_keyring_under_the_seats_key_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring  # noqa: PLC0415

    backend = MemoryKeyring()
    monkeypatch.delenv(cipher.ENV_KEY_FILE)
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    monkeypatch.setattr(keyring, "get_password", backend.get_password)
    monkeypatch.setattr(keyring, "set_password", backend.set_password)
    paths = DataPaths(tmp_path / "seat")
    open_database(paths).dispose()
    key_id = (paths.root / cipher.KEY_ID_FILE).read_text().strip()
    assert backend.store[(cipher.KEYRING_SERVICE, key_id)] == cipher.key_for(paths.database)
    cipher.forget_keys()
    open_database(paths).dispose()  # the same key again, from the keyring
    backend.store.clear()
    cipher.forget_keys()
    with pytest.raises(ConfigError, match="not in the OS keyring"):
        open_database(paths)


@pytest.mark.parametrize(
    ("content", "mode", "message"),
    [
        ("ab" * 32, 0o644, "can be read by other users"),
        ("not a key", 0o600, "exactly 64 hex digits"),
        (None, 0o600, "does not exist"),
    ],
)
def test_a_bad_key_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, mode: int, message: str
) -> None:
    key_file = tmp_path / "k"
    if content is not None:
        key_file.write_text(content)
        os.chmod(key_file, mode)
    monkeypatch.setenv(cipher.ENV_KEY_FILE, str(key_file))
    with pytest.raises(ConfigError, match=message):
        open_database(DataPaths(tmp_path / "seat"))


# migration of an old plaintext seat --------------------------------------------------------


def _decrypt_to_plaintext(database: Path, out: Path) -> None:
    conn = cipher.connect(database)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(out),))
    conn.execute("SELECT sqlcipher_export('plain')")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA plain.user_version = {version}")
    conn.execute("DETACH DATABASE plain")
    conn.close()


def test_a_plaintext_seat_is_encrypted_in_place(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    db = open_database(paths)
    with db.write() as s:
        repo.save_ticket(s, _ticket())
    db.dispose()
    plain = tmp_path / "plain.sqlite3"
    _decrypt_to_plaintext(paths.database, plain)
    assert cipher.is_plaintext(plain)
    assert CANARY_NAME.encode() in plain.read_bytes()  # what older versions left on disk
    paths.database.unlink()
    plain.rename(paths.database)
    paths.backups.mkdir(exist_ok=True)
    old_backup = paths.backups / "agent-20260101T000000-manual.sqlite3"
    old_backup.write_bytes(paths.database.read_bytes())

    db = open_database(paths)
    try:
        assert [
            t.caller_name for t in readmodel.caller_history(paths.database, "+86" + CANARY_PHONE)
        ] == [CANARY_NAME]
    finally:
        db.dispose()
    assert cipher.is_encrypted(paths.database)
    assert cipher.is_encrypted(old_backup)
    assert not list(paths.root.glob("*.plaintext"))
    assert not list(paths.root.glob("*.encrypting"))
    assert _hits(paths.root) == []


def test_an_interrupted_encryption_is_picked_up_again(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    open_database(paths).dispose()
    plain = paths.root / "agent.sqlite3.plaintext"
    _decrypt_to_plaintext(paths.database, plain)
    paths.database.unlink()  # stopped between the two renames
    db = open_database(paths)
    db.dispose()
    assert cipher.is_encrypted(paths.database)
    assert not plain.exists()


# backups -----------------------------------------------------------------------------------


def test_periodic_backups_are_encrypted_checked_and_rotated(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    db = open_database(paths)
    try:
        with db.write() as s:
            repo.save_ticket(s, _ticket())
        assert backup_service.maybe_backup(paths, keep=3) is not None  # none yet: due
        assert backup_service.maybe_backup(paths, keep=3) is None  # not due yet
        made = [backup_service.maybe_backup(paths, keep=3, now=9e12) for _ in range(4)]
        assert all(made)
        kept = backups.list_backups(paths.backups)
        assert len(kept) == 3
        assert kept[-1] == made[-1]
        assert all(cipher.is_encrypted(p) for p in kept)
        with pytest.raises(StorageError, match="open in another program"):
            backup_service.restore(paths)
    finally:
        db.dispose()


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    db = open_database(paths)
    with db.write() as s:
        repo.save_ticket(s, _ticket("20261122-S01-0001"))
    saved = backup_service.backup_now(paths)
    with db.write() as s:
        repo.save_ticket(s, _ticket("20261122-S01-0002"))
    db.dispose()

    result = run_cli("db", "restore", "--data-dir", str(paths.root))
    assert result.returncode == 0, result.stderr
    assert f"restored from {saved}" in result.stdout
    conn = cipher.connect(paths.database)
    numbers = [r[0] for r in conn.execute("SELECT number FROM tickets")]
    conn.close()
    assert numbers == ["20261122-S01-0001"]
    assert len(list(paths.backups.glob("*.replaced"))) == 1

    result = run_cli("db", "restore", "--data-dir", str(paths.root), str(tmp_path / "nope.sqlite3"))
    assert result.returncode == 2
    assert "does not exist" in one_error_line(result.stderr)


def test_db_backup_command(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    open_database(paths).dispose()
    result = run_cli("db", "backup", "--data-dir", str(paths.root))
    assert result.returncode == 0, result.stderr
    (made,) = backups.list_backups(paths.backups)
    assert f"backed up to {made}" in result.stdout
    result = run_cli("db", "backup", "--data-dir", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert "There is no database" in one_error_line(result.stderr)
