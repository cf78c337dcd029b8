"""Repositories: take a Session, never commit; return plain domain objects.

``save_ticket`` is the single write path for a ticket: the row, its new events, one outbox row
(idempotency key) and the removal of the draft it came from happen in the caller's transaction.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from agent_app.domain import audit_chain
from agent_app.domain.call_transcript import TranscriptLine, prepared, to_wire
from agent_app.domain.lifecycle import Status
from agent_app.domain.serialize import event_to_dict, ticket_from_dict, ticket_to_dict
from agent_app.domain.ticket import (
    Caller,
    Channel,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
    TicketNumber,
)
from agent_app.domain.timeutil import now as utc_now
from agent_app.domain.validation import clean_payload, payload_problem
from agent_app.errors import UsageError
from agent_app.storage.models import (
    AuditRow,
    DraftRow,
    EventRow,
    FollowupTranscriptLineRow,
    KbFlagRow,
    OutboxRow,
    SeatCounterRow,
    SuggestionLogRow,
    TicketRow,
    TranscriptLineRow,
)


def next_number(session: Session, seat: str, day: date) -> TicketNumber:
    """Allocate the next per-seat daily sequence number (inside the write transaction)."""
    key = day.strftime("%Y%m%d")
    row = session.get(SeatCounterRow, (key, seat))
    if row is None:
        row = SeatCounterRow(day=key, seat=seat, last_seq=0)
        session.add(row)
    row.last_seq += 1
    session.flush()
    return TicketNumber(day, seat, row.last_seq)


def _apply(row: TicketRow, ticket: Ticket) -> None:
    row.number = ticket.number
    row.created_at = ticket.created_at
    row.updated_at = ticket.updated_at or ticket.created_at
    row.seat = ticket.seat
    row.operator_id = ticket.operator_id
    row.channel = ticket.channel.value
    row.caller_name = ticket.caller.name
    row.caller_phones = list(ticket.caller.phones)
    row.caller_phone = ticket.caller.phones[0] if ticket.caller.phones else ""
    row.confidential = ticket.caller.confidential
    row.company_caller = ticket.caller.is_company
    row.request_type = ticket.request_type.value if ticket.request_type else None
    row.category_code = ticket.category_code
    row.category_name = ticket.category_name
    p = ticket.place
    row.address, row.district, row.district_code = p.address, p.district, p.district_code
    row.township, row.township_code, row.community = p.township, p.township_code, p.community
    row.lat, row.lon, row.place_confidence = p.lat, p.lon, p.confidence
    row.urgency = ticket.urgency
    row.main_unit = ticket.main_unit
    row.co_units = list(ticket.co_units)
    row.due_at = ticket.due_at
    row.description = ticket.description
    row.notes = ticket.notes
    row.outcome = ticket.outcome.value if ticket.outcome else None
    row.outcome_detail = ticket.outcome_detail
    row.kb_article_id = ticket.kb_article_id
    row.merged_into = ticket.merged_into
    row.extra = dict(ticket.extra)
    row.status = ticket.status.value
    row.is_demo = ticket.is_demo


def _to_domain(row: TicketRow, events: list[EventRow]) -> Ticket:
    return Ticket(
        id=row.id,
        number=row.number,
        created_at=row.created_at,
        updated_at=row.updated_at,
        seat=row.seat,
        operator_id=row.operator_id,
        channel=Channel(row.channel),
        caller=Caller(
            name=row.caller_name,
            phones=tuple(row.caller_phones or ()),
            confidential=row.confidential,
            is_company=row.company_caller,
        ),
        request_type=RequestType(row.request_type) if row.request_type else None,
        category_code=row.category_code,
        category_name=row.category_name,
        place=Place(
            address=row.address,
            district=row.district,
            district_code=row.district_code,
            township=row.township,
            township_code=row.township_code,
            community=row.community,
            lat=row.lat,
            lon=row.lon,
            confidence=row.place_confidence,
        ),
        urgency=row.urgency,
        main_unit=row.main_unit,
        co_units=tuple(row.co_units or ()),
        due_at=row.due_at,
        description=row.description,
        notes=row.notes,
        outcome=Outcome(row.outcome) if row.outcome else None,
        outcome_detail=row.outcome_detail,
        kb_article_id=row.kb_article_id,
        merged_into=row.merged_into,
        extra=dict(row.extra or {}),
        status=Status(row.status),
        is_demo=row.is_demo,
        events=tuple(event_from_row(e) for e in events),
    )


def event_from_row(e: EventRow) -> TicketEvent:
    return TicketEvent(
        at=e.at,
        kind=e.kind,
        actor_role=e.actor_role,
        actor_id=e.actor_id,
        from_status=e.from_status,
        to_status=e.to_status,
        data=dict(e.data or {}),
    )


def events_of(session: Session, ids: list[str], chunk: int = 500) -> dict[str, list[TicketEvent]]:
    """The events of the tickets ``ids`` (in order, read ``chunk`` ids per query), by ticket
    id; a ticket without events has no key."""
    out: dict[str, list[TicketEvent]] = {}
    for i in range(0, len(ids), chunk):
        for e in session.scalars(
            select(EventRow)
            .where(EventRow.ticket_id.in_(ids[i : i + chunk]))
            .order_by(EventRow.ticket_id, EventRow.seq)
        ):
            out.setdefault(e.ticket_id, []).append(event_from_row(e))
    return out


class InvalidTicketError(UsageError):
    """The ticket breaks a rule the centre would refuse it for (``code``: the reason)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"The ticket cannot be saved: {code} (the centre would refuse it).")
        self.code = code


