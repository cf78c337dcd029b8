"""The lead's rulings and the callbacks, at the seat, through the outbox.

Who acts is the seat's central login (:func:`agent_app.services.sync.identity.cached_identity`,
refreshed by every sync): its login is the actor id and its group the desk role, so an
operator login is refused here by the lifecycle (and at the centre).  Each action is one
write transaction: the ticket with its new events and one outbox row; ``agent-app sync``
delivers it.  No Qt here.

Repeat calls (:func:`follow_up`: 告知进展, 补充, 催办) are events on the existing ticket, saved
the same way; the one who acts is the seat's person (the window passes its operator and role,
the command line the seat's central login).  A repeat call on a ticket another seat took
(:func:`record_follow_up`) is queued for the centre as its own outbox kind.  Either way
the call's transcript is saved under its call id and queued for the centre after the call.  Merges on both sides: :func:`record_merge` adds
the merged call to its original in the transaction that saves the merged ticket, and
whatever closes an original here closes the tickets merged into it (:func:`close_merged`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_app.domain import followup, timeutil
from agent_app.domain.lifecycle import STATUS_NAMES
from agent_app.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from agent_app.domain.call_transcript import TranscriptLine
    from agent_app.domain.roles import Role
    from agent_app.domain.summary import TicketSummary
    from agent_app.domain.ticket import Ticket
    from agent_app.paths import DataPaths
    from agent_app.storage.db import Database


Actor = tuple[str, "Role"]
"""(login, desk role) of whoever acts."""


def seat_login(paths: DataPaths, actor: Actor | None = None) -> tuple[str, Role]:
    """(login, desk role) of this seat's central login, from the last sync; ``actor`` when
    given (a demo or training window, which has no central login: its data never syncs)."""
    if actor is not None:
        if not paths.is_demo:
            raise ConfigError(
                f"{paths.root} is a real seat: it acts as its central login, not as a chosen role"
            )
        return actor
    from agent_app.services.sync.identity import cached_identity  # noqa: PLC0415 - light

    identity = cached_identity(paths.database)
    if identity is None or not identity.login:
        raise ConfigError(
            f"the seat in {paths.root} does not know its central login yet; run "
            "'agent-app sync --once' first (the centre says who the login is)"
        )
    return identity.login, identity.role


def _change(
    db: Database,
    number: str,
    build: Callable[[Ticket], Ticket],
) -> Ticket:
    from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

    with db.write() as s:
        ticket = repo.get_ticket_by_number(s, number)
        if ticket is None:
            raise UsageError(f"no ticket {number!r} at this seat; sync the seat first")
        changed = build(ticket)
        repo.save_ticket(s, changed, now=changed.updated_at)
        login, role = _actor(changed)
        close_merged(s, changed, role=role, actor_id=login, now=changed.updated_at)
        return changed


def _actor(ticket: Ticket) -> tuple[str, Role]:
    """(actor id, role) of the ticket's latest event: who made this change."""
    from agent_app.domain.roles import Role  # noqa: PLC0415

    last = ticket.events[-1]
    return last.actor_id, Role(last.actor_role)


def _limits_and_calendar() -> tuple[Any, Any]:
    from agent_app.services.catalogue import (  # noqa: PLC0415 - only for rulings
        TIME_LIMITS_FILE,
        catalogue_dir,
        load_time_limits,
        load_work_calendar,
    )

    return load_time_limits(catalogue_dir() / TIME_LIMITS_FILE), load_work_calendar()


def rule_dispute(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    uphold: bool,
    to_unit: str = "",
    reason: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.rule_dispute(
            t,
            uphold=uphold,
            to_unit=to_unit,
            reason=reason,
            role=role,
            actor_id=login,
            now=at,
            limits=limits,
            calendar=calendar,
        ),
    )


def rule_extension(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    _limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.rule_extension(
            t, approve=approve, reason=reason, role=role, actor_id=login, now=at, calendar=calendar
        ),
    )


def record_callback(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    resolved: bool,
    satisfaction: str,
    words: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.record_callback(
            t,
            resolved=resolved,
            satisfaction=satisfaction,
            words=words,
            role=role,
            actor_id=login,
            now=at,
            limits=limits,
            calendar=calendar,
        ),
    )


def redispatch_reopened(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    to_unit: str,
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    """A ticket reopened after a callback, re-dispatched (to its unit again or another)."""
    login, role = seat_login(paths, actor)
    limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.redispatch_reopened(
            t,
            to_unit=to_unit,
            role=role,
            actor_id=login,
            now=at,
            limits=limits,
            calendar=calendar,
        ),
    )


