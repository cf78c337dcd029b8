"""The central PostgreSQL database: connection targets, schema (own Alembic history), roles.

Nothing here is imported at start-up; psycopg and Alembic load when a command needs them.
"""
