"""Opening a seat's data directory: check or migrate the schema, then the database."""

from __future__ import annotations

from agent_app.paths import DataPaths
from agent_app.storage import schema
from agent_app.storage.db import Database


def open_database(paths: DataPaths, *, migrate: bool = True) -> Database:
    """Ensure the data dir, bring the schema to head (backing up first), open the database."""
    paths.ensure()
    if schema.check(paths.database) != "current":
        if not migrate:
            from agent_app.errors import StorageError  # noqa: PLC0415

            raise StorageError(
                f"The database {paths.database} needs a migration; run 'agent-app db upgrade'."
            )
        schema.upgrade(paths.database, paths.backups)
    return Database(paths.database)
