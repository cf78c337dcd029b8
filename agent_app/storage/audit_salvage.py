"""Audit rows a restore would lose: read them back from the replaced (damaged) seat file.

``agent-app db restore`` puts a backup in place and keeps the replaced file in ``backups/``
(``<stem>-<time>.replaced``, its WAL beside it).  Access-audit rows written after the backup
and never sent to the centre exist only in that file.  :func:`salvage` reads them from a
private copy of it (the kept file is never written) and appends them to the restored
database, so that the next sync sends them:

1. The restored database's chain tail: its last ``seq`` and ``hash`` (the backup's).
2. The replaced file's rows after that seq: one ordinary query first; if the file fails
   part-way (a damaged page: SQLCipher's HMAC or SQLite's b-tree checks), each missing seq is
   then read on its own (``WHERE id = ?``: one b-tree descent, so a damaged page loses only
   the rows on it), up to the file's last seq (or, when even that cannot be read, until 1,000
   seqs in a row cannot be found).
3. Only rows that continue the backup's chain are taken: the first must link to the backup's
   last hash, each one's hash is recomputed (:mod:`agent_app.domain.audit_chain`), no seq may
   be missing.  At the first row that is unreadable, changed or out of line, the salvage
   stops; that row and every later one stay in the kept file (counted as not salvaged).
4. The salvaged rows are inserted as they were (same seq, time, hashes) in one transaction.

Nothing here logs a row's content: counts and seqs only.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from agent_app.domain import audit_chain
from agent_app.storage import cipher

log = logging.getLogger("agent_app.db")

COLUMNS = ("id", "at", "actor_id", "role", "action", "ticket_id", "field", "detail",
           "prev_hash", "hash")  # fmt: skip
PROBE_MISSES = 1000  # seqs in a row not found before the row-by-row read gives up


@dataclass(frozen=True)
class Salvage:
    """What :func:`salvage` did: rows appended to the restored database, rows of the
    replaced file after the backup's tail that were not (unreadable, or not a continuation
    of the chain), where they stay, and why the salvage stopped (empty when it did not)."""

    salvaged: int = 0
    unreadable: int = 0
    first_seq: int = 0  # the first salvaged seq (0: none)
    last_seq: int = 0  # the restored trail's last seq after the salvage
    kept_file: str = ""
    stopped: str = ""  # "seq N: unreadable | hash_mismatch | not_continuation | missing_rows"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _tail(conn: Any) -> tuple[int, str]:
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, audit_chain.GENESIS)


def _row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(COLUMNS, values, strict=True))
    row["seq"] = int(row.pop("id"))
    return row


def _chain_row(row: dict[str, Any]) -> dict[str, Any]:
    at = row["at"]
    when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return {**row, "at": when}


def _read_rows(
    connect: Callable[[], Any], after: int, errors: tuple[type[BaseException], ...]
) -> tuple[dict[int, Any], int]:
    """The rows with seq > ``after`` the file gives (a plain scan, then one seq at a time),
    and the file's last seq as far as it can tell.  SQLCipher puts a connection that met a
    page failing its HMAC into an error state for good, so every read after a failure is
    made on a fresh connection."""
    found: dict[int, Any] = {}
    select = f"SELECT {', '.join(COLUMNS)} FROM audit_log"

    def one(sql: str, params: tuple[Any, ...]) -> Any:
        conn = connect()
        try:
            return conn.execute(sql, params).fetchone()
        finally:
            conn.close()

    conn = connect()
    try:
        for values in conn.execute(f"{select} WHERE id > ? ORDER BY id", (after,)):
            found[int(values[0])] = values
        return found, max(found, default=after)  # the whole scan went through
    except errors:
        pass
    finally:
        conn.close()
    last: int | None
    try:
        top = one("SELECT max(id) FROM audit_log", ())
        last = int(top[0]) if top and top[0] is not None else None
    except errors:
        last = None
    seq, misses = after + 1, 0
    while (last is not None and seq <= last) or (last is None and misses < PROBE_MISSES):
        if seq not in found:
            try:
                values = one(f"{select} WHERE id = ?", (seq,))
            except errors:
                values = None
            if values is None:
                misses += 1
            else:
                found[seq], misses = values, 0
        seq += 1
    return found, max(last or after, max(found, default=after))


def _private_copy(kept: Path, workdir: Path) -> Path:
    """A copy of ``kept`` and its WAL in ``workdir`` (opening it may replay the WAL)."""
    copy = workdir / "replaced.sqlite3"
    shutil.copyfile(kept, copy)
    wal = Path(f"{kept}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    return copy


def _continuation(
    rows: dict[int, Any], after: int, last: int, link: str
) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """(row, "") for each row continuing the chain from (``after``, ``link``) up to
    ``last``; then one (None, "seq N: reason") where it stops, if it does."""
    for seq in range(after + 1, last + 1):
        values = rows.get(seq)
        if values is None:
            yield None, f"seq {seq}: unreadable"
            return
        row = _row(values)
        if row["prev_hash"] != link:
            yield None, f"seq {seq}: not_continuation"
            return
        if audit_chain.row_hash(_chain_row(row)) != row["hash"]:
            yield None, f"seq {seq}: hash_mismatch"
            return
        link = str(row["hash"])
        yield row, ""


def salvage(kept: Path, database: Path, key: str) -> Salvage:
    """Append the audit rows of ``kept`` (the replaced file) that continue the chain of
    ``database`` (the restored backup) to it; see the module doc."""
    dbapi = cipher.dbapi()
    errors: tuple[type[BaseException], ...] = (dbapi.Error,)
    target = cipher.connect(database, key=key)
    try:
        after, link = _tail(target)
        backups_dir = kept.parent
        found: dict[int, Any] = {}
        last, opened = after, False
        with tempfile.TemporaryDirectory(prefix=".salvage-", dir=backups_dir) as work:
            copy = _private_copy(kept, Path(work))

            def source() -> Any:
                return cipher.connect(copy, key=key, timeout=1)

            try:
                source().close()
                opened = True
            except errors:
                opened = False
            if opened:
                found, last = _read_rows(source, after, errors)
        taken: list[dict[str, Any]] = []
        stopped = "" if opened else "the replaced file cannot be opened"
        for row, why in _continuation(found, after, last, link):
            if row is None:
                stopped = why
                break
            taken.append(row)
        if taken:
            target.isolation_level = None
            target.execute("BEGIN IMMEDIATE")
            try:
                target.executemany(
                    f"INSERT INTO audit_log ({', '.join(COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in COLUMNS)})",
                    [tuple(r["seq"] if c == "id" else r[c] for c in COLUMNS) for r in taken],
                )
                target.execute("COMMIT")
            except BaseException:
                target.execute("ROLLBACK")
                raise
        result = Salvage(
            salvaged=len(taken),
            unreadable=max(0, last - after - len(taken)),
            first_seq=after + 1 if taken else 0,
            last_seq=after + len(taken),
            kept_file=str(kept),
            stopped=stopped,
        )
    finally:
        target.close()
    if result.salvaged or result.stopped:
        log.warning(
            "restore: %d audit row(s) after seq %d salvaged from the replaced file, %d not (%s)",
            result.salvaged,
            after,
            result.unreadable,
            result.stopped or "none missing",
        )
    return result
