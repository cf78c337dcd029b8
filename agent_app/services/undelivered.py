"""The undelivered list (未送达) and its way out, shared by the window and the command line.

A change the centre refused, or that the seat could not send (it broke a rule here, its
stored copy was damaged), stays in the outbox with ``undelivered_at`` and a reason code; the
ticket's later changes wait behind it (an undelivered transcript holds nothing back).  Here:

* :func:`undelivered_items`: one :class:`UndeliveredItem` per ticket (the list
  ``repository.undelivered`` gives the status bar and ``agent-app sync``), with what kind of
  change it is, when it was refused, the seat's ticket to open and whether a new number can
  cure it;
* :func:`deliveries`: where changes the operator sent again stand now (waiting, delivered,
  or refused again with the centre's new reason);
* :func:`send_again`: the one step ``agent-app sync --resend`` / ``--renumber`` takes for each
  ticket (``SyncEngine.resend_undelivered``) and the window's 重新发送 / 重新编号 take for one
  (``Workstation.resend`` / ``renumber``);
* :func:`correction`, :func:`field_problems`, :func:`correct`: the window's 更正 of a ticket
  refused for its content (a ``<problem>:<field>`` of the payload rules) that the centre never
  accepted: the fields of :data:`CORRECTABLE` checked with the seat's own rules (the centre's,
  ``domain.validation``), then saved as one ``field_change`` event by the seat's login and ONE
  change carrying the ticket's current state in place of the waiting ones (:func:`send_again`).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_app.domain.catalogue import Category
from agent_app.domain.phones import check_phone
from agent_app.domain.serialize import event_to_dict, ticket_to_dict
from agent_app.domain.ticket import RequestType, Ticket, TicketEvent
from agent_app.domain.validation import RULES, payload_problem
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services import audit, followup
from agent_app.services.catalogue import (
    CATEGORIES_FILE,
    CatalogueIndex,
    catalogue_dir,
    load_categories,
)
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.models import OutboxRow, TicketRow

TICKET = "ticket"
"""A change of a ticket this seat holds (``upsert_ticket``)."""
TRANSCRIPT = "transcript"
"""A call's transcript (:data:`repository.TRANSCRIPT_OP`)."""
FOLLOW_UP = "follow_up"
"""A repeat call on a ticket held elsewhere whose kind the change does not say."""
FOLLOW_UP_KINDS = ("progress_call", "supplement", "chase")
"""告知进展, 补充, 催办: the kinds of a repeat call (``domain.followup.FollowupKind``)."""

PENDING = "pending"
DELIVERED = "delivered"
UNDELIVERED = "undelivered"


@dataclass(frozen=True)
class UndeliveredItem:
    """One ticket with a change that did not reach the centre.

    ``key`` is what the outbox files the change under (the ticket's id, or its number for a
    repeat call on a ticket held elsewhere) and what :func:`send_again` takes; ``ticket_id``
    is the seat's ticket to open ("" when the seat holds none); ``at_centre``: the centre
    accepted the ticket before, so its number can no longer change."""

    key: str
    number: str
    kind: str
    since: datetime | None
    reason: str
    changes: int
    ticket_id: str
    at_centre: bool

    @property
    def renumberable(self) -> bool:
        """A new number of this seat cures it: a new ticket refused for its number or seat."""
        return (
            self.kind == TICKET
            and self.reason in repo.RENUMBER_REASONS
            and bool(self.ticket_id)
            and not self.at_centre
        )

    @property
    def about_content(self) -> bool:
        """Refused for the ticket's content (a payload rule names a field)."""
        return self.kind == TICKET and content_field(self.reason) is not None


@dataclass(frozen=True)
class Delivery:
    """Where the changes filed under ``key`` stand: :data:`UNDELIVERED` (``reason``: the
    first one's), :data:`PENDING` (waiting for the next sync) or :data:`DELIVERED`; ``number``:
    the ticket's number now (a renumbered ticket's new one)."""

    key: str
    number: str
    state: str
    reason: str = ""


def _kind(op: str, payload_kind: object) -> str:
    if op == repo.FOLLOW_UP_OP:
        return str(payload_kind) if payload_kind in FOLLOW_UP_KINDS else FOLLOW_UP
    if op == repo.TRANSCRIPT_OP:
        return TRANSCRIPT
    return TICKET


