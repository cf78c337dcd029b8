"""Cheap schema checks and migrations at start.

Reading the Alembic revision with the stdlib ``sqlite3`` module costs a millisecond; Alembic
(and its 0.3 s import) is loaded only when a migration is due.  A file written by a newer app is
refused, and every migration of an existing file starts with a backup.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from agent_app.errors import CorruptDatabaseError, SchemaTooNewError, StorageError

log = logging.getLogger("agent_app.db")

# Revisions shipped with this version, oldest first; the last is the head.
# tests/unit/test_storage.py checks this tuple against the migration scripts.
REVISIONS: tuple[str, ...] = ("0001_initial", "0002_sync_shadow", "0003_undelivered")
HEAD = REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def read_revision(path: Path) -> str | None:
    """The file's Alembic revision; None for a new or empty database.

    Opens the file read-only, so a file that is not a database is left untouched.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise StorageError(
            f"The database file {path} cannot be opened ({exc}); check its permissions."
        ) from exc
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StorageError(
                    f"The file {path} is an SQLite database but not one of this app; "
                    "move it away or choose another --data-dir."
                )
            return None
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(rev[0]) if rev else None
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"The file {path} is not a readable database ({exc}); restore it from the "
            "backups folder beside it or move it away."
        ) from exc
    finally:
        conn.close()


def verify(path: Path, backups_dir: Path, *, full: bool = False) -> None:
    """Raise :class:`CorruptDatabaseError` when SQLite finds the file damaged.

    ``PRAGMA quick_check`` reads every page (seconds for a large file, so once at start);
    ``full`` runs ``integrity_check``, which also matches every index against its table.
    A missing or empty file passes (it is created on open).
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    pragma = "integrity_check(1)" if full else "quick_check(1)"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise StorageError(
            f"The database file {path} cannot be opened ({exc}); check its permissions."
        ) from exc
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        found = None if rows == [("ok",)] else " ".join(str(r[0]) for r in rows)
    except sqlite3.DatabaseError as exc:
        found = str(exc)
        if "locked" in found or "busy" in found:
            raise StorageError(
                f"The database {path} is in use by another program ({exc}); close it and try again."
            ) from exc
    finally:
        conn.close()
    if found is not None:
        log.error("database %s failed %s: %s", path.name, pragma, found[:500])
        raise CorruptDatabaseError(damaged_message(path, backups_dir, found))


def damaged_message(path: Path, backups_dir: Path, found: str) -> str:
    """One sentence: the file is damaged, and how to get a working seat back."""
    found = " ".join(found.replace("*** in database main ***", "").split())[:120]
    newest = latest_backup(backups_dir)
    if newest is not None:
        restore = (
            f"with the app closed, copy the newest backup {newest} over it (it holds the "
            "tickets up to its date) or ask support"
        )
    else:
        restore = (
            f"there is no backup in {backups_dir}: with the app closed, move the file away to "
            "start with an empty database, or ask support"
        )
    return f"The database {path} is damaged (SQLite: {found}); {restore}."


def latest_backup(backups_dir: Path) -> Path | None:
    """The newest ``*.sqlite3`` file in ``backups_dir``, or None."""
    try:
        found = [p for p in backups_dir.glob("*.sqlite3") if p.is_file()]
    except OSError:
        return None
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def check(path: Path) -> str:
    """'current', 'upgrade' (a migration is due) or raise for a newer or unreadable file."""
    rev = read_revision(path)
    if rev == HEAD:
        return "current"
    if rev is not None and rev not in REVISIONS:
        raise SchemaTooNewError(
            f"The database {path} has schema {rev}, newer than this app knows ({HEAD}); "
            "update the app, or use another --data-dir."
        )
    return "upgrade"


def backup(path: Path, backups_dir: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup API (consistent even in WAL mode)."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = backups_dir / f"{path.stem}-{stamp}-{label}.sqlite3"
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(path: Path, backups_dir: Path) -> str:
    """Bring the file to HEAD: check, back up an existing file, run Alembic, verify."""
    state = check(path)
    if state == "current":
        return HEAD
    old = read_revision(path)
    if old is not None:
        verify(path, backups_dir)  # never migrate (or back up as good) a damaged file
        saved = backup(path, backups_dir, f"before-{HEAD}")
        log.info("database backed up to %s before migrating from %s", saved.name, old)
    run_alembic_upgrade(path)
    new = read_revision(path)
    if new != HEAD:
        raise StorageError(
            f"Migrating {path} stopped at {new} instead of {HEAD}; the backup is in {backups_dir}."
        )
    log.info("database schema at %s", HEAD)
    return HEAD


def alembic_config(path: Path):  # type: ignore[no-untyped-def]  # alembic is imported lazily
    from alembic.config import Config  # noqa: PLC0415 - heavy, only when migrating

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return cfg


def run_alembic_upgrade(path: Path) -> None:
    from alembic import command  # noqa: PLC0415 - heavy, only when migrating

    try:
        command.upgrade(alembic_config(path), "head")
    except sqlite3.Error as exc:
        raise StorageError(f"Migrating the database {path} failed: {exc}") from exc