def clean_ticket(ticket: Ticket) -> Ticket:
    """The ticket with every text NFC-normalised and free of control characters."""
    data = ticket_to_dict(ticket)
    cleaned = clean_payload(data)
    if cleaned == data:
        return ticket
    return ticket_from_dict(cleaned)


def save_ticket(
    session: Session,
    ticket: Ticket,
    *,
    draft_id: str | None = None,
    outbox: bool = True,
    now: datetime | None = None,
) -> Ticket:
    """Insert or update the ticket, append its new events, queue it for sync, drop its draft.

    A ticket queued for the centre is cleaned (:func:`clean_ticket`) and checked against the
    centre's payload rules first; one that breaks them raises :class:`InvalidTicketError`.
    """
    queue = outbox and not ticket.is_demo
    if queue:
        ticket = clean_ticket(ticket)
    row = session.get(TicketRow, ticket.id)
    if row is None:
        row = TicketRow(id=ticket.id, local_version=1)
        session.add(row)
        known_events = 0
    else:
        row.local_version += 1
        known_events = (
            session.scalar(
                select(func.count()).select_from(EventRow).where(EventRow.ticket_id == ticket.id)
            )
            or 0
        )
    _apply(row, ticket)
    new_events = ticket.events[known_events:]
    for offset, event in enumerate(new_events, start=known_events + 1):
        session.add(
            EventRow(
                ticket_id=ticket.id,
                seq=offset,
                at=event.at,
                kind=event.kind,
                actor_role=event.actor_role,
                actor_id=event.actor_id,
                from_status=event.from_status,
                to_status=event.to_status,
                data=dict(event.data),
            )
        )
    if queue:
        payload = ticket_to_dict(ticket, with_events=False)
        payload["events"] = [
            {**event_to_dict(e), "seq": i} for i, e in enumerate(new_events, start=known_events + 1)
        ]
        problem = payload_problem(payload)
        if problem:
            raise InvalidTicketError(problem)
        payload["local_version"] = row.local_version
        session.add(
            OutboxRow(
                idempotency_key=str(uuid.uuid4()),
                ticket_id=ticket.id,
                op="upsert_ticket",
                payload=payload,
                created_at=now or ticket.updated_at or ticket.created_at,
            )
        )
    if draft_id is not None:
        session.execute(delete(DraftRow).where(DraftRow.id == draft_id))
    session.flush()
    return ticket


def save_transcript(
    session: Session,
    ticket_id: str,
    lines: list[TranscriptLine],
    *,
    queue: bool = False,
    now: datetime | None = None,
) -> None:
    """Store the call's final transcript lines with its ticket, redacted, in order (inside
    the ticket's write transaction); replaces what the ticket held.  With ``queue`` they are
    also queued for the centre (:data:`TRANSCRIPT_OP`), after the ticket's own change."""
    session.execute(delete(TranscriptLineRow).where(TranscriptLineRow.ticket_id == ticket_id))
    kept = prepared(lines)
    for seq, x in enumerate(kept, start=1):
        session.add(
            TranscriptLineRow(
                ticket_id=ticket_id,
                seq=seq,
                start_ms=x.start_ms,
                end_ms=x.end_ms,
                speaker=x.speaker,
                text=x.text,
            )
        )
    if queue and kept:
        number = session.scalar(select(TicketRow.number).where(TicketRow.id == ticket_id)) or ""
        _queue_transcript(
            session,
            ticket_id,
            {"ticket_id": ticket_id, "number": number, "call_id": "", "lines": to_wire(kept)},
            now,
        )


