"""After dispatch, at the seat: the lead's rulings on a unit's requests, the callback (回访),
and what a ticket's life looks like (一单到底).

Units act at the centre (``central.unit_act``); their events reach the seat by pull.  The
shift lead, acting for the centre, rules on an objection (派单异议: upheld → re-dispatched
改派 to another unit with a new time limit; rejected → the unit keeps it) or an extension
request (approved → a new due time counted in working days; denied → the limit stays), and
records the callback after the unit's reply: resolved and satisfied (满意/基本满意) closes the
ticket, anything else reopens it (二次办理: back to the unit with the citizen's words, a new
time limit, ``rehandled`` + 1).  Each function returns the ticket with the lifecycle events
appended (:meth:`Ticket.transition` checks every step for the role); no I/O here.

Progress and repeat calls (from the caller's history): 告知进展 records that the operator told
the caller where the ticket is (``progress_call``), 补充 appends what the caller adds
(``supplement``), 催办 a chase with a note (``chase``): events on the existing ticket, no
status change and no new ticket; the supplement and the chase reach the handling unit.
Merges on both sides: the original records each call merged into it (``merged_call``, with
the merged ticket's number and the count of callers), and a merged ticket closes when its
original closes (:func:`close_merged`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from agent_app.domain.deadlines import (
    DEFAULT_LIMITS,
    TimeLimit,
    UrgencyTier,
    WorkCalendar,
    due_at,
)
from agent_app.domain.lifecycle import STATUS_NAMES, TERMINAL, UNIT_TEXT_MAX, Status
from agent_app.domain.privacy import redact_text
from agent_app.domain.roles import Role, acts_as
from agent_app.domain.ticket import Ticket, TicketEvent
from agent_app.errors import UsageError

SATISFACTION: tuple[str, ...] = ("满意", "基本满意", "不满意")
SATISFIED: frozenset[str] = frozenset({"满意", "基本满意"})
# Where a ticket is with its unit (a callback is due once its time limit has passed).
WITH_UNIT: frozenset[Status] = frozenset(
    {
        Status.DISPATCHED,
        Status.SIGNED,
        Status.DISPUTED,
        Status.DISPUTE_REVIEW,
        Status.CONTACTED,
        Status.IN_PROGRESS,
        Status.COORDINATING,
        Status.EXTENSION_REQUESTED,
        Status.REOPENED,
    }
)


def _status_line(ticket: Ticket) -> str:
    return f"ticket {ticket.number} is {ticket.status.value} ({STATUS_NAMES[ticket.status]})"


def _require(ticket: Ticket, status: Status, what: str) -> None:
    if ticket.status is not status:
        raise UsageError(
            f"{_status_line(ticket)}; {what} needs it in {status.value} "
            f"({STATUS_NAMES[status]}); sync the seat first if the unit acted lately"
        )


def last_event_to(ticket: Ticket, status: Status) -> TicketEvent | None:
    """The latest transition into ``status``."""
    for event in reversed(ticket.events):
        if event.kind == "transition" and event.to_status == status.value:
            return event
    return None


def rehandled(ticket: Ticket) -> int:
    """How many times the ticket was reopened after a callback (二次办理)."""
    return sum(1 for e in ticket.events if e.kind == "transition" and e.to_status == "REOPENED")


def new_limit(
    ticket: Ticket,
    now: datetime,
    limits: Mapping[UrgencyTier, TimeLimit] | None = None,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """A fresh time limit from ``now`` for the ticket's urgency tier."""
    table = limits or DEFAULT_LIMITS
    try:
        tier = UrgencyTier(ticket.urgency)
    except ValueError:
        tier = UrgencyTier.ORDINARY
    return due_at(now, table[tier], calendar).due


