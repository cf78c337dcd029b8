"""The seat's worklists after dispatch: what the shift lead must rule on and which tickets
wait for a callback (回访), as plain rows for the window's tables.

* :func:`lead_requests`: tickets whose unit objected to the dispatch (派单异议, ``DISPUTED``)
  or asked for more time (申请延期, ``EXTENSION_REQUESTED``), with the unit's reason;
* :func:`callbacks`: tickets whose unit replied, or whose time limit passed while the ticket
  is with its unit (:func:`agent_app.domain.followup.callback_due`), with the unit's reply;
* :func:`extension_preview`: the due time an approval would give, from the working-day
  calendar, shown before the lead confirms;
* :func:`callback_number`: the caller's number for a callback, read only after the reveal was
  written to the audit log.

No Qt here; the window calls these through its task runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_app.domain import followup, timeutil
from agent_app.domain.deadlines import TimeLimit, WorkCalendar, due_at
from agent_app.domain.lifecycle import Status
from agent_app.domain.phones import display_number
from agent_app.domain.privacy import mask_name, mask_phone

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket
    from agent_app.services.catalogue import Catalogue
    from agent_app.storage.db import Database

OBJECTION = "objection"
EXTENSION = "extension"


@dataclass(frozen=True)
class LeadRequest:
    """One unit's request waiting for the lead: an objection or an extension request."""

    ticket_id: str
    number: str
    kind: str  # OBJECTION or EXTENSION
    unit: str
    reason_code: str  # objections: not_ours, wrong_place, duplicate, not_actionable, other
    reason: str
    days: int  # extensions: working days asked for
    asked_at: datetime
    due_at: datetime | None
    category: str
    category_code: str
    address: str
    description: str


@dataclass(frozen=True)
class CallbackItem:
    """One ticket waiting for a callback."""

    ticket_id: str
    number: str
    why: str  # "replied" or "overdue"
    status: str
    unit: str
    due_at: datetime | None
    reply_text: str
    reply_result: str
    replied_at: datetime | None
    caller: str  # masked
    has_phone: bool
    confidential: bool
    rehandled: int
    category: str
    description: str


def _caller_masked(name: str, phones: tuple[str, ...]) -> str:
    numbers = " ".join(mask_phone(display_number(p)) for p in phones)
    return f"{mask_name(name)} {numbers}".strip()


_CHUNK = 500  # ids per IN (...) list


def _rows_and_steps(db: Database, where: Any, into: tuple[str, ...]) -> list[tuple[Any, list[Any]]]:
    """The tickets matching ``where`` (only the columns a worklist shows, one query) with
    their transitions into the statuses ``into`` (oldest first, one query per 500 tickets):
    a worklist needs the request or reply and the re-handling count, not the whole ticket."""
    from sqlalchemy import select  # noqa: PLC0415 - the ORM, on first use (worker thread)

    from agent_app.storage.models import EventRow, TicketRow  # noqa: PLC0415

    columns = (
        TicketRow.id, TicketRow.number, TicketRow.status, TicketRow.main_unit,
        TicketRow.due_at, TicketRow.created_at, TicketRow.updated_at, TicketRow.category_name,
        TicketRow.category_code, TicketRow.address, TicketRow.description,
        TicketRow.caller_name, TicketRow.caller_phones, TicketRow.confidential,
    )  # fmt: skip
    with db.read() as s:
        rows = list(s.execute(select(*columns).where(where)))
        steps: dict[str, list[Any]] = {r.id: [] for r in rows}
        ids = list(steps)
        for i in range(0, len(ids), _CHUNK):
            query = (
                select(EventRow.ticket_id, EventRow.to_status, EventRow.at, EventRow.data)
                .where(
                    EventRow.ticket_id.in_(ids[i : i + _CHUNK]),
                    EventRow.kind == "transition",
                    EventRow.to_status.in_(into),
                )
                .order_by(EventRow.ticket_id, EventRow.seq)
            )
            for event in s.execute(query):
                steps[event.ticket_id].append(event)
    return [(r, steps[r.id]) for r in rows]