def transcript(session: Session, ticket_id: str) -> list[TranscriptLine]:
    """The ticket's saved transcript lines in order ([] when the ticket has none)."""
    rows = session.scalars(
        select(TranscriptLineRow)
        .where(TranscriptLineRow.ticket_id == ticket_id)
        .order_by(TranscriptLineRow.seq)
    )
    return [TranscriptLine(r.start_ms, r.end_ms, r.text, r.speaker) for r in rows]


# Transcripts to the centre ----------------------------------------------------------------

TRANSCRIPT_OP = "transcript"
"""The outbox kind of a call's transcript: ``ticket_id`` is the ticket's outbox id (its id,
or its number for a ticket held elsewhere, as :data:`FOLLOW_UP_OP`), the payload
``{"ticket_id", "number", "call_id", "lines"}`` (``call_id`` empty for the ticket's first
call, else the repeat call's).  The sync sends it to ``central.push_transcript`` once every
other change of that ticket has reached the centre; an undelivered transcript never holds
the ticket's own changes back."""


def _queue_transcript(
    session: Session, outbox_id: str, payload: dict[str, Any], now: datetime | None
) -> str:
    key = str(uuid.uuid4())
    session.add(
        OutboxRow(
            idempotency_key=key,
            ticket_id=outbox_id,
            op=TRANSCRIPT_OP,
            payload=payload,
            created_at=now or utc_now(),
        )
    )
    session.flush()
    return key


def save_followup_transcript(
    session: Session,
    *,
    number: str,
    call_id: str,
    kind: str,
    lines: list[TranscriptLine],
    held_id: str | None,
    queue: bool,
    now: datetime,
) -> None:
    """Store a repeat call's lines (redacted) under its call id and, with ``queue``, queue
    them for the centre after the ticket's change (``held_id``: the ticket's id when this
    seat holds it, else the call goes by the ticket's number).  A call saved before (a
    retry) keeps what it has."""
    kept = prepared(lines)
    if not kept or not call_id:
        return
    if session.scalar(
        select(func.count())
        .select_from(FollowupTranscriptLineRow)
        .where(FollowupTranscriptLineRow.call_id == call_id)
    ):
        return
    for seq, x in enumerate(kept, start=1):
        session.add(
            FollowupTranscriptLineRow(
                call_id=call_id,
                seq=seq,
                number=number,
                kind=kind,
                saved_at=now,
                start_ms=x.start_ms,
                end_ms=x.end_ms,
                speaker=x.speaker,
                text=x.text,
            )
        )
    if queue:
        payload = {
            "ticket_id": held_id or "",
            "number": number,
            "call_id": call_id,
            "lines": to_wire(kept),
        }
        _queue_transcript(session, held_id or number, payload, now)


def followup_transcripts(session: Session, number: str) -> list[dict[str, Any]]:
    """The repeat calls' transcripts saved for ticket ``number``, oldest first:
    ``{"call_id", "kind", "saved_at", "lines"}``."""
    calls: dict[str, dict[str, Any]] = {}
    for r in session.scalars(
        select(FollowupTranscriptLineRow)
        .where(FollowupTranscriptLineRow.number == number)
        .order_by(
            FollowupTranscriptLineRow.saved_at,
            FollowupTranscriptLineRow.call_id,
            FollowupTranscriptLineRow.seq,
        )
    ):
        call = calls.setdefault(
            r.call_id, {"call_id": r.call_id, "kind": r.kind, "saved_at": r.saved_at, "lines": []}
        )
        call["lines"].append(TranscriptLine(r.start_ms, r.end_ms, r.text, r.speaker))
    return list(calls.values())


