"""Alembic environment of the central PostgreSQL schema (separate from the seat's history).

The caller passes an open SQLAlchemy connection in ``config.attributes["connection"]`` and
the role prefix in ``config.attributes["role_prefix"]``; objects live in the ``central``
schema, and so does Alembic's version table.
"""

from __future__ import annotations

from alembic import context

from agent_app.storage.central.models import SCHEMA, metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=SCHEMA,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
