"""What a ticket payload must look like: one rule table, checked at the seat and at the centre.

The seat runs :func:`payload_problem` before a change leaves the outbox; the centre runs the
same rules in SQL (``central.payload_problem``), over the table ``central.payload_rules`` that
the central migration fills from :data:`RULES`.  Both answer the FIRST broken rule as a reason
code ``<problem>:<field>`` (e.g. ``too_long:place.address``, ``invalid:status``,
``future_date:created_at``) or None; ``tests/integration/test_central_validation.py`` proves
the two equal with a differential Hypothesis test (R14).

Checks per value, in this order: type, control characters (C0/C1 except tab and newline),
NFC normalisation, length in code points, then the pattern, the choices or the range.
Times must be ISO 8601 with an offset, between 2000-01-01 and :data:`FUTURE_SKEW` ahead of
the checking clock.  Text typed at the seat is made valid by :func:`clean_text`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_app.domain.lifecycle import TRANSITIONS, Status
from agent_app.domain.roles import Role, acts_as
from agent_app.domain.ticket import URGENCY_TIERS, Channel, Outcome, RequestType

FUTURE_SKEW = timedelta(hours=48)  # seat clocks may run ahead (R7: ±36 h); 2099 may not
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# The same pattern text works in Python ``re`` and PostgreSQL ARE regular expressions.
CONTROL = "[\\u0001-\\u0008\\u000b-\\u001f\\u007f-\\u009f]"
DATETIME = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]"
    "(:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])"
)
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SEAT_ID = "[A-Za-z0-9_-]{1,32}"
_CONTROL = re.compile(CONTROL + "|\x00")
_DATETIME = re.compile(DATETIME)


@dataclass(frozen=True)
class Rule:
    """One field of a payload (``scope`` ticket) or of one of its events (``scope`` event)."""

    scope: str
    name: str  # dotted path: caller.name
    kind: str  # text, text_list, datetime, bool, number, object, event_list
    nullable: bool = False
    max_len: int | None = None  # text (per item for text_list)
    min_len: int = 0
    max_items: int | None = None  # text_list, event_list
    choices: tuple[str, ...] = ()
    pattern: str = ""
    minimum: float | None = None
    maximum: float | None = None
    future: bool = False  # datetime: refuse more than FUTURE_SKEW ahead

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


STATUSES = _values(Status)


def _text(name: str, max_len: int, **kw: Any) -> Rule:
    return Rule("ticket", name, "text", max_len=max_len, **kw)


RULES: tuple[Rule, ...] = (
    _text("id", 36, pattern=UUID),
    _text("seat", 32, pattern=SEAT_ID),
    _text("number", 48, pattern="[0-9]{8}-" + SEAT_ID + "-[0-9]{4,9}"),
    _text("operator_id", 64, min_len=1),
    Rule("ticket", "created_at", "datetime", future=True),
    Rule("ticket", "updated_at", "datetime", nullable=True, future=True),
    _text("channel", 16, choices=_values(Channel)),
    Rule("ticket", "caller", "object"),
    Rule("ticket", "caller.name", "text", max_len=64),
    Rule("ticket", "caller.phones", "text_list", max_len=32, max_items=5),
    Rule("ticket", "caller.confidential", "bool"),
    Rule("ticket", "caller.is_company", "bool"),
    _text("request_type", 16, nullable=True, choices=_values(RequestType)),
    _text("category_code", 32),
    _text("category_name", 128),
    Rule("ticket", "place", "object"),
    Rule("ticket", "place.address", "text", max_len=256),
    Rule("ticket", "place.district", "text", max_len=32),
    Rule("ticket", "place.district_code", "text", max_len=12),
    Rule("ticket", "place.township", "text", max_len=64),
    Rule("ticket", "place.township_code", "text", max_len=12),
    Rule("ticket", "place.community", "text", max_len=64),
    Rule("ticket", "place.lat", "number", nullable=True, minimum=-90, maximum=90),
    Rule("ticket", "place.lon", "number", nullable=True, minimum=-180, maximum=180),
    Rule("ticket", "place.confidence", "number", nullable=True, minimum=0, maximum=1),
    _text("urgency", 16, choices=URGENCY_TIERS),
    _text("main_unit", 128),
    Rule("ticket", "co_units", "text_list", max_len=128, max_items=20),
    Rule("ticket", "due_at", "datetime", nullable=True),
    _text("description", 4000),
    _text("notes", 20000),
    _text("outcome", 16, nullable=True, choices=_values(Outcome)),
    _text("outcome_detail", 256),
    _text("kb_article_id", 64),
    _text("merged_into", 48),
    Rule("ticket", "extra", "object"),
    _text("status", 32, choices=STATUSES),
    Rule("ticket", "is_demo", "bool"),
    Rule("ticket", "events", "event_list", nullable=True, max_items=500),
    Rule("event", "at", "datetime", future=True),
    Rule("event", "kind", "text", max_len=32, min_len=1),
    Rule("event", "actor_role", "text", max_len=16),
    Rule("event", "actor_id", "text", max_len=64),
    Rule("event", "from_status", "text", nullable=True, max_len=32, choices=STATUSES),
    Rule("event", "to_status", "text", nullable=True, max_len=32, choices=STATUSES),
    Rule("event", "data", "object", nullable=True),
    Rule("event", "seq", "number", nullable=True, minimum=1, maximum=1_000_000),
)


def _parse_time(text: str) -> datetime | None:
    if not _DATETIME.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _scalar_problem(value: Any, rule: Rule, now: datetime) -> str | None:
    kind = rule.kind
    if kind in ("text", "text_list"):
        if not isinstance(value, str):
            return "type"
        if _CONTROL.search(value):
            return "control_char"
        if not unicodedata.is_normalized("NFC", value):
            return "not_nfc"
        if rule.max_len is not None and len(value) > rule.max_len:
            return "too_long"
        if len(value) < rule.min_len:
            return "empty"
        if rule.pattern and not re.fullmatch(rule.pattern, value):
            return "invalid"
        if rule.choices and value not in rule.choices:
            return "invalid"
        return None
    if kind == "datetime":
        if not isinstance(value, str):
            return "type"
        at = _parse_time(value)
        if at is None or at < EARLIEST:
            return "bad_date"
        if rule.future and at > now + FUTURE_SKEW:
            return "future_date"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else "type"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "type"
        if not math.isfinite(value):
            return "invalid"
        if rule.minimum is not None and value < rule.minimum:
            return "invalid"
        if rule.maximum is not None and value > rule.maximum:
            return "invalid"
        return None
    if kind == "object":
        return None if isinstance(value, dict) else "type"
    raise ValueError(f"unknown rule kind {kind!r}")


def _lookup(doc: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = doc
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def payload_problem(
    doc: Any, scope: str = "ticket", *, now: datetime | None = None, prefix: str = ""
) -> str | None:
    """The first broken rule of ``doc`` as ``<problem>:<field>``, or None when it is valid."""
    now = now or datetime.now(UTC)
    if not isinstance(doc, dict):
        return f"type:{prefix.rstrip('.') or scope}"
    for rule in RULES:
        if rule.scope != scope:
            continue
        name = prefix + rule.name
        value = _lookup(doc, rule.path)
        if value is None:
            if not rule.nullable:
                return f"missing:{name}"
            continue
        if rule.kind in ("text_list", "event_list"):
            if not isinstance(value, list):
                return f"type:{name}"
            if rule.max_items is not None and len(value) > rule.max_items:
                return f"too_many:{name}"
            for item in value:
                if rule.kind == "event_list":
                    problem = payload_problem(item, "event", now=now, prefix=name + ".")
                    if problem:
                        return problem
                else:
                    code = _scalar_problem(item, rule, now)
                    if code:
                        return f"{code}:{name}"
            continue
        code = _scalar_problem(value, rule, now)
        if code:
            return f"{code}:{name}"
    return None


def number_belongs_to_seat(number: str, seat: str) -> bool:
    """A ticket number is ``YYYYMMDD-<seat>-NNNN``: only its own seat may create it."""
    return re.fullmatch(rf"[0-9]{{8}}-{re.escape(seat)}-[0-9]{{4,9}}", number) is not None


def clean_text(text: str) -> str:
    """NFC, without control characters other than tab and newline (``\\r\\n`` → ``\\n``)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return _CONTROL.sub("", text)


