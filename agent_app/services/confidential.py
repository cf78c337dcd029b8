"""The clear caller of a confidential (保密) ticket a shift lead's seat holds masked.

A lead's seat pulls a confidential caller masked (``central.pull_tickets``, c0009) unless the
lead took the call.  The only way to the clear name and numbers is the centre's
``central.reveal_caller(ticket_id, reason)``: it writes the centre's audit row (the login,
the ticket, the reason) and returns the caller in the same transaction, for the callback
role only (a lead's login, while the ticket waits for its callback); everyone else is
refused with one line saying why.  Offline there is no way to it: the seat holds only stars.

:func:`held_masked` says whether a ticket's caller is such a masked copy; :func:`reveal`
asks the centre (call it in a worker: it goes over the network).  Nothing here logs a name or
a number.  No Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agent_app.domain.privacy import caller_held_masked
from agent_app.domain.ticket import Ticket
from agent_app.errors import KnownError, UnreachableError
from agent_app.storage.central.connect import (
    CentralTarget,
    PasswordLookup,
    connect,
    keyring_lookup,
)

log = logging.getLogger("agent_app.privacy")

DEFAULT_REASON = "caller number shown for a callback"


class RevealOffline(UnreachableError):
    """The centre cannot be reached (or no centre is configured): a caller held masked
    cannot be revealed at the seat."""


class RevealRefused(KnownError):
    """The centre refused the reveal (not the callback role, not waiting for a callback...)."""


@dataclass(frozen=True)
class RevealedCaller:
    ticket_id: str
    number: str  # the ticket's number
    name: str
    phones: tuple[str, ...]
    audit_seq: int  # the centre's audit row (seat '@centre') written before this was returned


def _refused(exc: Exception) -> RevealRefused:
    diag = getattr(exc, "diag", None)
    text = str(getattr(diag, "message_primary", "") or type(exc).__name__).splitlines()[0]
    log.warning("confidential caller not revealed: refused by the centre")
    return RevealRefused(text)


def held_masked(ticket: Ticket) -> bool:
    """Whether this seat holds the ticket's caller masked (a confidential caller of a ticket
    another login took, at a lead's seat): its clear values are at the centre only."""
    c = ticket.caller
    return caller_held_masked(c.name, c.phones, c.confidential)


def reveal(
    target: CentralTarget | None,
    ticket_id: str,
    reason: str = DEFAULT_REASON,
    *,
    password_lookup: PasswordLookup | None = keyring_lookup,
) -> RevealedCaller:
    """Ask the centre for the clear caller of ``ticket_id`` (audited there first).

    Raises :class:`RevealOffline` when there is no centre or it cannot be reached, and
    :class:`RevealRefused` with the centre's one-line reason when it refuses."""
    import psycopg  # noqa: PLC0415 - heavy; only when a reveal is asked for

    if target is None:
        raise RevealOffline(
            "this seat has no centre configured: a confidential caller's number is held at "
            "the centre only and cannot be shown here"
        )
    try:
        with connect(target, password_lookup=password_lookup) as conn:
            row = conn.execute(
                "SELECT central.reveal_caller(%s, %s)", (ticket_id, reason)
            ).fetchone()
    except psycopg.OperationalError as exc:
        if exc.sqlstate is not None:  # the server answered (class 55: not in that state...)
            raise _refused(exc) from None
        log.warning("confidential caller not revealed: the centre cannot be reached")
        raise RevealOffline(
            "the centre cannot be reached: a confidential caller's number is held at the "
            "centre only and cannot be shown offline; reconnect and try again"
        ) from None
    except psycopg.errors.UndefinedFunction:
        raise RevealRefused(
            "the centre is older than this app (no central.reveal_caller); ask the "
            "administrator to run 'agent-app central upgrade'"
        ) from None
    except psycopg.Error as exc:
        raise _refused(exc) from None
    data = row[0] if row and isinstance(row[0], dict) else {}
    return RevealedCaller(
        ticket_id=str(data.get("ticket_id") or ticket_id),
        number=str(data.get("number") or ""),
        name=str(data.get("name") or ""),
        phones=tuple(str(p) for p in data.get("phones") or ()),
        audit_seq=int(data.get("audit_seq") or 0),
    )