def _stored_transcript(session: Session, row: OutboxRow) -> dict[str, Any]:
    """A transcript change rebuilt from what the seat holds (never from the outbox copy,
    which may be damaged): the repeat call's lines by its call id, else the first call's
    lines of the outbox row's own ticket; ``lines`` is empty when the seat holds none."""
    call_id = str((row.payload or {}).get("call_id") or "") if isinstance(row.payload, dict) else ""
    held = session.get(TicketRow, row.ticket_id)
    if call_id:
        rows = list(
            session.scalars(
                select(FollowupTranscriptLineRow)
                .where(FollowupTranscriptLineRow.call_id == call_id)
                .order_by(FollowupTranscriptLineRow.seq)
            )
        )
        return {
            "ticket_id": held.id if held is not None else "",
            "number": rows[0].number if rows else (held.number if held else row.ticket_id),
            "call_id": call_id,
            "lines": to_wire(TranscriptLine(r.start_ms, r.end_ms, r.text, r.speaker) for r in rows),
        }
    return {
        "ticket_id": row.ticket_id,
        "number": held.number if held is not None else "",
        "call_id": "",
        "lines": to_wire(transcript(session, row.ticket_id)),
    }


def _resend_transcripts(session: Session, rows: list[OutboxRow], now: datetime) -> str:
    """Send undelivered transcripts again under new keys, rebuilt from what the seat holds
    (the centre keeps its answer to the old key).  A change for which the seat holds no
    lines is withdrawn (kept, marked as such): there is nothing of this seat's to send."""
    key = ""
    for r in rows:
        if r.undelivered_at is None:
            continue
        payload = _stored_transcript(session, r)
        r.sent_at = now
        if payload["lines"]:
            key = _queue_transcript(session, r.ticket_id, payload, now)
            r.last_error = f"replaced by a resend ({r.reason or 'held'})"[:256]
        else:
            r.last_error = f"withdrawn: the seat holds no lines for it ({r.reason})"[:256]
    session.flush()
    return key


def transcripts_delivered(session: Session, keys: list[str], at: datetime) -> None:
    """The centre holds these transcripts: the changes are acknowledged and their copies of
    the words dropped (the seat keeps them in its transcript tables)."""
    if keys:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.idempotency_key.in_(keys), OutboxRow.op == TRANSCRIPT_OP)
            .values(
                payload=func.json_set(OutboxRow.payload, "$.lines", func.json("[]")),
                sent_at=at,
                last_error="",
            )
        )


def get_ticket(session: Session, ticket_id: str) -> Ticket | None:
    row = session.get(TicketRow, ticket_id)
    if row is None:
        return None
    events = list(
        session.scalars(
            select(EventRow).where(EventRow.ticket_id == ticket_id).order_by(EventRow.seq)
        )
    )
    return _to_domain(row, events)


def get_ticket_by_number(session: Session, number: str) -> Ticket | None:
    ticket_id = session.scalar(select(TicketRow.id).where(TicketRow.number == number))
    return get_ticket(session, ticket_id) if ticket_id else None


def count_tickets(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TicketRow)) or 0


def pending_outbox_count(session: Session) -> int:
    """Changes waiting to be sent; undelivered ones (and the later changes of their tickets,
    held behind them) wait for the operator and are not counted."""
    stuck = (
        select(OutboxRow.ticket_id)
        .where(
            OutboxRow.sent_at.is_(None),
            OutboxRow.undelivered_at.is_not(None),
            OutboxRow.op != TRANSCRIPT_OP,  # an undelivered transcript holds nothing back
        )
        .scalar_subquery()
    )
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(
                OutboxRow.sent_at.is_(None),
                OutboxRow.undelivered_at.is_(None),
                OutboxRow.ticket_id.not_in(stuck),
            )
        )
        or 0
    )


# Repeat calls on tickets held elsewhere ---------------------------------------------------

FOLLOW_UP_OP = "follow_up"
"""The outbox kind of a repeat call (告知进展, 补充, 催办) on a ticket this seat does not hold:
``ticket_id`` is the ticket's number, the payload ``{"number", "kind", "text", "at",
"call_id"}``; the sync delivers it to ``central.follow_up`` (not ``apply_batch``)."""


def queue_follow_up(session: Session, payload: dict[str, Any], now: datetime) -> tuple[str, bool]:
    """Queue a repeat call on a ticket held elsewhere; ``(key, new)``.  A call already queued
    (the same number, kind and call id) is not queued again."""
    number, call_id = str(payload["number"]), str(payload.get("call_id") or "")
    if call_id:
        for row in session.scalars(
            select(OutboxRow).where(OutboxRow.ticket_id == number, OutboxRow.op == FOLLOW_UP_OP)
        ):
            data = row.payload if isinstance(row.payload, dict) else {}
            if data.get("call_id") == call_id and data.get("kind") == payload.get("kind"):
                return row.idempotency_key, False
    key = str(uuid.uuid4())
    session.add(
        OutboxRow(
            idempotency_key=key, ticket_id=number, op=FOLLOW_UP_OP, payload=payload, created_at=now
        )
    )
    session.flush()
    return key, True


