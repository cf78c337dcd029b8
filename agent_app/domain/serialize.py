"""Tickets to and from plain JSON-able dicts (outbox payloads, drafts, sync)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from agent_app.domain.lifecycle import Status
from agent_app.domain.ticket import (
    Caller,
    Channel,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
)


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def event_to_dict(event: TicketEvent) -> dict[str, Any]:
    data = asdict(event)
    data["at"] = _dt(event.at)
    return data


def event_from_dict(data: dict[str, Any]) -> TicketEvent:
    at = _parse_dt(data["at"])
    assert at is not None
    return TicketEvent(
        at=at,
        kind=data["kind"],
        actor_role=data["actor_role"],
        actor_id=data["actor_id"],
        from_status=data.get("from_status"),
        to_status=data.get("to_status"),
        data=dict(data.get("data") or {}),
    )


def ticket_to_dict(ticket: Ticket, *, with_events: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ticket.id,
        "number": ticket.number,
        "created_at": _dt(ticket.created_at),
        "updated_at": _dt(ticket.updated_at),
        "seat": ticket.seat,
        "operator_id": ticket.operator_id,
        "channel": ticket.channel.value,
        "caller": {**asdict(ticket.caller), "phones": list(ticket.caller.phones)},
        "request_type": ticket.request_type.value if ticket.request_type else None,
        "category_code": ticket.category_code,
        "category_name": ticket.category_name,
        "place": asdict(ticket.place),
        "urgency": ticket.urgency,
        "main_unit": ticket.main_unit,
        "co_units": list(ticket.co_units),
        "due_at": _dt(ticket.due_at),
        "description": ticket.description,
        "notes": ticket.notes,
        "outcome": ticket.outcome.value if ticket.outcome else None,
        "outcome_detail": ticket.outcome_detail,
        "kb_article_id": ticket.kb_article_id,
        "merged_into": ticket.merged_into,
        "extra": dict(ticket.extra),
        "status": ticket.status.value,
        "is_demo": ticket.is_demo,
    }
    if with_events:
        data["events"] = [event_to_dict(e) for e in ticket.events]
    return data


def ticket_from_dict(data: dict[str, Any]) -> Ticket:
    caller = data.get("caller") or {}
    place = data.get("place") or {}
    created = _parse_dt(data["created_at"])
    assert created is not None
    return Ticket(
        id=data["id"],
        number=data["number"],
        created_at=created,
        updated_at=_parse_dt(data.get("updated_at")),
        seat=data["seat"],
        operator_id=data["operator_id"],
        channel=Channel(data.get("channel") or "phone"),
        caller=Caller(
            name=caller.get("name", ""),
            phones=tuple(caller.get("phones") or ()),
            confidential=bool(caller.get("confidential", False)),
            is_company=bool(caller.get("is_company", False)),
        ),
        request_type=RequestType(data["request_type"]) if data.get("request_type") else None,
        category_code=data.get("category_code", ""),
        category_name=data.get("category_name", ""),
        place=Place(**{k: place[k] for k in place if k in Place.__dataclass_fields__}),
        urgency=data.get("urgency") or "ordinary",
        main_unit=data.get("main_unit", ""),
        co_units=tuple(data.get("co_units") or ()),
        due_at=_parse_dt(data.get("due_at")),
        description=data.get("description", ""),
        notes=data.get("notes", ""),
        outcome=Outcome(data["outcome"]) if data.get("outcome") else None,
        outcome_detail=data.get("outcome_detail", ""),
        kb_article_id=data.get("kb_article_id", ""),
        merged_into=data.get("merged_into", ""),
        extra=dict(data.get("extra") or {}),
        status=Status(data.get("status") or "INTAKE"),
        is_demo=bool(data.get("is_demo", False)),
        events=tuple(event_from_dict(e) for e in data.get("events") or ()),
    )
