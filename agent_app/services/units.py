"""A handling unit (承办单位) at the centre: list its tickets and act on them.

A handler login acts only through the centre's functions: ``central.unit_tickets(status)``
(the tickets dispatched to the login's units, the caller masked) and
``central.unit_act(number, action, args)`` (sign, contact, note, extend, object, reply; the
centre checks the unit, the arguments and each status step against the lifecycle table).
Every answer of the centre that a person can act on becomes a one-line :class:`KnownError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from agent_app.domain.lifecycle import (
    EXTENSION_MAX_DAYS,
    OBJECTION_REASONS,
    REPLY_RESULTS,
    STATUS_NAMES,
    Status,
    UnitAction,
)
from agent_app.domain.validation import clean_text
from agent_app.errors import ConfigError, KnownError, UnreachableError, UsageError

if TYPE_CHECKING:
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup

# What the centre's argument checks answer, in words for the person at the unit.
_ARG_PROBLEMS = {
    "empty": "is empty",
    "too_long": "is too long",
    "control_char": "contains control characters",
    "not_nfc": "is not NFC-normalised",
    "type": "has the wrong type",
    "invalid": "is not allowed",
}


class UnitActionRefused(KnownError):
    """The centre refused the action: the ticket is not the unit's, or its status forbids it."""


@contextmanager
def _centre(target: CentralTarget, password_lookup: PasswordLookup | None) -> Iterator[Any]:
    import psycopg  # noqa: PLC0415 - heavy, only when talking to the centre

    from agent_app.storage.central.connect import connect, keyring_lookup  # noqa: PLC0415

    try:
        with connect(target, password_lookup=password_lookup or keyring_lookup) as conn:
            yield conn
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ConfigError(
            f"The login {target.user} may not act for a handling unit at {target.display} "
            f"({_first_line(exc)}); ask the administrator for a handler login "
            "('agent-app central create-role NAME --group handler --unit UNIT')."
        ) from None
    except psycopg.errors.UndefinedFunction:
        raise ConfigError(
            f"The central database {target.display} does not have the handling-unit functions; "
            "run 'agent-app central upgrade' with an administrator login."
        ) from None
    except psycopg.errors.NoDataFound as exc:
        raise UnitActionRefused(_first_line(exc)) from None
    except psycopg.errors.ObjectNotInPrerequisiteState as exc:
        raise UnitActionRefused(_status_problem(_first_line(exc))) from None
    except psycopg.errors.InvalidParameterValue as exc:
        raise UsageError(_arg_problem(_first_line(exc))) from None
    except psycopg.OperationalError as exc:
        raise UnreachableError(
            f"cannot reach the central database {target.display}: {_first_line(exc)}"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


def _status_problem(message: str) -> str:
    if message.startswith("transition_not_allowed:"):
        return f"the lifecycle does not allow this step ({message})"
    for status in Status:
        marker = f" is {status.value}:"
        if marker in message:
            return message.replace(marker, f" is {status.value} ({STATUS_NAMES[status]}):")
    return message


def _arg_problem(message: str) -> str:
    problem, _, name = message.partition(":")
    if problem in _ARG_PROBLEMS and name:
        return f"The {name.replace('_', ' ')} {_ARG_PROBLEMS[problem]} ({message})."
    return message


def list_tickets(
    target: CentralTarget,
    *,
    status: str | None = None,
    password_lookup: PasswordLookup | None = None,
) -> list[dict[str, Any]]:
    """The tickets dispatched to the login's units (caller masked), due first."""
    if status is not None and status not in Status.__members__:
        raise UsageError(f"Unknown status {status!r}; use one of {', '.join(Status)}.")
    with _centre(target, password_lookup) as conn:
        rows = conn.execute("SELECT central.unit_tickets(%s)", (status,)).fetchall()
    return [dict(r[0]) for r in rows]


def act(
    target: CentralTarget,
    number: str,
    action: UnitAction,
    args: dict[str, Any] | None = None,
    *,
    password_lookup: PasswordLookup | None = None,
) -> dict[str, Any]:
    """Do ``action`` on ticket ``number``; the centre's answer (``number``, ``action``,
    ``from``, ``status``, ``version``, ``at``)."""
    from psycopg.types.json import Jsonb  # noqa: PLC0415 - heavy, only when talking to the centre

    clean = {k: clean_text(v) if isinstance(v, str) else v for k, v in (args or {}).items()}
    _check_args(action, clean)
    with _centre(target, password_lookup) as conn:
        row = conn.execute(
            "SELECT central.unit_act(%s, %s, %s)", (number, action.value, Jsonb(clean))
        ).fetchone()
    return dict(row[0]) if row else {}


def _check_args(action: UnitAction, args: dict[str, Any]) -> None:
    """The checks the centre makes, early, with the option names the person typed."""
    if action is UnitAction.EXTEND:
        days = args.get("days")
        if not isinstance(days, int) or not 1 <= days <= EXTENSION_MAX_DAYS:
            raise UsageError(f"--days must be a whole number from 1 to {EXTENSION_MAX_DAYS}.")
    if action is UnitAction.OBJECT and args.get("reason_code") not in OBJECTION_REASONS:
        raise UsageError(f"--reason-code must be one of {', '.join(OBJECTION_REASONS)}.")
    if action is UnitAction.REPLY and args.get("result") not in REPLY_RESULTS:
        raise UsageError(f"--result must be one of {', '.join(REPLY_RESULTS)}.")
    for name in ("text", "reason"):
        if name in args and not str(args[name]).strip():
            raise UsageError(f"--{name} is empty.")
