"""Access audit: every personal value shown, every ticket a lead opens, every export.

The one way to write the audit trail is :func:`record_access`; call it BEFORE the value is
shown or the file is written, and show/write only when it returned (it raises when the row
could not be stored, and then nothing may be shown)::

    from agent_app.services import audit

    audit.record_access(
        db,                           # the seat's Database (agent_app.storage.db)
        action=audit.UNMASK,          # what happened (the constants below)
        ticket_id=ticket.id,          # "" for an export of many tickets
        field="caller.phones",        # which value (FIELD_* below), "" for a whole ticket
        actor=operator_id,            # the person (settings' operator_id / central login)
        role="lead",                  # their role at the seat
        reason="callback",            # why, in a few words (no personal data!)
    )

In a GUI presenter, run it through the task runner (``runner.run_mutation(...,
change=Change.AUDIT)``) and reveal the value in the success callback.  Inside a write
session you already hold, use :func:`record_access_in` (same arguments, a session instead of
the database) so the row commits with your own change.

Rows are append-only (triggers refuse UPDATE and DELETE) and form a hash chain per seat
(:mod:`agent_app.domain.audit_chain`); the sync engine pushes them to ``central.audit_log``
exactly once, where the centre checks the chain again and only the auditor login reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_app.domain import audit_chain, timeutil
from agent_app.domain.audit_chain import Break
from agent_app.domain.privacy import ascii_digits, redact_text
from agent_app.errors import ConfigError
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import (
    CentralTarget,
    PasswordLookup,
    connect,
    keyring_lookup,
)
from agent_app.storage.db import Database
from agent_app.storage.models import AuditRow, SyncStateRow

# Actions.
UNMASK = "unmask_phone"  # a caller's number shown in full (form, ticket detail)
CALLBACK_REVEAL = "callback_reveal"  # the number revealed to call the citizen back
VIEW_TICKET = "view_ticket"  # a shift lead opened a ticket's detail
EXPORT = "export"  # a report or export with callers' data written to a file
ACTIONS = (UNMASK, CALLBACK_REVEAL, VIEW_TICKET, EXPORT)

# Fields.
FIELD_PHONE = "caller.phones"
FIELD_NAME = "caller.name"
FIELD_CALLER = "caller"
FIELD_TICKET = "ticket"

_LIMITS = {"actor": 64, "role": 16, "action": 32, "ticket_id": 36, "field": 32, "reason": 256}


@dataclass(frozen=True)
class AuditEntry:
    """One stored row of the trail (``seq`` is its place in the seat's chain)."""

    seq: int
    at: datetime
    actor_id: str
    role: str
    action: str
    ticket_id: str
    field: str
    detail: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": audit_chain.canonical_time(self.at),
            "actor_id": self.actor_id,
            "role": self.role,
            "action": self.action,
            "ticket_id": self.ticket_id,
            "field": self.field,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.id,
        at=row.at,
        actor_id=row.actor_id,
        role=row.role,
        action=row.action,
        ticket_id=row.ticket_id,
        field=row.field,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _check(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"audit {name} must be a string")
    limit = _LIMITS[name]
    if len(value) > limit:
        raise ValueError(f"audit {name} is longer than {limit} characters")
    return value


def _without_numbers(reason: str) -> str:
    """``reason`` with any personal number masked (a number typed into a reason never reaches
    the trail); unchanged, full-width forms included, when it holds none."""
    masked = redact_text(reason)
    return reason if masked == ascii_digits(reason) else masked


def record_access_in(
    session: Session,
    *,
    action: str,
    ticket_id: str,
    field: str,
    actor: str,
    role: str,
    reason: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one row to the chain inside ``session`` (a write session: BEGIN IMMEDIATE, so
    no other writer can slip a row in between reading the last hash and adding this one)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; use one of {', '.join(ACTIONS)}")
    row = repo.audit(
        session,
        at=at or timeutil.now(),
        actor_id=_check("actor", actor),
        role=_check("role", role),
        action=action,
        ticket_id=_check("ticket_id", ticket_id),
        field=_check("field", field),
        detail=_check("reason", _without_numbers(reason)),
    )
    return _entry(row)


def record_access(
    db: Database,
    *,
    action: str,
    ticket_id: str,
    field: str,
    actor: str,
    role: str,
    reason: str = "",
    clock: Callable[[], datetime] = timeutil.now,
) -> AuditEntry:
    """Store one access in its own transaction; returns the stored row.

    Call it before showing the value; raises (and nothing may be shown) when it fails.
    """
    with db.write() as session:
        return record_access_in(
            session,
            action=action,
            ticket_id=ticket_id,
            field=field,
            actor=actor,
            role=role,
            reason=reason,
            at=clock(),
        )


def chain_rows(
    session: Session, *, after: int = 0, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The seat's rows with ``seq > after`` in order, as the chain sees them."""
    stmt = select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    for row in session.scalars(stmt):
        yield _entry(row).as_dict()


def entries(db: Database, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
    with db.read() as session:
        stmt = select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_entry(r) for r in session.scalars(stmt)]


@dataclass(frozen=True)
class Verification:
    ok: bool
    rows: int
    first_break: Break | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "first_break": self.first_break.as_dict() if self.first_break else None,
        }


def verify_seat(db: Database, seat: str = "") -> Verification:
    """Recompute the seat's chain from its first row; the first broken link, if any."""
    with db.read() as session:
        rows, first = audit_chain.verify(chain_rows(session), seat)
    return Verification(ok=first is None, rows=rows, first_break=first)


# The centre ------------------------------------------------------------------------------

_CENTRAL_COLUMNS = (
    "seat, seq, at, actor_id, role, action, ticket_id, field, detail, prev_hash, hash, login, "
    "received_at"
)


def _central_rows(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    import psycopg  # noqa: PLC0415 - heavy; only the centre's commands need it

    try:
        with conn.cursor(name="audit_rows") as cur:
            cur.itersize = 2000
            cur.execute(sql, params)
            names = [d.name for d in cur.description or ()]
            for values in cur:
                yield dict(zip(names, values, strict=True))
    except psycopg.errors.InsufficientPrivilege:
        raise ConfigError(
            "this login may not read the centre's audit trail; use an auditor login "
            "('agent-app central create-role NAME --group auditor')"
        ) from None
    except psycopg.errors.UndefinedTable:
        raise ConfigError(
            "the centre has no audit trail yet; run 'agent-app central upgrade'"
        ) from None


def verify_central(
    target: CentralTarget, *, password_lookup: PasswordLookup | None = keyring_lookup
) -> Verification:
    """Recompute every seat's chain as the centre holds it (an auditor's login)."""
    total, first = 0, None
    with connect(target, password_lookup=password_lookup, autocommit=False) as conn:
        rows = _central_rows(
            conn, f"SELECT {_CENTRAL_COLUMNS} FROM central.audit_log ORDER BY seat, seq"
        )
        for seat, group in groupby(rows, key=lambda r: str(r["seat"])):
            count, brk = audit_chain.verify(group, seat)
            total += count
            first = first or brk
    return Verification(ok=first is None, rows=total, first_break=first)


def list_central(
    target: CentralTarget,
    *,
    since: date | None = None,
    person: str | None = None,
    password_lookup: PasswordLookup | None = keyring_lookup,
) -> Iterator[dict[str, Any]]:
    """The centre's rows (oldest first), from ``since`` (a Beijing day) and of ``person``."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("at >= %s")
        params.append(datetime.combine(since, datetime.min.time(), tzinfo=timeutil.SHANGHAI))
    if person:
        where.append("(actor_id = %s OR login = %s)")
        params += [person, person]
    sql = f"SELECT {_CENTRAL_COLUMNS} FROM central.audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at, seat, seq"
    with connect(target, password_lookup=password_lookup, autocommit=False) as conn:
        for row in _central_rows(conn, sql, tuple(params)):
            row["at"] = row["at"].astimezone(timeutil.SHANGHAI).isoformat()
            row["received_at"] = row["received_at"].astimezone(timeutil.SHANGHAI).isoformat()
            yield row


# The seat's push (the sync engine calls these) -------------------------------------------

PUSH_CURSOR_KEY = "audit_pushed_seq"  # sync_state: the last seq the centre holds
PUSH_REFUSED_KEY = "audit_refused"  # sync_state: why the centre refused the chain, if it did
PUSH_BATCH = 500


def unpushed(db: Database, *, after: int, limit: int = PUSH_BATCH) -> list[dict[str, Any]]:
    """The rows after ``after`` as ``central.push_audit`` takes them."""
    with db.read() as session:
        return list(chain_rows(session, after=after, limit=limit))


# Re-joining the centre's chain (a seat put back from a backup) ----------------------------

TAIL_BATCH = 1000  # rows per central.audit_tail call (the centre's own maximum)


@dataclass(frozen=True)
class Rejoin:
    """What :func:`rejoin` did: rows copied back from the centre, the seat's own rows moved
    after them (re-sequenced), the seq the centre now holds up to; or why it held off."""

    copied: int = 0
    resequenced: int = 0
    centre_seq: int = 0
    problem: str = ""  # "seq N: reason" when nothing was changed because it would not be sound


def last_seq(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)


def seq_hash(db: Database, seq: int) -> str | None:
    """The hash of the seat's row ``seq`` (the genesis value for 0; None when there is none)."""
    if seq == 0:
        return audit_chain.GENESIS
    with db.read() as session:
        return session.scalar(select(AuditRow.hash).where(AuditRow.id == seq))


def _centre_row(row: Mapping[str, Any]) -> dict[str, Any]:
    at = datetime.fromisoformat(str(row["at"]))
    return {
        name: (at if name == "at" else row.get(name, "")) for name in (*audit_chain.FIELDS, "hash")
    }


def _set_state(session: Session, key: str, value: str) -> None:
    session.merge(SyncStateRow(key=key, value=value[:256]))


def rejoin(db: Database, *, after: int, centre_rows: list[Mapping[str, Any]]) -> Rejoin:
    """Take the centre's rows of this seat after ``after`` (which the seat's row ``after``
    must lead to) into the seat's trail.

    Where the two chains part (the first seq whose hashes differ), the centre's rows replace
    the seat's, and the seat's own rows from there are appended after the centre's last row
    with their seq, ``prev_hash`` and ``hash`` recomputed, their content unchanged.  That is
    sound because those seat rows were never stored at the centre: the centre keys its rows
    by (seat, seq) and holds a different row at the first of them, and every later one links
    to it.  So nobody holds their old hashes, and the centre checks the new ones when they are
    sent.  Before anything changes, the centre's rows are checked (each hash recomputed, each
    link, no gap) and so are the seat rows to be moved (a row changed after it was written
    must not get a fresh hash); either failing leaves the trail untouched and says where.
    One write transaction: a re-join cut short changes nothing.  On success the push cursor
    is the centre's last seq and an earlier refusal is cleared.
    """
    incoming = [_centre_row(r) for r in centre_rows]
    with db.write() as session:
        base = audit_chain.GENESIS
        if after:
            base = session.scalar(select(AuditRow.hash).where(AuditRow.id == after)) or ""
        prev = base
        for expected, row in enumerate(incoming, start=after + 1):
            problem = ""
            if int(row["seq"]) != expected:
                problem = "centre_missing_rows"
            elif row["prev_hash"] != prev:
                problem = "differs_from_centre" if expected == after + 1 else "centre_chain_broken"
            elif audit_chain.row_hash(row) != row["hash"]:
                problem = "centre_hash_mismatch"
            if problem:
                return Rejoin(problem=f"seq {expected}: {problem}")
            prev = row["hash"]
        local = list(chain_rows(session, after=after))
        parted = next(
            (
                i
                for i, (mine, theirs) in enumerate(zip(local, incoming, strict=False))
                if mine["hash"] != theirs["hash"]
            ),
            min(len(local), len(incoming)),
        )
        missing, held = incoming[parted:], local[parted:]
        centre_seq = after + len(incoming)
        if not missing:  # the seat holds every row the centre has (and maybe more)
            _set_state(session, PUSH_CURSOR_KEY, str(centre_seq))
            return Rejoin(centre_seq=centre_seq)
        first = after + parted + 1
        link = local[parted - 1]["hash"] if parted else base
        for row in held:  # the rows to move must be intact before they get new hashes
            checked = {**row, "at": datetime.fromisoformat(str(row["at"]))}
            if row["prev_hash"] != link or audit_chain.row_hash(checked) != row["hash"]:
                return Rejoin(problem=f"seq {row['seq']}: seat_row_changed")
            link = row["hash"]
        moved = repo.audit_rejoin(session, from_seq=first, centre_rows=missing)
        _set_state(session, PUSH_CURSOR_KEY, str(centre_seq))
        _set_state(session, PUSH_REFUSED_KEY, "")
    return Rejoin(copied=len(missing), resequenced=len(moved), centre_seq=centre_seq)
