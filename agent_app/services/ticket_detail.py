"""One ticket with what the detail view shows beside it: its related and merged tickets.

Related tickets, each with how it relates (:class:`Relation`): the ticket this one was merged
into, the tickets merged into this one, the tickets its notes or description name (the form's
"关联工单：…" line) and the caller's other tickets (newest first, at most
:data:`SAME_CALLER_LIMIT`); and the call's transcript saved with the ticket.  Plain SQL on the read model; the ticket itself comes from the
repository (with its events) through :class:`~agent_app.services.workstation.Workstation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import Ticket
from agent_app.services.call_transcripts import CallTranscript
from agent_app.storage import readmodel

SAME_CALLER_LIMIT = 20
TICKET_NUMBER = re.compile(r"\b\d{8}-[A-Z]{1,3}\d*(?:-[A-Z0-9]+)*-\d{4,}\b")


class Relation(StrEnum):
    MERGED_INTO = "merged_into"  # this ticket was merged into that one
    MERGED_HERE = "merged_here"  # that ticket was merged into this one
    LINKED = "linked"  # named in this ticket's notes or description
    SAME_CALLER = "same_caller"  # the same caller's other ticket


@dataclass(frozen=True)
class RelatedTicket:
    relation: Relation
    summary: TicketSummary


@dataclass(frozen=True)
class TicketDetail:
    """A ticket (with its events) and its related tickets, read in one worker call."""

    ticket: Ticket
    related: tuple[RelatedTicket, ...] = ()
    transcript: tuple[TranscriptLine, ...] = ()
    """The call's transcript saved with the ticket (redacted, in order); on the lead's desk,
    for a call another seat took, the one the centre holds (c0008)."""
    repeat_calls: tuple[CallTranscript, ...] = ()
    """The repeat calls' transcripts (告知进展, 补充, 催办), oldest first: the ones this seat
    took, or on the lead's desk reading the centre every seat's."""


def linked_numbers(ticket: Ticket) -> list[str]:
    """Ticket numbers named in the notes or description, in order, without this one."""
    found = TICKET_NUMBER.findall(f"{ticket.notes}\n{ticket.description}")
    return [n for n in dict.fromkeys(found) if n not in (ticket.number, ticket.merged_into)]


def related_tickets(database: Path, ticket: Ticket) -> tuple[RelatedTicket, ...]:
    """The tickets related to ``ticket``, merges first, each ticket once."""
    select = readmodel.SUMMARY_SELECT
    out: list[RelatedTicket] = []
    seen = {ticket.id}

    def add(relation: Relation, rows: object) -> None:
        for row in rows:  # type: ignore[attr-defined]
            summary = readmodel.summary(row)
            if summary.id not in seen:
                seen.add(summary.id)
                out.append(RelatedTicket(relation, summary))

    with readmodel.connect(database) as conn:
        if ticket.merged_into:
            add(
                Relation.MERGED_INTO,
                conn.execute(f"{select} WHERE number = ?", (ticket.merged_into,)),
            )
        add(
            Relation.MERGED_HERE,
            conn.execute(
                f"{select} WHERE merged_into = ? ORDER BY created_at DESC", (ticket.number,)
            ),
        )
        numbers = linked_numbers(ticket)
        if numbers:
            marks = ", ".join("?" * len(numbers))
            add(Relation.LINKED, conn.execute(f"{select} WHERE number IN ({marks})", numbers))
        phone = ticket.caller.phones[0] if ticket.caller.phones else ""
        if phone:
            add(
                Relation.SAME_CALLER,
                conn.execute(
                    f"{select} WHERE caller_phone = ? AND id != ? ORDER BY created_at DESC LIMIT ?",
                    (phone, ticket.id, SAME_CALLER_LIMIT),
                ),
            )
    return tuple(out)


def repeat_call_lines(database: Path, number: str) -> tuple[CallTranscript, ...]:
    """The transcripts of the repeat calls this seat took on ticket ``number``, oldest first."""
    with readmodel.connect(database) as conn:
        rows = conn.execute(
            "SELECT call_id, kind, saved_at, start_ms, end_ms, text, speaker "
            "FROM followup_transcripts WHERE number = ? ORDER BY saved_at, call_id, seq",
            (number,),
        ).fetchall()
    calls: dict[str, tuple[str, Any, list[TranscriptLine]]] = {}
    for call_id, kind, saved_at, start, end, text, speaker in rows:
        call = calls.setdefault(call_id, (kind, saved_at, []))
        call[2].append(TranscriptLine(int(start), int(end), str(text), str(speaker)))
    return tuple(
        CallTranscript(
            lines=tuple(lines), kind=str(kind), call_id=str(call_id), at=readmodel.from_db(at)
        )
        for call_id, (kind, at, lines) in calls.items()
    )


def transcript_lines(database: Path, ticket_id: str) -> tuple[TranscriptLine, ...]:
    """The transcript lines saved with the ticket, in order (none for a ticket without)."""
    with readmodel.connect(database) as conn:
        rows = conn.execute(
            "SELECT start_ms, end_ms, text, speaker FROM ticket_transcripts "
            "WHERE ticket_id = ? ORDER BY seq",
            (ticket_id,),
        ).fetchall()
    return tuple(TranscriptLine(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows)
