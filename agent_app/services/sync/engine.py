"""The sync engine: push the outbox, pull changes, resume after any crash.

Protocol (one cycle, ``sync_once``):

1. **Push.**  Pending outbox rows (``sent_at IS NULL``) go in id order, ``batch_size`` per
   call of ``central.apply_batch(seat, ops, meta)``, a ``SECURITY DEFINER`` function that
   applies the whole batch in ONE transaction: per op it inserts the idempotency key into
   ``applied_ops`` (``ON CONFLICT DO NOTHING``); a key seen before returns its stored result
   and changes nothing, a new key upserts the ticket with a version from
   ``ticket_version_seq`` and appends its events.  The seat then acknowledges the batch in one
   SQLite transaction (``sent_at``, ``server_version``, merge base).  A crash anywhere between
   sending and acknowledging only causes a replay, which the keys make harmless.
2. **Pull.**  Tickets with ``version > cursor`` (as row-level security lets this login see
   them) are applied locally unless the seat still has unsent changes of that ticket; the
   cursor (a server version, never a client clock) advances only past what was applied.

Network faults (refused, black-holed, cut) end the cycle as *offline*; the caller retries with
:class:`~agent_app.services.sync.backoff.Backoff`.  :meth:`SyncEngine.cancel` (thread-safe, for
a window that closes) cancels the statement in flight and lets no further one start: the cycle
ends as an offline one, the centre rolls the statement back and the outbox rows stay unsent.
Nothing personal is logged: ticket numbers and counts only.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import String, Table, bindparam, case, select, type_coerce, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from agent_app.domain import timeutil
from agent_app.domain.serialize import ticket_from_dict
from agent_app.domain.ticket import TicketEvent
from agent_app.domain.validation import payload_problem
from agent_app.errors import ConfigError, KnownError
from agent_app.services import audit
from agent_app.services.sync.backoff import Backoff
from agent_app.services.sync.identity import store_identity
from agent_app.services.sync.merge import describe_change, ticket_fields
from agent_app.services.undelivered import send_again
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import (
    CentralTarget,
    PasswordLookup,
    connect,
    keyring_lookup,
)
from agent_app.storage.db import Database
from agent_app.storage.models import (
    ConflictRow,
    OutboxRow,
    SyncQuarantineRow,
    SyncShadowRow,
    SyncStateRow,
    TicketRow,
)

log = logging.getLogger("agent_app.sync")
OUTBOX = cast(Table, OutboxRow.__table__)
TICKETS = cast(Table, TicketRow.__table__)

CURSOR_KEY = "pull_cursor"
LAST_SYNC_KEY = "last_sync_at"
LAST_ERROR_KEY = "last_sync_error"
CONFIDENTIAL_MASKED_KEY = "confidential_masked_for"  # the lead login whose seat was masked
PULL_MASKED = "central.pull_tickets"  # c0009: confidential callers masked for other logins
TRANSCRIPT_BATCH = 50  # calls' transcripts per centre transaction (each up to 100,000 chars)
CANCEL_TIMEOUT = 2.0  # seconds a cancel request may take to reach the centre
FaultHook = Callable[[str], None]
# Fault points for tests: before_send, after_server_commit, after_local_ack, before_pull_apply.


class SyncOffline(Exception):
    """The centre cannot be reached (refused, timed out, connection cut)."""


class SyncCancelled(Exception):
    """The cycle was cancelled (:meth:`SyncEngine.cancel`) before its next statement."""


class _Guarded:
    """The cycle's connection: once the cycle is cancelled no statement starts on it."""

    def __init__(self, conn: Any, cancelled: threading.Event) -> None:
        self._conn = conn
        self._cancelled = cancelled

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._cancelled.is_set():
            raise SyncCancelled("the cycle was cancelled")
        return self._conn.execute(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@dataclass(frozen=True)
class SyncReport:
    """What one cycle did; ``online`` is False when the centre could not be reached."""

    online: bool
    ok: bool
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0  # refused by the centre in this cycle (each now undelivered)
    quarantined: int = 0  # invalid at the seat, never sent (each now undelivered)
    pull_quarantined: int = 0  # centre rows this seat could not apply (skipped, reported)
    undelivered: int = 0  # tickets waiting for the operator after this cycle (未送达)
    replayed: int = 0
    pulled: int = 0
    audit_pushed: int = 0  # access-audit rows the centre stored in this cycle
    audit_refused: str = ""  # why the centre refused this seat's audit chain (seq: reason)
    audit_rejoined: int = 0  # audit rows copied back from the centre (a restored seat)
    audit_resequenced: int = 0  # the seat's unsent audit rows moved after the centre's
    batches: int = 0
    queue: int = 0
    seconds: float = 0.0
    last_sync: str | None = None
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def complete(self) -> bool:
        """The cycle finished and nothing is undelivered or was skipped on pull."""
        return self.ok and not (self.undelivered or self.pull_quarantined or self.rejected)


@contextmanager
def _deadline(conn: Any, seconds: float) -> Iterator[None]:
    """Cut the connection's socket when a statement outlives ``seconds`` (black-holed link).

    A query sent into a proxy that accepts but never answers would wait for TCP keepalives
    (minutes); shutting the socket down makes psycopg fail at once with OperationalError.
    """
    fd = conn.pgconn.socket

    def cut() -> None:
        try:
            sock = socket.socket(fileno=os.dup(fd))
            try:
                sock.shutdown(socket.SHUT_RDWR)
            finally:
                sock.close()
        except OSError:
            pass

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _pull_reason(exc: BaseException) -> str:
    """A short code for why a centre row could not be applied (no personal data)."""
    text = str(exc)
    if "UNIQUE constraint failed: tickets.number" in text:
        return "number_collision"
    if isinstance(exc, ValueError):
        return f"invalid_row:{type(exc).__name__}"[:64]
    return f"cannot_apply:{type(exc).__name__}"[:64]


class SyncEngine:
    """Syncs one seat database with the centre.  Not thread-safe: one cycle at a time."""

    def __init__(
        self,
        db: Database,
        target: CentralTarget,
        *,
        seat: str,
        demo: bool = False,
        batch_size: int = 300,
        io_timeout: float = 30.0,
        password_lookup: PasswordLookup | None = keyring_lookup,
        fault: FaultHook | None = None,
        clock: Callable[[], datetime] = timeutil.now,
    ) -> None:
        if demo:
            raise ConfigError(
                f"The data directory of {db.path} is a demo/training directory (DEMO marker); "
                "it never syncs with the centre."
            )
        if not seat:
            raise ConfigError("No seat identifier is set; pass --seat or set it in the settings.")
        self.db = db
        self.target = target
        self.seat = seat
        self.batch_size = max(1, batch_size)
        self.io_timeout = io_timeout
        self.password_lookup = password_lookup
        self.fault = fault
        self.clock = clock
        self._lock = threading.Lock()
        # cancel(): the running cycle's connection, guarded by _cancel_lock (another thread)
        self._cancel_lock = threading.Lock()
        self._cancelled = threading.Event()
        self._running = False
        self._conn: Any = None
        self._progress = SyncReport(online=False, ok=False)
        self._identity: dict[str, Any] = {}  # what the centre said about the login this cycle
        self._pull_source: str | None = None  # central.pull_tickets, or the table (older centre)

    # Local state ---------------------------------------------------------------------------

    def queue_length(self) -> int:
        with self.db.read() as s:
            return repo.pending_outbox_count(s)

    def _state(self, key: str) -> str | None:
        with self.db.read() as s:
            return s.scalar(select(SyncStateRow.value).where(SyncStateRow.key == key))

    @staticmethod
    def _set_state(session: Any, key: str, value: str) -> None:
        stmt = sqlite_insert(SyncStateRow).values(key=key, value=value[:256])
        session.execute(
            stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value[:256]})
        )

    def status(self) -> dict[str, Any]:
        """Queue length, undelivered tickets, last successful sync and last error."""
        with self.db.read() as s:
            rows = dict(
                s.execute(
                    select(SyncStateRow.key, SyncStateRow.value).where(
                        SyncStateRow.key.in_((LAST_SYNC_KEY, LAST_ERROR_KEY, CURSOR_KEY))
                    )
                ).all()
            )
            queue = repo.pending_outbox_count(s)
            stuck = repo.undelivered(s)
        return {
            "queue": queue,
            "undelivered": len(stuck),
            "undelivered_items": [
                {"ticket_id": u["ticket_id"], "number": u["number"], "reason": u["reason"]}
                for u in stuck
            ],
            "last_sync": rows.get(LAST_SYNC_KEY),
            "last_error": rows.get(LAST_ERROR_KEY, ""),
            "cursor": int(rows.get(CURSOR_KEY) or 0),
        }

    def _undelivered_count(self) -> int:
        with self.db.read() as s:
            return len(repo.undelivered(s))

    def _hook(self, point: str) -> None:
        if self.fault is not None:
            self.fault(point)

    # One cycle -----------------------------------------------------------------------------

    def sync_once(self, stop: threading.Event | None = None) -> SyncReport:
        """Push everything pending, then pull once.  Network faults become an offline report."""
        with self._lock:
            with self._cancel_lock:
                self._running = True
                self._cancelled.clear()
            try:
                return self._cycle(stop)
            finally:
                with self._cancel_lock:
                    self._running = False
                    self._conn = None

    def cancel(self) -> bool:
        """Thread-safe: cancel the running cycle (a window that closes cannot wait for a
        statement blocked at the centre).  The statement in flight is cancelled at the centre,
        which rolls it back, and no further statement of this cycle starts; the cycle ends as
        an offline one and its unsent changes are sent by a later cycle.  A cycle between
        statements (local work) ends at its next statement.  True when a cycle was running."""
        with self._cancel_lock:  # held while cancelling: the cycle cannot close the connection
            if not self._running:
                return False
            self._cancelled.set()
            if self._conn is not None:
                try:
                    self._conn.cancel_safe(timeout=CANCEL_TIMEOUT)
                except Exception as exc:  # noqa: BLE001 - the centre may be unreachable
                    log.warning("sync: cancel request not delivered (%s)", type(exc).__name__)
        return True

    def _cycle(self, stop: threading.Event | None) -> SyncReport:
        import psycopg  # noqa: PLC0415 - heavy, loaded when the first cycle runs

        started = time.perf_counter()
        # What this cycle did so far; kept up to date batch by batch, so that a cycle cut
        # short by a lost connection still reports what the centre had applied.
        self._progress = SyncReport(online=False, ok=False)
        try:
            raw = connect(self.target, password_lookup=self.password_lookup)
        except psycopg.OperationalError as exc:
            return self._failed(started, "offline", exc, online=False)
        with self._cancel_lock:
            self._conn = raw
        conn = _Guarded(raw, self._cancelled)
        try:
            self._progress = replace(self._progress, online=True)
            self._claim_seat(conn)
            self._push(conn, stop)
            if stop is None or not stop.is_set():
                self._push_follow_ups(conn, stop)
            if stop is None or not stop.is_set():
                self._push_transcripts(conn, stop)
            if stop is None or not stop.is_set():
                self._pull(conn)
            if stop is None or not stop.is_set():
                self._push_audit(conn)
        except SyncCancelled as exc:
            return self._failed(started, "cancelled", exc, online=False)
        except (psycopg.OperationalError, psycopg.errors.SerializationFailure, OSError) as exc:
            what = "cancelled" if self._cancelled.is_set() else "connection lost"
            return self._failed(started, what, exc, online=False)
        except psycopg.errors.DeadlockDetected as exc:
            return self._failed(started, "deadlock", exc, online=True)
        except psycopg.Error as exc:
            return self._failed(started, "refused by the centre", exc, online=True)
        finally:
            with self._cancel_lock:
                self._conn = None
            try:
                raw.close()
            except Exception:  # noqa: BLE001 - the connection may already be broken
                pass
        now = self.clock().isoformat(timespec="seconds")
        undelivered = self._undelivered_count()
        problem = ""
        if undelivered or self._progress.pull_quarantined:
            problem = (
                f"{undelivered} ticket(s) undelivered, "
                f"{self._progress.pull_quarantined} centre row(s) quarantined"
            )
        with self.db.write() as s:
            self._set_state(s, LAST_SYNC_KEY, now)
            self._set_state(s, LAST_ERROR_KEY, problem)
        report = replace(
            self._progress,
            ok=True,
            queue=self.queue_length(),
            undelivered=undelivered,
            last_sync=now,
            error=problem,
            seconds=round(time.perf_counter() - started, 3),
        )
        log.info(
            "sync: pushed %d (%d replayed, %d merged, %d conflicts, %d rejected, %d quarantined) "
            "pulled %d (%d quarantined), queue %d, undelivered %d",
            report.pushed,
            report.replayed,
            report.merged,
            report.conflicts,
            report.rejected,
            report.quarantined,
            report.pulled,
            report.pull_quarantined,
            report.queue,
            report.undelivered,
        )
        return report

    def _failed(self, started: float, what: str, exc: BaseException, *, online: bool) -> SyncReport:
        # psycopg messages name host and port, never passwords; keep the first line only.
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        error = f"{what}: {detail}"[:250]
        report = self._progress
        undelivered = report.undelivered
        try:
            with self.db.write() as s:
                self._set_state(s, LAST_ERROR_KEY, error)
            queue = self.queue_length()
            undelivered = self._undelivered_count()
            last = self._state(LAST_SYNC_KEY)
        except KnownError:
            queue, last = report.queue, None
        log.warning("sync failed (%s): %s", what, type(exc).__name__)
        return replace(
            report,
            online=online,
            ok=False,
            error=error,
            queue=queue,
            undelivered=undelivered,
            last_sync=last,
            seconds=round(time.perf_counter() - started, 3),
        )

    # Identity ------------------------------------------------------------------------------

    def _claim_seat(self, conn: Any) -> None:
        """The centre binds this seat id to this login (first use) or refuses the cycle when
        another login holds it; what the centre says about the login is cached."""
        with _deadline(conn, self.io_timeout):
            row = conn.execute("SELECT central.claim_seat(%s)", (self.seat,)).fetchone()
        identity = row[0] if row else None
        if isinstance(identity, dict):
            store_identity(self.db, identity)
            self._identity = identity

    # The operator's way out --------------------------------------------------------------

    def undelivered(self) -> list[dict[str, Any]]:
        """Tickets whose change did not reach the centre: ticket_id, number, reason, since."""
        with self.db.read() as s:
            return repo.undelivered(s)

    def resend_undelivered(self, *, renumber: bool = False) -> dict[str, int]:
        """Send every undelivered ticket again, as one change with its current state (the
        operator corrected it, or the rules changed).  With ``renumber``, tickets refused
        for their number or seat first get a new number of this seat.  A ticket that still
        breaks a rule stays undelivered.  Returns counts: resent, renumbered, still_invalid.
        Each ticket takes the step the window's 重新发送 / 重新编号 takes for one
        (:func:`agent_app.services.undelivered.send_again`)."""
        counts = {"resent": 0, "renumbered": 0, "still_invalid": 0}
        for item in self.undelivered():
            again = renumber and item["reason"] in repo.RENUMBER_REASONS
            try:
                with self.db.write() as s:
                    send_again(
                        s, item["ticket_id"], seat=self.seat, now=self.clock(), renumber=again
                    )
                counts["renumbered"] += again
                counts["resent"] += 1
            except KnownError as exc:
                counts["still_invalid"] += 1
                log.warning("sync: ticket %s not resent: %s", item["number"], exc)
        return counts

    # Push ----------------------------------------------------------------------------------

    def _check_time(self, shadow: tuple[Any, ...] | None) -> datetime:
        """The time this seat checks a change's dates against: its clock, or, for a ticket the
        centre already holds, at least the ticket's accepted ``created_at`` (the centre checked
        it by its own clock; this seat's clock may be far behind the seat that created it)."""
        now = self.clock()
        data = shadow[-1] if shadow else None
        created = data.get("created_at") if isinstance(data, dict) else None
        if isinstance(created, str):
            try:
                at = datetime.fromisoformat(created)
            except ValueError:
                return now
            if at.tzinfo is not None and at > now:
                return at
        return now

    def _pending_batch(self) -> list[dict[str, Any]]:
        """The next batch of sendable changes.  A change that is not even valid here (broken
        JSON, a payload the centre's rules refuse) becomes undelivered at once, and so do the
        later changes of its ticket wait; neither blocks the changes of other tickets."""
        table = OUTBOX
        while True:
            with self.db.read() as s:
                stuck = (
                    select(table.c.ticket_id)
                    .where(
                        table.c.sent_at.is_(None),
                        table.c.undelivered_at.is_not(None),
                        table.c.op != repo.TRANSCRIPT_OP,  # holds no change back
                    )
                    .scalar_subquery()
                )
                rows = s.execute(
                    select(
                        table.c.id,
                        table.c.idempotency_key,
                        table.c.ticket_id,
                        table.c.op,
                        type_coerce(table.c.payload, String).label("raw"),
                    )
                    .where(
                        table.c.sent_at.is_(None),
                        table.c.undelivered_at.is_(None),
                        table.c.ticket_id.not_in(stuck),
                        # sent by _push_follow_ups and _push_transcripts
                        table.c.op.not_in((repo.FOLLOW_UP_OP, repo.TRANSCRIPT_OP)),
                    )
                    .order_by(table.c.id)
                    .limit(self.batch_size)
                ).all()
                ids = {r.ticket_id for r in rows}
                shadows = {
                    r.ticket_id: (r.version, r.data)
                    for r in s.execute(
                        select(
                            SyncShadowRow.ticket_id, SyncShadowRow.version, SyncShadowRow.data
                        ).where(SyncShadowRow.ticket_id.in_(ids))
                    )
                }
            ops: list[dict[str, Any]] = []
            bad: dict[str, str] = {}
            bad_tickets: set[str] = set()
            last_in_batch: dict[str, dict[str, Any]] = {}
            for r in rows:
                if r.ticket_id in bad_tickets:
                    continue  # held behind its ticket's undelivered change
                try:
                    payload = json.loads(r.raw) if isinstance(r.raw, str) else None
                except ValueError:
                    payload = None
                problem = (
                    "corrupt_payload"
                    if not isinstance(payload, dict)
                    else payload_problem(payload, now=self._check_time(shadows.get(r.ticket_id)))
                )
                if problem is None and r.op != "upsert_ticket":
                    problem = "unknown_operation"
                if problem is not None:
                    bad[r.idempotency_key] = problem
                    bad_tickets.add(r.ticket_id)
                    continue
                assert isinstance(payload, dict)
                shadow = shadows.get(r.ticket_id)
                base = last_in_batch.get(r.ticket_id) or (shadow[1] if shadow else None)
                changed, append = describe_change(payload, base)
                last_in_batch[r.ticket_id] = ticket_fields(payload)
                ops.append(
                    {
                        "key": r.idempotency_key,
                        "ticket_id": r.ticket_id,
                        "op": r.op,
                        "payload": payload,
                        "base_version": shadow[0] if shadow else None,
                        "changed": changed,
                        "notes_append": append,
                    }
                )
            if bad:
                with self.db.write() as s:
                    repo.mark_undelivered(s, bad, self.clock())
                for key, problem in bad.items():
                    log.warning("sync: change %s not sent: %s", key[:8], problem)
                self._progress = replace(
                    self._progress, quarantined=self._progress.quarantined + len(bad)
                )
            # Ops of a ticket that turned out bad later in the batch wait behind it.
            ops = [op for op in ops if op["ticket_id"] not in bad_tickets]
            if ops or not rows:
                return ops

    def _push(self, conn: Any, stop: threading.Event | None) -> None:
        from psycopg.types.json import Jsonb  # noqa: PLC0415

        while stop is None or not stop.is_set():
            ops = self._pending_batch()
            if not ops:
                break
            demo = [op for op in ops if op["payload"].get("is_demo")]
            if demo:  # never sent: the centre must not see demo data, not even its keys
                self._ack_local_only(demo, "demo data is never synced")
                continue
            self._hook("before_send")
            with _deadline(conn, self.io_timeout):
                row = conn.execute(
                    "SELECT central.apply_batch(%s, %s, %s)",
                    (self.seat, Jsonb(ops), Jsonb({"demo": False})),
                ).fetchone()
            self._hook("after_server_commit")
            results = (row[0] if row else {}).get("results", [])
            # The centre committed: count it now, before anything local can fail.
            p = self._progress
            self._progress = replace(p, pushed=p.pushed + len(ops), batches=p.batches + 1)
            counts = self._ack(ops, results)
            p = self._progress
            self._progress = replace(
                p,
                applied=p.applied + counts["applied"],
                merged=p.merged + counts["merged"],
                conflicts=p.conflicts + counts["conflict"],
                rejected=p.rejected + counts["rejected"],
                replayed=p.replayed + counts["replay"],
            )
            self._hook("after_local_ack")

    def _push_follow_ups(self, conn: Any, stop: threading.Event | None) -> None:
        """Repeat calls on tickets this seat does not hold (:data:`repo.FOLLOW_UP_OP`), one
        ``central.follow_up`` call each, in order: the centre appends the event to the ticket
        wherever it was taken, or refuses with a one-line reason (the change becomes
        undelivered, 未送达).  The key makes a replay after a lost answer harmless: the centre
        returns its stored answer and appends nothing."""
        import psycopg  # noqa: PLC0415

        table = OUTBOX
        while stop is None or not stop.is_set():
            with self.db.read() as s:
                stuck = (
                    select(table.c.ticket_id)
                    .where(
                        table.c.sent_at.is_(None),
                        table.c.undelivered_at.is_not(None),
                        table.c.op != repo.TRANSCRIPT_OP,
                    )
                    .scalar_subquery()
                )
                rows = s.execute(
                    select(table.c.idempotency_key, table.c.payload)
                    .where(
                        table.c.op == repo.FOLLOW_UP_OP,
                        table.c.sent_at.is_(None),
                        table.c.undelivered_at.is_(None),
                        table.c.ticket_id.not_in(stuck),
                    )
                    .order_by(table.c.id)
                    .limit(self.batch_size)
                ).all()
            if not rows:
                return
            for key, payload in rows:
                data = payload if isinstance(payload, dict) else {}
                self._hook("before_send")
                try:
                    with _deadline(conn, self.io_timeout):
                        row = conn.execute(
                            "SELECT central.follow_up(%s, %s, %s, %s, %s, %s, %s)",
                            (
                                self.seat,
                                key,
                                str(data.get("number") or ""),
                                str(data.get("kind") or ""),
                                str(data.get("text") or ""),
                                data.get("at") or None,
                                str(data.get("call_id") or ""),
                            ),
                        ).fetchone()
                except psycopg.errors.UndefinedFunction:
                    log.warning("repeat calls on other seats' tickets wait: the centre is older")
                    return
                self._hook("after_server_commit")
                result = (row[0] if row else None) or {}
                status = str(result.get("status") or "")
                p = self._progress
                self._progress = replace(
                    p,
                    pushed=p.pushed + 1,
                    replayed=p.replayed + bool(result.get("replay")),
                    applied=p.applied + (status == "applied"),
                    rejected=p.rejected + (status != "applied"),
                )
                now = self.clock()
                with self.db.write() as s:
                    if status == "applied":
                        s.execute(
                            update(table)
                            .where(table.c.idempotency_key == key)
                            .values(sent_at=now, last_error="")
                        )
                    else:
                        reason = str((result.get("detail") or {}).get("reason") or status)
                        repo.mark_undelivered(s, {key: reason or "refused"}, now)
                        log.warning("sync: a repeat call was refused by the centre: %s", reason)
                self._hook("after_local_ack")
                if stop is not None and stop.is_set():
                    return

    def _push_transcripts(self, conn: Any, stop: threading.Event | None) -> None:
        """Calls' transcripts (:data:`repo.TRANSCRIPT_OP`) once every other change of their
        ticket has reached the centre (its first call's ticket, or the repeat call's event):
        up to :data:`TRANSCRIPT_BATCH` ``central.push_transcript`` calls in ONE centre
        transaction, then one local acknowledgement.  Lines that break a limit are undelivered
        here without being sent; the centre stores each call once (a replay or a resend of a
        call it holds stores nothing) or refuses with a reason code (未送达).  A centre
        without the function leaves them queued."""
        import psycopg  # noqa: PLC0415
        from psycopg.types.json import Jsonb  # noqa: PLC0415

        from agent_app.domain.call_transcript import wire_problem  # noqa: PLC0415

        table = OUTBOX
        waiting = table.alias("waiting")
        while stop is None or not stop.is_set():
            with self.db.read() as s:
                ahead = (
                    select(waiting.c.id)
                    .where(
                        waiting.c.ticket_id == table.c.ticket_id,
                        waiting.c.sent_at.is_(None),
                        waiting.c.op != repo.TRANSCRIPT_OP,
                    )
                    .exists()
                )
                rows = s.execute(
                    select(table.c.idempotency_key, table.c.payload)
                    .where(
                        table.c.op == repo.TRANSCRIPT_OP,
                        table.c.sent_at.is_(None),
                        table.c.undelivered_at.is_(None),
                        ~ahead,
                    )
                    .order_by(table.c.id)
                    .limit(min(self.batch_size, TRANSCRIPT_BATCH))
                ).all()
            if not rows:
                return
            bad: dict[str, str] = {}
            sendable: list[tuple[str, dict[str, Any]]] = []
            for key, payload in rows:
                data = payload if isinstance(payload, dict) else {}
                problem = wire_problem(data.get("lines"))
                if problem is None:
                    sendable.append((key, data))
                else:
                    bad[key] = problem
                    log.warning("sync: transcript %s not sent: %s", key[:8], problem)
            if bad:
                with self.db.write() as s:
                    repo.mark_undelivered(s, bad, self.clock())
                p = self._progress
                self._progress = replace(p, quarantined=p.quarantined + len(bad))
            if not sendable:
                continue
            self._hook("before_send")
            results: list[tuple[str, dict[str, Any]]] = []
            try:
                with _deadline(conn, self.io_timeout), conn.transaction():
                    for key, data in sendable:
                        row = conn.execute(
                            "SELECT central.push_transcript(%s, %s, %s, %s, %s, %s)",
                            (
                                self.seat,
                                key,
                                str(data.get("ticket_id") or ""),
                                str(data.get("number") or ""),
                                str(data.get("call_id") or ""),
                                Jsonb(data.get("lines")),
                            ),
                        ).fetchone()
                        results.append((key, (row[0] if row else None) or {}))
            except psycopg.errors.UndefinedFunction:
                log.warning("call transcripts wait: the centre is older (no c0008)")
                return
            self._hook("after_server_commit")
            delivered = [key for key, result in results if result.get("status") == "applied"]
            refused = {
                key: str((result.get("detail") or {}).get("reason") or result.get("status"))
                or "refused"
                for key, result in results
                if result.get("status") != "applied"
            }
            p = self._progress
            self._progress = replace(
                p,
                pushed=p.pushed + len(results),
                replayed=p.replayed + sum(bool(r.get("replay")) for _k, r in results),
                applied=p.applied + len(delivered),
                rejected=p.rejected + len(refused),
            )
            now = self.clock()
            with self.db.write() as s:
                repo.transcripts_delivered(s, delivered, now)
                if refused:
                    repo.mark_undelivered(s, refused, now)
            for reason in refused.values():
                log.warning("sync: a call transcript was refused by the centre: %s", reason)
            self._hook("after_local_ack")

    def _push_audit(self, conn: Any) -> None:
        """Send the access-audit rows the centre does not hold yet (``central.push_audit``,
        idempotent by (seat, seq): a replay after a lost answer stores nothing twice).  The
        centre checks each row's hash and link; a refusal is kept in ``sync_state`` and the
        report, and never stops the tickets' sync."""
        import psycopg  # noqa: PLC0415
        from psycopg.types.json import Jsonb  # noqa: PLC0415

        if not self._rejoin_audit(conn):
            return
        after = int(self._state(audit.PUSH_CURSOR_KEY) or 0)
        refused_before = self._state(audit.PUSH_REFUSED_KEY) or ""
        if refused_before.startswith(f"seq {after + 1}:"):
            # the centre refused this very row; the trail is append-only, so sending it again
            # cannot help: reported each cycle, sent no more
            self._progress = replace(self._progress, audit_refused=refused_before)
            return
        while True:
            rows = audit.unpushed(self.db, after=after)
            if not rows:
                return
            try:
                with _deadline(conn, self.io_timeout):
                    row = conn.execute(
                        "SELECT central.push_audit(%s, %s)", (self.seat, Jsonb(rows))
                    ).fetchone()
            except psycopg.OperationalError:
                raise  # the connection: the cycle reports offline
            except psycopg.Error as exc:  # an older centre, a login without the right, a bug
                log.warning(
                    "audit rows not sent: the centre does not take them (%s)", type(exc).__name__
                )
                return
            result = row[0] if row else {}
            stored = min(int(result.get("last_seq") or 0), int(rows[-1]["seq"]))
            refused = result.get("refused")
            p = self._progress
            self._progress = replace(
                p, audit_pushed=p.audit_pushed + int(result.get("accepted") or 0)
            )
            reason = ""
            if refused:
                reason = f"seq {refused.get('seq')}: {refused.get('reason')}"
                self._progress = replace(self._progress, audit_refused=reason)
                log.warning("the centre refused this seat's audit trail at %s", reason)
            with self.db.write() as s:
                if stored > after:
                    self._set_state(s, audit.PUSH_CURSOR_KEY, str(stored))
                self._set_state(s, audit.PUSH_REFUSED_KEY, reason)
            if refused or stored <= after:
                return
            after = stored

    def _audit_tail(self, conn: Any, after: int) -> dict[str, Any]:
        with _deadline(conn, self.io_timeout):
            row = conn.execute(
                "SELECT central.audit_tail(%s, %s, %s)", (self.seat, after, audit.TAIL_BATCH)
            ).fetchone()
        return dict(row[0]) if row and row[0] else {}

    def _hold_audit(self, problem: str) -> bool:
        self._progress = replace(self._progress, audit_refused=problem)
        log.warning(
            "this seat's audit trail is not sent: it differs from the centre's (%s)", problem
        )
        with self.db.write() as s:
            self._set_state(s, audit.PUSH_REFUSED_KEY, problem)
        return False

    def _rejoin_audit(self, conn: Any) -> bool:
        """Ask the centre for this seat's chain tail (``central.audit_tail``) before sending.

        When the centre holds rows the seat lacks (a seat put back from a backup), copy them
        back first (:func:`audit.rejoin`: checked, the seat's unsent rows re-sequenced after
        them).  When the centre holds fewer rows than the cursor says (a centre put back from
        its backup) and the chains agree up to the centre's last row, the cursor goes back and
        the rows are sent again.  False when the chains disagree: nothing is sent, and the
        problem is reported every cycle until it is resolved.
        """
        import psycopg  # noqa: PLC0415

        after = int(self._state(audit.PUSH_CURSOR_KEY) or 0)
        start = min(after, audit.last_seq(self.db))
        try:
            tail = self._audit_tail(conn, start)
            centre_seq = int(tail.get("last_seq") or 0)
            if centre_seq <= start:
                if audit.seq_hash(self.db, centre_seq) != tail.get("last_hash"):
                    return self._hold_audit(f"seq {centre_seq}: differs_from_centre")
                if centre_seq != after:
                    with self.db.write() as s:
                        self._set_state(s, audit.PUSH_CURSOR_KEY, str(centre_seq))
                return True
            rows = list(tail.get("rows") or [])
            while rows and len(rows) < centre_seq - start:
                more = list(self._audit_tail(conn, int(rows[-1]["seq"])).get("rows") or [])
                if not more:
                    break
                rows += more
        except psycopg.OperationalError:
            raise
        except psycopg.Error as exc:  # an older centre without audit_tail: send as before
            log.warning("audit tail not read from the centre (%s)", type(exc).__name__)
            return True
        done = audit.rejoin(self.db, after=start, centre_rows=rows)
        if done.problem:
            return self._hold_audit(done.problem)
        p = self._progress
        self._progress = replace(
            p,
            audit_rejoined=p.audit_rejoined + done.copied,
            audit_resequenced=p.audit_resequenced + done.resequenced,
        )
        if done.copied:
            log.warning(
                "audit trail re-joined with the centre's: %d row(s) copied back, %d unsent "
                "row(s) moved after seq %d",
                done.copied,
                done.resequenced,
                done.centre_seq,
            )
        return True

    def _ack_local_only(self, ops: list[dict[str, Any]], reason: str) -> None:
        table = OUTBOX
        now = self.clock()
        with self.db.write() as s:
            s.connection().execute(
                update(table)
                .where(table.c.idempotency_key == bindparam("b_key"))
                .values(sent_at=now, last_error=reason),
                [{"b_key": op["key"]} for op in ops],
            )

    def _ack(self, ops: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, int]:
        by_key = {r["key"]: r for r in results}
        counts = {"applied": 0, "merged": 0, "conflict": 0, "rejected": 0, "replay": 0}
        outbox_rows: list[dict[str, Any]] = []
        refused: dict[str, str] = {}
        synced: list[dict[str, Any]] = []
        shadows: dict[str, dict[str, Any]] = {}
        conflicts: list[ConflictRow] = []
        now = self.clock()
        for op in ops:
            result = by_key.get(op["key"])
            if result is None:  # the centre must answer every key; resend next cycle
                continue
            status = str(result.get("status"))
            counts["replay"] += bool(result.get("replay"))
            error = ""
            if status == "applied":
                counts["applied"] += 1
                version = int(result["version"])
                synced.append({"b_id": op["ticket_id"], "b_version": version})
                shadows[op["ticket_id"]] = {
                    "ticket_id": op["ticket_id"],
                    "version": version,
                    "data": ticket_fields(op["payload"]),
                }
            elif status == "merged":
                counts["merged"] += 1
            elif status == "conflict":
                counts["conflict"] += 1
                detail = result.get("detail") or {}
                fields = list(detail.get("fields") or [])
                error = "conflict: " + ",".join(fields)
                if not result.get("replay"):
                    conflicts.append(
                        ConflictRow(
                            ticket_id=op["ticket_id"],
                            detected_at=now,
                            fields=fields,
                            local={f: op["payload"].get(f) for f in fields},
                            remote=dict(detail.get("remote") or {}),
                        )
                    )
                log.warning("sync: ticket %s conflicts on %s", op["payload"].get("number"), error)
            else:  # refused: the change stays, undelivered, until the operator acts on it
                counts["rejected"] += 1
                reason = str((result.get("detail") or {}).get("reason") or status)
                refused[op["key"]] = reason
                log.warning(
                    "sync: ticket %s refused by the centre: %s", op["payload"].get("number"), reason
                )
                continue
            outbox_rows.append({"b_key": op["key"], "b_error": error[:256]})
        table = OUTBOX
        tickets = TICKETS
        with self.db.write() as s:
            c = s.connection()
            if outbox_rows:
                c.execute(
                    update(table)
                    .where(table.c.idempotency_key == bindparam("b_key"))
                    .values(sent_at=now, last_error=bindparam("b_error")),
                    outbox_rows,
                )
            if refused:
                repo.mark_undelivered(s, refused, now)
            if synced:
                c.execute(
                    update(tickets)
                    .where(tickets.c.id == bindparam("b_id"))
                    .values(
                        server_version=case(
                            (
                                (tickets.c.server_version.is_(None))
                                | (tickets.c.server_version < bindparam("b_version")),
                                bindparam("b_version"),
                            ),
                            else_=tickets.c.server_version,
                        )
                    ),
                    synced,
                )
            if shadows:
                self._upsert_shadows(s, list(shadows.values()))
            s.add_all(conflicts)
        return counts

    @staticmethod
    def _upsert_shadows(session: Any, rows: list[dict[str, Any]]) -> None:
        stmt = sqlite_insert(SyncShadowRow)
        stmt = stmt.on_conflict_do_update(
            index_elements=["ticket_id"],
            set_={"version": stmt.excluded.version, "data": stmt.excluded.data},
            where=stmt.excluded.version > SyncShadowRow.version,
        )
        session.connection().execute(stmt, rows)

    # Pull ----------------------------------------------------------------------------------

    def _mask_held_callers(self) -> None:
        """A shift lead's seat masks the confidential callers it still holds in clear (pulled
        before the centre masked them: ``c0009_confidential``) once per login; from then on
        the pull brings them masked (``central.pull_tickets``)."""
        from agent_app.storage.confidential import mask_held_callers  # noqa: PLC0415

        login = str(self._identity.get("login") or "")
        if self._identity.get("group") != "lead" or not login:
            return
        if self._state(CONFIDENTIAL_MASKED_KEY) == login:
            return
        with self.db.write() as s:
            masked = mask_held_callers(s, login)
            self._set_state(s, CONFIDENTIAL_MASKED_KEY, login)
        if masked:
            from agent_app.services.retention import checkpoint  # noqa: PLC0415

            checkpoint(self.db.path)
            log.warning("sync: %d confidential caller(s) held in clear were masked", masked)

    def _pull_sql(self, conn: Any) -> str:
        """How this centre gives a seat its rows: ``central.pull_tickets`` (confidential
        callers masked for a login that did not take the call), or the table itself on a
        centre older than ``c0009_confidential``."""
        if self._pull_source is None:
            with _deadline(conn, self.io_timeout):
                row = conn.execute(
                    "SELECT to_regprocedure('central.pull_tickets(text[])') IS NOT NULL"
                ).fetchone()
            self._pull_source = (
                f"SELECT id, version, data FROM {PULL_MASKED}(%s)"
                if row and row[0]
                else "SELECT id, version, data FROM central.tickets WHERE id = ANY(%s)"
            )
        return self._pull_source

    def _pull(self, conn: Any, page: int = 1000) -> None:
        self._pull_source = None  # asked once a cycle: the centre may have been upgraded
        if PULL_MASKED in self._pull_sql(conn):  # an older centre would pull them clear again
            self._mask_held_callers()
        cursor = int(self._state(CURSOR_KEY) or 0)
        while True:
            with _deadline(conn, self.io_timeout):
                heads = conn.execute(
                    "SELECT id, version FROM central.tickets WHERE version > %s "
                    "ORDER BY version LIMIT %s",
                    (cursor, page),
                ).fetchall()
            if not heads:
                break
            ids = [h[0] for h in heads]
            tickets = TICKETS
            outbox = OUTBOX
            with self.db.read() as s:
                local = dict(
                    s.execute(
                        select(tickets.c.id, tickets.c.server_version).where(tickets.c.id.in_(ids))
                    ).all()
                )
                unsent = s.execute(
                    select(outbox.c.ticket_id, outbox.c.undelivered_at.is_not(None))
                    .where(
                        outbox.c.sent_at.is_(None),
                        outbox.c.ticket_id.in_(ids),
                        outbox.c.op != repo.TRANSCRIPT_OP,  # the centre's copy has no lines
                    )
                    .distinct()
                ).all()
            stuck = {tid for tid, bad in unsent if bad}  # the operator decides; not overwritten
            pending = {tid for tid, _bad in unsent} - stuck
            held = [v for tid, v in heads if tid in pending]
            need = [
                tid
                for tid, v in heads
                if tid not in pending
                and tid not in stuck
                and (local.get(tid) is None or local[tid] < v)
            ]
            if need:
                applied, skipped = self._apply_remote(conn, need, local)
                p = self._progress
                self._progress = replace(
                    p, pulled=p.pulled + applied, pull_quarantined=p.pull_quarantined + skipped
                )
            new_cursor = heads[-1][1]
            if held:  # keep unsent local changes; see these tickets again after the push
                new_cursor = max(cursor, min(held) - 1)
            if new_cursor != cursor:
                with self.db.write() as s:
                    self._set_state(s, CURSOR_KEY, str(new_cursor))
            if held or len(heads) < page:
                break
            cursor = new_cursor

    def _apply_remote(
        self, conn: Any, ids: list[str], local: dict[str, int | None]
    ) -> tuple[int, int]:
        """Write the centre's rows locally, each on its own savepoint: a row this seat cannot
        apply (unknown status, a number taken here...) is quarantined and the rest go on.
        Returns (applied, quarantined)."""
        with _deadline(conn, self.io_timeout):
            rows = conn.execute(self._pull_sql(conn), (ids,)).fetchall()
            events = conn.execute(
                "SELECT ticket_id, op_key, version, at, kind, actor_role, actor_id, from_status, "
                "to_status, data FROM central.ticket_events WHERE ticket_id = ANY(%s) "
                "ORDER BY ticket_id, seq",
                (ids,),
            ).fetchall()
        by_ticket: dict[str, list[Any]] = {}
        for e in events:
            by_ticket.setdefault(e[0], []).append(e)
        self._hook("before_pull_apply")
        shadows: list[dict[str, Any]] = []
        quarantine: list[dict[str, Any]] = []
        outbox = OUTBOX
        now = self.clock()
        with self.db.write() as s:
            own_keys = set(
                s.scalars(select(outbox.c.idempotency_key).where(outbox.c.ticket_id.in_(ids)))
            )
            for tid, version, data in rows:
                try:
                    with s.begin_nested():
                        existing = repo.get_ticket(s, tid) if tid in local else None
                        base_version = local.get(tid) or 0
                        fresh = tuple(
                            TicketEvent(
                                at=e[3],
                                kind=e[4],
                                actor_role=e[5],
                                actor_id=e[6],
                                from_status=e[7],
                                to_status=e[8],
                                data=dict(e[9] or {}),
                            )
                            for e in by_ticket.get(tid, [])
                            if existing is None or (e[2] > base_version and e[1] not in own_keys)
                        )
                        known = existing.events if existing is not None else ()
                        ticket = replace(
                            ticket_from_dict({**data, "events": []}),
                            events=(*known, *fresh),
                            is_demo=False,
                        )
                        repo.save_ticket(s, ticket, outbox=False)
                        repo.mark_synced(s, tid, int(version))
                except Exception as exc:  # noqa: BLE001 - any row may be bad; none may stop the pull
                    reason = _pull_reason(exc)
                    quarantine.append(
                        {"ticket_id": tid, "version": int(version), "reason": reason, "at": now}
                    )
                    log.warning("sync: centre row v%s quarantined: %s", version, reason)
                    continue
                shadows.append({"ticket_id": tid, "version": int(version), "data": dict(data)})
            if shadows:
                self._upsert_shadows(s, shadows)
            if quarantine:
                stmt = sqlite_insert(SyncQuarantineRow).on_conflict_do_nothing()
                s.connection().execute(stmt, quarantine)
        return len(shadows), len(quarantine)

    # Loop ----------------------------------------------------------------------------------

    def run(
        self,
        stop: threading.Event,
        *,
        interval: float = 5.0,
        on_report: Callable[[SyncReport], None] | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        """Sync every ``interval`` seconds until ``stop`` is set; back off with jitter on faults."""
        backoff = backoff or Backoff()
        while not stop.is_set():
            report = self.sync_once(stop)
            if on_report is not None:
                on_report(report)
            stop.wait(interval if report.ok else backoff.next())
            if report.ok:
                backoff.reset()
