"""``agent-app deadline``: when a ticket is due.

    agent-app deadline --from ISO8601 (--tier T | --hours H | --working-days N | --calendar-days N)
                       [--limits INI] [--overrides CSV] [--json]

Prints the due time in ISO 8601, Beijing time (+08:00).  A start without a time zone is taken
as Beijing time.  Warnings (e.g. a year beyond the official holiday calendar the app knows) go
to stderr, one line each; the answer is still printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from agent_app.errors import UsageError


def _start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date-time such as 2026-09-30T10:00:00+08:00"
        ) from None


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a non-negative number")
    return value


MAX_DAYS = 3660  # ten years: more is a typing mistake, and counting would take long


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text!r} is more than {MAX_DAYS} days")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "deadline",
        help="print when a ticket is due (ISO 8601, Beijing time)",
        description="Print the due time of a ticket started at --from, in Beijing time.",
    )
    parser.add_argument("--from", dest="start", required=True, type=_start, metavar="ISO8601")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--tier",
        choices=("emergency", "utility", "ordinary", "complex"),
        help="urgency tier (limits from time_limits.ini)",
    )
    what.add_argument("--hours", type=_non_negative_float, metavar="H", help="clock hours")
    what.add_argument(
        "--working-days", type=_non_negative_int, metavar="N", help="official working days"
    )
    what.add_argument("--calendar-days", type=_non_negative_int, metavar="N", help="calendar days")
    parser.add_argument("--limits", type=Path, metavar="INI", help="tier table (time_limits.ini)")
    parser.add_argument(
        "--overrides",
        type=Path,
        metavar="CSV",
        help="calendar override file (calendar_overrides.csv)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from agent_app.domain.deadlines import (  # keep `agent-app --help` light
        TimeLimit,
        UrgencyTier,
        WorkCalendar,
        due_at,
        to_beijing,
    )
    from agent_app.services.catalogue import (
        CALENDAR_OVERRIDES_FILE,
        TIME_LIMITS_FILE,
        catalogue_dir,
        load_calendar_overrides,
        load_time_limits,
    )

    overrides_path = args.overrides or catalogue_dir() / CALENDAR_OVERRIDES_FILE
    if args.overrides is not None and not args.overrides.exists():
        raise UsageError(f"The override file {args.overrides} does not exist; check the path.")
    calendar = WorkCalendar(load_calendar_overrides(overrides_path))
    if args.tier:
        limits = load_time_limits(args.limits or catalogue_dir() / TIME_LIMITS_FILE)
        limit = limits[UrgencyTier(args.tier)]
    elif args.hours is not None:
        limit = TimeLimit.hours(args.hours)
    elif args.working_days is not None:
        limit = TimeLimit.working_days(args.working_days)
    else:
        limit = TimeLimit.calendar_days(args.calendar_days)
    try:
        result = due_at(args.start, limit, calendar)
    except OverflowError:
        raise UsageError("The due time is beyond the year 9999; use a smaller limit.") from None
    for warning in result.warnings:
        print(f"agent-app: warning: {warning}", file=sys.stderr)
    if args.json:
        amount = int(limit.amount) if limit.amount == int(limit.amount) else limit.amount
        record = {
            "from": to_beijing(args.start).isoformat(),
            "due": result.due.isoformat(),
            "tier": args.tier,
            "amount": amount,
            "unit": limit.unit.value,
            "warnings": list(result.warnings),
        }
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(result.due.isoformat())
    return 0
