"""The seat database: one SQLCipher-encrypted SQLite file, WAL, ``synchronous=FULL``, one writer.

Reads use a small pool of connections in deferred transactions; writes go through a single
connection that starts every transaction with ``BEGIN IMMEDIATE`` so that writers queue on the
busy timeout instead of failing half-way.  Sessions are short, one per user action, opened in
the worker thread that runs it (never shared across threads).  Connections come from
:func:`agent_app.storage.cipher.connect` (the keyed SQLCipher connection) through SQLAlchemy's
``creator`` hook, and the dialect uses the ``sqlcipher3`` DB-API module, so its errors are
wrapped like the stdlib ``sqlite3`` ones and the rest of storage is unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from agent_app.storage import cipher

BUSY_TIMEOUT_MS = 10_000


def _when_free(step: Callable[[], Any], timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> Any:
    """Run ``step``, retrying while the file is locked, up to ``timeout_s``.

    SQLite does not call the busy handler for every statement: a journal-mode pragma meeting
    a checkpoint or another connection's exclusive lock fails at once with "database is
    locked" (seen when a worker opened a connection while another truncated the WAL)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return step()
        except cipher.dbapi().OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure(engine: Engine, *, immediate: bool) -> None:
    """The documented pysqlite recipe: let SQLAlchemy emit BEGIN itself, then set pragmas."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # The file is in WAL from its first open on; ask before asking for it, and wait
        # out a lock either way (see _when_free).
        mode = _when_free(lambda: cur.execute("PRAGMA journal_mode").fetchone())
        if str(mode[0] if mode else "").lower() != "wal":
            _when_free(lambda: cur.execute("PRAGMA journal_mode=WAL").fetchall())
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def one_transaction(engine: Engine) -> None:
    """Make ``engine`` (a migration's) run each transaction as one SQLite transaction, DDL
    included, with foreign keys off (batch migrations rebuild tables).

    pysqlite's legacy transaction handling commits before every DDL statement, so a block of
    schema changes was as many transactions (one disk sync each) and not atomic; the
    documented recipe is to let SQLAlchemy emit BEGIN.  ``PRAGMA foreign_keys`` is a no-op
    inside a transaction, hence set on connect."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path, *, writer: bool, key: str | None = None) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        module=cipher.dbapi(),
        creator=lambda: cipher.connect(
            path, key=key, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        ),
        poolclass=QueuePool,
        pool_size=1 if writer else 4,
        max_overflow=0 if writer else 4,
        pool_timeout=60,
        hide_parameters=True,  # error messages must not carry callers' names and numbers
    )
    _configure(engine, immediate=writer)
    return engine


def single_engine(path: Path, *, key: str | None = None) -> Engine:
    """An engine without a pool for one-off work on ``path`` (migrations, tests)."""
    return create_engine(
        f"sqlite:///{path}",
        module=cipher.dbapi(),
        creator=lambda: cipher.connect(path, key=key, timeout=BUSY_TIMEOUT_MS / 1000),
        poolclass=NullPool,
        hide_parameters=True,
    )


class Database:
    """Engines and session factories for one seat database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        key = cipher.key_for(path)
        self.reader = make_engine(path, writer=False, key=key)
        self.writer = make_engine(path, writer=True, key=key)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; its transaction is rolled back at the end."""
        with self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends without an error."""
        with self._write_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.reader.dispose()
        self.writer.dispose()