def undelivered_items(session: Session) -> list[UndeliveredItem]:
    """The undelivered list, oldest first: ``repository.undelivered`` (as the status bar
    and ``agent-app sync`` list it) with each first undelivered change's kind and the
    seat's ticket."""
    listed = repo.undelivered(session)
    if not listed:
        return []
    keys = [str(u["ticket_id"]) for u in listed]
    kinds: dict[str, str] = {}
    for key, op, payload_kind in session.execute(
        select(OutboxRow.ticket_id, OutboxRow.op, func.json_extract(OutboxRow.payload, "$.kind"))
        .where(
            OutboxRow.ticket_id.in_(keys),
            OutboxRow.sent_at.is_(None),
            OutboxRow.undelivered_at.is_not(None),
        )
        .order_by(OutboxRow.id)
    ):
        kinds.setdefault(key, _kind(op, payload_kind))
    tickets = _tickets(session, keys, [str(u["number"]) for u in listed])
    items = []
    for u in listed:
        key, number = str(u["ticket_id"]), str(u["number"] or "")
        ticket_id, at_centre = tickets.get(key) or tickets.get(number) or ("", False)
        items.append(
            UndeliveredItem(
                key=key,
                number=number or key,
                kind=kinds.get(key, TICKET),
                since=u.get("since"),
                reason=str(u["reason"] or ""),
                changes=int(u.get("changes") or 0),
                ticket_id=ticket_id,
                at_centre=at_centre,
            )
        )
    return items


def _tickets(
    session: Session, ids: Iterable[str], numbers: Iterable[str]
) -> dict[str, tuple[str, bool]]:
    """The seat's tickets among these ids or numbers: id and number → (id, at the centre)."""
    found: dict[str, tuple[str, bool]] = {}
    for ticket_id, number, version in session.execute(
        select(TicketRow.id, TicketRow.number, TicketRow.server_version).where(
            TicketRow.id.in_(list(ids)) | TicketRow.number.in_([n for n in numbers if n])
        )
    ):
        found[ticket_id] = found[number] = (ticket_id, version is not None)
    return found


def deliveries(session: Session, keys: Iterable[str]) -> dict[str, Delivery]:
    """Where the changes filed under each key stand now (after a resend, after a sync)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    waiting: dict[str, tuple[str, str]] = {}  # key → (state, reason of the first undelivered)
    for key, reason, undelivered_at in session.execute(
        select(OutboxRow.ticket_id, OutboxRow.reason, OutboxRow.undelivered_at)
        .where(OutboxRow.ticket_id.in_(wanted), OutboxRow.sent_at.is_(None))
        .order_by(OutboxRow.id)
    ):
        if waiting.get(key, ("", ""))[0] == UNDELIVERED:
            continue
        waiting[key] = (
            (UNDELIVERED, str(reason or ""))
            if undelivered_at is not None
            else (waiting.get(key) or (PENDING, ""))
        )
    numbers = {
        ticket_id: number
        for ticket_id, number in session.execute(
            select(TicketRow.id, TicketRow.number).where(TicketRow.id.in_(wanted))
        )
    }
    return {
        key: Delivery(key, numbers.get(key) or key, *waiting.get(key, (DELIVERED, "")))
        for key in wanted
    }


def send_again(
    session: Session, key: str, *, seat: str, now: datetime, renumber: bool = False
) -> str:
    """Queue the undelivered changes filed under ``key`` again, as one change with the
    ticket's current state (a repeat call or transcript: again under a new key), in the
    caller's write transaction; with ``renumber`` the ticket first gets a new number of
    ``seat``.  Returns the new number ("" without ``renumber``).

    Raises :class:`~agent_app.storage.repository.InvalidTicketError` while the ticket still
    breaks a rule (its ``code`` says which: correct it, then send it again), and
    :class:`~agent_app.errors.UsageError` when nothing is undelivered or the centre already
    holds a ticket that was to get a new number."""
    if renumber:
        return repo.renumber(session, key, seat, now)
    repo.resend(session, key, now)
    return ""


# Correcting a refused ticket (更正) ------------------------------------------------------------

CORRECTABLE: tuple[str, ...] = (
    "description",
    "place.address",
    "category_code",
    "category_name",
    "request_type",
    "urgency",
    "caller.name",
    "caller.phones",
    "notes",
)
"""The payload fields the window's correction view edits, in the order it shows them (the
category's code and name are picked together from the catalogue, never typed)."""
PRIVATE_FIELDS = frozenset({"caller.name", "caller.phones"})
"""Shown in full (and editable) only when the refusal is about them; the opening is audited."""
CONTENT_PROBLEMS = frozenset(
    {
        "type",
        "missing",
        "too_long",
        "not_nfc",
        "control_char",
        "invalid",
        "bad_date",
        "future_date",
        "too_many",
        "empty",
    }
)
"""The payload rules' problems (``<problem>:<field>``): the ticket's content was refused."""
MAX_LENGTHS: dict[str, int] = {
    r.name: r.max_len for r in RULES if r.scope == "ticket" and r.max_len is not None
}
CORRECTION_EVENT = "field_change"


