"""Cheap schema checks and migrations at start.

Reading the Alembic revision on a plain keyed SQLCipher connection costs a millisecond; Alembic
(and its 0.3 s import) is loaded only when a migration is due.  A file written by a newer app is
refused, and every migration of an existing file starts with a backup.
"""

from __future__ import annotations

import logging
from pathlib import Path

from agent_app.errors import CorruptDatabaseError, SchemaTooNewError, StorageError
from agent_app.storage import cipher

log = logging.getLogger("agent_app.db")

# Revisions shipped with this version, oldest first; the last is the head.
# tests/unit/test_storage.py checks this tuple against the migration scripts.
REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_sync_shadow",
    "0003_undelivered",
    "0004_search_indexes",
    "0005_followups",
    "0006_lead_desk",
    "0007_privacy",
    "0008_transcripts",
    "0009_confidential",
)
HEAD = REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def read_revision(path: Path) -> str | None:
    """The file's Alembic revision; None for a new or empty database.

    Opens the file read-only, so a file that is not a database is left untouched.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    dbapi = cipher.dbapi()
    try:
        conn = cipher.connect(path, readonly=True)
    except dbapi.Error as exc:
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
    except dbapi.DatabaseError as exc:
        raise unreadable_error(path, str(exc)) from exc
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
    dbapi = cipher.dbapi()
    try:
        conn = cipher.connect(path, readonly=True)
    except dbapi.Error as exc:
        raise StorageError(
            f"The database file {path} cannot be opened ({exc}); check its permissions."
        ) from exc
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        found = None if rows == [("ok",)] else " ".join(str(r[0]) for r in rows)
    except dbapi.DatabaseError as exc:
        found = str(exc)
        if "locked" in found or "busy" in found:
            raise StorageError(
                f"The database {path} is in use by another program ({exc}); close it and try again."
            ) from exc
        if "not a database" in found:
            raise unreadable_error(path, found) from exc
    finally:
        conn.close()
    if found is not None:
        log.error("database %s failed %s: %s", path.name, pragma, found[:500])
        raise CorruptDatabaseError(damaged_message(path, backups_dir, found))


def unreadable_error(path: Path, found: str) -> StorageError:
    """SQLCipher's "file is not a database": a wrong key, or a damaged first page.

    A backup is encrypted with the same key: when the newest one opens, the key is right
    and the file is damaged; when none does, the key is the problem.
    """
    backups_dir = path.parent / "backups"
    newest = latest_backup(backups_dir)
    if newest is not None and _opens(newest, path):
        return CorruptDatabaseError(damaged_message(path, backups_dir, found))
    return StorageError(
        f"The file {path} is not a readable database with this seat's key ({found}); "
        f"start the app as the user who set up the seat (OS keyring) or set "
        f"{cipher.ENV_KEY_FILE} to the seat's key file, or restore a backup with "
        "'agent-app db restore'."
    )


def _opens(backup_file: Path, database: Path) -> bool:
    dbapi = cipher.dbapi()
    try:
        conn = cipher.connect(backup_file, key=cipher.key_for(database), readonly=True)
    except (dbapi.Error, StorageError):
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi.Error:
        return False
    finally:
        conn.close()


def damaged_message(path: Path, backups_dir: Path, found: str) -> str:
    """One sentence: the file is damaged, and how to get a working seat back."""
    found = " ".join(found.replace("*** in database main ***", "").split())[:120]
    newest = latest_backup(backups_dir)
    if newest is not None:
        restore = (
            f"with the app closed, run 'agent-app db restore' to put back the newest backup "
            f"{newest} (it holds the tickets up to its date), or ask support"
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
    """An encrypted, consistent copy of the database in ``backups_dir`` (``VACUUM INTO``)."""
    from agent_app.storage import backups  # noqa: PLC0415

    return backups.make_backup(path, backups_dir, label)


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
    """Run the seat migrations on a keyed connection (handed to env.py as ``connection``).

    All steps run in one transaction: an upgrade that fails half-way leaves the file as it
    was (the backup taken before is the second line of defence), and a new seat's schema
    costs one sync to disk instead of one per statement (about 1 s on a fresh seat before).
    """
    from alembic import command  # noqa: PLC0415 - heavy, only when migrating
    from sqlalchemy.exc import DBAPIError  # noqa: PLC0415

    from agent_app.storage.db import one_transaction, single_engine  # noqa: PLC0415

    cfg = alembic_config(path)
    engine = single_engine(path)
    one_transaction(engine)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    except (DBAPIError, cipher.dbapi().Error) as exc:
        raise StorageError(f"Migrating the database {path} failed: {exc}") from exc
    finally:
        engine.dispose()