def rule_dispute(
    ticket: Ticket,
    *,
    uphold: bool,
    to_unit: str = "",
    reason: str = "",
    role: Role,
    actor_id: str,
    now: datetime,
    limits: Mapping[UrgencyTier, TimeLimit] | None = None,
    calendar: WorkCalendar | None = None,
) -> Ticket:
    """DISPUTED → DISPUTE_REVIEW → DISPATCHED to ``to_unit`` (upheld) or → SIGNED (rejected)."""
    _require(ticket, Status.DISPUTED, "a ruling on an objection")
    objection = last_event_to(ticket, Status.DISPUTED)
    asked = dict(objection.data) if objection is not None else {}
    unit = ticket.main_unit
    t = ticket.transition(
        Status.DISPUTE_REVIEW,
        role,
        actor_id,
        now,
        action="dispute_review",
        reason_code=asked.get("reason_code", ""),
    )
    if uphold:
        to_unit = to_unit.strip()
        if not to_unit:
            raise UsageError("--to names the unit the ticket goes to when the objection stands")
        if to_unit == unit:
            raise UsageError(f"the ticket is already with {unit}; name another unit with --to")
        due = new_limit(ticket, now, limits, calendar)
        t = replace(t, main_unit=to_unit, co_units=tuple(u for u in t.co_units if u != to_unit))
        t = replace(t, due_at=due)
        return t.transition(
            Status.DISPATCHED,
            role,
            actor_id,
            now,
            action="dispute_ruling",
            ruling="upheld",
            from_unit=unit,
            to_unit=to_unit,
            due_at=due.isoformat(),
        )
    if not reason.strip():
        raise UsageError("--reason says why the objection does not stand")
    return t.transition(
        Status.SIGNED,
        role,
        actor_id,
        now,
        action="dispute_ruling",
        ruling="rejected",
        unit=unit,
        reason=reason.strip(),
    )


