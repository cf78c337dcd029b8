"""Encrypted backups of the seat database in ``backups/``, and putting one back.

A backup is ``VACUUM INTO`` a new file: one consistent snapshot (a read transaction, so the
app keeps writing meanwhile), encrypted with the seat's key like the database itself, compact,
and checked with ``quick_check`` before it counts.  The newest :data:`KEEP` are kept.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

from agent_app.errors import StorageError
from agent_app.storage import cipher

log = logging.getLogger("agent_app.db")

KEEP = 10
SUFFIX = ".sqlite3"


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def _unique(target: Path) -> Path:
    n = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        n += 1
    return candidate


def list_backups(backups_dir: Path) -> list[Path]:
    """The backup files, oldest first."""
    try:
        found = [p for p in backups_dir.glob(f"*{SUFFIX}") if p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def make_backup(database: Path, backups_dir: Path, label: str, *, keep: int | None = None) -> Path:
    """Write ``<stem>-<time>-<label>.sqlite3`` and check it; drop all but the newest ``keep``."""
    if not database.exists() or database.stat().st_size == 0:
        raise StorageError(f"There is no database at {database} to back up.")
    backups_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = _unique(backups_dir / f"{database.stem}-{_stamp()}-{label}{SUFFIX}")
    key = cipher.key_for(database)
    dbapi = cipher.dbapi()
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    # an empty 0600 file first: VACUUM INTO writes into an empty file and keeps its mode
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        conn = cipher.connect(database, key=key, readonly=True, timeout=30)
        try:
            conn.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            conn.close()
        check = cipher.connect(tmp, key=key, readonly=True)
        try:
            rows = check.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            check.close()
        if rows != [("ok",)]:
            raise StorageError(
                f"The backup of {database} failed its check ({rows[0][0]}); run 'agent-app db "
                "check'."
            )
        os.replace(tmp, target)
    except dbapi.Error as exc:
        raise StorageError(
            f"Backing up {database} failed ({exc}); run 'agent-app db check' and free some "
            f"disk space in {backups_dir}."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info("database backed up to %s", target.name)
    if keep is not None:
        prune(backups_dir, keep)
    return target


def prune(backups_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns the deleted files."""
    found = list_backups(backups_dir)
    gone = found[: max(0, len(found) - keep)]
    for old in gone:
        old.unlink(missing_ok=True)
    if gone:
        log.info("%d old backup(s) deleted, %d kept", len(gone), min(len(found), keep))
    return gone


def newest_age_seconds(backups_dir: Path, now: float) -> float | None:
    found = list_backups(backups_dir)
    return None if not found else now - found[-1].stat().st_mtime


def in_use(database: Path, key: str) -> bool:
    """Whether another connection (the window, a sync) has the database open.

    In WAL mode every open connection holds a shared lock on the file, so an exclusive
    lock is granted only when nobody else has it open.  A file that cannot be read at all
    (damaged) counts as not in use.
    """
    if not database.exists():
        return False
    dbapi = cipher.dbapi()
    try:
        conn = cipher.connect(database, key=key, timeout=0.2)
    except (dbapi.Error, StorageError):
        return False
    try:
        conn.isolation_level = None
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except dbapi.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except dbapi.DatabaseError:
        return False
    finally:
        conn.close()


def restore(
    database: Path, backups_dir: Path, backup_file: Path | None = None
) -> tuple[Path, Path | None]:
    """Put ``backup_file`` (default: the newest) in place of the database.

    The backup is checked first; the current file, when there is one, is kept in
    ``backups_dir`` as ``<stem>-<time>.replaced`` with its WAL beside it (not counted as a
    backup, never deleted by this).  Refused
    while another program has the database open.  Returns (restored backup, kept file).
    """
    key = cipher.key_for(database)
    if backup_file is None:
        found = list_backups(backups_dir)
        if not found:
            raise StorageError(
                f"There is no backup in {backups_dir}; name one: agent-app db restore FILE."
            )
        backup_file = found[-1]
    if not backup_file.is_file():
        raise StorageError(
            f"The backup {backup_file} does not exist; see the files in {backups_dir}."
        )
    dbapi = cipher.dbapi()
    try:
        check = cipher.connect(backup_file, key=key, readonly=True)
        try:
            rows = check.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            check.close()
    except dbapi.Error as exc:
        raise StorageError(
            f"The backup {backup_file} cannot be read with this seat's key ({exc}); choose "
            "another backup of this seat."
        ) from exc
    if rows != [("ok",)]:
        raise StorageError(
            f"The backup {backup_file} is damaged too ({rows[0][0]}); choose an older one."
        )
    if in_use(database, key):
        raise StorageError(
            f"The database {database} is open in another program (the app or a sync); close "
            "it and run the restore again."
        )
    kept: Path | None = None
    tmp = database.with_name(database.name + ".restoring")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, backup_file.open("rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if database.exists():
        backups_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        kept = _unique(backups_dir / f"{database.stem}-{_stamp()}.replaced")
        os.replace(database, kept)
        # the old WAL belongs to the old file: it goes with it, never into the restored one
        wal = Path(f"{database}-wal")
        if wal.exists():
            os.replace(wal, Path(f"{kept}-wal"))
        Path(f"{database}-shm").unlink(missing_ok=True)
    os.replace(tmp, database)
    log.info("database restored from %s", backup_file.name)
    return backup_file, kept