def callbacks_due(db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """Tickets waiting for a callback: the unit replied, or the time limit passed while the
    ticket is with its unit; replied first, then by due time."""
    from sqlalchemy import select  # noqa: PLC0415 - the ORM, on first use

    from agent_app.domain.lifecycle import Status  # noqa: PLC0415
    from agent_app.storage import repository as repo  # noqa: PLC0415
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    at = now or timeutil.now()
    statuses = [s.value for s in (*followup.WITH_UNIT, Status.REPLIED)]
    out = []
    with db.read() as s:
        ids = list(s.scalars(select(TicketRow.id).where(TicketRow.status.in_(statuses))))
        for ticket_id in ids:
            ticket = repo.get_ticket(s, ticket_id)
            why = followup.callback_due(ticket, at) if ticket is not None else None
            if ticket is None or why is None:
                continue
            reply = followup.feedback(ticket)
            out.append(
                {
                    "number": ticket.number,
                    "status": ticket.status.value,
                    "status_name": STATUS_NAMES[ticket.status],
                    "reason": why,
                    "unit": ticket.main_unit,
                    "due_at": ticket.due_at.isoformat() if ticket.due_at else None,
                    "feedback": reply,
                    "rehandled": followup.rehandled(ticket),
                }
            )
    out.sort(key=lambda r: (r["reason"] != "replied", r["due_at"] or "", r["number"]))
    return out


# Progress and repeat calls; merges on both sides ---------------------------------------------


def follow_up(
    db: Database,
    number: str,
    kind: followup.FollowupKind,
    *,
    text: str = "",
    role: Role,
    actor_id: str,
    call_id: str = "",
    draft_id: str | None = None,
    outbox: bool = True,
    now: datetime | None = None,
    transcript: Sequence[TranscriptLine] = (),
) -> Ticket:
    """Record a repeat call on ticket ``number`` (one transaction: the event, one outbox row,
    the call's ``transcript`` (redacted, under ``call_id``, queued for the centre after the
    event) and, from the window, the call's draft removed).  Raises :class:`UsageError` with
    one line when it cannot be recorded (no such ticket, merged, no unit for a supplement...)."""
    from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

    at = now or timeutil.now()
    with db.write() as s:
        ticket = repo.get_ticket_by_number(s, number)
        if ticket is None:
            raise UsageError(f"no ticket {number!r} at this seat; sync the seat first")
        changed = followup.follow_up(
            ticket, kind, text=text, role=role, actor_id=actor_id, now=at, call_id=call_id
        )
        if changed is ticket:  # this call was recorded before (a retry)
            if draft_id is not None:
                repo.delete_draft(s, draft_id)
            return ticket
        saved = repo.save_ticket(s, changed, draft_id=draft_id, outbox=outbox, now=at)
        if transcript:
            repo.save_followup_transcript(
                s, number=number, call_id=call_id, kind=kind.value, lines=list(transcript),
                held_id=ticket.id, queue=outbox and not ticket.is_demo, now=at,
            )  # fmt: skip
        return saved


@dataclass(frozen=True)
class QueuedFollowUp:
    """A repeat call on a ticket this seat does not hold (another seat took the first call),
    queued in the outbox for the centre (``central.follow_up``), which checks it again."""

    number: str
    kind: followup.FollowupKind
    text: str
    key: str
    at: datetime


def stand_in(row: TicketSummary) -> Ticket:
    """The ticket as a history row knows it (a ticket held at the centre, not here)."""
    from agent_app.domain.lifecycle import Status  # noqa: PLC0415
    from agent_app.domain.ticket import Ticket  # noqa: PLC0415

    try:
        status = Status(row.status)
    except ValueError:
        status = Status.DISPATCHED
    return Ticket(
        id=row.id,
        number=row.number,
        created_at=row.created_at,
        seat="",
        operator_id="",
        category_name=row.category_name,
        main_unit=row.main_unit,
        due_at=row.due_at,
        status=status,
    )


def record_follow_up(
    db: Database,
    number: str,
    kind: followup.FollowupKind,
    *,
    text: str = "",
    role: Role,
    actor_id: str,
    call_id: str = "",
    draft_id: str | None = None,
    outbox: bool = True,
    now: datetime | None = None,
    known: TicketSummary | None = None,
    transcript: Sequence[TranscriptLine] = (),
) -> Ticket | QueuedFollowUp:
    """A repeat call on ticket ``number`` wherever it was taken: on a ticket this seat holds
    as :func:`follow_up`; on one it does not (the centre's caller history showed it, or the
    command line names it) queued in the outbox as its own kind
    (:data:`~agent_app.storage.repository.FOLLOW_UP_OP`, the call's draft removed in the
    same transaction); ``agent-app sync`` delivers it to the centre, which applies the same
    rules and answers once per key.  ``known`` (the history's row) lets the seat refuse at
    once what the centre would refuse (a closed ticket for a chase)."""
    from agent_app.domain.ticket import TicketNumber  # noqa: PLC0415
    from agent_app.storage import repository as repo  # noqa: PLC0415

    with db.read() as s:
        held = repo.get_ticket_by_number(s, number) is not None
    if held or not outbox:  # a demo seat has nothing elsewhere
        return follow_up(
            db, number, kind, text=text, role=role, actor_id=actor_id, call_id=call_id,
            draft_id=draft_id, outbox=outbox, now=now, transcript=transcript,
        )  # fmt: skip
    try:
        TicketNumber.parse(number)
    except ValueError:
        raise UsageError(f"{number!r} is not a ticket number (like 20261206-S01-0001)") from None
    followup.check_caller_role(role)
    if known is not None:
        problem = followup.follow_up_problem(stand_in(known), kind)
        if problem:
            raise UsageError(problem)
    words = followup.follow_up_words(kind, text)
    at = now or timeutil.now()
    payload = {
        "number": number,
        "kind": kind.value,
        "text": words,
        "at": at.isoformat(),
        "call_id": call_id,
        "actor_role": role.value,
        "actor_id": actor_id,
    }
    with db.write() as s:
        key, _new = repo.queue_follow_up(s, payload, at)
        if transcript:  # after the repeat call itself, under its number
            repo.save_followup_transcript(
                s, number=number, call_id=call_id, kind=kind.value, lines=list(transcript),
                held_id=None, queue=True, now=at,
            )  # fmt: skip
        if draft_id is not None:
            repo.delete_draft(s, draft_id)
    return QueuedFollowUp(number=number, kind=kind, text=words, key=key, at=at)


def record_merge(session: Session, merged: Ticket, *, outbox: bool = True) -> Ticket:
    """In the transaction that saved ``merged`` (a call merged into an existing ticket): the
    original records the call (an event, its callers + 1), and when the original is closed
    already the merged ticket closes at once.  Returns the merged ticket as saved."""
    from agent_app.storage import repository as repo  # noqa: PLC0415

    if not merged.merged_into:
        return merged
    original = repo.get_ticket_by_number(session, merged.merged_into)
    if original is None:  # not held here; the centre has it
        return merged
    login, role = _actor(merged)
    at = merged.updated_at or timeutil.now()
    noted = followup.record_merged_call(original, merged, role=role, actor_id=login, now=at)
    if noted is not original:
        repo.save_ticket(session, noted, outbox=outbox and not original.is_demo, now=at)
    closed = followup.close_merged(merged, noted, role=role, actor_id=login, now=at)
    if closed is not merged:
        repo.save_ticket(session, closed, outbox=outbox and not merged.is_demo, now=at)
    return closed


def close_merged(
    session: Session,
    original: Ticket,
    *,
    role: Role,
    actor_id: str,
    now: datetime | None = None,
    outbox: bool = True,
) -> list[Ticket]:
    """When ``original`` is closed: close every ticket merged into it that is still open
    (MERGED_DUPLICATE → CLOSED, an event each), in the caller's transaction.  The centre
    does the same when it applies a close (c0004), so either side converges."""
    from sqlalchemy import select  # noqa: PLC0415

    from agent_app.domain.lifecycle import Status  # noqa: PLC0415
    from agent_app.storage import repository as repo  # noqa: PLC0415
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    if original.status not in followup.CLOSED_STATES:
        return []
    at = now or original.updated_at or timeutil.now()
    ids = list(
        session.scalars(
            select(TicketRow.id)
            .where(
                TicketRow.merged_into == original.number,
                TicketRow.status == Status.MERGED_DUPLICATE.value,
            )
            .order_by(TicketRow.created_at)
        )
    )
    out = []
    for ticket_id in ids:
        merged = repo.get_ticket(session, ticket_id)
        if merged is None:
            continue
        closed = followup.close_merged(merged, original, role=role, actor_id=actor_id, now=at)
        if closed is not merged:
            repo.save_ticket(session, closed, outbox=outbox and not closed.is_demo, now=at)
            out.append(closed)
    return out


def handled_calls(path: Path, operator_id: str, start: datetime, end: datetime) -> dict[str, int]:
    """The seat's count of calls one operator handled in [start, end): the tickets taken,
    and the repeat calls recorded on existing tickets (a progress call makes no ticket but
    is a handled call).  Plain SQL on the seat database."""
    from agent_app.storage import readmodel  # noqa: PLC0415

    kinds = [k.value for k in followup.FollowupKind]
    lo, hi = readmodel.to_db(start), readmodel.to_db(end)
    with readmodel.connect(path) as conn:
        tickets = conn.execute(
            "SELECT count(*) FROM tickets WHERE operator_id = ? AND created_at >= ? "
            "AND created_at < ?",
            (operator_id, lo, hi),
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT kind, count(*) FROM ticket_events WHERE actor_id = ? AND at >= ? AND at < ? "
            f"AND kind IN ({', '.join('?' * len(kinds))}) GROUP BY kind",
            (operator_id, lo, hi, *kinds),
        ).fetchall()
    counts = {k: 0 for k in kinds}
    counts.update({str(k): int(n) for k, n in rows})
    return {"tickets": int(tickets), **counts, "handled": int(tickets) + sum(counts.values())}
