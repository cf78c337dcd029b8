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
from typing import TYPE_CHECKING

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


def _caller_masked(ticket: Ticket) -> str:
    numbers = " ".join(mask_phone(display_number(p)) for p in ticket.caller.phones)
    return f"{mask_name(ticket.caller.name)} {numbers}".strip()


def _tickets(db: Database, where: object) -> list[Ticket]:
    from sqlalchemy import select  # noqa: PLC0415 - the ORM, on first use (worker thread)

    from agent_app.storage import repository as repo  # noqa: PLC0415
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    with db.read() as s:
        ids = list(s.scalars(select(TicketRow.id).where(where)))  # type: ignore[arg-type]
        tickets = [repo.get_ticket(s, i) for i in ids]
    return [t for t in tickets if t is not None]


def lead_requests(db: Database) -> list[LeadRequest]:
    """Objections and extension requests waiting for a ruling, oldest request first."""
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    waiting = (Status.DISPUTED.value, Status.EXTENSION_REQUESTED.value)
    out: list[LeadRequest] = []
    for t in _tickets(db, TicketRow.status.in_(waiting)):
        request = followup.last_event_to(t, t.status)
        data = dict(request.data) if request is not None else {}
        out.append(
            LeadRequest(
                ticket_id=t.id,
                number=t.number,
                kind=OBJECTION if t.status is Status.DISPUTED else EXTENSION,
                unit=str(data.get("unit") or t.main_unit),
                reason_code=str(data.get("reason_code") or ""),
                reason=str(data.get("reason") or data.get("text") or ""),
                days=int(data.get("days") or 0),
                asked_at=request.at if request is not None else t.updated_at or t.created_at,
                due_at=t.due_at,
                category=t.category_name,
                category_code=t.category_code,
                address=t.place.address,
                description=t.description,
            )
        )
    out.sort(key=lambda r: (r.asked_at, r.number))
    return out


def callbacks(db: Database, now: datetime | None = None) -> list[CallbackItem]:
    """Tickets waiting for a callback: replied first (oldest reply first), then overdue."""
    from sqlalchemy import and_, or_  # noqa: PLC0415

    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    at = now or timeutil.now()
    with_unit = [s.value for s in followup.WITH_UNIT]
    where = or_(
        TicketRow.status == Status.REPLIED.value,
        and_(TicketRow.status.in_(with_unit), TicketRow.due_at < at),
    )
    out: list[CallbackItem] = []
    for t in _tickets(db, where):
        why = followup.callback_due(t, at)
        if why is None:
            continue
        reply = followup.last_event_to(t, Status.REPLIED) if why == "replied" else None
        data = dict(reply.data) if reply is not None else {}
        out.append(
            CallbackItem(
                ticket_id=t.id,
                number=t.number,
                why=why,
                status=t.status.value,
                unit=t.main_unit,
                due_at=t.due_at,
                reply_text=str(data.get("text") or ""),
                reply_result=str(data.get("result") or ""),
                replied_at=reply.at if reply is not None else None,
                caller=_caller_masked(t),
                has_phone=bool(t.caller.phones),
                confidential=t.caller.confidential,
                rehandled=followup.rehandled(t),
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
