"""The caller's history at a repeat call: the seat's own tickets and the whole centre's.

A seat holds only the tickets its own login took; a citizen calling back reaches any operator
in the hall.  When the call's number is committed, the seat's rows come first (no network);
then :func:`centre_rows` asks the centre (``central.caller_history``: the number never
travels, only its key, :func:`~agent_app.services.duplicate_check.caller_key`) with a short
timeout, and :func:`merge` puts both together (one row per ticket number, the seat's own row
when it holds the ticket: it may carry a change not yet sent).  When the centre cannot be
asked (offline, no centre configured, a login without the function) the history is the
seat's own rows only, and says so (:data:`SEAT_ONLY`).  No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_app.domain.lifecycle import TERMINAL
from agent_app.domain.privacy import redact_text
from agent_app.domain.summary import TicketSummary
from agent_app.errors import KnownError

if TYPE_CHECKING:
    from agent_app.storage.central.connect import PasswordLookup

log = logging.getLogger("agent_app.history")

CENTRE_TIMEOUT = 2.0
"""Seconds the centre may take to connect and to answer before the seat's own rows are all
the operator gets (the window has two query threads; this holds one of them at most)."""
HISTORY_LIMIT = 50

LOCAL = "local"  # demo and training: the seat is all there is
CHECKING = "checking"  # the seat's rows, the centre's on the way
CENTRE = "centre"  # merged with the centre's rows
SEAT_ONLY = "seat_only"  # the centre could not be asked: the seat's own rows only (仅本席记录)

_TERMINAL = frozenset(s.value for s in TERMINAL)


class CentreUnavailable(KnownError):
    """The centre could not give the caller's history (unreachable, too slow, refused)."""


@dataclass(frozen=True)
class MergedHistory:
    rows: tuple[TicketSummary, ...]
    remote: frozenset[str]
    """Numbers of the tickets this seat does not hold (another seat took the call)."""


def _time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def summary_from_centre(data: dict[str, Any]) -> TicketSummary:
    """One ``central.caller_history`` row as a table row (masked there; masked here again)."""
    created = _time(data.get("created_at"))
    if created is None:
        raise ValueError("a centre history row without created_at")
    return TicketSummary(
        id=str(data.get("id") or ""),
        number=str(data.get("number") or ""),
        created_at=created,
        status=str(data.get("status") or ""),
        request_type=data.get("request_type") or None,
        category_name=str(data.get("category") or ""),
        district=str(data.get("district") or ""),
        township=str(data.get("township") or ""),
        main_unit=str(data.get("main_unit") or ""),
        urgency=str(data.get("urgency") or ""),
        due_at=_time(data.get("due_at")),
        caller_phone=str(data.get("caller_phone") or ""),
        caller_name=str(data.get("caller_name") or ""),
        confidential=bool(data.get("confidential")),
        description=redact_text(str(data.get("description") or "")),
        synced=True,
    )


def centre_rows(
    url: str,
    phone_e164: str,
    *,
    timeout: float = CENTRE_TIMEOUT,
    limit: int = HISTORY_LIMIT,
    password_lookup: PasswordLookup | None = None,
) -> list[TicketSummary]:
    """The caller's tickets from the whole centre; :class:`CentreUnavailable` (one line, no
    number in it) when the centre cannot say within ``timeout`` seconds."""
    import psycopg  # noqa: PLC0415 - heavy, only when a call's number is committed

    from agent_app.services.duplicate_check import caller_key  # noqa: PLC0415
    from agent_app.storage.central.connect import connect, keyring_lookup, parse_url  # noqa: PLC0415

    key = caller_key(phone_e164)
    if not key:
        return []
    target = parse_url(url, connect_timeout=timeout)
    try:
        with connect(target, password_lookup=password_lookup or keyring_lookup) as conn:
            with conn.transaction():
                conn.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
                rows = conn.execute(
                    "SELECT * FROM central.caller_history(%s, %s)", (key, limit)
                ).fetchall()
    except psycopg.Error as exc:
        log.info("caller history from the centre unavailable: %s", type(exc).__name__)
        raise CentreUnavailable(
            f"the centre {target.display} did not give the caller's history "
            f"({type(exc).__name__}); only this seat's tickets are shown"
        ) from None
    out = []
    for (data,) in rows:
        try:
            out.append(summary_from_centre(dict(data)))
        except (TypeError, ValueError):
            log.warning("a centre history row could not be read; skipped")
    return out


def _order(rows: Iterable[TicketSummary]) -> list[TicketSummary]:
    """Open tickets first, then newest first."""
    newest = sorted(rows, key=lambda r: (r.created_at, r.number), reverse=True)
    return sorted(newest, key=lambda r: r.status in _TERMINAL)


def merge(seat: Iterable[TicketSummary], centre: Iterable[TicketSummary]) -> MergedHistory:
    """The seat's rows and the centre's, one per ticket number (the seat's when it holds the
    ticket), open first, newest first."""
    own = {r.number: r for r in seat}
    remote = {r.number: r for r in centre if r.number and r.number not in own}
    return MergedHistory(
        rows=tuple(_order([*own.values(), *remote.values()])), remote=frozenset(remote)
    )
