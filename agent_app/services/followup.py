"""The lead's rulings and the callbacks, at the seat, through the outbox.

Who acts is the seat's central login (:func:`agent_app.services.sync.identity.cached_identity`,
refreshed by every sync): its login is the actor id and its group the desk role, so an
operator login is refused here by the lifecycle (and at the centre).  Each action is one
write transaction: the ticket with its new events and one outbox row; ``agent-app sync``
delivers it.  No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_app.domain import followup, timeutil
from agent_app.domain.lifecycle import STATUS_NAMES
from agent_app.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from agent_app.domain.roles import Role
    from agent_app.domain.ticket import Ticket
    from agent_app.paths import DataPaths
    from agent_app.storage.db import Database


Actor = tuple[str, "Role"]
"""(login, desk role) of whoever acts."""


def seat_login(paths: DataPaths, actor: Actor | None = None) -> tuple[str, Role]:
    """(login, desk role) of this seat's central login, from the last sync; ``actor`` when
    given (a demo or training window, which has no central login: its data never syncs)."""
    if actor is not None:
        if not paths.is_demo:
            raise ConfigError(
                f"{paths.root} is a real seat: it acts as its central login, not as a chosen role"
            )
        return actor
    from agent_app.services.sync.identity import cached_identity  # noqa: PLC0415 - light

    identity = cached_identity(paths.database)
    if identity is None or not identity.login:
        raise ConfigError(
            f"the seat in {paths.root} does not know its central login yet; run "
            "'agent-app sync --once' first (the centre says who the login is)"
        )
    return identity.login, identity.role


def _change(
    db: Database,
    number: str,
    build: Callable[[Ticket], Ticket],
) -> Ticket:
    from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

    with db.write() as s:
        ticket = repo.get_ticket_by_number(s, number)
        if ticket is None:
            raise UsageError(f"no ticket {number!r} at this seat; sync the seat first")
        changed = build(ticket)
        repo.save_ticket(s, changed, now=changed.updated_at)
        return changed


def _limits_and_calendar() -> tuple[Any, Any]:
    from agent_app.services.catalogue import (  # noqa: PLC0415 - only for rulings
        TIME_LIMITS_FILE,
        catalogue_dir,
        load_time_limits,
        load_work_calendar,
    )

    return load_time_limits(catalogue_dir() / TIME_LIMITS_FILE), load_work_calendar()


def rule_dispute(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    uphold: bool,
    to_unit: str = "",
    reason: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.rule_dispute(
            t,
            uphold=uphold,
            to_unit=to_unit,
            reason=reason,
            role=role,
            actor_id=login,
            now=at,
            limits=limits,
            calendar=calendar,
        ),
    )


def rule_extension(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    _limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.rule_extension(
            t, approve=approve, reason=reason, role=role, actor_id=login, now=at, calendar=calendar
        ),
    )


def record_callback(
    db: Database,
    paths: DataPaths,
    number: str,
    *,
    resolved: bool,
    satisfaction: str,
    words: str = "",
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Ticket:
    login, role = seat_login(paths, actor)
    limits, calendar = _limits_and_calendar()
    at = now or timeutil.now()
    return _change(
        db,
        number,
        lambda t: followup.record_callback(
            t,
            resolved=resolved,
            satisfaction=satisfaction,
            words=words,
            role=role,
            actor_id=login,
            now=at,
            limits=limits,
            calendar=calendar,
        ),
    )


def callbacks_due(db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """Tickets waiting for a callback: the unit replied, or the time limit passed while the
    ticket is with its unit; replied first, then by due time."""
    from sqlalchemy import select  # noqa: PLC0415 - the ORM, on first use

    from agent_app.domain.lifecycle import Status  # noqa: PLC0415
    from agent_app.storage import repository as repo  # noqa: PLC0415
    from agent_app.storage.models import TicketRow  # noqa: PLC0415

    at = now or timeutil.now()
    statuses = [s.value for s in (*followup.WITH_UNIT, Status.REPLIED)]
    out = []
    with db.read() as s:
        ids = list(s.scalars(select(TicketRow.id).where(TicketRow.status.in_(statuses))))
        for ticket_id in ids:
            ticket = repo.get_ticket(s, ticket_id)
            why = followup.callback_due(ticket, at) if ticket is not None else None
            if ticket is None or why is None:
                continue
            reply = followup.feedback(ticket)
            out.append(
                {
                    "number": ticket.number,
                    "status": ticket.status.value,
                    "status_name": STATUS_NAMES[ticket.status],
                    "reason": why,
                    "unit": ticket.main_unit,
                    "due_at": ticket.due_at.isoformat() if ticket.due_at else None,
                    "feedback": reply,
                    "rehandled": followup.rehandled(ticket),
                }
            )
    out.sort(key=lambda r: (r["reason"] != "replied", r["due_at"] or "", r["number"]))
    return out