def rule_extension(
    ticket: Ticket,
    *,
    approve: bool,
    reason: str = "",
    role: Role,
    actor_id: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> Ticket:
    """EXTENSION_REQUESTED → IN_PROGRESS; approved: the due time moves by the working days
    the unit asked for (official calendar); denied: it stays."""
    _require(ticket, Status.EXTENSION_REQUESTED, "a ruling on an extension")
    request = last_event_to(ticket, Status.EXTENSION_REQUESTED)
    days = int((request.data if request is not None else {}).get("days") or 0)
    if approve:
        if days < 1:
            raise UsageError(
                f"ticket {ticket.number} has no extension request with a number of days"
            )
        result = due_at(ticket.due_at or now, TimeLimit.working_days(days), calendar)
        t = replace(ticket, due_at=result.due)
        return t.transition(
            Status.IN_PROGRESS,
            role,
            actor_id,
            now,
            action="extension_ruling",
            ruling="approved",
            days=days,
            due_at=result.due.isoformat(),
        )
    if not reason.strip():
        raise UsageError("--reason says why the extension is denied")
    return ticket.transition(
        Status.IN_PROGRESS,
        role,
        actor_id,
        now,
        action="extension_ruling",
        ruling="denied",
        days=days,
        reason=reason.strip(),
    )


def record_callback(
    ticket: Ticket,
    *,
    resolved: bool,
    satisfaction: str,
    words: str = "",
    role: Role,
    actor_id: str,
    now: datetime,
    limits: Mapping[UrgencyTier, TimeLimit] | None = None,
    calendar: WorkCalendar | None = None,
) -> Ticket:
    """REPLIED → REVISIT → CLOSED (resolved and satisfied) or → REOPENED (二次办理)."""
    if satisfaction not in SATISFACTION:
        raise UsageError(f"--satisfaction must be one of {', '.join(SATISFACTION)}")
    _require(ticket, Status.REPLIED, "a callback")
    callback = {
        "resolved": resolved,
        "satisfaction": satisfaction,
        # Passed on to the unit: personal numbers in the citizen's words are masked.
        "words": redact_text(words.strip()),
        "at": now.isoformat(),
    }
    t = ticket.transition(Status.REVISIT, role, actor_id, now, action="callback")
    if resolved and satisfaction in SATISFIED:
        return t.transition(
            Status.CLOSED, role, actor_id, now, action="callback", callback=callback
        )
    due = new_limit(ticket, now, limits, calendar)
    t = replace(t, due_at=due)
    return t.transition(
        Status.REOPENED,
        role,
        actor_id,
        now,
        action="callback",
        callback=callback,
        rehandled=rehandled(ticket) + 1,
        unit=ticket.main_unit,
        due_at=due.isoformat(),
    )


def redispatch_reopened(
    ticket: Ticket,
    *,
    to_unit: str,
    role: Role,
    actor_id: str,
    now: datetime,
    limits: Mapping[UrgencyTier, TimeLimit] | None = None,
    calendar: WorkCalendar | None = None,
) -> Ticket:
    """REOPENED → DISPATCHED to ``to_unit`` (二次办理 re-dispatched, 重新派单) with a new time
    limit; the unit that handled it before is named in the event."""
    _require(ticket, Status.REOPENED, "a re-dispatch after a callback")
    to_unit = to_unit.strip()
    if not to_unit:
        raise UsageError("name the unit the reopened ticket goes to")
    unit = ticket.main_unit
    due = new_limit(ticket, now, limits, calendar)
    t = replace(
        ticket,
        main_unit=to_unit,
        co_units=tuple(u for u in ticket.co_units if u != to_unit),
        due_at=due,
    )
    return t.transition(
        Status.DISPATCHED,
        role,
        actor_id,
        now,
        action="redispatch",
        from_unit=unit,
        to_unit=to_unit,
        due_at=due.isoformat(),
    )


def callback_due(ticket: Ticket, now: datetime) -> str | None:
    """Why a callback is due: ``replied`` (the unit replied), ``overdue`` (the time limit
    passed while the ticket is with its unit), or None."""
    if ticket.status is Status.REPLIED:
        return "replied"
    if ticket.status in WITH_UNIT and ticket.due_at is not None and ticket.due_at < now:
        return "overdue"
    return None


def feedback(ticket: Ticket) -> dict[str, Any] | None:
    """The unit's latest reply (办结反馈): text, result, unit, when and by whom."""
    reply = last_event_to(ticket, Status.REPLIED)
    if reply is None:
        return None
    return {
        "text": reply.data.get("text", ""),
        "result": reply.data.get("result", ""),
        "unit": reply.data.get("unit", ""),
        "at": reply.at.isoformat(),
        "by": reply.actor_id,
    }


def callbacks(ticket: Ticket) -> list[dict[str, Any]]:
    """Every callback recorded, oldest first, with where it led (CLOSED or REOPENED)."""
    out = []
    for e in ticket.events:
        record = e.data.get("callback") if e.kind == "transition" else None
        if isinstance(record, dict):
            out.append({**record, "outcome": e.to_status, "by": e.actor_id})
    return out


# Progress and repeat calls ------------------------------------------------------------------


class FollowupKind(StrEnum):
    """What a repeat call adds to an existing ticket (the event's kind)."""

    PROGRESS = "progress_call"  # 告知进展: the operator told the caller the status
    SUPPLEMENT = "supplement"  # 补充: the caller adds information
    CHASE = "chase"  # 催办: the caller asks for it to be done


FOLLOWUP_NAMES: dict[FollowupKind, str] = {
    FollowupKind.PROGRESS: "告知进展",
    FollowupKind.SUPPLEMENT: "补充",
    FollowupKind.CHASE: "催办",
}
# These reach the handling unit, so the ticket must be with one, and they need a text.
REACHES_UNIT: frozenset[FollowupKind] = frozenset({FollowupKind.SUPPLEMENT, FollowupKind.CHASE})
FOLLOWUP_TEXT_MAX = UNIT_TEXT_MAX
MERGED_CALL = "merged_call"  # event on the original: another caller reported this
CLOSED_STATES: frozenset[Status] = TERMINAL  # an original in one of these is done


def follow_up_problem(ticket: Ticket, kind: FollowupKind) -> str | None:
    """Why ``kind`` cannot be recorded on the ticket now (one line), or None."""
    if ticket.status is Status.MERGED_DUPLICATE and ticket.merged_into:
        return (
            f"ticket {ticket.number} was merged into {ticket.merged_into}; "
            f"record the call on {ticket.merged_into}"
        )
    if kind in REACHES_UNIT and (ticket.status in TERMINAL or not ticket.main_unit):
        return (
            f"{_status_line(ticket)}: no handling unit works on it now, so a "
            f"{kind.value} cannot reach one; take the call as a new ticket"
        )
    return None


def check_caller_role(role: Role) -> None:
    """Only a desk that takes citizens' calls records a repeat call."""
    if not acts_as(role) & {Role.OPERATOR, Role.CENTER}:
        raise UsageError(f"the {role.value} role does not take citizens' calls")


def follow_up_words(kind: FollowupKind, text: str) -> str:
    """The repeat call's text as units will read it (personal numbers masked); one line
    saying what is wrong when it cannot be recorded (empty for a supplement or chase, too
    long)."""
    words = redact_text(text.strip())
    if kind in REACHES_UNIT and not words:
        raise UsageError(f"a {kind.value} needs a text (--text): what the caller says")
    if len(words) > FOLLOWUP_TEXT_MAX:
        raise UsageError(
            f"the text is too long ({len(words)} characters, at most {FOLLOWUP_TEXT_MAX})"
        )
    return words


def follow_up(
    ticket: Ticket,
    kind: FollowupKind,
    *,
    text: str = "",
    role: Role,
    actor_id: str,
    now: datetime,
    call_id: str = "",
) -> Ticket:
    """The ticket with the repeat call appended as one event (no status change).

    ``text`` is what was told (progress; may be empty), what the caller adds (supplement) or
    the chase's note; personal numbers in it are masked, since units read it.  ``call_id``
    (the call's id) makes a retry harmless: a call already recorded is not recorded again.
    """
    check_caller_role(role)
    problem = follow_up_problem(ticket, kind)
    if problem:
        raise UsageError(problem)
    words = follow_up_words(kind, text)
    if call_id and any(
        e.kind == kind.value and e.data.get("call_id") == call_id for e in ticket.events
    ):
        return ticket
    data: dict[str, Any] = {
        "text": words,
        "status": ticket.status.value,
        "unit": ticket.main_unit,
    }
    if kind is FollowupKind.CHASE:
        data["chases"] = chases(ticket) + 1
    if call_id:
        data["call_id"] = call_id
    event = TicketEvent(
        at=now, kind=kind.value, actor_role=role.value, actor_id=actor_id, data=data
    )
    return replace(ticket, updated_at=now, events=(*ticket.events, event))


def followups(ticket: Ticket) -> list[dict[str, Any]]:
    """Every progress call, supplement and chase, oldest first."""
    kinds = {k.value for k in FollowupKind}
    return [
        {
            "kind": e.kind,
            "at": e.at.isoformat(),
            "text": e.data.get("text", ""),
            "by": e.actor_id,
        }
        for e in ticket.events
        if e.kind in kinds
    ]


def chases(ticket: Ticket) -> int:
    return sum(1 for e in ticket.events if e.kind == FollowupKind.CHASE.value)


# Merges on both sides -------------------------------------------------------------------------


def merged_numbers(ticket: Ticket) -> list[str]:
    """The tickets merged into this one (their calls), in the order they came."""
    found = [str(e.data.get("number") or "") for e in ticket.events if e.kind == MERGED_CALL]
    return [n for n in dict.fromkeys(found) if n]


def callers(ticket: Ticket) -> int:
    """How many calls reported this matter: its own and each merged into it."""
    return 1 + len(merged_numbers(ticket))


def record_merged_call(
    original: Ticket, merged: Ticket, *, role: Role, actor_id: str, now: datetime
) -> Ticket:
    """The original with an event for ``merged`` (another caller reported this); once per
    merged ticket."""
    if merged.number in merged_numbers(original):
        return original
    event = TicketEvent(
        at=now,
        kind=MERGED_CALL,
        actor_role=role.value,
        actor_id=actor_id,
        data={"number": merged.number, "callers": callers(original) + 1},
    )
    return replace(original, updated_at=now, events=(*original.events, event))


def close_merged(
    merged: Ticket, original: Ticket, *, role: Role, actor_id: str, now: datetime
) -> Ticket:
    """A merged ticket closes with its original (MERGED_DUPLICATE → CLOSED); unchanged when
    it is closed already or the original is still open."""
    if merged.status is not Status.MERGED_DUPLICATE or original.status not in CLOSED_STATES:
        return merged
    return merged.transition(
        Status.CLOSED,
        role,
        actor_id,
        now,
        action="merged_close",
        original=original.number,
        original_status=original.status.value,
    )


def life(ticket: Ticket) -> dict[str, Any]:
    """The after-dispatch view of a ticket (``ticket show``'s keys besides the ticket's own,
    whose ``events`` already list the whole history)."""
    return {
        "units": [u for u in (ticket.main_unit, *ticket.co_units) if u],
        "feedback": feedback(ticket),
        "callbacks": callbacks(ticket),
        "rehandled": rehandled(ticket),
        "followups": followups(ticket),
        "chases": chases(ticket),
        "merged": merged_numbers(ticket),
        "callers": callers(ticket),
    }