def _resend_follow_ups(session: Session, rows: list[OutboxRow], now: datetime) -> str:
    """Send a held-elsewhere ticket's repeat calls again, each under a new key (the centre
    keeps its answer to the old one)."""
    key = ""
    for r in rows:
        key = str(uuid.uuid4())
        session.add(
            OutboxRow(
                idempotency_key=key,
                ticket_id=r.ticket_id,
                op=FOLLOW_UP_OP,
                payload=dict(r.payload or {}),
                created_at=now,
            )
        )
        r.sent_at = now
        r.last_error = f"replaced by a resend ({r.reason or 'held'})"[:256]
    session.flush()
    return key


# Undelivered changes ("未送达") -----------------------------------------------------------

# Reasons the operator can fix by giving the ticket a new number of this seat.
RENUMBER_REASONS = ("number_taken", "number_not_yours", "seat_mismatch")


def undelivered(session: Session) -> list[dict[str, Any]]:
    """Tickets with a change the centre refused or the seat could not send, oldest first:
    ``ticket_id``, ``number``, ``reason`` (of the first undelivered change), ``since``,
    ``changes`` (undelivered changes plus the later ones held behind them)."""
    rows = session.execute(
        select(OutboxRow.ticket_id, OutboxRow.reason, OutboxRow.undelivered_at)
        .where(OutboxRow.sent_at.is_(None), OutboxRow.undelivered_at.is_not(None))
        .order_by(OutboxRow.id)
    ).all()
    first: dict[str, dict[str, Any]] = {}
    for tid, reason, at in rows:
        first.setdefault(tid, {"ticket_id": tid, "reason": reason, "since": at})
    if not first:
        return []
    numbers: dict[str, str] = {
        tid: number
        for tid, number in session.execute(
            select(TicketRow.id, TicketRow.number).where(TicketRow.id.in_(first))
        )
    }
    # A repeat call on a ticket held elsewhere (and its transcript) is keyed by the number.
    for tid in session.scalars(
        select(OutboxRow.ticket_id).where(
            OutboxRow.ticket_id.in_(first), OutboxRow.op.in_((FOLLOW_UP_OP, TRANSCRIPT_OP))
        )
    ):
        numbers.setdefault(tid, tid)
    counts: dict[str, int] = {
        tid: n
        for tid, n in session.execute(
            select(OutboxRow.ticket_id, func.count())
            .where(OutboxRow.sent_at.is_(None), OutboxRow.ticket_id.in_(first))
            .group_by(OutboxRow.ticket_id)
        )
    }
    return [
        {**item, "number": numbers.get(tid, ""), "changes": int(counts.get(tid, 0))}
        for tid, item in first.items()
    ]


def mark_undelivered(session: Session, keys: dict[str, str], at: datetime) -> None:
    """Outbox rows (by idempotency key) that cannot be delivered, each with its reason."""
    for key, reason in keys.items():
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.idempotency_key == key)
            .values(undelivered_at=at, reason=reason[:64], last_error=reason[:256])
        )


