"""Opening a seat's data directory: key, encryption, schema, then the database.

:func:`prepare` imports no SQLAlchemy: the window calls it before its first paint.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from agent_app.paths import DataPaths
from agent_app.storage import cipher, schema

if TYPE_CHECKING:
    from agent_app.storage.db import Database

PRIVATE_FILE = 0o600


def _private(path: Path) -> None:
    """Make an existing file of the data directory readable by its owner only."""
    if os.name == "nt":
        return
    try:
        if path.is_file() and path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE)
    except OSError:
        pass


def prepare(paths: DataPaths, *, create: bool = True) -> str:
    """Ensure the data directory (0700), find or make the seat's key, encrypt a plaintext
    database (and plaintext backups) from an older version in place, and tighten file
    modes to 0600.  Returns the hex key.  No schema work: see :func:`open_database`."""
    paths.ensure()
    key = cipher.resolve_key(paths.root, create=create)
    cipher.encrypt_plaintext(paths.database, key)  # also finishes an interrupted run
    if create and not paths.database.exists():
        # an empty file is a new database; made 0600 first, SQLite gives the WAL its mode
        os.close(os.open(paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    if paths.backups.is_dir():
        for old in sorted(paths.backups.glob("*.sqlite3")):
            if cipher.is_plaintext(old):
                cipher.encrypt_plaintext(old, key)
    for path in (
        paths.database,
        Path(f"{paths.database}-wal"),
        Path(f"{paths.database}-shm"),
        paths.settings_file,
        *(paths.backups.glob("*") if paths.backups.is_dir() else ()),
        *(paths.logs.glob("*") if paths.logs.is_dir() else ()),
    ):
        _private(path)
    return key


def open_database(paths: DataPaths, *, migrate: bool = True) -> Database:
    """Prepare the data dir, bring the schema to head (backing up first), open the database."""
    from agent_app.storage.db import Database  # noqa: PLC0415 - SQLAlchemy, not at start-up

    prepare(paths)
    if schema.check(paths.database) != "current":
        if not migrate:
            from agent_app.errors import StorageError  # noqa: PLC0415

            raise StorageError(
                f"The database {paths.database} needs a migration; run 'agent-app db upgrade'."
            )
        schema.upgrade(paths.database, paths.backups)
    return Database(paths.database)