def content_field(reason: str) -> str | None:
    """The field a content refusal names (``too_long:description`` → ``description``), or
    None when the reason is not about the ticket's content (a number clash, a lifecycle step)."""
    problem, sep, field = (reason or "").partition(":")
    return field if sep and problem in CONTENT_PROBLEMS and field else None


class AcceptedTicketError(UsageError):
    """The centre accepted this ticket before: its content is corrected by a lead, not here."""

    def __init__(self, number: str) -> None:
        super().__init__(
            f"Ticket {number} is already at the centre; it cannot be corrected from the "
            "undelivered list."
        )
        self.number = number


@dataclass(frozen=True)
class Correction:
    """What the correction view opens: the seat's ticket, whether the centre accepted it
    before (then nothing can be corrected here) and the first undelivered change's reason."""

    ticket: Ticket
    at_centre: bool
    reason: str
    undelivered: bool
    revealed: bool = False  # the caller's name and numbers shown in full (audited)


def correction(session: Session, ticket_id: str) -> Correction | None:
    """The ticket to correct (None when the seat holds no such ticket)."""
    row = session.get(TicketRow, ticket_id)
    ticket = repo.get_ticket(session, ticket_id)
    if row is None or ticket is None:
        return None
    reason = session.scalar(
        select(OutboxRow.reason)
        .where(
            OutboxRow.ticket_id == ticket_id,
            OutboxRow.sent_at.is_(None),
            OutboxRow.undelivered_at.is_not(None),
            OutboxRow.op != repo.TRANSCRIPT_OP,
        )
        .order_by(OutboxRow.id)
        .limit(1)
    )
    return Correction(
        ticket=ticket,
        at_centre=row.server_version is not None,
        reason=str(reason or ""),
        undelivered=reason is not None,
    )


def field_value(ticket: Ticket, field: str) -> Any:
    """The value of a :data:`CORRECTABLE` field (phones as a tuple, request type as its code)."""
    if field == "place.address":
        return ticket.place.address
    if field == "caller.name":
        return ticket.caller.name
    if field == "caller.phones":
        return tuple(ticket.caller.phones)
    if field == "request_type":
        return ticket.request_type.value if ticket.request_type else None
    return getattr(ticket, field)


def phones_from_text(text: str) -> tuple[str, ...]:
    """Numbers typed in one line (spaces, commas or 、 between them): E.164 where valid,
    else as typed (the form's rule)."""
    numbers = []
    for part in re.split(r"[\s,，、;；]+", text.strip()):
        if part:
            checked = check_phone(part)
            numbers.append(checked.e164 if checked.ok else part)
    return tuple(numbers)


def edited(ticket: Ticket, values: Mapping[str, Any]) -> Ticket:
    """The ticket with the :data:`CORRECTABLE` ``values`` given (others as they are)."""
    changes: dict[str, Any] = {}
    place, caller = ticket.place, ticket.caller
    for field, value in values.items():
        if field == "place.address":
            place = dataclasses.replace(place, address=str(value))
        elif field == "caller.name":
            caller = dataclasses.replace(caller, name=str(value))
        elif field == "caller.phones":
            caller = dataclasses.replace(caller, phones=tuple(str(v) for v in value))
        elif field == "request_type":
            changes[field] = RequestType(value) if value else None
        elif field in CORRECTABLE:
            changes[field] = str(value)
    return dataclasses.replace(ticket, place=place, caller=caller, **changes)


def _payload(ticket: Ticket) -> dict[str, Any]:
    ticket = repo.clean_ticket(ticket)
    payload = ticket_to_dict(ticket, with_events=False)
    payload["events"] = [
        {**event_to_dict(e), "seq": i} for i, e in enumerate(ticket.events, start=1)
    ]
    return payload


def _neutral(field: str) -> Any:
    """A value every rule of ``field`` accepts (to look past it for the next problem)."""
    if field == "caller.phones":
        return []
    if field == "request_type":
        return None
    if field == "urgency":
        return "ordinary"
    return ""


def _set(doc: dict[str, Any], field: str, value: Any) -> None:
    *parents, last = field.split(".")
    for key in parents:
        doc = doc.setdefault(key, {})
    doc[last] = value


