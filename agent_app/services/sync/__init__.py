"""Offline-first sync of a seat's outbox with the central PostgreSQL (no Qt).

:class:`~agent_app.services.sync.engine.SyncEngine` pushes outbox rows in batches (the centre
applies idempotency key + effect in one transaction) and pulls changes since a cursor of
server-assigned versions.  See ``docs/sync.md``.
"""
