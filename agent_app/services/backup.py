"""Periodic encrypted backups of the seat database (no Qt: the window's runner calls these).

``maybe_backup(paths)`` is cheap when nothing is due (one directory listing) and writes a
checked, encrypted ``VACUUM INTO`` copy when the newest backup is older than ``every``; the
newest :data:`~agent_app.storage.backups.KEEP` backups are kept.  The window calls it once at
start and then on a timer (every 30 minutes is plenty), in its worker thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from agent_app.paths import DataPaths
from agent_app.storage import backups
from agent_app.storage.audit_salvage import Salvage
from agent_app.storage.seat import prepare

log = logging.getLogger("agent_app.db")

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


@dataclass(frozen=True)
class Restored:
    """What ``agent-app db restore`` did: the backup put back, the replaced file kept (None
    when there was none), and the audit rows salvaged from it (None: nothing to read)."""

    backup: Path
    kept: Path | None
    audit: Salvage | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup": str(self.backup),
            "kept": str(self.kept) if self.kept is not None else None,
            "audit": self.audit.as_dict() if self.audit is not None else None,
        }


def restore_salvaging(paths: DataPaths, backup_file: Path | None = None) -> Restored:
    """:func:`restore`, then the access-audit rows of the replaced file written after the
    backup's last one are appended to the restored database when they continue its chain
    (:func:`agent_app.storage.audit_salvage.salvage`), so that the next sync sends them.  A
    salvage that fails leaves the restored backup as it is and says why."""
    from agent_app.storage import audit_salvage, cipher  # noqa: PLC0415

    restored, kept = restore(paths, backup_file)
    if kept is None:
        return Restored(restored, None, None)
    try:
        found = audit_salvage.salvage(kept, paths.database, cipher.key_for(paths.database))
    except (cipher.dbapi().Error, OSError) as exc:
        log.warning(
            "restore: audit rows not salvaged from the replaced file (%s)", type(exc).__name__
        )
        found = Salvage(kept_file=str(kept), stopped=f"not salvaged ({type(exc).__name__})")
    return Restored(restored, kept, found)
