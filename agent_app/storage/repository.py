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

from agent_app.domain.lifecycle import Status
from agent_app.domain.serialize import event_to_dict, ticket_to_dict
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
from agent_app.storage.models import (
    AuditRow,
    DraftRow,
    EventRow,
    KbFlagRow,
    OutboxRow,
    SeatCounterRow,
    SuggestionLogRow,
    TicketRow,
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
        events=tuple(
            TicketEvent(
                at=e.at,
                kind=e.kind,
                actor_role=e.actor_role,
                actor_id=e.actor_id,
                from_status=e.from_status,
                to_status=e.to_status,
                data=dict(e.data or {}),
            )
            for e in events
        ),
    )


def save_ticket(
    session: Session,
    ticket: Ticket,
    *,
    draft_id: str | None = None,
    outbox: bool = True,
    now: datetime | None = None,
) -> Ticket:
    """Insert or update the ticket, append its new events, queue it for sync, drop its draft."""
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
    if outbox and not ticket.is_demo:
        payload = ticket_to_dict(ticket, with_events=False)
        payload["events"] = [
            {**event_to_dict(e), "seq": i} for i, e in enumerate(new_events, start=known_events + 1)
        ]
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
    return (
        session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        )
        or 0
    )


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
) -> None:
    session.add(
        AuditRow(
            at=at, actor_id=actor_id, role=role, action=action, ticket_id=ticket_id, detail=detail
        )
    )


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