def lead_requests(db: Database) -> list[LeadRequest]:
    """Objections and extension requests waiting for a ruling, oldest request first."""
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    waiting = (Status.DISPUTED.value, Status.EXTENSION_REQUESTED.value)
    out: list[LeadRequest] = []
    for t, steps in _rows_and_steps(db, TicketRow.status.in_(waiting), waiting):
        mine = [e for e in steps if e.to_status == t.status]
        request = mine[-1] if mine else None
        data = dict(request.data or {}) if request is not None else {}
        out.append(
            LeadRequest(
                ticket_id=t.id,
                number=t.number,
                kind=OBJECTION if t.status == Status.DISPUTED.value else EXTENSION,
                unit=str(data.get("unit") or t.main_unit),
                reason_code=str(data.get("reason_code") or ""),
                reason=str(data.get("reason") or data.get("text") or ""),
                days=int(data.get("days") or 0),
                asked_at=request.at if request is not None else t.updated_at or t.created_at,
                due_at=t.due_at,
                category=t.category_name,
                category_code=t.category_code,
                address=t.address,
                description=t.description,
            )
        )
    out.sort(key=lambda r: (r.asked_at, r.number))
    return out


def callbacks(db: Database, now: datetime | None = None) -> list[CallbackItem]:
    """Tickets waiting for a callback (:func:`agent_app.domain.followup.callback_due`): the
    unit replied, or the time limit passed while the ticket is with its unit; replied first
    (oldest reply first), then overdue (most overdue first)."""
    from sqlalchemy import and_, or_  # noqa: PLC0415

    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    at = now or timeutil.now()
    with_unit = [s.value for s in followup.WITH_UNIT]
    where = or_(
        TicketRow.status == Status.REPLIED.value,
        and_(TicketRow.status.in_(with_unit), TicketRow.due_at < at),
    )
    into = (Status.REPLIED.value, Status.REOPENED.value)
    out: list[CallbackItem] = []
    for t, steps in _rows_and_steps(db, where, into):
        replied = t.status == Status.REPLIED.value
        replies = [e for e in steps if e.to_status == Status.REPLIED.value] if replied else []
        reply = replies[-1] if replies else None
        data = dict(reply.data or {}) if reply is not None else {}
        phones = tuple(t.caller_phones or ())
        out.append(
            CallbackItem(
                ticket_id=t.id,
                number=t.number,
                why="replied" if replied else "overdue",
                status=t.status,
                unit=t.main_unit,
                due_at=t.due_at,
                reply_text=str(data.get("text") or ""),
                reply_result=str(data.get("result") or ""),
                replied_at=reply.at if reply is not None else None,
                caller=_caller_masked(t.caller_name, phones),
                has_phone=bool(phones),
                confidential=t.confidential,
                rehandled=sum(1 for e in steps if e.to_status == Status.REOPENED.value),
                category=t.category_name,
                description=t.description,
            )
        )
    far = datetime.max.replace(tzinfo=at.tzinfo)
    out.sort(key=lambda r: (r.why != "replied", r.replied_at or r.due_at or far, r.number))
    return out


def extension_preview(
    ticket: Ticket, now: datetime | None = None, calendar: WorkCalendar | None = None
) -> datetime | None:
    """The due time approving the ticket's extension request would give (None: no request
    with a number of days), counted as :func:`agent_app.domain.followup.rule_extension` does."""
    request = followup.last_event_to(ticket, Status.EXTENSION_REQUESTED)
    days = int((request.data if request is not None else {}).get("days") or 0)
    if days < 1:
        return None
    if calendar is None:
        from agent_app.services.catalogue import load_work_calendar  # noqa: PLC0415

        calendar = load_work_calendar()
    start = ticket.due_at or now or timeutil.now()
    return due_at(start, TimeLimit.working_days(days), calendar).due


def callback_number(ticket: Ticket) -> str:
    """The caller's numbers as dialled (the caller must have one)."""
    return " ".join(display_number(p) for p in ticket.caller.phones)


@dataclass(frozen=True)
class UnitChoices:
    """Where an upheld objection can send the ticket: the catalogue's proposal for its
    category and place (the objecting unit left out), with why, then every unit."""

    proposed: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    all_units: tuple[str, ...] = ()


def redispatch_choices(catalogue: Catalogue, ticket: Ticket) -> UnitChoices:
    """The units an objection's ticket may go to, proposed ones first."""
    everyone = tuple(sorted({u.name for u in catalogue.units.units if u.name}))
    category = catalogue.category(ticket.category_code) if ticket.category_code else None
    if category is None:
        return UnitChoices(all_units=everyone)
    found = catalogue.resolve_units(category, ticket.place)
    proposed = [u.name for u in (found.main_unit, *found.co_units) if u is not None]
    proposed = [n for n in dict.fromkeys(proposed) if n and n != ticket.main_unit]
    reasons = tuple(
        f"{r.unit}：{r.text}" if r.unit else r.text
        for r in found.reasons
        if r.text and r.unit != ticket.main_unit
    )
    return UnitChoices(tuple(proposed), reasons, everyone)
