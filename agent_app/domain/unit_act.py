"""A handling unit's action on a ticket, applied to the ticket itself (no centre).

The centre applies a unit's action in SQL (``central.unit_act``); this is the same rule on a
:class:`Ticket`, for the demo seat's units simulator: the action's path from
:data:`UNIT_ACTION_PATHS` for the ticket's status, each step checked by
:meth:`Ticket.transition` for the handler role, the steps before the last marked
``implied``, and the action's arguments on the last step (or on one event when the action
changes no status).  The arguments follow the centre's checks.  No I/O here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from agent_app.domain.lifecycle import (
    EXTENSION_MAX_DAYS,
    OBJECTION_REASONS,
    REPLY_RESULTS,
    STATUS_NAMES,
    UNIT_ACTION_PATHS,
    UNIT_TEXT_MAX,
    UnitAction,
)
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket, TicketEvent
from agent_app.errors import UsageError


def _text(args: dict[str, Any], key: str, *, required: bool) -> str:
    text = str(args.get(key) or "").strip()
    if required and not text:
        raise UsageError(f"{key} is empty")
    if len(text) > UNIT_TEXT_MAX:
        raise UsageError(f"{key} is too long")
    return text


def action_data(ticket: Ticket, action: UnitAction, args: dict[str, Any]) -> dict[str, Any]:
    """The event data of ``action`` (the centre's shape), its arguments checked."""
    data: dict[str, Any] = {"action": action.value, "unit": ticket.main_unit}
    if action is UnitAction.NOTE:
        data["text"] = _text(args, "text", required=True)
    elif action in (UnitAction.SIGN, UnitAction.CONTACT):
        text = _text(args, "text", required=False)
        if text:
            data["text"] = text
    elif action is UnitAction.EXTEND:
        days = args.get("days")
        if (
            not isinstance(days, int)
            or isinstance(days, bool)
            or not 1 <= days <= EXTENSION_MAX_DAYS
        ):
            raise UsageError(f"days must be 1 to {EXTENSION_MAX_DAYS}")
        data["days"] = days
        data["reason"] = _text(args, "reason", required=True)
    elif action is UnitAction.OBJECT:
        if args.get("reason_code") not in OBJECTION_REASONS:
            raise UsageError(f"reason_code must be one of {', '.join(OBJECTION_REASONS)}")
        data["reason_code"] = args["reason_code"]
        data["reason"] = _text(args, "reason", required=True)
    elif action is UnitAction.REPLY:
        if args.get("result") not in REPLY_RESULTS:
            raise UsageError(f"result must be one of {', '.join(REPLY_RESULTS)}")
        data["result"] = args["result"]
        data["text"] = _text(args, "text", required=True)
    return data


def unit_act(
    ticket: Ticket,
    action: UnitAction,
    *,
    actor_id: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
    **args: Any,
) -> Ticket:
    """The ticket after its main unit's ``action``; ``extra`` is added to every event's data
    (the simulator marks its events as demo).  Raises :class:`UsageError` when the action is
    not possible in the ticket's status or an argument is wrong, and
    :class:`~agent_app.errors.TransitionError` should a step break the lifecycle table."""
    if not ticket.main_unit:
        raise UsageError(f"ticket {ticket.number} has no handling unit")
    path = UNIT_ACTION_PATHS[action].get(ticket.status)
    if path is None:
        raise UsageError(
            f"ticket {ticket.number} is {ticket.status.value} ({STATUS_NAMES[ticket.status]}): "
            f"{action.value} is not possible now"
        )
    data = {**action_data(ticket, action, args), **(extra or {})}
    if not path:
        event = TicketEvent(
            at=now,
            kind=action.value,
            actor_role=Role.HANDLER.value,
            actor_id=actor_id,
            data=data,
        )
        return replace(ticket, updated_at=now, events=(*ticket.events, event))
    t = ticket
    for i, target in enumerate(path, start=1):
        step = (
            data if i == len(path) else {"action": action.value, "implied": True, **(extra or {})}
        )
        t = t.transition(target, Role.HANDLER, actor_id, now, **step)
    return t