def field_problems(
    ticket: Ticket, values: Mapping[str, Any], *, now: datetime | None = None
) -> dict[str, str]:
    """Every :data:`CORRECTABLE` field of the edited ticket that breaks a rule, with its
    reason code (``too_long:description``), checked as the seat checks a change before it
    is sent (cleaned first, then ``payload_problem``, the centre's rules).  A broken field
    the view does not edit is given under "" (the first one only)."""
    doc = _payload(edited(ticket, values))
    found: dict[str, str] = {}
    for _ in range(len(CORRECTABLE) + 1):
        problem = payload_problem(doc, now=now)
        field = content_field(problem or "")
        if problem is None:
            break
        if field not in CORRECTABLE or field in found:
            found.setdefault("", problem)
            break
        found[field] = problem
        _set(doc, field, _neutral(field))
    return found


def correct(
    session: Session,
    ticket_id: str,
    values: Mapping[str, Any],
    *,
    actor_id: str,
    role: str,
    now: datetime,
) -> list[str]:
    """Save the operator's correction of an undelivered ticket the centre never accepted and
    queue it again, in the caller's write transaction: the changed fields (one
    ``field_change`` event by ``actor_id``, data ``{"fields": [...]}``, as every edit of a
    saved ticket), then the waiting changes replaced by ONE change with the ticket's current
    state (:func:`send_again`).  Returns the changed fields.

    Raises :class:`AcceptedTicketError` for a ticket the centre holds,
    :class:`~agent_app.storage.repository.InvalidTicketError` while it still breaks a rule
    (nothing is written), :class:`UsageError` when nothing of it is undelivered."""
    row = session.get(TicketRow, ticket_id)
    ticket = repo.get_ticket(session, ticket_id)
    if row is None or ticket is None:
        raise UsageError("The ticket is not in the seat database.")
    if row.server_version is not None:
        raise AcceptedTicketError(row.number)
    wanted = {f: v for f, v in values.items() if f in CORRECTABLE}
    new = edited(ticket, wanted)
    changed = [f for f in CORRECTABLE if field_value(new, f) != field_value(ticket, f)]
    if changed:
        event = TicketEvent(
            at=now,
            kind=CORRECTION_EVENT,
            actor_role=role,
            actor_id=actor_id,
            data={"fields": changed},
        )
        new = dataclasses.replace(new, updated_at=now, events=(*new.events, event))
        repo.save_ticket(session, new, outbox=False, now=now)
    send_again(session, ticket_id, seat=row.seat, now=now)
    return changed


def seat_actor(paths: DataPaths) -> tuple[str, str]:
    """(login, role) a correction is made as: the seat's central login and its group's desk
    role (``services.followup.seat_login``; the centre checks both against the session)."""
    login, role = followup.seat_login(paths)
    return login, role.value


def open_correction(
    db: Database, ticket_id: str, reason: str, *, actor: str, role: str
) -> Correction | None:
    """The ticket to correct, read in its own transaction.  When the refusal (``reason``, or
    the first undelivered change's) is about the caller's name or numbers, they are shown in
    full to be corrected: that access is stored on the audit trail first (as 显示号码 is)."""
    with db.read() as s:
        found = correction(s, ticket_id)
    if found is None or found.at_centre:
        return found
    fields = {content_field(reason), content_field(found.reason)}
    if fields & PRIVATE_FIELDS:
        audit.record_access(
            db,
            action=audit.UNMASK,
            ticket_id=ticket_id,
            field=audit.FIELD_CALLER,
            actor=actor,
            role=role,
            reason="correcting a ticket the centre refused",
        )
        found = dataclasses.replace(found, revealed=True)
    return found


def save_correction(
    db: Database,
    ticket_id: str,
    values: Mapping[str, Any],
    *,
    actor_id: str,
    role: str,
    now: datetime,
) -> list[str]:
    """:func:`correct` in one write transaction of its own (all of it, or nothing)."""
    with db.write() as s:
        return correct(s, ticket_id, values, actor_id=actor_id, role=role, now=now)


class CategorySearch:
    """Type-ahead over the catalogue's categories for the correction view (loaded on the
    first search, in the worker that runs it; thread-safe once loaded)."""

    def __init__(self) -> None:
        self._index: CatalogueIndex | None = None
        self._lock = threading.Lock()

    def search(self, query: str) -> list[tuple[str, str, str]]:
        """(code, leaf name, stored name ``level1/level2/level3``) of the best leaves."""
        with self._lock:
            if self._index is None:
                self._index = CatalogueIndex(load_categories(catalogue_dir() / CATEGORIES_FILE))
            index = self._index
        return [
            (h.category.code, h.category.level3, category_name(h.category))
            for h in index.search(query, limit=12)
        ]


def category_name(category: Category) -> str:
    """A category as a ticket stores it (``category_name``), as the intake form saves it."""
    return f"{category.level1}/{category.level2}/{category.level3}"