def clean_payload(value: Any) -> Any:
    """Every string in a JSON-able value passed through :func:`clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_payload(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_payload(v) for v in value]
    return value


# Who may do what: the lifecycle table and the login groups, as rows for the centre ------------

# A central login group acts as these lifecycle actors (the desk role of the same name).
GROUP_ROLES: dict[str, Role] = {
    "operator": Role.OPERATOR,
    "lead": Role.LEAD,
    "handler": Role.HANDLER,
}


def transition_rows() -> list[tuple[str, str, str]]:
    """(source, target, actor) for every transition of the lifecycle table."""
    return sorted(
        (t.source.value, t.target.value, actor.value) for t in TRANSITIONS for actor in t.actors
    )


def group_actor_rows() -> list[tuple[str, str]]:
    """(login group, lifecycle actor it may act as, including its own desk role name)."""
    return sorted(
        (group, actor.value) for group, role in GROUP_ROLES.items() for actor in acts_as(role)
    )


def _may(group: str) -> frozenset[str]:
    return frozenset(a for g, a in group_actor_rows() if g == group)


def transition_problem(
    events: list[dict[str, Any]],
    start: str | None,
    group: str,
    login: str,
    *,
    final: str | None = None,
) -> str | None:
    """Check the events of one change for a login (its name and group), as the centre does.

    Every event must name the login as its actor and a role its group may act as; every
    transition must be in the lifecycle table for that group.  ``start`` is the status the
    chain must start from (INTAKE for a new ticket; None: any); ``final``, when given, must be
    where the chain ends.
    """
    may = _may(group)
    table = set(transition_rows())
    current = start
    for event in events:
        if event.get("actor_id") != login:
            return "actor_mismatch"
        role = str(event.get("actor_role") or "")
        if role not in may:
            return f"actor_role_forbidden:{role}"[:64]
        if event.get("kind") != "transition":
            continue
        source, target = event.get("from_status") or "", event.get("to_status") or ""
        if (current is not None and source != current) or not any(
            (source, target, actor) in table for actor in may
        ):
            return f"transition_not_allowed:{source}>{target}"[:64]
        current = target
    if final is not None and current != final:
        return "status_without_transition"
    return None
