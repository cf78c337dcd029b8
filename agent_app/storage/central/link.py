"""Reused connections to the centre for one long-lived reader (the shift lead's desk).

A new connection costs a TCP (and TLS) handshake, the password exchange and, for the desk,
the login check (``central.whoami()``): most of what the desk's window added to a read
(docs/PERFORMANCE.md).  A :class:`CentralLink` keeps up to ``keep`` connections of one login
and hands them out again:

* opened lazily on the first read, through :func:`connect` (``prepare_threshold=None``: no
  server-side state, so it works behind PgBouncer in transaction mode); ``check`` (the login
  check) runs once per connection, right after it opened;
* :meth:`read` runs each read in its own transaction (nothing is left on the connection after
  COMMIT, so PgBouncer may hand the server connection on); a read that fails because the
  connection broke (server restart, terminated backend, network drop) is run once more on a
  new connection.  Only reads that may be repeated go through :meth:`read`;
* :meth:`write` (and :meth:`connection`) never repeat anything: a broken connection is
  dropped and the error goes to the caller, the next call opens a new one;
* never blocks: when every kept connection is busy (two reads at once), another one is opened
  and closed after its read if ``keep`` are already idle;
* :meth:`close` (the desk's shutdown) closes the idle connections; one in use is closed when
  its read ends.  Reads after ``close`` still work, each on a connection closed after it.

Identity is the login's: nothing is ever switched (no ``SET ROLE``, no session settings).
No Qt here; thread-safe (the desk's reads run on worker threads).
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from agent_app.storage.central.connect import (
    CentralTarget,
    PasswordLookup,
    connect,
    keyring_lookup,
)

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("agent_app.central")
T = TypeVar("T")
Check = Callable[["psycopg.Connection[Any]"], Any]


def usable(conn: psycopg.Connection[Any]) -> bool:
    """Open, not broken, outside a transaction and with nothing to read (only such a
    connection is kept or handed out).  An idle connection that can be read from holds the
    server's goodbye (a terminated backend, a restart: ``FATAL`` then end of file); seen here
    without a round trip, so such a connection is replaced before a read meets it."""
    from psycopg.pq import TransactionStatus  # noqa: PLC0415 - psycopg only at the centre

    if conn.closed or conn.broken or conn.info.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        fd = conn.fileno()
        if hasattr(select, "poll"):  # any descriptor number (select() stops at 1024)
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            readable = bool(poller.poll(0))
        else:  # Windows: select() takes sockets
            readable = bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False
    return not readable


class CentralLink:
    """Up to ``keep`` reusable connections of ``target``'s login (see the module's doc)."""

    def __init__(
        self,
        target: CentralTarget,
        *,
        password_lookup: PasswordLookup | None = keyring_lookup,
        check: Check | None = None,
        keep: int = 2,
    ) -> None:
        self.target = target
        self.password_lookup = password_lookup
        self.check = check
        self.identity: Any = None
        """What ``check`` returned for the latest connection (the login's ``whoami``)."""
        self.keep = max(1, keep)
        self.opened = 0
        """Connections opened so far (tests and benchmarks count them)."""
        self.retried = 0
        """Reads run again after their connection broke."""
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def _open(self) -> psycopg.Connection[Any]:
        conn = connect(self.target, password_lookup=self.password_lookup)
        try:
            # Once per connection, not per read; its own statement, before any transaction.
            identity = self.check(conn) if self.check is not None else None
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self.opened += 1
            self.identity = identity
        return conn

    def take(self) -> psycopg.Connection[Any]:
        """A kept connection that is still usable, else a new one; :meth:`give` it back."""
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return self._open()
            if usable(conn):
                return conn
            conn.close()

    def give(self, conn: psycopg.Connection[Any]) -> None:
        """Keep ``conn`` for the next read if it is usable and fewer than ``keep`` are idle."""
        if usable(conn):
            with self._lock:
                if not self._closed and len(self._idle) < self.keep:
                    self._idle.append(conn)
                    return
        conn.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection (autocommit) for the block; given back afterwards, or closed when it
        broke or a transaction was left open.  Nothing is repeated."""
        conn = self.take()
        try:
            yield conn
        finally:
            self.give(conn)

    def read(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``fn(conn)`` in its own transaction; run once more on a new connection when the
        first one broke under it.  ``fn`` must be safe to repeat (a read)."""
        import psycopg  # noqa: PLC0415

        for attempt in (1, 2):
            conn = self.take()
            try:
                with conn.transaction():
                    return fn(conn)
            except psycopg.OperationalError as exc:
                if attempt == 2 or not conn.broken:
                    raise
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                log.info(
                    "the connection to %s broke (%s); reading again", self.target.display, first
                )
                with self._lock:
                    self.retried += 1
            finally:
                self.give(conn)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def write(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``fn(conn)`` once, on an autocommit connection (it opens its own transactions if it
        needs them); a broken connection is dropped and the error raised."""
        with self.connection() as conn:
            return fn(conn)

    def close(self) -> None:
        """Close the idle connections; those in use close when their read ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