def resend(session: Session, ticket_id: str, now: datetime) -> str:
    """Replace the ticket's undelivered (and held) changes by ONE change carrying its current
    state, to be sent again; returns the new idempotency key.

    The events the centre never accepted go with it: all of them when the ticket never
    reached the centre, else those of the replaced changes.  The ticket is cleaned and checked
    first (:class:`InvalidTicketError` when it still breaks a rule: correct it, then resend).
    """
    rows = list(
        session.scalars(
            select(OutboxRow)
            .where(OutboxRow.ticket_id == ticket_id, OutboxRow.sent_at.is_(None))
            .order_by(OutboxRow.id)
        )
    )
    if not any(r.undelivered_at is not None for r in rows):
        raise UsageError("This ticket has no undelivered change to send again.")
    # Transcripts wait for the ticket's changes and are never replaced by them.
    transcripts = [r for r in rows if r.op == TRANSCRIPT_OP]
    rows = [r for r in rows if r.op != TRANSCRIPT_OP]
    if not any(r.undelivered_at is not None for r in rows):
        return _resend_transcripts(session, transcripts, now)
    if all(r.op == FOLLOW_UP_OP for r in rows):
        return _resend_follow_ups(session, rows, now)
    ticket = get_ticket(session, ticket_id)
    row = session.get(TicketRow, ticket_id)
    if ticket is None or row is None:
        raise UsageError("The ticket of this undelivered change is not in the seat database.")
    ticket = clean_ticket(ticket)
    all_events = [{**event_to_dict(e), "seq": i} for i, e in enumerate(ticket.events, start=1)]
    if row.server_version is None:
        events = all_events
    else:
        seqs = {
            int(e.get("seq") or 0)
            for r in rows
            if isinstance(r.payload, dict)
            for e in (r.payload.get("events") or ())
            if isinstance(e, dict)
        }
        events = [e for e in all_events if e["seq"] in seqs]
    payload = ticket_to_dict(ticket, with_events=False)
    payload["events"] = events
    problem = payload_problem(payload)
    if problem:
        raise InvalidTicketError(problem)
    _apply(row, ticket)
    row.local_version += 1
    payload["local_version"] = row.local_version
    for r in rows:
        r.sent_at = now
        r.last_error = f"replaced by a resend ({r.reason or 'held'})"[:256]
    key = str(uuid.uuid4())
    session.add(
        OutboxRow(
            idempotency_key=key,
            ticket_id=ticket_id,
            op="upsert_ticket",
            payload=payload,
            created_at=now,
        )
    )
    session.flush()
    return key


def renumber(session: Session, ticket_id: str, seat: str, now: datetime) -> str:
    """Give a ticket the centre never accepted a new number of ``seat`` (and that seat), then
    :func:`resend` it; returns the new number."""
    row = session.get(TicketRow, ticket_id)
    if row is None:
        raise UsageError("The ticket is not in the seat database.")
    if row.server_version is not None:
        raise UsageError(f"Ticket {row.number} is already at the centre; its number cannot change.")
    number = str(next_number(session, seat, now.date()))
    row.number, row.seat = number, seat
    session.flush()
    resend(session, ticket_id, now)
    return number


def mark_synced(session: Session, ticket_id: str, server_version: int) -> None:
    session.execute(
        update(TicketRow).where(TicketRow.id == ticket_id).values(server_version=server_version)
    )


# Drafts -----------------------------------------------------------------------------------


def save_draft(
    session: Session, draft_id: str, seat: str, payload: dict[str, Any], at: datetime
) -> None:
    row = session.get(DraftRow, draft_id)
    if row is None:
        session.add(DraftRow(id=draft_id, seat=seat, updated_at=at, payload=payload))
    else:
        row.payload = payload
        row.updated_at = at


def load_drafts(session: Session, seat: str) -> list[tuple[str, datetime, dict[str, Any]]]:
    rows = session.scalars(
        select(DraftRow).where(DraftRow.seat == seat).order_by(DraftRow.updated_at.desc())
    )
    return [(r.id, r.updated_at, dict(r.payload)) for r in rows]


def delete_draft(session: Session, draft_id: str) -> None:
    session.execute(delete(DraftRow).where(DraftRow.id == draft_id))


# Audit, flags, suggestion log -------------------------------------------------------------


def audit(
    session: Session,
    *,
    at: datetime,
    actor_id: str,
    role: str,
    action: str,
    ticket_id: str = "",
    detail: str = "",
    field: str = "",
) -> AuditRow:
    """Append one row to the seat's hash-chained audit trail (in a write session, whose
    BEGIN IMMEDIATE keeps the read of the last hash and the insert together).  Callers use
    :func:`agent_app.services.audit.record_access`."""
    last = session.execute(
        select(AuditRow.id, AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)
    ).first()
    seq = (last[0] + 1) if last else 1
    prev = (last[1] or audit_chain.GENESIS) if last else audit_chain.GENESIS
    digest = audit_chain.row_hash(
        {
            "seq": seq,
            "at": at,
            "actor_id": actor_id,
            "role": role,
            "action": action,
            "ticket_id": ticket_id,
            "field": field,
            "detail": detail,
            "prev_hash": prev,
        }
    )
    row = AuditRow(
        id=seq,
        at=at,
        actor_id=actor_id,
        role=role,
        action=action,
        ticket_id=ticket_id,
        field=field,
        detail=detail,
        prev_hash=prev,
        hash=digest,
    )
    session.add(row)
    session.flush()
    return row


