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
  (``Workstation.resend`` / ``renumber``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_app.storage import repository as repo
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
