"""The calls' transcripts of a ticket as the centre holds them (c0008_transcripts).

Every seat sends the transcript of each call it takes (the ticket's first call, and each
repeat call: 告知进展, 补充, 催办) through its outbox; the centre keeps one row per call,
redacted.  A shift lead's desk reads them from here (on a worker), so a scorecard item can
point at a moment of a call another seat took; ``agent-app ticket show --url`` prints them.
Leads and auditors read every call, an operator the calls of the tickets it took; a handling
unit's login reads none (the callers' own words).  No Qt here; nothing personal is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_app.domain.call_transcript import TranscriptLine, from_wire, to_json
from agent_app.errors import ConfigError, KnownError, UnreachableError, UsageError

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink

log = logging.getLogger("agent_app.transcripts")


@dataclass(frozen=True)
class CallTranscript:
    """One call's lines: the ticket's first call (``kind`` empty) or a repeat call (its
    follow-up kind, call id and when it was recorded)."""

    lines: tuple[TranscriptLine, ...]
    kind: str = ""
    call_id: str = ""
    at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "call_id": self.call_id,
            "at": self.at.isoformat() if self.at else None,
            "transcript": to_json(self.lines),
        }


@contextmanager
def _centre(target: CentralTarget, password_lookup: PasswordLookup | None) -> Iterator[Any]:
    from agent_app.storage.central.connect import connect, keyring_lookup  # noqa: PLC0415

    with (
        _mapped(target),
        connect(target, password_lookup=password_lookup or keyring_lookup) as conn,
    ):
        yield conn


@contextmanager
def _mapped(target: CentralTarget) -> Iterator[None]:
    import psycopg  # noqa: PLC0415 - heavy, only when talking to the centre

    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise ConfigError(
            f"The login {target.user} may not read calls' transcripts at {target.display}: "
            "only shift leads, auditors and the operator who took the ticket may."
        ) from None
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UnreachableError(
            f"cannot reach the central database {target.display}: {' '.join(first.split())}"
        ) from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise KnownError(f"the centre could not read the ticket: {first}") from None


def _calls(conn: Any, ticket_id: str) -> list[CallTranscript]:
    import psycopg  # noqa: PLC0415

    try:
        with conn.transaction():
            rows = conn.execute(
                "SELECT x.lines, x.call_id, e.kind, e.at FROM central.ticket_transcripts x "
                "LEFT JOIN central.ticket_events e ON e.id = x.event_id "
                "WHERE x.ticket_id = %s ORDER BY x.event_id IS NOT NULL, e.seq, x.id",
                (ticket_id,),
            ).fetchall()
    except psycopg.errors.UndefinedTable:  # a centre older than c0008: none kept there
        log.warning("the centre keeps no call transcripts yet (no c0008_transcripts)")
        return []
    out = []
    for lines, call_id, kind, at in rows:
        out.append(
            CallTranscript(
                lines=tuple(from_wire(lines if isinstance(lines, list) else [])),
                kind=str(kind or ("" if not call_id else "follow_up")),
                call_id=str(call_id or ""),
                at=at,
            )
        )
    return out


def centre_calls(
    target: CentralTarget,
    ticket_id: str,
    *,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> list[CallTranscript]:
    """The calls' transcripts the centre holds for a ticket (by id), the first call first
    (with ``link``: on its reused connections, the lead's desk)."""
    if link is not None:
        with _mapped(target):
            return link.read(lambda conn: _calls(conn, ticket_id))
    with _centre(target, password_lookup) as conn:
        return _calls(conn, ticket_id)


def centre_ticket(
    target: CentralTarget, number_or_id: str, *, password_lookup: PasswordLookup | None = None
) -> tuple[Ticket, list[CallTranscript]]:
    """A ticket of the centre (callers masked, as ``central.tickets_masked`` shows it to the
    login) with its events and its calls' transcripts."""
    from agent_app.domain.serialize import ticket_from_dict  # noqa: PLC0415
    from agent_app.domain.ticket import TicketEvent  # noqa: PLC0415

    with _centre(target, password_lookup) as conn:
        row = conn.execute(
            "SELECT id, data, status FROM central.tickets_masked "
            "WHERE number = %s OR id = %s LIMIT 1",
            (number_or_id, number_or_id),
        ).fetchone()
        if row is None:
            raise UsageError(f"no ticket {number_or_id!r} at {target.display} for this login")
        ticket_id = str(row[0])
        events = conn.execute(
            "SELECT at, kind, actor_role, actor_id, from_status, to_status, data "
            "FROM central.ticket_events WHERE ticket_id = %s ORDER BY seq",
            (ticket_id,),
        ).fetchall()
        calls = _calls(conn, ticket_id)
    data = dict(row[1] or {})
    data.setdefault("id", ticket_id)
    data["status"] = row[2] or data.get("status")
    data["events"] = []
    ticket = replace(
        ticket_from_dict(data),
        events=tuple(
            TicketEvent(at, kind, role, actor, frm, to, dict(d or {}))
            for at, kind, role, actor, frm, to, d in events
        ),
    )
    return ticket, calls
