"""``agent-app qa sample|scores``: the shift lead's quality checks (查缺补漏) from the command line.

``sample`` draws the tickets to check of each operator's shift: every ticket a scorecard rule
flags (the rule's name) and a few at random (``random``), from the centre (``--url``, with
each ticket's latest check) or from a seat's own copy (``--data-dir``, marked partial: the
checks are kept at the centre).  The shift is given by its times, or by its key in
``knowledge_base/qa/shifts.toml`` (``--shift night --day 2026-11-30``: a night shift ending
after midnight ends on the next day).  ``scores`` gives each operator's checks, mean score,
failed and returned checks over a period, and the mean per week or day (the centre only).
Rules, the random count and the pass mark: ``knowledge_base/qa/scorecard.toml``.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date, datetime, timedelta
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("qa", help="shift lead: quality checks' samples and scores")
    qsub = parser.add_subparsers(dest="qa_command", required=True, metavar="ACTION")

    def where(p: argparse.ArgumentParser) -> None:
        g = p.add_mutually_exclusive_group()
        g.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://LEAD@HOST:PORT/DB of the centre (a shift lead's login)",
        )
        g.add_argument(
            "--data-dir",
            dest="sub_data_dir",
            metavar="DIR",
            help="a seat's data directory (its own tickets)",
        )
        p.add_argument("--json", action="store_true", help="one JSON object")

    p = qsub.add_parser("sample", help="the tickets to check of each operator's shift")
    where(p)
    p.add_argument("--shift-start", metavar="T", help="e.g. 2026-11-30T08:00")
    p.add_argument("--shift-end", metavar="T", help="e.g. 2026-11-30T16:00")
    p.add_argument(
        "--shift",
        metavar="KEY",
        help="instead of the times: a shift of knowledge_base/qa/shifts.toml (e.g. day, "
        "evening, night, all), the one starting on --day",
    )
    p.add_argument(
        "--day",
        metavar="D",
        help="with --shift: the day it starts, e.g. 2026-11-30 (default: its latest start)",
    )
    p.add_argument(
        "--operator",
        action="append",
        default=[],
        help="operator id (repeat or comma-separate; default: every operator of the shift)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="the random draw's seed (default: the shift's, the one the desk's 质检 tab uses)",
    )
    p.set_defaults(func=run_sample)

    p = qsub.add_parser("scores", help="QA scores per operator over a period (the centre)")
    where(p)
    p.add_argument("--from", dest="first", default="", help="first day (default: 8 weeks ago)")
    p.add_argument("--to", dest="last", default="", help="last day (default: today)")
    p.add_argument("--by", default="week", choices=("week", "day"))
    p.set_defaults(func=run_scores)


def _time(text: str, option: str) -> datetime:
    from agent_app.domain.timeutil import SHANGHAI
    from agent_app.errors import UsageError

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a time; use e.g. 2026-11-30T08:00") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


def _day(text: str, option: str) -> date:
    from agent_app.errors import UsageError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; use e.g. 2026-11-01") from None


def _shift_times(args: argparse.Namespace) -> tuple[datetime, datetime]:
    """The shift's [start, end): --shift-start and --shift-end, or --shift (and --day)."""
    from agent_app.domain import timeutil
    from agent_app.errors import UsageError
    from agent_app.services.qa_shifts import load_roster

    if args.shift is None:
        if args.day is not None:
            raise UsageError("--day goes with --shift; give --shift KEY --day D")
        if args.shift_start is None or args.shift_end is None:
            raise UsageError("give --shift-start and --shift-end, or --shift KEY")
        return _time(args.shift_start, "--shift-start"), _time(args.shift_end, "--shift-end")
    if args.shift_start is not None or args.shift_end is not None:
        raise UsageError("give --shift KEY or --shift-start and --shift-end, not both")
    roster = load_roster()
    roster.get(args.shift)  # an unknown key: the keys to use
    day = _day(args.day, "--day") if args.day else roster.latest(args.shift, timeutil.now())
    return roster.range(day, args.shift)


def _source(args: argparse.Namespace, action: str) -> tuple[Any, Any]:
    """(source, context manager turning its errors into one line)."""
    import contextlib

    if args.url:
        from agent_app.cli.central import _central_errors
        from agent_app.services.qa_desk import CentralQA
        from agent_app.storage.central.connect import parse_url

        target = parse_url(args.url)
        return CentralQA(target), _central_errors(target, action)
    from agent_app.errors import UsageError
    from agent_app.paths import data_paths
    from agent_app.services.qa_desk import SeatQA
    from agent_app.storage import schema
    from agent_app.storage.seat import open_database

    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}; give --url or the seat's --data-dir")
    schema.verify(paths.database, paths.backups, full=False)
    return SeatQA(open_database(paths)), contextlib.nullcontext()


def _close(source: Any) -> None:
    db = getattr(source, "db", None)
    if db is not None:
        db.dispose()


def run_sample(args: argparse.Namespace) -> int:
    from agent_app.services.qa_desk import shift_seed

    start, end = _shift_times(args)
    operators = [o.strip() for arg in args.operator for o in arg.split(",") if o.strip()]
    source, errors = _source(args, "read the tickets and quality checks")
    try:
        with errors:
            seed = args.seed if args.seed is not None else shift_seed(start)
            sample = source.sample(operators, start, end, seed=seed)
    finally:
        _close(source)
    if args.json:
        print(json.dumps(sample.as_dict(), ensure_ascii=False))
        return 0
    for r in sample.rows:
        state = "—" if r.checked is None else (f"checked {r.score:g}" if r.checked else "to check")
        print(f"{r.number}  {r.operator}  {r.created_at[:16]}  {','.join(r.reasons)}  {state}")
    checked = "" if sample.partial else f", {sample.checked} checked"
    where = " (this seat's tickets only)" if sample.partial else ""
    print(
        f"{len(sample.rows)} sampled of {sample.tickets} tickets of "
        f"{len(sample.operators)} operator(s){checked}{where}"
    )
    return 0


def run_scores(args: argparse.Namespace) -> int:
    from agent_app.domain import timeutil
    from agent_app.errors import UsageError
    from agent_app.services.qa_desk import NOT_AT_SEAT

    if not args.url:
        raise UsageError(NOT_AT_SEAT)
    today = timeutil.now().astimezone(timeutil.SHANGHAI).date()
    last = _day(args.last, "--to") if args.last else today
    first = _day(args.first, "--from") if args.first else last - timedelta(weeks=8)
    source, errors = _source(args, "read the quality checks")
    with errors:
        scores = source.scores(first, last, args.by)
    if args.json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False))
        return 0
    print(f"{'operator':<12} {'checks':>6} {'mean':>6} {'failed':>6} {'returned':>8}")
    for s in scores.rows:
        print(f"{s.operator:<12} {s.checks:>6} {s.mean:>6.1f} {s.failed:>6} {s.returned:>8}")
    print(f"{first}..{last} by {args.by}: {len(scores.rows)} operator(s)")
    return 0