# The append-only triggers of ``audit_log`` (as migration 0007 creates them).
AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)


def audit_rejoin(
    session: Session, *, from_seq: int, centre_rows: list[dict[str, Any]]
) -> list[AuditRow]:
    """Put the centre's rows (``seq`` from ``from_seq`` on, already checked against this
    seat's chain) in place of the seat's own rows from ``from_seq``, and append those seat
    rows again after them, re-chained.  Returns the re-appended rows (new seq and hash).

    Only :func:`agent_app.services.audit.rejoin` calls this, after checking that the seat's
    rows from ``from_seq`` are intact and that the centre never held them.  The append-only
    triggers are dropped and created again inside the caller's write transaction (SQLite's
    DDL is transactional): a re-join cut short leaves the trail as it was.
    """
    held = list(
        session.scalars(select(AuditRow).where(AuditRow.id >= from_seq).order_by(AuditRow.id))
    )
    kept = [(r.at, r.actor_id, r.role, r.action, r.ticket_id, r.detail, r.field) for r in held]
    conn = session.connection()
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
    session.execute(delete(AuditRow).where(AuditRow.id >= from_seq))
    session.expunge_all()
    for row in centre_rows:
        session.add(
            AuditRow(
                id=int(row["seq"]),
                at=row["at"],
                actor_id=row["actor_id"],
                role=row["role"],
                action=row["action"],
                ticket_id=row["ticket_id"],
                field=row["field"],
                detail=row["detail"],
                prev_hash=row["prev_hash"],
                hash=row["hash"],
            )
        )
    session.flush()
    moved = [
        audit(
            session,
            at=at,
            actor_id=actor_id,
            role=role,
            action=action,
            ticket_id=ticket_id,
            detail=detail,
            field=field,
        )
        for at, actor_id, role, action, ticket_id, detail, field in kept
    ]
    for statement in AUDIT_TRIGGERS:
        conn.exec_driver_sql(statement)
    return moved


def add_kb_flag(
    session: Session,
    *,
    article_id: str,
    kind: str,
    comment: str,
    seat: str,
    operator_id: str,
    at: datetime,
) -> int:
    row = KbFlagRow(
        article_id=article_id,
        kind=kind,
        comment=comment,
        seat=seat,
        operator_id=operator_id,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def open_kb_flags(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(KbFlagRow).where(KbFlagRow.resolved.is_(False)).order_by(KbFlagRow.created_at.desc())
    )
    return [
        {
            "id": r.id,
            "article_id": r.article_id,
            "kind": r.kind,
            "comment": r.comment,
            "seat": r.seat,
            "operator_id": r.operator_id,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def log_suggestion(
    session: Session,
    *,
    at: datetime,
    ticket_id: str,
    kind: str,
    proposed: list[str],
    chosen: str,
    model_version: str = "",
) -> None:
    session.add(
        SuggestionLogRow(
            at=at,
            ticket_id=ticket_id,
            kind=kind,
            proposed=proposed,
            chosen=chosen,
            model_version=model_version,
        )
    )


def category_usage(
    session: Session, operator_id: str, since: datetime, limit: int = 200
) -> tuple[dict[str, int], list[str]]:
    """How often this operator picked each category since ``since``, and the recent ones
    (most recent first, unique)."""
    rows = session.execute(
        select(TicketRow.category_code, func.count())
        .where(
            TicketRow.operator_id == operator_id,
            TicketRow.created_at >= since,
            TicketRow.category_code != "",
        )
        .group_by(TicketRow.category_code)
    ).all()
    counts = {row[0]: row[1] for row in rows}
    recent: list[str] = []
    for code in session.scalars(
        select(TicketRow.category_code)
        .where(TicketRow.operator_id == operator_id, TicketRow.category_code != "")
        .order_by(TicketRow.created_at.desc())
        .limit(limit)
    ):
        if code not in recent:
            recent.append(code)
        if len(recent) >= 10:
            break
    return {str(k): int(v) for k, v in counts.items()}, recent


def suggestion_log(session: Session, ticket_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(SuggestionLogRow)
        .where(SuggestionLogRow.ticket_id == ticket_id)
        .order_by(SuggestionLogRow.id)
    )
    return [
        {
            "kind": r.kind,
            "proposed": list(r.proposed or ()),
            "chosen": r.chosen,
            "model_version": r.model_version,
        }
        for r in rows
    ]
