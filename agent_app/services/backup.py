"""Periodic encrypted backups of the seat database (no Qt: the window's runner calls these).

``maybe_backup(paths)`` is cheap when nothing is due (one directory listing) and writes a
checked, encrypted ``VACUUM INTO`` copy when the newest backup is older than ``every``; the
newest :data:`~agent_app.storage.backups.KEEP` backups are kept.  The window calls it once at
start and then on a timer (every 30 minutes is plenty), in its worker thread.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from agent_app.paths import DataPaths
from agent_app.storage import backups
from agent_app.storage.seat import prepare

DEFAULT_EVERY = timedelta(hours=4)


def backup_now(paths: DataPaths, *, label: str = "manual", keep: int = backups.KEEP) -> Path:
    """Write a backup now; returns its file."""
    prepare(paths, create=False)
    return backups.make_backup(paths.database, paths.backups, label, keep=keep)


def maybe_backup(
    paths: DataPaths,
    *,
    every: timedelta = DEFAULT_EVERY,
    keep: int = backups.KEEP,
    now: float | None = None,
) -> Path | None:
    """Back up when the newest backup is older than ``every`` (or there is none) and the
    database holds something; returns the new file or None.  Raises
    :class:`~agent_app.errors.StorageError` with one line when the backup fails."""
    database = paths.database
    if not database.exists() or database.stat().st_size == 0:
        return None
    age = backups.newest_age_seconds(paths.backups, time.time() if now is None else now)
    if age is not None and age < every.total_seconds():
        return None
    return backups.make_backup(database, paths.backups, "auto", keep=keep)


def restore(paths: DataPaths, backup_file: Path | None = None) -> tuple[Path, Path | None]:
    """Put a backup (default: the newest) in place of the database; see
    :func:`agent_app.storage.backups.restore`."""
    prepare(paths, create=False)
    return backups.restore(paths.database, paths.backups, backup_file)
